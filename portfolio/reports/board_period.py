"""What happened within a board update's period, and the themes as at its end.

Each function runs one or two column queries and files what it finds under
the workstream sections it concerns (or the portfolio-wide section). Given
``recorded_by``, each leaves out what was recorded after it.
"""

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from portfolio.models import (
    ActionItem,
    Decision,
    Event,
    Grant,
    Insight,
    Partner,
    Partnership,
    Person,
    RecordLink,
    Theme,
    ThemeLead,
    Workstream,
)
from portfolio.reports.board_model import (
    ActionEntry,
    DecisionItem,
    GrantAward,
    Happening,
    InsightItem,
    Section,
    UnhomedTheme,
)
from portfolio.services import positions
from portfolio.services.lifecycle import EXIT_TYPES
from portfolio.services.query import rows

SHARED_VISIBILITIES = ("board", "public")  # never "internal"


def as_recorded(column: Any, recorded_by: datetime | None) -> tuple[Any, ...]:
    """The condition "recorded by then" on a recorded-at column (none without a cutoff)."""
    return () if recorded_by is None else (column <= recorded_by,)


def as_recorded_workstreams(
    session: Session, found: Sequence[Any], recorded_by: datetime
) -> list[Any]:
    """Workstream rows (id, name, purpose, lead, opened_on, closed_on, ...) as recorded by
    then: one opened later is left out, one closed later is still open."""
    later = {
        (action, ws_id)
        for action, ws_id in rows(
            session,
            sa.select(col(Event.action), col(Event.subject_id)).where(
                col(Event.subject_type) == "workstream",
                col(Event.action).in_(("open", "close")),
                col(Event.recorded_at) > recorded_by,
            ),
        )
    }
    return [
        (*r[:5], None, *r[6:]) if ("close", r[0]) in later else tuple(r)
        for r in found
        if ("open", r[0]) not in later
    ]


def one_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def happenings(
    session: Session,
    date_from: date,
    date_to: date,
    sections: dict[int, Section],
    recorded_by: datetime | None = None,
) -> None:
    """Lifecycle, workstream and theme events within the period, by effective date."""
    source, dest = aliased(Workstream), aliased(Workstream)
    found = rows(
        session,
        sa.select(
            col(Event.occurred_on),
            col(Event.action),
            col(Event.subject_type),
            col(Event.workstream_id),
            col(Event.to_workstream_id),
            col(Partner.name),
            col(source.name),
            col(dest.name),
            col(Theme.name),
            col(Event.from_state),
            col(Event.reason),
            col(Event.data),
            col(Event.decision_id),
        )
        .outerjoin(Partner, Partner.id == Event.partner_id)  # type: ignore[arg-type]
        .outerjoin(source, col(source.id) == Event.workstream_id)
        .outerjoin(dest, col(dest.id) == Event.to_workstream_id)
        .outerjoin(
            Theme,
            sa.and_(col(Event.subject_type) == "theme", col(Theme.id) == Event.subject_id),
        )
        .where(
            col(Event.occurred_on) >= date_from,
            col(Event.occurred_on) <= date_to,
            col(Event.action).notin_(("tick", "untick", "grant")),  # as checklist progress
            *as_recorded(col(Event.recorded_at), recorded_by),
        )
        .order_by(col(Event.occurred_on), col(Event.id)),
    )
    for (
        on,
        action,
        subject,
        ws_id,
        to_id,
        partner,
        src,
        dst,
        theme,
        before,
        reason,
        facts,
        d_id,
    ) in found:
        for target, kind, text in _describe(
            action, subject, ws_id, to_id, partner, src, dst, theme, before, facts or {}
        ):
            if target in sections:
                sections[target].happenings.append(Happening(on, kind, text, reason, d_id))


def _describe(
    action: str,
    subject: str,
    ws_id: int | None,
    to_id: int | None,
    partner: str | None,
    src: str | None,
    dst: str | None,
    theme: str | None,
    before: str | None,
    facts: dict[str, Any],
) -> list[tuple[int | None, str, str]]:
    """(workstream id, kind, sentence) for each section an event belongs to, from the
    facts the event recorded (its ``data``), never from its wording."""
    if subject == "partnership":
        with_lead = f" with {facts['lead']}" if facts.get("lead") else ""
        said = {
            "start": ("started", f"Partnership with {partner} started."),
            "review": ("review", f"{partner} put under review{with_lead}."),
            "end": ("ending", f"{partner} began ending respectfully{_plan(facts)}."),
            "complete": ("ended", f"The ending of {partner} was completed."),
        }
        if action == "resume":
            what = "ending was reversed" if before == "ending" else "review concluded"
            return [(ws_id, "resumed", f"{partner}: {what}; the partnership continues.")]
        if action == "transfer":
            return [
                (ws_id, "moved-out", f"{partner} moved to {dst}."),
                (to_id, "moved-in", f"{partner} moved here from {src}."),
            ]
        if action in said:
            kind, text = said[action]
            if action == "complete" and facts.get("open_steps"):
                text = f"{text[:-1]} (open steps: {', '.join(facts['open_steps'])})."
            return [(ws_id, kind, text)]
    elif subject == "grant" and action == "grant-withdraw":
        amount = f"{facts.get('currency', '')} {Decimal(facts.get('amount') or 0):,.2f}".strip()
        return [(ws_id, "grant-withdrawn", f"A grant of {amount} to {partner} was withdrawn "
                 "as recorded in error.")]  # fmt: skip
    elif subject == "workstream" and action in ("open", "close"):
        verb = "opened" if action == "open" else "closed"
        return [(ws_id, verb, f"{src} {verb}.")]
    elif subject == "theme" and action == "theme-add" and ws_id is not None:
        return [(ws_id, "theme", f"Theme '{theme}' is held here.")]
    elif subject == "theme" and action == "theme-rehome":
        leads = list(facts.get("leads") or [])
        where = dst if dst else "no workstream (unhomed)"
        led = f", led by {_and(leads)}" if leads and not dst else ""
        return [
            (ws_id, "theme", f"Theme '{theme}' moved from here to {where}{led}."),
            (to_id, "theme", f"Theme '{theme}' moved here from {src or 'no workstream'}."),
        ]
    return []


