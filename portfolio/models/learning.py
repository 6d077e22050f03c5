from datetime import date

from sqlmodel import Field, SQLModel

from portfolio.models.base import keeps_name_key, name_key_field


@keeps_name_key
class SessionTemplate(SQLModel, table=True):
    """A shape for a reflective session: its prompts. Users can add their own."""

    __tablename__ = "session_template"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, index=True)
    name_key: str = name_key_field()
    description: str = ""


class TemplatePrompt(SQLModel, table=True):
    __tablename__ = "template_prompt"

    id: int | None = Field(default=None, primary_key=True)
    template_id: int = Field(foreign_key="session_template.id", index=True)
    position: int
    name: str  # short: dilemma, noticed, next, continue, start, stop ...
    text: str


class ReflectiveSession(SQLModel, table=True):
    """A reflective-practice session or learning meeting. Notes and dilemma are internal."""

    __tablename__ = "reflective_session"

    id: int | None = Field(default=None, primary_key=True)
    title: str
    held_on: date = Field(index=True)
    template: str = ""  # the template's name when the session was logged
    dilemma: str = ""
    notes: str = ""
    follows_id: int | None = Field(default=None, foreign_key="reflective_session.id")


class Insight(SQLModel, table=True):
    """A learning ("what are we learning?") with who may see it."""

    id: int | None = Field(default=None, primary_key=True)
    text: str
    noted_on: date = Field(index=True)
    session_id: int | None = Field(default=None, foreign_key="reflective_session.id", index=True)
    prompt: str = ""  # the template prompt it answers, e.g. "start"
    visibility: str = Field(default="internal", index=True)  # internal | board | public


@keeps_name_key
class Framework(SQLModel, table=True):
    """A framework of system-change dimensions to tag insights with (e.g. the Compass)."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, index=True)
    name_key: str = name_key_field()
    description: str = ""


class FrameworkDimension(SQLModel, table=True):
    __tablename__ = "framework_dimension"

    id: int | None = Field(default=None, primary_key=True)
    framework_id: int = Field(foreign_key="framework.id", index=True)
    position: int
    name: str


class FrameworkEnabler(SQLModel, table=True):
    __tablename__ = "framework_enabler"

    id: int | None = Field(default=None, primary_key=True)
    dimension_id: int = Field(foreign_key="framework_dimension.id", index=True)
    position: int
    text: str


class ActionItem(SQLModel, table=True):
    """A next step with an owner and a due date, from a decision or a session."""

    __tablename__ = "action_item"

    id: int | None = Field(default=None, primary_key=True)
    text: str
    owner_id: int = Field(foreign_key="person.id", index=True)
    due_on: date | None = Field(default=None, index=True)
    status: str = Field(default="open", index=True)  # open | done | dropped
    created_on: date
    closed_on: date | None = None
    decision_id: int | None = Field(default=None, foreign_key="decision.id")
    session_id: int | None = Field(default=None, foreign_key="reflective_session.id")


@keeps_name_key
class StandingGroup(SQLModel, table=True):
    """A standing group (e.g. the external messaging group) with a meeting cadence.

    Members are record links: role ``member`` (permanent) or ``rotating`` (the pool).
    """

    __tablename__ = "standing_group"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, index=True)
    name_key: str = name_key_field()
    purpose: str = ""
    every: int = 2
    unit: str = "months"  # weeks | months
    first_meeting: date
    seats: int = 0  # rotating seats per meeting; 0 lets the tool choose
