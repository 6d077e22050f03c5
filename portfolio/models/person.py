from sqlmodel import Field, SQLModel

from portfolio.models.base import keeps_name_key, name_key_field


@keeps_name_key
class Person(SQLModel, table=True):
    """Someone who leads, decides or is named: staff lead, trustee, partner contact."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, index=True)
    name_key: str = name_key_field()
    role: str = ""
