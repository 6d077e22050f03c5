from datetime import date, datetime

from sqlmodel import Field, SQLModel

from portfolio.models.base import utcnow


class Decision(SQLModel, table=True):
    """A decision such as "close the National portfolio team", with its plan."""

    id: int | None = Field(default=None, primary_key=True)
    title: str
    decided_on: date = Field(index=True)
    context: str = ""
    decision: str = ""
    rationale: str = ""
    options: str = ""  # options considered
    status: str = Field(default="proposed", index=True)  # proposed|agreed|enacted|superseded
    enacted_on: date | None = None
    superseded_by_id: int | None = Field(default=None, foreign_key="decision.id")
    created_at: datetime = Field(default_factory=utcnow)


class PlannedChange(SQLModel, table=True):
    """One lifecycle action a decision will take when enacted, in order."""

    __tablename__ = "planned_change"

    id: int | None = Field(default=None, primary_key=True)
    decision_id: int = Field(foreign_key="decision.id", index=True)
    position: int
    action: str  # start|review|resume|end|tick|complete|transfer|theme-rehome|workstream-close
    arguments: str = "{}"  # JSON object of the action's keyword arguments, by name
    effective_on: date | None = None  # None: the decision's date
