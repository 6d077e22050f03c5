"""Grants: money awarded within a partnership."""

from datetime import date
from decimal import Decimal

from sqlmodel import Session, col, select

from portfolio.errors import Duplicate, InvalidInput, Refused
from portfolio.models import Grant, Partnership
from portfolio.services import lookup
from portfolio.services.history import Stamp, record
from portfolio.services.inputs import clean_name, parse_currency


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
    if amount <= 0:
        raise InvalidInput("A grant's amount must be more than zero.", field="amount")
    currency = parse_currency(currency)
    title, reference = clean_name(title, "grant title"), clean_name(reference, "grant reference")
    if start and end and end < start:
        raise InvalidInput(
            f"The grant's planned end {end} is before its start {start}.", field="end"
        )
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
    reference = reference.strip()
    if reference and session.exec(select(Grant.id).where(Grant.reference == reference)).first():
        raise Duplicate(f"There is already a grant with reference '{reference}'.")
    grant = Grant(
        partnership_id=ps.id,  # type: ignore[arg-type]
        amount=amount,
        currency=currency.upper(),
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
