"""Opening databases: foreign files refused untouched, pragmas, waiting writers, history."""

import sqlite3
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import delete, text, update
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session, select

from portfolio import db
from portfolio.errors import DatabaseError, PortfolioError
from portfolio.models import Event, Partner
from portfolio.services.partners import add_partner
from portfolio.services.workstreams import add_workstream
from tests.conftest import Cli, stamp


def test_a_file_that_is_not_sqlite_is_refused_in_one_line_and_left_as_it_was(
    cli: Cli, db_path: Path
) -> None:
    content = b"Partner,Amount\nMEAM,150000\n"
    db_path.write_bytes(content)
    code, out, err = cli("partner", "list")
    assert code == 1
    assert err.count("\n") == 1 and str(db_path) in err and "not a SQLite database" in err
    assert "Traceback" not in out + err
    assert db_path.read_bytes() == content
    assert sorted(p.name for p in db_path.parent.iterdir()) == [db_path.name]


def test_a_sqlite_file_of_another_program_is_refused_and_left_byte_for_byte(
    cli: Cli, db_path: Path
) -> None:
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
    conn.execute("INSERT INTO contacts VALUES ('Jess', '0113 000 0000')")
    conn.commit()
    conn.close()
    content = db_path.read_bytes()
    for command in (("partner", "list"), ("init",), ("demo",)):
        code, out, err = cli(*command)
        assert code == 1, command
        assert err.count("\n") == 1 and "not a portfolio database" in err and db_path.name in err
        assert "Traceback" not in out + err
    assert db_path.read_bytes() == content
    assert sorted(p.name for p in db_path.parent.iterdir()) == [db_path.name]


def test_opening_a_database_that_is_up_to_date_makes_no_backup(db_path: Path) -> None:
    db.reset_engine(db.open_database(f"sqlite:///{db_path}"))
    for n in range(2):
        factory = db.open_database(f"sqlite:///{db_path}")
        with db.unit_of_work(factory) as session:
            add_partner(session, name=f"Partner {n}")
        db.reset_engine(factory)
    assert list(db_path.parent.glob("*.bak")) == []


def test_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="does not exist"):
        db.open_database(f"sqlite:///{tmp_path / 'nowhere' / 'p.db'}")


def test_connections_use_wal_foreign_keys_and_a_busy_timeout(
    factory: sessionmaker[Session],
) -> None:
    with db.read_session(factory) as session:
        pragma = session.connection().exec_driver_sql
        assert pragma("PRAGMA journal_mode").scalar() == "wal"
        assert pragma("PRAGMA foreign_keys").scalar() == 1
        assert pragma("PRAGMA busy_timeout").scalar() >= 1000
    with pytest.raises(SADatabaseError, match="FOREIGN KEY"), db.unit_of_work(factory) as session:
        session.connection().exec_driver_sql(
            "INSERT INTO partnership (partner_id, workstream_id, state, started_on, changed_on)"
            " VALUES (999, 999, 'active', '2021-01-01', '2021-01-01')"
        )


def test_a_writer_waits_for_another_connection_holding_the_write_lock(
    factory: sessionmaker[Session], db_path: Path
) -> None:
    locked = threading.Event()

    def hold_the_lock() -> None:
        other = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
        other.execute("BEGIN IMMEDIATE")
        other.execute("INSERT INTO person (name, role) VALUES ('Jess', 'staff lead')")
        locked.set()
        time.sleep(1.0)
        other.execute("COMMIT")
        other.close()

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    assert locked.wait(5)
    started = time.monotonic()
    # Reads first, then writes: only a writer's transaction waits instead of failing.
    with db.unit_of_work(factory) as session:
        add_partner(session, name="MEAM")
    waited = time.monotonic() - started
    holder.join()
    assert waited >= 0.5
    with db.read_session(factory) as session:
        assert session.exec(select(Partner.name)).all() == ["MEAM"]
        assert session.connection().exec_driver_sql("SELECT name FROM person").all() == [("Jess",)]


@pytest.fixture
def one_event(factory: sessionmaker[Session]) -> int:
    with db.unit_of_work(factory) as session:
        add_workstream(session, stamp("2020-01-06"), name="National")
    with db.read_session(factory) as session:
        event = session.exec(select(Event)).one()
        assert event.id is not None
        return event.id


def test_events_cannot_be_changed_or_deleted_through_the_orm(
    factory: sessionmaker[Session], db_path: Path, one_event: int
) -> None:
    before = sqlite3.connect(db_path).execute("SELECT * FROM event").fetchall()
    with pytest.raises(PortfolioError, match="append-only"), db.unit_of_work(factory) as session:
        event = session.get(Event, one_event)
        assert event is not None
        event.reason = "rewritten"
        session.add(event)
    with pytest.raises(PortfolioError, match="append-only"), db.unit_of_work(factory) as session:
        session.delete(session.get(Event, one_event))
    # Bulk statements skip the ORM's check; the database's triggers still refuse them.
    for statement in (update(Event).values(reason="rewritten"), delete(Event)):
        with (
            pytest.raises(SADatabaseError, match="append-only"),
            db.unit_of_work(factory) as session,
        ):
            session.execute(statement)  # type: ignore[call-overload]
    assert sqlite3.connect(db_path).execute("SELECT * FROM event").fetchall() == before


def test_events_cannot_be_changed_or_deleted_with_raw_sql(
    factory: sessionmaker[Session], db_path: Path, one_event: int
) -> None:
    conn = sqlite3.connect(db_path)
    before = conn.execute("SELECT * FROM event").fetchall()
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("UPDATE event SET actor = 'someone else'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("DELETE FROM event")
    conn.rollback()
    assert conn.execute("SELECT * FROM event").fetchall() == before
    with db.read_session(factory) as session:
        assert session.connection().execute(text("SELECT count(*) FROM event")).scalar() == 1
    conn.close()
