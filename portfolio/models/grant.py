from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Column
from sqlmodel import Field, SQLModel

from portfolio.models.base import utcnow
from portfolio.models.money import Money


class Grant(SQLModel, table=True):
    """Money awarded within a partnership. Amounts are exact decimals."""

    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnership.id", index=True)
    # Stored as whole pence in the column amount_minor (see models.money).
    amount: Decimal = Field(sa_column=Column("amount_minor", Money(), nullable=False))
    currency: str = Field(default="GBP")
    title: str = ""
    awarded_on: date
    planned_start: date | None = None
    planned_end: date | None = None
    reference: str = Field(default="", index=True)  # looked up by every import and add
    recorded_at: datetime = Field(default_factory=utcnow)
    # A grant recorded in error is withdrawn, never deleted: from this effective date it
    # no longer counts; its grant-withdraw event says who, why and when it was recorded.
    withdrawn_on: date | None = None
    withdrawn_event_id: int | None = None
