"""Grants: money awarded within a partnership."""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from sqlmodel import Session, col, select

from portfolio.errors import Duplicate, InvalidInput, NotFound, Refused
from portfolio.models import Event, Grant, Partnership, utcnow
from portfolio.models.money import MAX_AMOUNT
from portfolio.services import bulk, lookup, positions
from portfolio.services.history import Stamp, record
from portfolio.services.inputs import clean_name, clean_text, parse_currency

CENT = Decimal("0.01")


def _checked(
    amount: Decimal, currency: str, title: str, reference: str, start: date | None, end: date | None
) -> tuple[str, str, str]:
    """The rules every grant meets, one at a time or in bulk: (currency, title, reference)."""
    if amount <= 0:
        raise InvalidInput("A grant's amount must be more than zero.", field="amount")
    # Every path (CLI, app, import) comes here: the bound keeps sums within the storage.
    if amount >= MAX_AMOUNT:
        raise InvalidInput(
            f"A grant's amount must be at most {MAX_AMOUNT - CENT:,.2f}; {amount:,.2f} is "
            "more than any grant could be.",
            field="amount",
        )
    if start and end and end < start:
        raise InvalidInput(
            f"The grant's planned end {end} is before its start {start}.", field="end"
        )
    return (
        parse_currency(currency),
        clean_name(title, "grant title"),
        clean_name(reference, "grant reference").strip(),
    )


def add_grant(
    session: Session,
    stamp: Stamp,
    *,
    partner: str,
    workstream: str,
    amount: Decimal,
    title: str = "",
    awarded: date | None = None,
    start: date | None = None,
    end: date | None = None,
    reference: str = "",
    currency: str = "GBP",
) -> Grant:
    """Add a grant to the partner's latest partnership in the workstream."""
    currency, title, reference = _checked(amount, currency, title, reference, start, end)
    p = lookup.partner(session, partner)
    ws = lookup.workstream(session, workstream)
    ps = session.exec(
        select(Partnership)
        .where(Partnership.partner_id == p.id, Partnership.workstream_id == ws.id)
        .order_by(col(Partnership.started_on).desc(), col(Partnership.id).desc())
    ).first()
    if ps is None:
        raise Refused(
            f"{p.name} has no partnership in {ws.name}; start one first.", field="workstream"
        )
    if reference and session.exec(select(Grant.id).where(Grant.reference == reference)).first():
        raise Duplicate(f"There is already a grant with reference '{reference}'.")
    grant = Grant(
        partnership_id=ps.id,  # type: ignore[arg-type]
        amount=amount,
        currency=currency,
        title=title,
        awarded_on=awarded or stamp.on,
        planned_start=start,
        planned_end=end,
        reference=reference,
    )
    session.add(grant)
    session.flush()
    assert grant.id is not None
    record(
        session, stamp, action="grant", subject_type="grant", subject_id=grant.id,
        partner_id=p.id, workstream_id=ws.id, detail=f"{grant.currency} {amount:.2f}",
        data={"grant_id": grant.id, "partnership_id": ps.id, "currency": grant.currency,
              "amount": f"{amount:.2f}"},
    )  # fmt: skip
    return grant


def withdraw_grant(session: Session, stamp: Stamp, *, grant_id: int, reason: str) -> Grant:
    """Withdraw a grant recorded in error: an event, never a delete.

    From ``stamp.on`` it no longer counts as committed (the read model leaves it out;
    a position as at an earlier day still counts it), and ``partner show`` marks it.
    """
    reason = clean_text(reason).strip()
    if not reason:
        raise InvalidInput(
            "A withdrawal needs a reason: say what was recorded in error.", field="reason"
        )
    # An id past SQLite's integers names no grant (and must not reach the driver).
    grant = session.get(Grant, grant_id) if 0 < grant_id < 2**63 else None
    if grant is None:
        raise NotFound(f"There is no grant {grant_id}; `partner show NAME` lists grant ids.")
    if grant.withdrawn_on is not None:
        earlier = session.get(Event, grant.withdrawn_event_id) if grant.withdrawn_event_id else None
        by = f" by {earlier.actor}" if earlier else ""
        raise Refused(f"Grant {grant_id} was already withdrawn on {grant.withdrawn_on}{by}.")
    if stamp.on < grant.awarded_on:
        raise Refused(
            f"Cannot withdraw grant {grant_id} on {stamp.on}: it was awarded on "
            f"{grant.awarded_on}; date it then or later.",
            field="on",
        )
    ps = session.get(Partnership, grant.partnership_id)
    assert ps is not None and grant.id is not None
    amount = Decimal(grant.amount)
    event = record(
        session, stamp, action="grant-withdraw", subject_type="grant", subject_id=grant.id,
        partner_id=ps.partner_id, workstream_id=ps.workstream_id, reason=reason,
        detail=f"{grant.currency} {amount:.2f}",
        data={"grant_id": grant.id, "partnership_id": ps.id, "currency": grant.currency,
              "amount": f"{amount:.2f}"},
    )  # fmt: skip
    grant.withdrawn_on = stamp.on
    grant.withdrawn_event_id = event.id
    session.add(grant)
    session.flush()
    return grant


@dataclass(frozen=True, slots=True)
class NewGrant:
    """A grant already placed in a partnership (ids resolved), as a bulk import has it."""

    partnership_id: int
    partner_id: int
    workstream_id: int
    amount: Decimal
    currency: str
    awarded: date
    title: str = ""
    start: date | None = None
    end: date | None = None
    reference: str = ""


def add_grants(session: Session, actor: str, grants: Sequence[NewGrant]) -> list[int]:
    """Add many grants and their history events (each dated by its award) in a few
    statements, whatever their number; the positions summary follows at commit.

    The caller has placed each grant (see :func:`add_grant` for one at a time); the
    rules that need no lookup are checked again here, and references against the
    database, in the caller's transaction.
    """
    refs: set[str] = set()
    grants = [
        replace(g, currency=currency, title=title, reference=reference)
        for g in grants
        for currency, title, reference in [
            _checked(g.amount, g.currency, g.title, g.reference, g.start, g.end)
        ]
    ]
    for g in grants:
        if g.reference and g.reference in refs:
            raise Duplicate(f"The reference '{g.reference}' is given to two grants.")
        if g.reference:
            refs.add(g.reference)
    if (taken := bulk.first_taken(session, Grant.reference, Grant.reference, refs)) is not None:
        raise Duplicate(f"There is already a grant with reference '{taken}'.")
    if not grants:
        return []
    now = utcnow()
    ids = bulk.insert_many(
        session,
        Grant,
        [
            {"partnership_id": g.partnership_id, "amount_minor": g.amount,
             "currency": g.currency, "title": g.title, "awarded_on": g.awarded,
             "planned_start": g.start, "planned_end": g.end, "reference": g.reference,
             "recorded_at": now}
            for g in grants
        ],
    )  # fmt: skip
    bulk.insert_many(
        session,
        Event,
        [
            {"occurred_on": g.awarded, "recorded_at": now, "actor": actor, "action": "grant",
             "subject_type": "grant", "subject_id": gid, "partner_id": g.partner_id,
             "workstream_id": g.workstream_id, "reason": "", "decision_id": None,
             "detail": f"{g.currency} {g.amount:.2f}",
             "data": {"grant_id": gid, "partnership_id": g.partnership_id,
                      "currency": g.currency, "amount": f"{g.amount:.2f}"}}
            for gid, g in zip(ids, grants, strict=True)
        ],
    )  # fmt: skip
    positions.note_changed(session, partnerships={g.partnership_id for g in grants})
    return ids
