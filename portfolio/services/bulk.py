"""Many rows in one statement: the bulk writes of imports.

SQLAlchemy's ORM and Core inserts convert and compile parameters row by row, and
flushing ORM objects one at a time grows with the session; for tens of thousands
of rows either made the write (and so the write lock) last minutes. Here each
value is converted by its column's own type once and the driver's executemany
sends the rows.
"""

from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, SQLModel, col

CHUNK = 5_000  # bound parameters per IN (...) lookup, well under SQLite's 32,766


def first_taken(session: Session, shown: Any, key: Any, values: set[str]) -> Any | None:
    """``shown`` of the first stored row whose ``key`` is one of ``values``, or None;
    asked a chunk at a time, each answered by ``key``'s index."""
    ordered = sorted(values)
    for i in range(0, len(ordered), CHUNK):
        statement = sa.select(shown).where(col(key).in_(ordered[i : i + CHUNK]))
        if (taken := session.exec(statement).first()) is not None:  # type: ignore[call-overload]
            return taken
    return None


def insert_many(session: Session, model: type[SQLModel], values: list[dict[str, Any]]) -> list[int]:
    """Insert rows (column name -> value, the same columns in each); return their new ids
    in the order given.

    The caller holds the write lock (a unit of work begins BEGIN IMMEDIATE), so the
    new rows are exactly those above the newest id before. (RETURNING with a
    guaranteed order makes SQLAlchemy send one statement per row on SQLite.)
    """
    if not values:
        return []
    table: sa.Table = model.__table__  # type: ignore[attr-defined]
    key = col(table.c.id)
    before = session.scalar(sa.select(sa.func.coalesce(sa.func.max(key), 0)))
    dialect = session.get_bind().dialect
    names = list(values[0])
    converters = [table.c[n].type.bind_processor(dialect) or _same for n in names]
    quote = dialect.identifier_preparer.quote
    mark = {"qmark": "?", "format": "%s", "pyformat": "%s"}[dialect.paramstyle]
    sql = (
        f"INSERT INTO {dialect.identifier_preparer.format_table(table)} "
        f"({', '.join(quote(n) for n in names)}) VALUES ({', '.join(mark for _ in names)})"
    )
    session.connection().exec_driver_sql(
        sql, [tuple(f(row[n]) for n, f in zip(names, converters, strict=True)) for row in values]
    )
    ids = list(session.scalars(sa.select(key).where(key > before).order_by(key)))
    if len(ids) != len(values):  # cannot happen under the write lock; never guess ids
        raise RuntimeError(f"{len(values)} rows written to {table.name} but {len(ids)} found")
    return ids


def _same(value: Any) -> Any:
    return value
