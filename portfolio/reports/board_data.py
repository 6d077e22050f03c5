"""Build the board update's data model from the records, as at a date.

A fixed number of column queries, whatever the size of the portfolio: the
position as at ``date_to`` is rebuilt from each partnership's and theme's
latest event up to that date (not from today's state), so an update for
last year reads the same next year.
"""

import difflib
import re
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from portfolio.errors import InvalidInput, NotFound
from portfolio.models import (
    ChecklistStep,
    Event,
    Grant,
    Partner,
    Partnership,
    Person,
    Workstream,
)
from portfolio.reports import board_period as period
from portfolio.reports.board_model import (
    CHART_STATES,
    BoardUpdate,
    EndingEntry,
    ReviewEntry,
    Section,
    Summary,
)
from portfolio.services.lifecycle import ACTIVE, CURRENT, ENDED, ENDING, EXIT_TYPES, REVIEW
from portfolio.services.query import rows

_PLANNED = re.compile(r"^(?P<exit>.*) by (?P<by>\d{4}-\d{2}-\d{2})$")


def build_board_update(
    session: Session, *, date_from: date, date_to: date, workstreams: Sequence[str] = ()
) -> BoardUpdate:
    if date_from > date_to:
        raise InvalidInput(
            f"The period's first day {date_from} is after its last day {date_to}; swap them.",
            field="date_from",
        )
    sections = _sections(session, date_from, date_to, workstreams)
    by_id = sections
    portfolio = Section(name=None)
    _position(session, date_from, date_to, by_id)
    funding = _funding(session, date_to, by_id)
    period.happenings(session, date_from, date_to, by_id)
    period.grants(session, date_from, date_to, by_id)
    period.learning_and_decisions(session, date_from, date_to, by_id, portfolio)
    period.themes(session, date_to, by_id, portfolio)
    chosen = list(by_id.values())
    counts = {s: sum(sec.counts.get(s, 0) for sec in chosen) for s in CHART_STATES}
    summary = Summary(
        counts=counts,
        committed=funding[0],
        ending_12_months=funding[1],
        chart=[(sec.title, {s: sec.counts.get(s, 0) for s in CHART_STATES}) for sec in chosen],
    )
    return BoardUpdate(date_from, date_to, summary, chosen, portfolio)


def _sections(
    session: Session, date_from: date, date_to: date, names: Sequence[str]
) -> dict[int, Section]:
    """The workstreams reported on: those named, else those open at some time in the period."""
    found = rows(
        session,
        sa.select(
            col(Workstream.id),
            col(Workstream.name),
            col(Workstream.purpose),
            col(Person.name),
            col(Workstream.opened_on),
            col(Workstream.closed_on),
        )
        .outerjoin(Person, Person.id == Workstream.lead_id)  # type: ignore[arg-type]
        .order_by(col(Workstream.name)),
    )
    if names:
        by_name = {r[1].lower(): r for r in found}
        missing = [n for n in names if n.lower() not in by_name]
        if missing:
            known = [r[1] for r in found]
            hints = [
                f"No workstream named '{n}'."
                + (f" Did you mean: {', '.join(close)}?" if close else "")
                for n in missing
                for close in [
                    difflib.get_close_matches(n, known, n=3, cutoff=0.6)
                    or [k for k in known if n.lower() in k.lower()][:3]
                ]
            ]
            raise NotFound(" ".join(hints))
        wanted = {by_name[n.lower()][0] for n in names}
        found = [r for r in found if r[0] in wanted]
    else:
        found = [r for r in found if r[4] <= date_to and (r[5] is None or r[5] >= date_from)]
    return {
        ws_id: Section(
            name=name,
            purpose=purpose,
            lead=lead,
            status="closed" if closed and closed <= date_to else "open",
            opened_on=opened,
            closed_on=closed if closed and closed <= date_to else None,
        )
        for ws_id, name, purpose, lead, opened, closed in found
    }


def _latest_event_ids(date_to: date, *, subject_type: str, actions: Sequence[str] = ()) -> Any:
    """Per subject, the id of its latest event up to ``date_to``.

    Timelines run forward (an action dated before the previous change is
    refused), so the highest id is also the latest effective date.
    """
    query = sa.select(col(Event.subject_id), sa.func.max(Event.id).label("event_id")).where(
        col(Event.subject_type) == subject_type, col(Event.occurred_on) <= date_to
    )
    if actions:
        query = query.where(col(Event.action).in_(actions))
    return query.group_by(col(Event.subject_id)).subquery()


