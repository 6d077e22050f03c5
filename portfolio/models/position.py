"""The current position, kept small so the overview and lists read it in constant time.

Derived data, never edited by hand: ``services.positions`` rewrites the rows of
the workstreams a change touches, in the same transaction as the change.
"""

from decimal import Decimal

from sqlalchemy import BigInteger, Column
from sqlmodel import Field, SQLModel

from portfolio.models.money import Money


class CommittedFunding(SQLModel, table=True):
    """Per workstream and currency: grants held by its current partnerships."""

    __tablename__ = "committed_funding"

    workstream_id: int = Field(foreign_key="workstream.id", primary_key=True)
    currency: str = Field(primary_key=True)
    # The total in whole minor units (pence) is amount_billions * 10**9 + amount_minor:
    # each part sums one part of every grant, so neither SUM can overflow 64 bits
    # (services.positions reads them; ``amount`` alone is the total only below 10**9).
    amount: Decimal = Field(sa_column=Column("amount_minor", Money(), nullable=False))
    amount_billions: int = Field(
        default=0, sa_column=Column(BigInteger, nullable=False, server_default="0")
    )


class PartnershipCount(SQLModel, table=True):
    """Per workstream and state: how many partnerships are in it now."""

    __tablename__ = "partnership_count"

    workstream_id: int = Field(foreign_key="workstream.id", primary_key=True)
    state: str = Field(primary_key=True)
    partnerships: int
