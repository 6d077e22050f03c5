"""Build the board update's data model from the records, as at a date.

A fixed number of column queries, whatever the size of the portfolio: the
position as at ``date_to`` is rebuilt from each partnership's and theme's
latest event up to that date (not from today's state), so an update for
last year reads the same next year. With ``recorded_by`` every query also
leaves out what was recorded after that moment (back-dated grants, events,
insights, decisions ...), so a past board paper can be printed again exactly.
"""

import difflib
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from portfolio.errors import InvalidInput, NotFound
from portfolio.models import (
    ChecklistStep,
    Event,
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
from portfolio.services import positions
from portfolio.services.checklist import steps_at
from portfolio.services.lifecycle import (
    ACTIVE,
    ENDING,
    EXIT_TYPES,
    REVIEW,
    TRANSFERRED,
)
from portfolio.services.query import rows


def build_board_update(
    session: Session,
    *,
    date_from: date,
    date_to: date,
    workstreams: Sequence[str] = (),
    recorded_by: datetime | None = None,
) -> BoardUpdate:
    """The update for a period; ``recorded_by`` (aware): only what was recorded by then."""
    if date_from > date_to:
        raise InvalidInput(
            f"The period's first day {date_from} is after its last day {date_to}; swap them.",
            field="date_from",
        )
    # Counts and funding come from the one read model, as on every screen.
    position = positions.as_at(
        session, date_to, changed_since=date_from, ends_by=period.one_year_after(date_to),
        recorded_by=recorded_by,
    )  # fmt: skip
    by_id = _sections(session, date_from, date_to, workstreams, position.live(), recorded_by)
    portfolio = Section(name=None)
    _position(session, date_from, date_to, by_id, recorded_by)
    funding = _funding(position, by_id)
    period.happenings(session, date_from, date_to, by_id, recorded_by)
    period.grants(session, date_from, date_to, by_id, recorded_by)
    period.learning_and_decisions(session, date_from, date_to, by_id, portfolio, recorded_by)
    period.themes(session, date_to, by_id, portfolio, recorded_by)
    chosen = list(by_id.values())
    totals = position.counts_in(by_id)
    counts = {s: totals.get(s, 0) for s in CHART_STATES}
    summary = Summary(
        counts=counts,
        committed=funding[0],
        ending_12_months=funding[1],
        chart=[(sec.title, {s: sec.counts.get(s, 0) for s in CHART_STATES}) for sec in chosen],
    )
    return BoardUpdate(date_from, date_to, summary, chosen, portfolio)


def _sections(
    session: Session,
    date_from: date,
    date_to: date,
    names: Sequence[str],
    live: set[int],
    recorded_by: datetime | None = None,
) -> dict[int, Section]:
    """The workstreams reported on: those named, else every one open at some time in
    the period, still holding live work at ``date_to`` (a partnership current then, in
    ``live``) or with anything recorded in the period, closed ones included."""
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
    if recorded_by is not None:
        found = period.as_recorded_workstreams(session, found, recorded_by)
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
        active = live | _active_in(session, date_from, date_to, recorded_by)
        found = [
            r
            for r in found
            if r[4] <= date_to and (r[5] is None or r[5] >= date_from or r[0] in active)
        ]
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


def _active_in(
    session: Session, date_from: date, date_to: date, recorded_by: datetime | None = None
) -> set[int]:
    """Workstreams with an event (of theirs or moving work into them) in the period."""
    in_period = sa.and_(
        col(Event.occurred_on) >= date_from,
        col(Event.occurred_on) <= date_to,
        *period.as_recorded(col(Event.recorded_at), recorded_by),
    )
    found = rows(
        session,
        sa.union(
            sa.select(col(Event.workstream_id)).where(in_period),
            sa.select(col(Event.to_workstream_id)).where(in_period),
        ),
    )
    return {ws for (ws,) in found if ws is not None}


def _latest_event_ids(
    date_to: date,
    *,
    subject_type: str,
    actions: Sequence[str] = (),
    recorded_by: datetime | None = None,
) -> Any:
    """Per subject, the id of its latest event up to ``date_to`` (recorded by ``recorded_by``).

    Timelines run forward (an action dated before the previous change is
    refused), so the highest id is also the latest effective date.
    """
    query = sa.select(col(Event.subject_id), sa.func.max(Event.id).label("event_id")).where(
        col(Event.subject_type) == subject_type,
        col(Event.occurred_on) <= date_to,
        *period.as_recorded(col(Event.recorded_at), recorded_by),
    )
    if actions:
        query = query.where(col(Event.action).in_(actions))
    return query.group_by(col(Event.subject_id)).subquery()


def _position(
    session: Session,
    date_from: date,
    date_to: date,
    sections: dict[int, Section],
    recorded_by: datetime | None = None,
) -> None:
    """Partnerships' states as at ``date_to``: counts, endings in progress, reviews."""
    latest = _latest_event_ids(date_to, subject_type="partnership", recorded_by=recorded_by)
    latest_end = _latest_event_ids(
        date_to, subject_type="partnership", actions=("end",), recorded_by=recorded_by
    )
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
            col(Partnership.predecessor_id),
            col(last.to_state),
            col(last.occurred_on),
            col(last.reason),
            col(last.data),
            col(end.occurred_on),
            col(end.reason),
            col(end.data),
            col(end.recorded_at),
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
    # Every step ever on the list: each ending's checklist is those there when it began.
    steps = rows(
        session,
        sa.select(
            col(ChecklistStep.id),
            col(ChecklistStep.name),
            col(ChecklistStep.recorded_at),
            col(ChecklistStep.removed_at),
        ).order_by(col(ChecklistStep.position)),
    )
    ticks = _ticks(session, date_to, recorded_by)
    states = {row[0]: row[7] for row in found}
    for row in found:
        ps_id, ws_id, partner, lead, _started, _planned, pred, state, on, reason, facts = row[:11]
        section = sections.get(ws_id)
        if section is None:
            continue
        if state is None and (pred is None or states.get(pred) != TRANSFERRED):
            continue  # its start was recorded after ``recorded_by``
        # A transfer's successor has no event of its own until something happens to it.
        state = state or ACTIVE
        if state == REVIEW:
            # The lead as the review recorded them, not whoever leads it today.
            section.reviews.append(ReviewEntry(partner, (facts or {}).get("lead"), on, reason))
        elif state == ENDING:
            begun, why, plan, began_at = row[11:]
            plan = plan or {}
            done = ticks.get(ps_id, set())
            checklist = steps_at(steps, began_at)
            section.endings.append(
                EndingEntry(
                    partner=partner,
                    lead=lead,
                    begun_on=begun,
                    planned_end=_day(plan.get("planned_end")),
                    # An ending recorded without an exit type says none (never a default).
                    exit_type=EXIT_TYPES.get(plan.get("exit_type") or "", ""),
                    reason=why,
                    steps_done=tuple(s.name for s in checklist if s.id in done),
                    steps_open=tuple(s.name for s in checklist if s.id not in done),
                )
            )
    for section in sections.values():
        section.endings.sort(key=lambda e: (e.planned_end or date.max, e.partner))


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _ticks(
    session: Session, date_to: date, recorded_by: datetime | None = None
) -> dict[int, set[int]]:
    """Checklist steps (ids) ticked since each partnership's latest ending began, up to
    ``date_to``, and not unticked since (as ``partnerships.ticked_steps`` reads them)."""
    latest_end = _latest_event_ids(
        date_to, subject_type="partnership", actions=("end",), recorded_by=recorded_by
    )
    found = rows(
        session,
        sa.select(col(Event.subject_id), col(Event.action), col(Event.data))
        .join(
            latest_end,
            sa.and_(
                latest_end.c.subject_id == Event.subject_id,
                col(Event.id) > latest_end.c.event_id,
            ),
        )
        .where(
            col(Event.subject_type) == "partnership",
            col(Event.action).in_(("tick", "untick")),
            col(Event.occurred_on) <= date_to,
            *period.as_recorded(col(Event.recorded_at), recorded_by),
        )
        .order_by(col(Event.id)),
    )
    ticks: dict[int, set[int]] = {}
    for ps_id, action, facts in found:
        if (facts or {}).get("step_id") is None:
            continue
        done = ticks.setdefault(ps_id, set())
        if action == "tick":
            done.add(int(facts["step_id"]))
        else:
            done.discard(int(facts["step_id"]))
    return ticks


def _funding(
    position: positions.Position, sections: dict[int, Section]
) -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    """Each section's counts and committed funding as at ``--to``, and across them the
    funding committed and what of it is planned to end within a year (services.positions:
    funding still to run follows a transfer to the successor)."""
    for ws_id, section in sections.items():
        section.counts = dict(position.counts.get(ws_id, {}))
        section.committed = dict(position.committed.get(ws_id, {}))
    ending = position.ending_in(sections)
    return position.committed_in(sections), {cur: v for cur, v in ending.items() if v}
