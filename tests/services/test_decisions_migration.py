"""A database made at the core's revision keeps every row when upgraded."""

import sqlite3
from pathlib import Path

from portfolio import db
from tests.core_rows import fill_core_tables, kept


def rows_by_table(path: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(path)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: conn.execute(f'SELECT * FROM "{t}" ORDER BY rowid').fetchall() for t in names}
    finally:
        conn.close()


def test_a_populated_core_database_keeps_all_its_rows_when_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "core.db"
    engine = db.make_engine(f"sqlite:///{path}")
    db.migrate(engine, "0001")
    fill_core_tables(path)
    before = rows_by_table(path)
    assert len(before["event"]) == 13 and "decision" not in before

    db.migrate(engine)
    engine.dispose()

    after = rows_by_table(path)
    for table, found in before.items():
        if table != "alembic_version":
            assert kept(found, after[table]) == found, table
    assert after["alembic_version"] == [(db.head_revision(),)]
    assert len(after["session_template"]) == 3 and len(after["framework_dimension"]) == 6
    assert len(after["framework_enabler"]) == 36
    assert list(tmp_path.glob("core.db.*.bak")), "the upgrade backs the file up first"
