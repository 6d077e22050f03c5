"""Changes given as a person types them (names), for tests: each goes through the same
edge as the CLI (``changes.from_words``), then through the service, which takes ids."""

from typing import Any

from sqlmodel import Session

from portfolio.services.changes import from_words, named
from portfolio.services.history import Stamp


def make(session: Session, stamp: Stamp, action: str, **words: Any) -> Any:
    """Make the change ``action`` (a lifecycle action, theme-rehome or workstream-close)."""
    return from_words(session, named(action), words).run(session, stamp)


def close_workstream(session: Session, stamp: Stamp, *, name: str, reason: str = "") -> Any:
    return make(session, stamp, "workstream-close", name=name, reason=reason)


def rehome_theme(session: Session, stamp: Stamp, **words: Any) -> Any:
    return make(session, stamp, "theme-rehome", **words)
