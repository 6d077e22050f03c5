from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, text
from sqlmodel import Field, SQLModel

from portfolio.models.base import utcnow


class Event(SQLModel, table=True):
    """Append-only history: one row per change. Never updated or deleted.

    ``data`` holds the change's facts as recorded (ids, and the names as they
    were then: a review's lead, an ending's planned end and exit type, a ticked
    step, a theme's leads, a grant's amount); readers take facts from it, never
    from ``detail``, which is the change in words for people.
    """

    id: int | None = Field(default=None, primary_key=True)
    occurred_on: date = Field(index=True)  # effective date, may be back-dated
    recorded_at: datetime = Field(default_factory=utcnow)
    actor: str  # who did it, recorded as given
    action: str
    subject_type: str  # partnership | workstream | theme | partner | grant | ...
    subject_id: int
    partner_id: int | None = Field(default=None, index=True)
    workstream_id: int | None = Field(default=None, index=True)
    to_workstream_id: int | None = Field(default=None, index=True)  # a transfer's destination
    from_state: str | None = None
    to_state: str | None = None
    reason: str = ""
    detail: str = ""  # the change in words, e.g. "phasing out by 2021-06-30"
    decision_id: int | None = Field(default=None, index=True)
    data: dict[str, Any] = Field(
        default_factory=dict,
        sa_column=Column(JSON, nullable=False, server_default=text("'{}'")),
    )