def _position(
    session: Session, date_from: date, date_to: date, sections: dict[int, Section]
) -> None:
    """Partnerships' states as at ``date_to``: counts, endings in progress, reviews."""
    latest = _latest_event_ids(date_to, subject_type="partnership")
    latest_end = _latest_event_ids(date_to, subject_type="partnership", actions=("end",))
    last, end = aliased(Event), aliased(Event)
    found = rows(
        session,
        sa.select(
            col(Partnership.id),
            col(Partnership.workstream_id),
            col(Partner.name),
            col(Person.name),
            col(Partnership.started_on),
            col(Partnership.planned_end),
            col(last.to_state),
            col(last.occurred_on),
            col(last.reason),
            col(last.detail),
            col(end.occurred_on),
            col(end.reason),
            col(end.detail),
        )
        .join(Partner, Partner.id == Partnership.partner_id)  # type: ignore[arg-type]
        .outerjoin(Person, Person.id == Partnership.lead_id)  # type: ignore[arg-type]
        .outerjoin(latest, latest.c.subject_id == Partnership.id)
        .outerjoin(last, col(last.id) == latest.c.event_id)
        .outerjoin(latest_end, latest_end.c.subject_id == Partnership.id)
        .outerjoin(end, col(end.id) == latest_end.c.event_id)
        .where(col(Partnership.started_on) <= date_to)
        .order_by(col(Partner.name)),
    )
    steps = [
        r[0]
        for r in rows(
            session, sa.select(col(ChecklistStep.name)).order_by(col(ChecklistStep.position))
        )
    ]
    ticks = _ticks(session, date_to)
    for row in found:
        ps_id, ws_id, partner, lead, _started, planned, state, on, reason, detail = row[:10]
        section = sections.get(ws_id)
        if section is None:
            continue
        # A transfer's successor has no event of its own until something happens to it.
        state = state or ACTIVE
        if state in CURRENT or (on is not None and on >= date_from):
            section.counts[state] = section.counts.get(state, 0) + 1
        if state == REVIEW:
            who = detail[len("lead: ") :] if detail.startswith("lead: ") else lead
            section.reviews.append(ReviewEntry(partner, who, on, reason))
        elif state == ENDING:
            begun, why, plan = row[10:]
            match = _PLANNED.match(plan or "")
            done = ticks.get(ps_id, set())
            section.endings.append(
                EndingEntry(
                    partner=partner,
                    lead=lead,
                    begun_on=begun,
                    planned_end=date.fromisoformat(match["by"]) if match else planned,
                    exit_type=match["exit"] if match else EXIT_TYPES["out"],
                    reason=why,
                    steps_done=tuple(s for s in steps if s in done),
                    steps_open=tuple(s for s in steps if s not in done),
                )
            )
    for section in sections.values():
        section.endings.sort(key=lambda e: (e.planned_end or date.max, e.partner))


def _ticks(session: Session, date_to: date) -> dict[int, set[str]]:
    """Checklist steps ticked since each partnership's latest ending began, up to ``date_to``."""
    latest_end = _latest_event_ids(date_to, subject_type="partnership", actions=("end",))
    found = rows(
        session,
        sa.select(col(Event.subject_id), col(Event.detail))
        .join(
            latest_end,
            sa.and_(
                latest_end.c.subject_id == Event.subject_id,
                col(Event.id) > latest_end.c.event_id,
            ),
        )
        .where(
            col(Event.subject_type) == "partnership",
            col(Event.action) == "tick",
            col(Event.occurred_on) <= date_to,
        ),
    )
    ticks: dict[int, set[str]] = {}
    for ps_id, step in found:
        ticks.setdefault(ps_id, set()).add(step)
    return ticks


def _funding(
    session: Session, date_to: date, sections: dict[int, Section]
) -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    """Funding committed to partnerships current at ``date_to`` and what ends within a year.

    A transferred partnership's grants follow the partner to its successor, so
    they count where the partnership is held at ``date_to``.
    """
    horizon = period.one_year_after(date_to)
    # Amounts are stored in whole pence (models.money): sum those, exactly.
    pence = sa.type_coerce(col(Grant.amount), sa.BigInteger)
    ending_soon = sa.case(
        (
            sa.and_(col(Grant.planned_end) > date_to, col(Grant.planned_end) <= horizon),
            pence,
        ),
        else_=0,
    )
    latest = _latest_event_ids(date_to, subject_type="partnership")
    holders = rows(
        session,
        sa.select(
            col(Partnership.id),
            col(Partnership.workstream_id),
            col(Partnership.predecessor_id),
            col(Event.to_state),
        )
        .outerjoin(latest, latest.c.subject_id == Partnership.id)
        .outerjoin(Event, col(Event.id) == latest.c.event_id)
        .where(col(Partnership.started_on) <= date_to),
    )
    sums = rows(
        session,
        sa.select(
            col(Grant.partnership_id),
            col(Grant.currency),
            sa.func.sum(pence),
            sa.func.sum(ending_soon),
        )
        .where(col(Grant.awarded_on) <= date_to)
        .group_by(col(Grant.partnership_id), col(Grant.currency)),
    )
    successor = {pred: ps_id for ps_id, _ws, pred, _state in holders if pred is not None}
    info = {ps_id: (ws_id, state or ACTIVE) for ps_id, ws_id, _pred, state in holders}
    committed: dict[str, Decimal] = {}
    ending: dict[str, Decimal] = {}
    for ps_id, currency, total, soon in sums:
        holder = ps_id
        seen = {holder}
        while holder in successor and successor[holder] not in seen:
            holder = successor[holder]
            seen.add(holder)
        ws_id, state = info.get(holder, (None, ENDED))
        if state not in CURRENT or ws_id not in sections:
            continue
        value = Decimal(int(total or 0)).scaleb(-2)
        section = sections[ws_id]
        section.committed[currency] = section.committed.get(currency, Decimal("0")) + value
        committed[currency] = committed.get(currency, Decimal("0")) + value
        ending[currency] = ending.get(currency, Decimal("0")) + Decimal(int(soon or 0)).scaleb(-2)
    return committed, {cur: v for cur, v in ending.items() if v}
