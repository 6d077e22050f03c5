"""Column queries run as plain SQL rows: what list screens and reports read.

Selecting columns through the session's connection skips building ORM objects,
which costs 3 to 4 times more per row (see shared/design/TRAPS.md).
"""

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from sqlalchemy import Date, Dialect, type_coerce
from sqlalchemy.sql import ColumnElement, Executable
from sqlalchemy.types import TypeDecorator
from sqlmodel import Session


@contextmanager
def bulk_rows() -> Iterator[None]:
    """Make many small objects without the garbage collector walking the heap meanwhile.

    Twenty thousand rows set off dozens of collections, and a full one walks every
    object the program holds: it doubled the time of the longest lists, at random
    places. Rows hold no reference cycles, so nothing is left uncollected.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def rows(session: Session, statement: Executable) -> list[Any]:
    """The statement's rows as tuples (typed loosely: SQLAlchemy's many-column
    selects defeat the type checker)."""
    result = session.connection().execute(statement)
    with bulk_rows():
        return list(result.all())


class _IsoDate(TypeDecorator[date]):
    """A date read with ``date.fromisoformat`` on SQLite.

    SQLAlchemy's own SQLite date parsing (a regular expression per value) made a
    20,000-row partnership list about 1.6 times slower; other databases return
    dates already and keep their own processing.
    """

    impl = Date
    cache_ok = True

    def result_processor(self, dialect: Dialect, coltype: object) -> Callable[[Any], Any] | None:
        if dialect.name != "sqlite":
            return super().result_processor(dialect, coltype)
        parse = date.fromisoformat
        return lambda value: None if value is None else parse(value)


def iso_date(column: Any) -> ColumnElement[date]:
    """Select a date column for a long list (fast to read back on SQLite)."""
    return type_coerce(column, _IsoDate).label(column.key)
