from datetime import datetime

from sqlmodel import Field, SQLModel

from portfolio.models.base import utcnow


class RecordLink(SQLModel, table=True):
    """Who or what a decision, insight, session or group names, and in which role.

    owner_type: decision | insight | session | group
    target_type: workstream | partner | theme | person | group | dimension
    role: concerns | decided_by | attendee | member | rotating | tag
    """

    __tablename__ = "record_link"

    id: int | None = Field(default=None, primary_key=True)
    owner_type: str = Field(index=True)
    owner_id: int = Field(index=True)
    target_type: str = Field(index=True)
    target_id: int = Field(index=True)
    role: str = "concerns"
    recorded_at: datetime = Field(default_factory=utcnow)
