from datetime import date

from sqlmodel import Field, SQLModel

from portfolio.models.base import keeps_name_key, name_key_field


@keeps_name_key
class Workstream(SQLModel, table=True):
    """A portfolio team: the container a foundation funds partners through."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, index=True)
    name_key: str = name_key_field()
    purpose: str = ""
    lead_id: int | None = Field(default=None, foreign_key="person.id")
    status: str = Field(default="open")  # open | closed
    opened_on: date
    closed_on: date | None = None
