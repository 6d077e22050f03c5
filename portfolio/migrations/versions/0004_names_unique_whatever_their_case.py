"""names unique whatever their letter case

Revision ID: 0004
Revises: 0002
Create Date: 2026-12-02 07:40:00.000000

Each named table gets ``name_key``: the name stripped and case-folded, under a
unique index. Rows whose names differ only in letter case (or surrounding spaces)
would break that index; rather than merge them silently, the upgrade refuses,
listing every clash, and changes nothing (it runs in the caller's transaction).
No table is rebuilt: the column is added with a '' default, filled, then indexed.
(The models set the key on every write; a later migration that inserts rows into
these tables in SQL must set ``name_key`` itself.)
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate renders sqlmodel.sql.sqltypes.AutoString)
from alembic import op

from portfolio.errors import DatabaseError

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The named tables, in the order clashes are listed.
TABLES = (
    "partner", "person", "workstream", "theme", "checklist_step", "session_template",
    "standing_group", "framework",
)


def _key(name: str) -> str:
    # Copied from portfolio.models.base.name_key so this migration never changes.
    return name.strip().casefold()


def _clashes(bind: sa.Connection) -> list[tuple[str, list[tuple[int, str]]]]:
    """Each table's groups of rows (id, name) that share one key, in id order."""
    found = []
    for table in TABLES:
        groups: dict[str, list[tuple[int, str]]] = {}
        for row_id, name in bind.execute(sa.text(f"SELECT id, name FROM {table} ORDER BY id")):
            groups.setdefault(_key(name), []).append((row_id, name))
        found += [(table, same) for same in groups.values() if len(same) > 1]
    return found


def upgrade() -> None:
    bind = op.get_bind()
    clashes = _clashes(bind)
    if clashes:
        listed = "; ".join(
            f"{table}: " + " and ".join(f"'{name}' (id {row_id})" for row_id, name in same)
            for table, same in clashes
        )
        table, same = clashes[0]
        raise DatabaseError(
            "Cannot upgrade: names must now differ by more than letter case, and these do "
            f"not: {listed}. Rename one of each (with sqlite3, for example: UPDATE {table} "
            f"SET name = 'new name' WHERE id = {same[-1][0]}) and open the file again. "
            "Nothing was changed."
        )
    for table in TABLES:
        op.add_column(table, sa.Column("name_key", sqlmodel.sql.sqltypes.AutoString(),
                                       server_default="", nullable=False))
        rows = bind.execute(sa.text(f"SELECT id, name FROM {table}")).all()
        if rows:
            bind.execute(
                sa.text(f"UPDATE {table} SET name_key = :key WHERE id = :id"),
                [{"id": row_id, "key": _key(name)} for row_id, name in rows],
            )
        op.create_index(op.f(f"ix_{table}_name_key"), table, ["name_key"], unique=True)


def downgrade() -> None:
    # SQLite drops an unindexed column in place (3.35+): no table is rebuilt.
    for table in reversed(TABLES):
        op.drop_index(op.f(f"ix_{table}_name_key"), table_name=table)
        op.drop_column(table, "name_key")
