"""Standing groups (e.g. the external messaging group): cadence, permanent
members, a rotating pool, and a proposed rotation so every pool member joins
at least once a year."""

import calendar
import math
import re
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from portfolio.errors import Duplicate, InvalidInput
from portfolio.models import StandingGroup
from portfolio.services import links, lookup
from portfolio.services.history import Stamp, record
from portfolio.services.inputs import clean_name, clean_text
from portfolio.services.query import rows

UNITS = ("weeks", "months")


def parse_cadence(text: str) -> tuple[int, str]:
    """'2 months', 'every 3 weeks', 'month' -> (2, 'months'), (3, 'weeks'), (1, 'months')."""
    match = re.fullmatch(r"\s*(?:every\s+)?(\d+)?\s*(week|month)s?\s*", text.lower())
    if not match or (match.group(1) is not None and int(match.group(1)) < 1):
        raise InvalidInput(
            f"'{text}' is not a cadence; write it like '2 months' or '3 weeks'.", field="every"
        )
    return int(match.group(1) or 1), f"{match.group(2)}s"


def add_months(start: date, months: int) -> date:
    """The same day ``months`` later, clamped to the month's last day."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def meeting_on(group: StandingGroup, k: int) -> date:
    """The k-th meeting (0 = the first), counted from the first so dates never drift."""
    if group.unit == "weeks":
        return group.first_meeting + timedelta(weeks=group.every * k)
    return add_months(group.first_meeting, group.every * k)


def meetings_per_year(every: int, unit: str) -> int:
    """The fewest meetings any 12-month window holds (at least one)."""
    per_year = 365 // (7 * every) if unit == "weeks" else 12 // every
    return max(1, per_year)


def add_group(
    session: Session,
    *,
    name: str,
    every: str,
    first_meeting: date,
    members: Sequence[str] = (),
    rotating: Sequence[str] = (),
    purpose: str = "",
    seats: int = 0,
    actor: str | None = None,
) -> StandingGroup:
    name = clean_name(name, "group name", field="name")
    if not name:
        raise InvalidInput("A group needs a name.")
    count, unit = parse_cadence(every)
    if seats < 0:
        raise InvalidInput(
            "The rotating seats per meeting are a number from 0 up (0: let the tool choose).",
            field="seats",
        )
    if (same := lookup.same_name(session, StandingGroup, name)) is not None:
        raise Duplicate(f"There is already a group named '{same}'.")
    permanent = links.resolve(session, "person", members)
    pool = [p for p in links.resolve(session, "person", rotating) if p not in permanent]
    group = StandingGroup(
        name=name, purpose=clean_text(purpose), every=count, unit=unit, first_meeting=first_meeting,
        seats=seats,
    )  # fmt: skip
    session.add(group)
    session.flush()
    assert group.id is not None
    links.link(session, "group", group.id, "person", permanent, role="member")
    links.link(session, "group", group.id, "person", pool, role="rotating")
    if actor is not None:
        record(session, Stamp(first_meeting, actor), action="group-add", subject_type="group",
               subject_id=group.id, detail=name)  # fmt: skip
    return group


def list_groups(session: Session) -> list[dict[str, Any]]:
    named = links.names_of(session, "group")
    query = sa.select(
        col(StandingGroup.id), col(StandingGroup.name), col(StandingGroup.purpose),
        col(StandingGroup.every), col(StandingGroup.unit), col(StandingGroup.first_meeting),
    ).order_by(col(StandingGroup.name))  # fmt: skip
    return [
        {
            "id": i,
            "name": n,
            "purpose": p,
            "every": f"{e} {u}",
            "first_meeting": f.isoformat(),
            "members": named.get(i, {}).get("member:person", []),
            "rotating": named.get(i, {}).get("rotating:person", []),
        }  # fmt: skip
        for i, n, p, e, u, f in rows(session, query)
    ]


def schedule(session: Session, *, name: str, start: date, months: int = 12) -> dict[str, Any]:
    """The meetings from ``start`` for ``months`` months and who joins each.

    Round robin over the pool in the order it was given, counted from the
    group's first meeting so the rotation does not depend on when it is asked:
    with seats = ceil(pool / meetings a year), every pool member sits within
    any 12 months.
    """
    if months < 1:
        raise InvalidInput("A schedule covers at least one month.", field="months")
    group = lookup.by_name(session, StandingGroup, name, "group")
    assert group.id is not None
    named = links.names_of(session, "group", [group.id]).get(group.id, {})
    permanent = named.get("member:person", [])
    pool = named.get("rotating:person", [])
    per_year = meetings_per_year(group.every, group.unit)
    seats = min(len(pool), group.seats or math.ceil(len(pool) / per_year))
    until = add_months(start, months)
    meetings = []
    k = 0
    while (on := meeting_on(group, k)) < until:
        if on >= start:
            joining = [pool[(k * seats + j) % len(pool)] for j in range(seats)] if pool else []
            meetings.append({"on": on.isoformat(), "members": permanent, "rotating": joining})
        k += 1
    return {
        "group": group.name, "purpose": group.purpose, "every": f"{group.every} {group.unit}",
        "seats": seats, "members": permanent, "pool": pool, "meetings": meetings,
    }  # fmt: skip
