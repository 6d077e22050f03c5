from sqlmodel import Field, SQLModel

from portfolio.models.base import keeps_name_key, name_key_field


@keeps_name_key
class ChecklistStep(SQLModel, table=True):
    """A step of the responsible-exit checklist; funders edit the list."""

    __tablename__ = "checklist_step"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, index=True)  # short: told, notice, tie-off ...
    name_key: str = name_key_field()
    text: str
    position: int = 0
