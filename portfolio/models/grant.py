from datetime import date
from decimal import Decimal

from sqlalchemy import Column, Numeric
from sqlmodel import Field, SQLModel


class Grant(SQLModel, table=True):
    """Money awarded within a partnership. Amounts are exact decimals."""

    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnership.id", index=True)
    amount: Decimal = Field(sa_column=Column(Numeric(14, 2), nullable=False))
    currency: str = Field(default="GBP")
    title: str = ""
    awarded_on: date
    planned_start: date | None = None
    planned_end: date | None = None
    reference: str = ""
