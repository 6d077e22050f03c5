from datetime import date

from sqlmodel import Field, SQLModel


class Workstream(SQLModel, table=True):
    """A portfolio team: the container a foundation funds partners through."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, index=True)
    purpose: str = ""
    lead_id: int | None = Field(default=None, foreign_key="person.id")
    status: str = Field(default="open")  # open | closed
    opened_on: date
    closed_on: date | None = None
