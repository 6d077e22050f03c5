"""Workstreams (portfolio teams): open, list, show, close."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from portfolio.errors import Duplicate, InvalidInput, Refused
from portfolio.models import Partner, Partnership, Person, Theme, Workstream
from portfolio.models.money import in_order
from portfolio.services import lookup, positions
from portfolio.services.changes import Change, Kind, Names, declare, param
from portfolio.services.history import Stamp, record
from portfolio.services.inputs import clean_name, clean_text
from portfolio.services.lifecycle import ACTIVE, STATES
from portfolio.services.links import by_id
from portfolio.services.query import rows


def add_workstream(
    session: Session,
    stamp: Stamp,
    *,
    name: str,
    purpose: str = "",
    lead: str | None = None,
) -> Workstream:
    name = clean_name(name, "workstream name", field="name")
    if not name:
        raise InvalidInput("A workstream needs a name.")
    if (same := lookup.same_name(session, Workstream, name)) is not None:
        raise Duplicate(f"There is already a workstream named '{same}'.")
    lead_id = lookup.person(session, lead).id if lead else None
    ws = Workstream(name=name, purpose=clean_text(purpose), lead_id=lead_id, opened_on=stamp.on)
    session.add(ws)
    session.flush()
    assert ws.id is not None
    record(
        session, stamp, action="open", subject_type="workstream", subject_id=ws.id,
        workstream_id=ws.id, to_state="open",
    )  # fmt: skip
    return ws


def closing_blockers(session: Session, ws: Workstream) -> list[str]:
    """Every reason the workstream cannot close yet, each saying what would fix it."""
    problems = []
    undecided = session.exec(
        select(Partner.name)
        .join(Partnership, Partnership.partner_id == Partner.id)  # type: ignore[arg-type]
        .where(Partnership.workstream_id == ws.id, Partnership.state == ACTIVE)
        .order_by(Partner.name)
    ).all()
    for name in undecided:
        problems.append(f"{name} is still active in {ws.name} (end, transfer or review it first)")
    themes = session.exec(
        select(Theme.name).where(Theme.workstream_id == ws.id).order_by(Theme.name)
    ).all()
    for name in themes:
        problems.append(
            f"theme '{name}' is still held by {ws.name} (rehome it to another open "
            "workstream, or unhome it with a lead)"
        )
    return problems


def close_workstream(
    session: Session, stamp: Stamp, *, workstream_id: int, reason: str = ""
) -> Workstream:
    ws = by_id(session, Workstream, workstream_id, "workstream")
    if ws.status == "closed":
        raise Refused(f"{ws.name} is already closed (since {ws.closed_on}).")
    if stamp.on < ws.opened_on:
        raise Refused(
            f"{ws.name} cannot close on {stamp.on}: it opened on {ws.opened_on}; "
            "date it then or later.",
            field="on",
        )
    problems = closing_blockers(session, ws)
    if problems:
        raise Refused(*[f"Cannot close {ws.name}: {problems[0]}", *problems[1:]])
    ws.status = "closed"
    ws.closed_on = stamp.on
    session.add(ws)
    assert ws.id is not None
    record(
        session, stamp, action="close", subject_type="workstream", subject_id=ws.id,
        workstream_id=ws.id, from_state="open", to_state="closed", reason=reason,
    )  # fmt: skip
    return ws


@declare
@dataclass(frozen=True, kw_only=True)
class WorkstreamClose(Change):
    """Close a workstream whose partnerships and themes are all settled."""

    name = "workstream-close"
    title = "Close the workstream"
    summary = "Plan to close a workstream (its partnerships and themes settled first)."

    workstream_id: int | None = param(
        Kind.WORKSTREAM, "Workstream", "", "The workstream to close.", arg="name", required=True
    )
    reason: str = param(Kind.TEXT, "Reason", "--reason", "Why: recorded in the history.",
                        arg="reason")  # fmt: skip

    def run(self, session: Session, stamp: Stamp) -> Workstream:
        self.check()
        assert self.workstream_id is not None
        return close_workstream(
            session, stamp, workstream_id=self.workstream_id, reason=self.reason
        )

    def describe(self, names: Names) -> str:
        return f"close workstream {names(Kind.WORKSTREAM, self.workstream_id)}"


@dataclass(slots=True)
class WorkstreamRow:
    id: int
    name: str
    purpose: str
    lead: str | None
    status: str
    opened_on: date
    closed_on: date | None
    counts: dict[str, int] = field(default_factory=dict)
    # Per currency, never added together (services.positions).
    committed_by_currency: dict[str, Decimal] = field(default_factory=dict)
    currency: str = "GBP"  # the portfolio's own currency

    @property
    def committed(self) -> Decimal:
        """Committed funding in the portfolio's own currency only."""
        return self.committed_by_currency.get(self.currency, Decimal("0.00"))

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "purpose": self.purpose,
            "lead": self.lead,
            "status": self.status,
            "opened_on": self.opened_on.isoformat(),
            "closed_on": self.closed_on.isoformat() if self.closed_on else None,
            "partnerships": {s: self.counts.get(s, 0) for s in STATES},
            "committed": f"{self.committed:.2f}",
            "committed_by_currency": {
                c: f"{a:.2f}" for c, a in in_order(self.committed_by_currency, self.currency)
            },
        }


def list_workstreams(session: Session, *, currency: str = "GBP") -> list[WorkstreamRow]:
    """Every workstream with partnership counts by state and committed funding.

    Three statements whatever the size of the portfolio (positions are summarised).
    """
    by_id = {
        ws_id: WorkstreamRow(ws_id, name, purpose, lead, status, opened, closed, currency=currency)
        for ws_id, name, purpose, lead, status, opened, closed in rows(
            session,
            sa.select(
                col(Workstream.id),
                col(Workstream.name),
                col(Workstream.purpose),
                col(Person.name),
                col(Workstream.status),
                col(Workstream.opened_on),
                col(Workstream.closed_on),
            )
            .outerjoin(Person, Person.id == Workstream.lead_id)  # type: ignore[arg-type]
            .order_by(col(Workstream.name)),
        )
    }
    fill(positions.current(session), by_id.values())
    return list(by_id.values())


def fill(position: positions.Position, found: Iterable[WorkstreamRow]) -> None:
    """Give each row its counts and committed funding from the read model."""
    for row in found:
        row.counts.update(position.counts.get(row.id, {}))
        row.committed_by_currency.update(position.committed.get(row.id, {}))


def get_workstream_row(session: Session, name: str, *, currency: str = "GBP") -> WorkstreamRow:
    ws = lookup.workstream(session, name)
    return next(r for r in list_workstreams(session, currency=currency) if r.id == ws.id)


def themes_of(session: Session, workstream_id: int) -> list[str]:
    return list(
        session.exec(
            select(Theme.name).where(Theme.workstream_id == workstream_id).order_by(Theme.name)
        ).all()
    )
