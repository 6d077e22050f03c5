from sqlmodel import Field, SQLModel

from portfolio.models.base import keeps_name_key, name_key_field


@keeps_name_key
class Theme(SQLModel, table=True):
    """A field of work. Held by a workstream, or unhomed with named leads."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, index=True)
    name_key: str = name_key_field()
    workstream_id: int | None = Field(default=None, foreign_key="workstream.id")


class ThemeLead(SQLModel, table=True):
    """People deciding the future of an unhomed theme."""

    __tablename__ = "theme_lead"

    theme_id: int = Field(foreign_key="theme.id", primary_key=True)
    person_id: int = Field(foreign_key="person.id", primary_key=True)
