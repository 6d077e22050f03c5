from sqlmodel import Field, SQLModel


class Partner(SQLModel, table=True):
    """A partner organisation. ``notes`` are internal to staff."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, index=True)
    kind: str = ""
    place: str = ""
    org_id: str = ""  # 360Giving-style organisation identifier, e.g. GB-CHC-1234567
    notes: str = ""
