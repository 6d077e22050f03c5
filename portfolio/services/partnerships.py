"""Lifecycle actions on partnerships, checked against the table in ``lifecycle``.

Every action validates everything first and writes only when all holds, so a
refusal leaves the records as they were even before the transaction rolls back.
"""

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from portfolio.errors import InvalidInput, Refused
from portfolio.models import (
    ChecklistStep,
    Event,
    Partner,
    Partnership,
    PartnershipTheme,
    Workstream,
)
from portfolio.services import lookup
from portfolio.services.history import Stamp, record
from portfolio.services.lifecycle import (
    ACTIVE,
    BY_ACTION,
    CURRENT,
    DEFAULT_EXIT_TYPE,
    EXIT_TYPES,
    allowed,
    refusal,
)


def current_partnership(
    session: Session, partner_id: int, workstream_id: int
) -> Partnership | None:
    """The partnership that is not yet ended or transferred, if any (at most one)."""
    return session.exec(
        select(Partnership).where(
            Partnership.partner_id == partner_id,
            Partnership.workstream_id == workstream_id,
            col(Partnership.state).in_(CURRENT),
        )
    ).first()


def _require_reason(reason: str, action: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(f"{action} needs a reason (--reason).")
    return reason


def _target(
    session: Session, action: str, partner: str, workstream: str, on: date
) -> tuple[Partner, Workstream, Partnership]:
    """The current partnership an action applies to, checked against the table and the date."""
    p = lookup.partner(session, partner)
    ws = lookup.workstream(session, workstream)
    assert p.id is not None and ws.id is not None
    ps = current_partnership(session, p.id, ws.id)
    state = ps.state if ps else None
    if ps is None or not allowed(action, state):
        raise Refused(f"Cannot {action} {p.name} in {ws.name}: {refusal(action, state)}.")
    if on < ps.changed_on:
        raise Refused(
            f"Cannot {action} {p.name} in {ws.name} on {on}: its last change was on "
            f"{ps.changed_on}; date it then or later (--on)."
        )
    return p, ws, ps


def _check_open(ws: Workstream, on: date, doing: str) -> None:
    if ws.status != "open":
        raise Refused(f"Cannot {doing} in {ws.name}: it closed on {ws.closed_on}.")
    if on < ws.opened_on:
        raise Refused(
            f"Cannot {doing} in {ws.name} on {on}: it opened on {ws.opened_on}; "
            "date it then or later (--on)."
        )


def _check_after_previous(
    session: Session, partner: Partner, ws: Workstream, on: date, doing: str
) -> None:
    """A new partnership cannot begin before the partner's previous one there last changed."""
    last = session.exec(
        select(func.max(Partnership.changed_on)).where(
            Partnership.partner_id == partner.id, Partnership.workstream_id == ws.id
        )
    ).one()
    if last is not None and on < last:
        raise Refused(
            f"Cannot {doing} in {ws.name} on {on}: its previous partnership there last "
            f"changed on {last}; date it then or later (--on)."
        )


def _move(
    session: Session,
    stamp: Stamp,
    ps: Partnership,
    action: str,
    reason: str,
    detail: str = "",
    to_workstream_id: int | None = None,
) -> Partnership:
    before = ps.state
    ps.state = BY_ACTION[action].to_state
    ps.changed_on = stamp.on
    session.add(ps)
    assert ps.id is not None
    record(
        session, stamp, action=action, subject_type="partnership", subject_id=ps.id,
        partner_id=ps.partner_id, workstream_id=ps.workstream_id,
        to_workstream_id=to_workstream_id, from_state=before,
        to_state=ps.state, reason=reason, detail=detail,
    )  # fmt: skip
    return ps


def start(
    session: Session,
    stamp: Stamp,
    *,
    partner: str,
    workstream: str,
    lead: str | None = None,
    themes: Sequence[str] = (),
    reason: str = "",
) -> Partnership:
    p = lookup.partner(session, partner)
    ws = lookup.workstream(session, workstream)
    assert p.id is not None and ws.id is not None
    existing = current_partnership(session, p.id, ws.id)
    if existing is not None:
        raise Refused(f"Cannot start {p.name} in {ws.name}: {refusal('start', existing.state)}.")
    _check_open(ws, stamp.on, f"start {p.name}")
    _check_after_previous(session, p, ws, stamp.on, f"start {p.name}")
    lead_id = lookup.person(session, lead).id if lead else None
    theme_ids = [lookup.theme(session, t).id for t in themes]
    ps = Partnership(
        partner_id=p.id, workstream_id=ws.id, state=ACTIVE, lead_id=lead_id,
        started_on=stamp.on, changed_on=stamp.on,
    )  # fmt: skip
    session.add(ps)
    session.flush()
    assert ps.id is not None
    for theme_id in dict.fromkeys(theme_ids):
        session.add(PartnershipTheme(partnership_id=ps.id, theme_id=theme_id))  # type: ignore[arg-type]
    record(
        session, stamp, action="start", subject_type="partnership", subject_id=ps.id,
        partner_id=p.id, workstream_id=ws.id, from_state=None, to_state=ACTIVE, reason=reason,
    )  # fmt: skip
    return ps


def review(
    session: Session, stamp: Stamp, *, partner: str, workstream: str, lead: str, reason: str
) -> Partnership:
    reason = _require_reason(reason, "review")
    if not lead:
        raise InvalidInput("review needs a lead (--lead) who holds the review.")
    _, _, ps = _target(session, "review", partner, workstream, stamp.on)
    ps.lead_id = lookup.person(session, lead).id
    return _move(session, stamp, ps, "review", reason, detail=f"lead: {lead}")


def resume(
    session: Session, stamp: Stamp, *, partner: str, workstream: str, reason: str
) -> Partnership:
    reason = _require_reason(reason, "resume")
    p, ws, ps = _target(session, "resume", partner, workstream, stamp.on)
    if ws.status != "open":
        # A closed team holds reviews and endings to their outcome, never an active partnership.
        raise Refused(
            f"Cannot resume {p.name} in {ws.name}: it closed on {ws.closed_on}; transfer "
            "the partnership to an open workstream, or end it."
        )
    # An ending reversed: its plan goes, its ticks stay in the history.
    ps.planned_end = None
    ps.exit_type = None
    return _move(session, stamp, ps, "resume", reason)


def end(
    session: Session,
    stamp: Stamp,
    *,
    partner: str,
    workstream: str,
    by: date,
    reason: str,
    exit_type: str = DEFAULT_EXIT_TYPE,
) -> Partnership:
    reason = _require_reason(reason, "end")
    if exit_type not in EXIT_TYPES:
        raise InvalidInput(
            f"'{exit_type}' is not an exit type; use down, out or over (phasing down, out or over)."
        )
    p, ws, ps = _target(session, "end", partner, workstream, stamp.on)
    if by < stamp.on:
        raise Refused(
            f"Cannot end {p.name} in {ws.name}: the planned end {by} is before the ending "
            f"begins on {stamp.on}."
        )
    ps.planned_end = by
    ps.exit_type = exit_type
    return _move(session, stamp, ps, "end", reason, detail=f"{EXIT_TYPES[exit_type]} by {by}")


def ticked_steps(session: Session, partnership_id: int) -> dict[str, Event]:
    """Checklist steps ticked since the partnership's current ending began."""
    events = session.exec(
        select(Event)
        .where(
            Event.subject_type == "partnership",
            Event.subject_id == partnership_id,
            col(Event.action).in_(("end", "tick")),
        )
        .order_by(col(Event.id))
    ).all()
    ticks: dict[str, Event] = {}
    for ev in events:
        if ev.action == "end":
            ticks = {}
        else:
            ticks[ev.detail] = ev
    return ticks


def checklist_steps(session: Session) -> list[ChecklistStep]:
    return list(session.exec(select(ChecklistStep).order_by(col(ChecklistStep.position))).all())


def open_steps(session: Session, partnership_id: int) -> list[str]:
    done = ticked_steps(session, partnership_id)
    return [s.name for s in checklist_steps(session) if s.name not in done]


def tick(
    session: Session, stamp: Stamp, *, partner: str, workstream: str, step: str
) -> Partnership:
    p, ws, ps = _target(session, "tick", partner, workstream, stamp.on)
    found = lookup.checklist_step(session, step)
    assert ps.id is not None
    done = ticked_steps(session, ps.id)
    if found.name in done:
        ev = done[found.name]
        raise Refused(
            f"'{found.name}' is already ticked for {p.name} in {ws.name} "
            f"(on {ev.occurred_on} by {ev.actor})."
        )
    return _move(session, stamp, ps, "tick", "", detail=found.name)


def complete(
    session: Session, stamp: Stamp, *, partner: str, workstream: str, reason: str = ""
) -> Partnership:
    p, ws, ps = _target(session, "complete", partner, workstream, stamp.on)
    assert ps.id is not None
    still_open = open_steps(session, ps.id)
    reason = (reason or "").strip()
    if still_open and not reason:
        raise Refused(
            f"Cannot complete the ending of {p.name} in {ws.name}: checklist steps not done: "
            f"{', '.join(still_open)}; tick them, or give --reason to record why not."
        )
    detail = f"open steps: {', '.join(still_open)}" if still_open else ""
    return _move(session, stamp, ps, "complete", reason, detail=detail)


def transfer(
    session: Session,
    stamp: Stamp,
    *,
    partner: str,
    from_workstream: str,
    to_workstream: str,
    reason: str,
    lead: str | None = None,
) -> Partnership:
    """Move a partnership to another workstream; history continues in the new one."""
    reason = _require_reason(reason, "transfer")
    p, src, ps = _target(session, "transfer", partner, from_workstream, stamp.on)
    dst = lookup.workstream(session, to_workstream)
    assert p.id is not None and dst.id is not None and ps.id is not None
    if dst.id == src.id:
        raise Refused(f"Cannot transfer {p.name}: {src.name} is already its workstream.")
    _check_open(dst, stamp.on, f"transfer {p.name}")
    if current_partnership(session, p.id, dst.id) is not None:
        raise Refused(
            f"Cannot transfer {p.name} to {dst.name}: it already has a current partnership there."
        )
    _check_after_previous(session, p, dst, stamp.on, f"transfer {p.name}")
    lead_id = lookup.person(session, lead).id if lead else ps.lead_id
    _move(session, stamp, ps, "transfer", reason, f"to {dst.name}", to_workstream_id=dst.id)
    successor = Partnership(
        partner_id=p.id, workstream_id=dst.id, state=ACTIVE, lead_id=lead_id,
        started_on=stamp.on, changed_on=stamp.on, predecessor_id=ps.id,
    )  # fmt: skip
    session.add(successor)
    session.flush()
    assert successor.id is not None
    theme_links = session.exec(
        select(PartnershipTheme.theme_id).where(PartnershipTheme.partnership_id == ps.id)
    ).all()
    for theme_id in theme_links:
        session.add(PartnershipTheme(partnership_id=successor.id, theme_id=theme_id))
    # One event per action: the transfer event names the destination, and the
    # successor's predecessor link joins the two timelines.
    return successor


ACTION_FUNCTIONS: dict[str, Callable[..., Partnership]] = {
    "start": start,
    "review": review,
    "resume": resume,
    "end": end,
    "tick": tick,
    "complete": complete,
    "transfer": transfer,
}


def apply(session: Session, stamp: Stamp, action: str, **arguments: Any) -> Partnership:
    """Run a lifecycle action by name (used by decision plans and tests)."""
    try:
        function = ACTION_FUNCTIONS[action]
    except KeyError:
        raise InvalidInput(f"'{action}' is not a lifecycle action.") from None
    return function(session, stamp, **arguments)
