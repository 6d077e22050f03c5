from datetime import date

from sqlalchemy import Index
from sqlmodel import Field, SQLModel


class Partnership(SQLModel, table=True):
    """One partner in one workstream, moving through the lifecycle."""

    # The overview's needs-attention lists: endings by planned end and reviews by date,
    # read in order and counted from the index, whatever the size of the portfolio.
    __table_args__ = (
        Index("ix_partnership_state_planned_end", "state", "planned_end"),
        Index("ix_partnership_state_changed_on", "state", "changed_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    partner_id: int = Field(foreign_key="partner.id", index=True)
    workstream_id: int = Field(foreign_key="workstream.id", index=True)
    state: str = Field(index=True)  # see services.lifecycle.STATES
    lead_id: int | None = Field(default=None, foreign_key="person.id")
    started_on: date
    # Effective date of the latest change; later actions may not be dated before it.
    changed_on: date
    planned_end: date | None = None
    exit_type: str | None = None  # down | out | over, while ending
    # Indexed: funding moves forward along transfers (services.positions).
    predecessor_id: int | None = Field(default=None, foreign_key="partnership.id", index=True)


class PartnershipTheme(SQLModel, table=True):
    """The themes a partnership works on."""

    __tablename__ = "partnership_theme"

    partnership_id: int = Field(foreign_key="partnership.id", primary_key=True)
    theme_id: int = Field(foreign_key="theme.id", primary_key=True)
