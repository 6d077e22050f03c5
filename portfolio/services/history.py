"""The append-only history: who did what, when, why, and under which decision."""

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event as sa_event
from sqlalchemy import or_
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, col

from portfolio.errors import PortfolioError
from portfolio.models import Event, Partner, Workstream
from portfolio.services.inputs import clean_name, clean_text
from portfolio.services.query import rows


@dataclass(frozen=True)
class Stamp:
    """Who acts, on which effective date, and (optionally) under which decision."""

    on: date
    actor: str
    decision_id: int | None = None


def record(
    session: Session,
    stamp: Stamp,
    *,
    action: str,
    subject_type: str,
    subject_id: int,
    partner_id: int | None = None,
    workstream_id: int | None = None,
    to_workstream_id: int | None = None,
    from_state: str | None = None,
    to_state: str | None = None,
    reason: str = "",
    detail: str = "",
    data: dict[str, Any] | None = None,
) -> Event:
    event = Event(
        occurred_on=stamp.on,
        actor=clean_name(stamp.actor, "name of who acts", field="actor"),
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        partner_id=partner_id,
        workstream_id=workstream_id,
        to_workstream_id=to_workstream_id,
        from_state=from_state,
        to_state=to_state,
        reason=clean_text(reason),  # whichever service wrote it, no control characters
        detail=clean_text(detail),
        decision_id=stamp.decision_id,
        data=data or {},
    )
    session.add(event)
    session.flush()
    return event


@sa_event.listens_for(OrmSession, "before_flush")
def _refuse_history_rewrites(session: OrmSession, _ctx: Any, _instances: Any) -> None:
    # The database has triggers too; this catches it before SQL is sent.
    if any(isinstance(o, Event) for o in (*session.dirty, *session.deleted)):
        raise PortfolioError("History is append-only: events cannot be changed or deleted.")


@dataclass(frozen=True, slots=True)
class EventRow:
    id: int
    on: date
    by: str
    action: str
    subject_type: str
    subject_id: int
    partner: str | None
    workstream: str | None
    from_state: str | None
    to_state: str | None
    reason: str
    detail: str
    decision_id: int | None
    data: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        data = {f: getattr(self, f) for f in self.__slots__}
        data["on"] = self.on.isoformat()
        return data


def latest_event_on(session: Session, on_or_before: date) -> date | None:
    """The effective date of the most recent event up to a day (None if there is none)."""
    latest: date | None = session.scalar(
        sa.select(sa.func.max(Event.occurred_on)).where(col(Event.occurred_on) <= on_or_before)
    )
    return latest


def first_event_on(session: Session) -> date | None:
    """The effective date of the earliest event (None if there is none)."""
    first: date | None = session.scalar(sa.select(sa.func.min(Event.occurred_on)))
    return first


def events(
    session: Session,
    *,
    partner_id: int | None = None,
    workstream_id: int | None = None,
    decision_id: int | None = None,
    since: date | None = None,
    until: date | None = None,
) -> list[EventRow]:
    """Events in effective-date order (then recording order), with names resolved."""
    query = (
        sa.select(
            col(Event.id),
            col(Event.occurred_on),
            col(Event.actor),
            col(Event.action),
            col(Event.subject_type),
            col(Event.subject_id),
            col(Partner.name),
            col(Workstream.name),
            col(Event.from_state),
            col(Event.to_state),
            col(Event.reason),
            col(Event.detail),
            col(Event.decision_id),
            col(Event.data),
        )
        .outerjoin(Partner, Partner.id == Event.partner_id)  # type: ignore[arg-type]
        .outerjoin(Workstream, Workstream.id == Event.workstream_id)  # type: ignore[arg-type]
        .order_by(Event.occurred_on, Event.id)  # type: ignore[arg-type]
    )
    if partner_id is not None:
        query = query.where(col(Event.partner_id) == partner_id)
    if workstream_id is not None:
        query = query.where(
            or_(
                col(Event.workstream_id) == workstream_id,
                col(Event.to_workstream_id) == workstream_id,
            )
        )
    if decision_id is not None:
        query = query.where(col(Event.decision_id) == decision_id)
    if since is not None:
        query = query.where(col(Event.occurred_on) >= since)
    if until is not None:
        query = query.where(col(Event.occurred_on) <= until)
    return [EventRow(*row) for row in rows(session, query)]