def _plan(facts: dict[str, Any]) -> str:
    """What an ending recorded of its plan, as " (phasing out by 2021-12-31)", or nothing."""
    words = [EXIT_TYPES.get(facts.get("exit_type") or "", "")]
    if facts.get("planned_end"):
        words.append(f"by {facts['planned_end']}")
    said = " ".join(w for w in words if w)
    return f" ({said})" if said else ""


def grants(
    session: Session,
    date_from: date,
    date_to: date,
    sections: dict[int, Section],
    recorded_by: datetime | None = None,
) -> None:
    found = rows(
        session,
        sa.select(
            col(Partnership.workstream_id),
            col(Grant.awarded_on),
            col(Partner.name),
            col(Grant.amount),
            col(Grant.currency),
            col(Grant.title),
            col(Grant.planned_end),
        )
        .join(Partnership, Partnership.id == Grant.partnership_id)  # type: ignore[arg-type]
        .join(Partner, Partner.id == Partnership.partner_id)  # type: ignore[arg-type]
        .where(
            col(Grant.awarded_on) >= date_from,
            col(Grant.awarded_on) <= date_to,
            positions.still_granted(date_to, recorded_by),  # one withdrawn in error was not
            *as_recorded(col(Grant.recorded_at), recorded_by),
        )
        .order_by(col(Grant.awarded_on), col(Grant.id)),
    )
    for ws_id, *award in found:
        if ws_id in sections:
            sections[ws_id].grants.append(GrantAward(*award))


def _workstream_links(
    session: Session, recorded_by: datetime | None
) -> dict[tuple[str, int], list[int]]:
    """Which workstreams each decision, insight and session concerns."""
    links: dict[tuple[str, int], list[int]] = {}
    for owner_type, owner_id, ws_id in rows(
        session,
        sa.select(col(RecordLink.owner_type), col(RecordLink.owner_id), col(RecordLink.target_id))
        .where(
            col(RecordLink.target_type) == "workstream",
            col(RecordLink.owner_type).in_(("decision", "insight", "session")),
            *as_recorded(col(RecordLink.recorded_at), recorded_by),
        )
        .order_by(col(RecordLink.id)),
    ):
        links.setdefault((owner_type, owner_id), []).append(ws_id)
    return links


def _file(
    item: Any, ws_ids: list[int], attr: str, sections: dict[int, Section], rest: Section
) -> None:
    """File under each chosen workstream concerned; a record concerning none is portfolio-wide."""
    targets = [sections[w] for w in dict.fromkeys(ws_ids) if w in sections]
    for section in targets if ws_ids else [rest]:
        getattr(section, attr).append(item)


def learning_and_decisions(
    session: Session,
    date_from: date,
    date_to: date,
    sections: dict[int, Section],
    portfolio: Section,
    recorded_by: datetime | None = None,
) -> None:
    """Shared insights and decisions of the period; actions open at its end."""
    links = _workstream_links(session, recorded_by)
    for i_id, on, text, visibility in rows(
        session,
        sa.select(
            col(Insight.id), col(Insight.noted_on), col(Insight.text), col(Insight.visibility)
        )
        .where(
            col(Insight.visibility).in_(SHARED_VISIBILITIES),
            col(Insight.noted_on) >= date_from,
            col(Insight.noted_on) <= date_to,
            *as_recorded(col(Insight.recorded_at), recorded_by),
        )
        .order_by(col(Insight.noted_on), col(Insight.id)),
    ):
        item = InsightItem(on, text, visibility)
        _file(item, links.get(("insight", i_id), []), "insights", sections, portfolio)
    for decision in _decisions(session, date_from, date_to, recorded_by):
        _file(decision, links.get(("decision", decision.id), []), "decisions", sections, portfolio)
    still_open = sa.or_(
        col(ActionItem.status) == "open",
        sa.and_(col(ActionItem.closed_on).is_not(None), col(ActionItem.closed_on) > date_to),
        *(() if recorded_by is None else (col(ActionItem.closed_recorded_at) > recorded_by,)),
    )
    for text, owner, due, d_id, s_id in rows(
        session,
        sa.select(
            col(ActionItem.text),
            col(Person.name),
            col(ActionItem.due_on),
            col(ActionItem.decision_id),
            col(ActionItem.session_id),
        )
        .join(Person, Person.id == ActionItem.owner_id)  # type: ignore[arg-type]
        .where(
            col(ActionItem.created_on) <= date_to,
            still_open,
            *as_recorded(col(ActionItem.recorded_at), recorded_by),
        )
        .order_by(col(ActionItem.due_on).is_(None), col(ActionItem.due_on), col(ActionItem.id)),
    ):
        ws_ids = links.get(("decision", d_id), []) + links.get(("session", s_id), [])
        _file(ActionEntry(text, owner, due), ws_ids, "actions", sections, portfolio)


