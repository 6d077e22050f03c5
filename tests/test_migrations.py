"""Migrations: up and down, no drift, old data kept, and shipped inside the wheel."""

import shutil
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from portfolio import db
from portfolio.services.grants import add_grant
from portfolio.services.history import Stamp
from portfolio.services.partners import add_partner
from portfolio.services.partnerships import apply
from portfolio.services.people import add_person
from portfolio.services.themes import add_theme
from portfolio.services.workstreams import add_workstream
from tests.dbstate import dump

PROJECT = Path(__file__).resolve().parent.parent


def table_names(path: Path) -> set[str]:
    engine = db.make_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            return set(inspect(conn).get_table_names())
    finally:
        engine.dispose()


def test_the_start_up_shortcut_knows_the_newest_migration(tmp_path: Path) -> None:
    # Opening an up-to-date file skips Alembic by comparing with SCHEMA_HEAD: a stale
    # value would leave a database one migration behind without upgrading it.
    assert db.head_revision() == db.SCHEMA_HEAD
    path = tmp_path / "p.db"
    db.reset_engine(db.open_database(f"sqlite:///{path}"))
    assert db.check_is_portfolio_file(path) == db.SCHEMA_HEAD


def test_an_older_schema_is_still_upgraded_when_opened(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    engine = db.make_engine(f"sqlite:///{path}")
    try:
        db.migrate(engine, "0001")
    finally:
        engine.dispose()
    db.reset_engine(db.open_database(f"sqlite:///{path}"))
    assert db.check_is_portfolio_file(path) == db.SCHEMA_HEAD
    assert len(list(tmp_path.glob("*.bak"))) == 1  # backed up before the upgrade


def test_an_empty_database_upgrades_to_head_and_downgrades_to_nothing(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    engine = db.make_engine(f"sqlite:///{path}")
    try:
        assert db.migrate(engine) is None  # a new file has nothing to back up
        assert db.current_revision(engine) == db.head_revision()
        assert {"partner", "partnership", "workstream", "event", "grant"} <= table_names(path)
        db.downgrade(engine, "base")
        assert db.current_revision(engine) is None
    finally:
        engine.dispose()
    assert table_names(path) == {"alembic_version"}
    assert list(tmp_path.glob("*.bak")) == []


def test_every_revision_steps_up_and_down_without_leaving_temporary_tables(
    tmp_path: Path,
) -> None:
    path = tmp_path / "p.db"
    script = ScriptDirectory.from_config(db.alembic_config())
    revisions = [r.revision for r in reversed(list(script.walk_revisions()))]
    engine = db.make_engine(f"sqlite:///{path}")
    try:
        for i, revision in enumerate(revisions):
            db.migrate(engine, revision)
            db.downgrade(engine, revisions[i - 1] if i else "base")
            db.migrate(engine, revision)
            assert db.current_revision(engine) == revision
            assert not [t for t in table_names(path) if t.startswith("_alembic_tmp")]
    finally:
        engine.dispose()


def test_the_models_match_the_migrations(factory: sessionmaker[Session]) -> None:
    engine = factory.kw["bind"]
    with engine.connect() as conn:
        command.check(db.alembic_config(conn))  # raises if autogenerate would change anything


def fill_core_tables(session: Session) -> None:
    """A small portfolio in the tables 0001 made, written by today's services (a test
    then downgrades it to the revision it needs)."""
    on = Stamp(date(2020, 1, 6), "tester")
    add_person(session, name="Jess", role="staff lead")
    for name in ("National", "Place"):
        add_workstream(session, on, name=name, lead="Jess")
    add_theme(session, on, name="Mental health", home="National")
    for name in ("MEAM", "Corra Foundation", "Leeds GATE"):
        add_partner(session, name=name, org_id="GB-CHC-1080601" if name == "MEAM" else "")
        apply(session, on, "start", partner=name, workstream="National", lead="Jess",
              themes=["Mental health"])  # fmt: skip
        add_grant(session, on, partner=name, workstream="National", amount=Decimal("45000.50"))
    later = Stamp(date(2021, 1, 11), "Julian")
    apply(session, later, "end", partner="MEAM", workstream="National", by=date(2021, 12, 31),
          reason="closing")  # fmt: skip
    apply(session, later, "tick", partner="MEAM", workstream="National", step="told")
    apply(session, later, "transfer", partner="Corra Foundation", from_workstream="National",
          to_workstream="Place", reason="place work")  # fmt: skip
    apply(session, later, "review", partner="Leeds GATE", workstream="National", lead="Jess",
          reason="what next?")  # fmt: skip


def test_a_database_from_the_first_revision_keeps_its_rows_and_is_backed_up(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.db"
    engine = db.make_engine(f"sqlite:///{path}")
    try:
        db.migrate(engine)  # a new file: nothing to back up
        with db.unit_of_work(sessionmaker(engine, class_=Session)) as session:
            fill_core_tables(session)
        db.downgrade(engine, "0001")  # the same records as 0001 held them
        before = dump(path)
        backup = db.migrate(engine)
        assert db.current_revision(engine) == db.head_revision()
    finally:
        engine.dispose()
    after = dump(path)
    for table, rows in before.items():
        if table != "alembic_version":
            width = len(rows[0]) if rows else 0  # later migrations add columns at the end
            kept = [row[:width] for row in after[table]]
            assert kept == rows, f"{table} changed in the upgrade"
    assert backup is not None and backup.parent == tmp_path
    assert backup.name.startswith("old.db.") and backup.suffix == ".bak"
    assert dump(backup) == before  # the backup is the database as it was


@pytest.mark.slow
def test_the_migrations_run_from_a_wheel_in_a_fresh_virtual_environment(tmp_path: Path) -> None:
    source = tmp_path / "source"
    source.mkdir()
    shutil.copy(PROJECT / "pyproject.toml", source)
    shutil.copy(PROJECT / "README.md", source)
    shutil.copytree(
        PROJECT / "portfolio", source / "portfolio", ignore=shutil.ignore_patterns("__pycache__")
    )
    wheels = tmp_path / "wheels"

    def run(*args: str | Path, cwd: Path = tmp_path) -> str:
        done = subprocess.run(
            [str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, (
            f"{args[:3]} failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}"
        )
        return done.stdout

    run(sys.executable, "-m", "build", "--wheel", "--outdir", wheels, source)
    (wheel,) = wheels.glob("portfolio-*.whl")
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", venv)
    run(venv / "bin" / "python", "-m", "pip", "install", "--quiet", wheel)
    database = tmp_path / "fresh.db"
    # Run from elsewhere so the checkout cannot be imported by accident.
    assert "database ready" in run(venv / "bin" / "portfolio", "--db", database, "init")
    assert "demo portfolio loaded" in run(venv / "bin" / "portfolio", "--db", database, "demo")
    installed = run(
        venv / "bin" / "python", "-c", "import portfolio, sys; print(portfolio.__file__)"
    )
    assert str(venv) in installed
    assert "National" in run(venv / "bin" / "portfolio", "--db", database, "workstream", "list")
