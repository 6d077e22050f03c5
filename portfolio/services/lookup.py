"""Find records by the names people type, suggesting near matches when misspelt."""

import difflib
from typing import Any, TypeVar

from sqlmodel import Session, SQLModel, select

from portfolio.errors import NotFound
from portfolio.models import ChecklistStep, Partner, Person, Theme, Workstream, name_key

T = TypeVar("T", bound=SQLModel)


def by_name(session: Session, model: type[T], name: str, noun: str) -> T:
    column: Any = model.name  # type: ignore[attr-defined]
    found = session.exec(select(model).where(column == name)).first()
    if found is not None:
        return found
    # The same name in another letter case is what the user meant (there is at most one).
    key: Any = model.name_key  # type: ignore[attr-defined]
    same = session.exec(select(model).where(key == name_key(name))).first()
    if same is not None:
        return same
    names = list(session.exec(select(column)).all())
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.6)
    close += [n for n in names if name.lower() in n.lower() and n not in close][: 3 - len(close)]
    hint = f" Did you mean: {', '.join(close)}?" if close else f" See `portfolio {noun} list`."
    raise NotFound(f"No {noun} named '{name}'.{hint}")


def same_name(session: Session, model: type[SQLModel], name: str) -> str | None:
    """The existing spelling of ``name`` in a named table, whatever its letter case."""
    key: Any = model.name_key  # type: ignore[attr-defined]
    column: Any = model.name  # type: ignore[attr-defined]
    found: str | None = session.exec(select(column).where(key == name_key(name))).first()
    return found


def person(session: Session, name: str) -> Person:
    return by_name(session, Person, name, "person")


def partner(session: Session, name: str) -> Partner:
    return by_name(session, Partner, name, "partner")


def workstream(session: Session, name: str) -> Workstream:
    return by_name(session, Workstream, name, "workstream")


def theme(session: Session, name: str) -> Theme:
    return by_name(session, Theme, name, "theme")


def checklist_step(session: Session, name: str) -> ChecklistStep:
    return by_name(session, ChecklistStep, name, "checklist step")
