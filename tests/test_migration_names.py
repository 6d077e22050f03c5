"""Migration 0004: every named table gets its case-folded ``name_key``; a database
whose names already clash is refused, listing the clashes, and left as it was."""

import sqlite3
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from portfolio import db
from portfolio.errors import DatabaseError
from portfolio.services.demo import load_demo
from tests.conftest import Cli
from tests.dbstate import dump

NAMED = (
    "partner", "person", "workstream", "theme", "checklist_step", "session_template",
    "standing_group", "framework",
)  # fmt: skip
BEFORE = ScriptDirectory.from_config(db.alembic_config()).get_revision("0004").down_revision
assert isinstance(BEFORE, str)


def columns(path: Path, table: str) -> list[str]:
    engine = db.make_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            return [c["name"] for c in inspect(conn).get_columns(table)]
    finally:
        engine.dispose()


def demo_before_0004(path: Path) -> None:
    """The demo portfolio (names, learning, a group) as the revision before 0004 held it."""
    engine = db.make_engine(f"sqlite:///{path}")
    try:
        db.migrate(engine)
        with db.unit_of_work(sessionmaker(engine, class_=Session)) as session:
            load_demo(session)
        db.downgrade(engine, BEFORE)
    finally:
        engine.dispose()
    assert db.check_is_portfolio_file(path) == BEFORE
    assert all("name_key" not in columns(path, t) for t in NAMED)


def kept(
    before: dict[str, list[tuple[object, ...]]], after: dict[str, list[tuple[object, ...]]]
) -> None:
    for table, rows in before.items():
        if table != "alembic_version":
            width = len(rows[0]) if rows else 0  # added columns come at the end
            assert [row[:width] for row in after[table]] == rows, f"{table} changed"


def test_a_populated_database_gets_the_keys_of_its_names(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    demo_before_0004(path)
    before = dump(path)
    db.reset_engine(db.open_database(f"sqlite:///{path}"))
    after = dump(path)
    kept(before, after)
    conn = sqlite3.connect(path)
    try:
        for table in NAMED:
            pairs = conn.execute(f"SELECT name, name_key FROM {table}").fetchall()
            assert pairs and all(key == name.strip().casefold() for name, key in pairs), table
    finally:
        conn.close()
    assert len(list(tmp_path.glob("p.db.*.bak"))) == 1


def add_clashes(path: Path) -> None:
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("INSERT INTO partner (name, kind, place, org_id, notes) "
                     "VALUES ('meam', '', '', '', '')")  # fmt: skip
        conn.execute("INSERT INTO person (name, role) VALUES ('JESS ', '')")
        conn.execute("INSERT INTO checklist_step (name, text, position) VALUES ('Told', 'x', 9)")
    conn.close()


def test_a_database_whose_names_clash_is_refused_with_every_clash_and_left_unchanged(
    tmp_path: Path,
) -> None:
    path = tmp_path / "p.db"
    demo_before_0004(path)
    add_clashes(path)
    before = dump(path)
    engine = db.make_engine(f"sqlite:///{path}")
    try:
        with pytest.raises(DatabaseError) as refusal:
            db.migrate(engine)
    finally:
        engine.dispose()
    message = str(refusal.value)
    assert "names must now differ by more than letter case" in message
    for clash in (
        "partner: 'MEAM' (id 1) and 'meam' (id 16)",
        "person: 'Jess' (id 3) and 'JESS ' (id 14)",
        "checklist_step: 'told' (id 2) and 'Told' (id 9)",
    ):
        assert clash in message
    assert "Nothing was changed." in message
    assert dump(path) == before
    (backup,) = tmp_path.glob("p.db.*.bak")
    assert f"A copy from before is at {backup}." in message
    assert dump(backup) == before


def test_the_cli_refuses_a_clashing_database_in_one_line(tmp_path: Path, cli: Cli) -> None:
    demo_before_0004(cli.db_file)
    add_clashes(cli.db_file)
    code, out, err = cli("partner", "list")
    assert code == 1 and out == ""
    assert err.startswith("portfolio: Cannot upgrade: ") and err.count("\n") == 1
    assert "partner: 'MEAM' (id 1) and 'meam' (id 16)" in err
    assert db.check_is_portfolio_file(cli.db_file) == BEFORE


def test_the_keys_go_on_downgrade_and_the_names_stay(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    engine = db.make_engine(f"sqlite:///{path}")
    try:
        db.migrate(engine)
        with db.unit_of_work(sessionmaker(engine, class_=Session)) as session:
            load_demo(session)
        at_head = dump(path)
        db.downgrade(engine, BEFORE)
        down = dump(path)
        assert all("name_key" not in columns(path, t) for t in NAMED)
        kept(down, at_head)  # every row, less its key
        assert not [t for t in down if t.startswith("_alembic_tmp")]
        db.migrate(engine)
        assert dump(path) == at_head  # and back up, the same keys
    finally:
        engine.dispose()