def _decisions(
    session: Session, date_from: date, date_to: date, recorded_by: datetime | None
) -> list[DecisionItem]:
    """Decisions decided or enacted in the period, each with its status as at ``date_to``.

    The status is the one its latest status event up to ``date_to`` (recorded by
    ``recorded_by``) gave it: one superseded or enacted after the period shows as it
    stood then.
    """
    history: dict[int, tuple[str | None, date | None]] = {}
    for d_id, action, on, to_state in rows(
        session,
        sa.select(
            col(Event.subject_id), col(Event.action), col(Event.occurred_on), col(Event.to_state)
        )
        .where(
            col(Event.subject_type) == "decision",
            col(Event.action).like("decision-%"),
            col(Event.occurred_on) <= date_to,
            *as_recorded(col(Event.recorded_at), recorded_by),
        )
        .order_by(col(Event.id)),
    ):
        enacted = on if action == "decision-enact" else history.get(d_id, (None, None))[1]
        history[d_id] = (to_state, enacted)
    found = []
    for d_id, on, title, text, status, enacted_now in rows(
        session,
        sa.select(
            col(Decision.id),
            col(Decision.decided_on),
            col(Decision.title),
            col(Decision.decision),
            col(Decision.status),
            col(Decision.enacted_on),
        )
        .where(
            sa.or_(
                sa.and_(col(Decision.decided_on) >= date_from, col(Decision.decided_on) <= date_to),
                sa.and_(col(Decision.enacted_on) >= date_from, col(Decision.enacted_on) <= date_to),
            ),
            *as_recorded(col(Decision.created_at), recorded_by),
        )
        .order_by(col(Decision.decided_on), col(Decision.id)),
    ):
        # A decision without status events (none is written without) keeps today's status.
        status, enacted = history.get(d_id, (status, enacted_now))
        if status is None or not (date_from <= on <= date_to or enacted is not None):
            continue  # only its enactment fell in the period, and that was not yet so
        found.append(DecisionItem(d_id, on, title, text, status, enacted))
    return found


def themes(
    session: Session,
    date_to: date,
    sections: dict[int, Section],
    portfolio: Section,
    recorded_by: datetime | None = None,
) -> None:
    """Where each theme was held at ``date_to``; unhomed ones with their leads."""
    latest = (
        sa.select(col(Event.subject_id), sa.func.max(Event.id).label("event_id"))
        .where(
            col(Event.subject_type) == "theme",
            col(Event.action).in_(("theme-add", "theme-rehome")),
            col(Event.occurred_on) <= date_to,
            *as_recorded(col(Event.recorded_at), recorded_by),
        )
        .group_by(col(Event.subject_id))
        .subquery()
    )
    source = aliased(Workstream)
    found = rows(
        session,
        sa.select(
            col(Theme.id),
            col(Theme.name),
            col(Theme.workstream_id),
            col(Event.action),
            col(Event.workstream_id),
            col(Event.to_workstream_id),
            col(Event.data),
            col(Event.occurred_on),
            col(source.name),
        )
        .join(latest, latest.c.subject_id == Theme.id)
        .join(Event, col(Event.id) == latest.c.event_id)
        .outerjoin(source, col(source.id) == Event.workstream_id)
        .order_by(col(Theme.name)),
    )
    current: dict[int, list[str]] = {}
    for theme_id, person in rows(
        session,
        sa.select(col(ThemeLead.theme_id), col(Person.name))
        .join(Person, Person.id == ThemeLead.person_id)  # type: ignore[arg-type]
        .order_by(col(Person.name)),
    ):
        current.setdefault(theme_id, []).append(person)
    for t_id, name, home_now, action, ws_id, to_id, facts, on, src in found:
        home = ws_id if action == "theme-add" else to_id
        if home is not None:
            if home in sections:
                sections[home].themes.append(name)
            continue
        recorded = list((facts or {}).get("leads") or [])
        now = current.get(t_id, [])
        # The recorded order reads as people said it; fall back to today's leads
        # only when the theme has not moved since --to and no leads were recorded.
        leads = recorded or (now if home_now is None else [])
        last_home = src if action == "theme-rehome" else None
        item = UnhomedTheme(name, tuple(leads), on, last_home)
        portfolio.unhomed.append(item)
        if action == "theme-rehome" and ws_id in sections:
            sections[ws_id].unhomed.append(item)
