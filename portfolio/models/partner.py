from sqlmodel import Field, SQLModel

from portfolio.models.base import keeps_name_key, name_key_field


@keeps_name_key
class Partner(SQLModel, table=True):
    """A partner organisation. ``notes`` are internal to staff."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, index=True)
    name_key: str = name_key_field()
    kind: str = ""
    place: str = ""
    org_id: str = ""  # 360Giving-style organisation identifier, e.g. GB-CHC-1234567
    notes: str = ""
