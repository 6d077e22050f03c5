"""Column queries run as plain SQL rows: what list screens and reports read.

Selecting columns through the session's connection skips building ORM objects,
which costs 3 to 4 times more per row (see shared/design/TRAPS.md).
"""

from typing import Any

from sqlalchemy.sql import Executable
from sqlmodel import Session


def rows(session: Session, statement: Executable) -> list[Any]:
    """The statement's rows as tuples (typed loosely: SQLAlchemy's many-column
    selects defeat the type checker)."""
    return list(session.connection().execute(statement).all())
