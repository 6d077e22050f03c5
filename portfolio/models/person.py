from sqlmodel import Field, SQLModel


class Person(SQLModel, table=True):
    """Someone who leads, decides or is named: staff lead, trustee, partner contact."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, index=True)
    role: str = ""
