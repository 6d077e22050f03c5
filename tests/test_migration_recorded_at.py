"""Migration 0005: every record gets when it was recorded, taken from its event."""

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from portfolio import db
from tests.core_rows import EARLIEST_RECORDED, fill_core_tables


def add_learning_at_0002(path: Path) -> None:
    """An insight naming National and an action done later, as 0002's services wrote them."""
    conn = sqlite3.connect(path)
    try:
        with conn:
            conn.execute(
                "INSERT INTO insight (id, text, noted_on, prompt, visibility) "
                "VALUES (1, 'Trust takes time', '2021-02-01', '', 'board')"
            )
            conn.execute(
                "INSERT INTO record_link (owner_type, owner_id, target_type, target_id, role) "
                "VALUES ('insight', 1, 'workstream', 1, 'concerns')"
            )
            conn.execute(
                "INSERT INTO action_item (id, text, owner_id, due_on, status, created_on, "
                "closed_on) VALUES (1, 'Write to MEAM', 1, NULL, 'done', '2021-02-01', "
                "'2021-03-01')"
            )
            conn.executemany(
                "INSERT INTO event (occurred_on, recorded_at, actor, action, subject_type, "
                "subject_id, reason, detail) VALUES (?, ?, 'tester', ?, ?, 1, '', '')",
                [
                    ("2021-02-01", "2021-02-01 11:00:00.000000", "insight-add", "insight"),
                    ("2021-02-01", "2021-02-01 11:00:01.000000", "action-add", "action"),
                    ("2021-03-01", "2021-03-05 12:00:00.000000", "action-done", "action"),
                ],
            )
    finally:
        conn.close()


def one(path: Path, sql: str, *params: object) -> object:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, params).fetchone()[0]
    finally:
        conn.close()


def test_records_take_the_recording_time_of_their_event_else_the_migrations(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.db"
    engine = db.make_engine(f"sqlite:///{path}")
    try:
        db.migrate(engine, "0001")
        fill_core_tables(path)
        db.migrate(engine, "0002")
        add_learning_at_0002(path)
        before = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        db.migrate(engine, "0005")
    finally:
        engine.dispose()
    assert one(path, 'SELECT recorded_at FROM "grant" WHERE id = 1') == "2020-01-06 09:00:05.000000"
    # The third grant has no event: it was recorded, as far as anyone knows, at the upgrade.
    assert str(one(path, 'SELECT recorded_at FROM "grant" WHERE id = 3')) >= before
    assert one(path, "SELECT recorded_at FROM insight") == "2021-02-01 11:00:00.000000"
    assert one(path, "SELECT recorded_at FROM record_link") == "2021-02-01 11:00:00.000000"
    assert one(path, "SELECT recorded_at FROM action_item") == "2021-02-01 11:00:01.000000"
    assert one(path, "SELECT closed_recorded_at FROM action_item") == "2021-03-05 12:00:00.000000"
    # Shipped checklist steps were there from the start: endings under way keep them.
    sql = "SELECT count(*) FROM checklist_step WHERE recorded_at <> ?"
    assert one(path, sql, EARLIEST_RECORDED) == 0
    assert one(path, "SELECT count(*) FROM checklist_step WHERE removed_at IS NOT NULL") == 0


def test_a_removed_step_is_gone_again_after_a_downgrade(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    engine = db.make_engine(f"sqlite:///{path}")
    try:
        db.migrate(engine, "0005")
        conn = sqlite3.connect(path)
        with conn:
            conn.execute("UPDATE checklist_step SET removed_at = recorded_at WHERE name = 'told'")
        conn.close()
        steps = one(path, "SELECT count(*) FROM checklist_step")
        db.downgrade(engine, "0002")
    finally:
        engine.dispose()
    # Before 0005 a removed step was deleted: it must not come back as a step to do.
    assert one(path, "SELECT count(*) FROM checklist_step") == int(str(steps)) - 1
    assert one(path, "SELECT count(*) FROM checklist_step WHERE name = 'told'") == 0
