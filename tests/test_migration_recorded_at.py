"""Migration 0005: every record gets when it was recorded, taken from its event."""

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic.script import ScriptDirectory

from portfolio import db
from tests.conftest import Cli

BEFORE = ScriptDirectory.from_config(db.alembic_config()).get_revision("0005").down_revision
assert isinstance(BEFORE, str)


def query(path: Path, sql: str) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def recorded_by_event(path: Path, table: str, subject_type: str, actions: str) -> list[Any]:
    """Each row's recorded_at beside the recorded_at of the event that recorded it."""
    return query(
        path,
        f'SELECT t.recorded_at, e.recorded_at FROM "{table}" t JOIN event e '
        f"ON e.subject_type = '{subject_type}' AND e.subject_id = t.id "
        f"AND e.action IN ({actions})",
    )


def test_an_upgraded_database_takes_each_records_time_from_its_event(
    cli: Cli, db_path: Path
) -> None:
    cli.ok("demo")
    cli.ok("action", "done", "1", "--on", "2021-06-01")
    cli.ok("insight", "add", "Noted without a session", "--on", "2021-03-01")
    engine = db.make_engine(f"sqlite:///{db_path}")
    try:
        db.downgrade(engine, BEFORE)  # the records as they were before 0005
        upgraded_from = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        db.migrate(engine)
    finally:
        engine.dispose()

    for table, subject_type, action in (
        ("grant", "grant", "'grant'"),
        ("insight", "insight", "'insight-add'"),
        ("action_item", "action", "'action-add'"),
    ):
        pairs = recorded_by_event(db_path, table, subject_type, action)
        assert pairs and all(mine == event for mine, event in pairs), table
    closed = query(
        db_path,
        "SELECT a.closed_recorded_at, e.recorded_at FROM action_item a JOIN event e "
        "ON e.subject_type = 'action' AND e.subject_id = a.id AND e.action = 'action-done'",
    )
    assert len(closed) == 1 and closed[0][0] == closed[0][1]
    assert query(db_path, "SELECT count(*) FROM action_item WHERE status = 'open' "
                 "AND closed_recorded_at IS NOT NULL") == [(0,)]  # fmt: skip
    # Links are recorded with the record that names them.
    assert query(
        db_path,
        "SELECT count(*) FROM record_link l JOIN insight i ON l.owner_type = 'insight' "
        "AND l.owner_id = i.id WHERE l.recorded_at <> i.recorded_at",
    ) == [(0,)]
    # Shipped checklist steps were there from the start: endings under way keep them.
    (earliest,) = query(db_path, "SELECT min(recorded_at) FROM event")[0]
    assert set(query(db_path, "SELECT recorded_at FROM checklist_step")) == {(earliest,)}
    # A record no event speaks for was recorded, as far as anyone knows, at the upgrade.
    no_event = query(
        db_path,
        "SELECT recorded_at FROM insight i WHERE NOT EXISTS (SELECT 1 FROM event e "
        "WHERE e.subject_type = 'insight' AND e.subject_id = i.id)",
    )
    assert all(str(when) >= upgraded_from for (when,) in no_event)


def test_a_removed_step_is_gone_again_after_a_downgrade(cli: Cli, db_path: Path) -> None:
    cli.ok("checklist", "remove", "told")
    steps = len(query(db_path, "SELECT id FROM checklist_step"))
    engine = db.make_engine(f"sqlite:///{db_path}")
    try:
        db.downgrade(engine, BEFORE)
    finally:
        engine.dispose()
    # Before 0005 a removed step was deleted: it must not come back as a step to do.
    assert len(query(db_path, "SELECT id FROM checklist_step")) == steps - 1
    assert query(db_path, "SELECT count(*) FROM checklist_step WHERE name = 'told'") == [(0,)]
