from sqlmodel import Field, SQLModel


class ChecklistStep(SQLModel, table=True):
    """A step of the responsible-exit checklist; funders edit the list."""

    __tablename__ = "checklist_step"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, index=True)  # short: told, notice, tie-off ...
    text: str
    position: int = 0
