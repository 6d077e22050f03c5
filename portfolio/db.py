"""Engine and sessions, SQLite pragmas, and migrations on open.

Nothing here runs at import time: callers build an engine from a URL with
:func:`open_database`, which also brings the schema to the newest revision.
"""

import sqlite3
import sys
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import StaticPool
from sqlmodel import Session

from portfolio import dbfiles
from portfolio.errors import DatabaseError

# Re-exported: callers know these as db.*.
backup_file = dbfiles.backup_file
check_output_path = dbfiles.check_output_path

if TYPE_CHECKING:
    from alembic.config import Config

# Alembic is imported only when a schema has to be checked or changed: importing it
# costs a fifth of the app's start-up, and an up-to-date SQLite file (the usual case)
# is recognised by reading its version table directly.

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# The newest migration's revision; tests/test_migrations.py checks that it is Alembic's head.
SCHEMA_HEAD = "0010"
# How long a person's action waits for another program's write to finish, and after
# how long it says it is waiting (the CLI on stderr, the app in a notice).
WRITE_WAIT_S = 30.0
WAIT_NOTICE_AFTER_S = 1.0
WaitNotice = Callable[[str], None]
_wait_notices: "weakref.WeakKeyDictionary[Engine, WaitNotice]" = weakref.WeakKeyDictionary()

SessionFactory = Callable[[], Session]

# How the next SQLite transaction begins. Writers take the write lock up front
# (BEGIN IMMEDIATE), since a deferred read-then-write fails at once when
# another process holds the lock, whatever the busy timeout.
_begin_statement: ContextVar[str] = ContextVar("begin_statement", default="BEGIN")


def make_engine(url: str, *, read_only: bool = False) -> Engine:
    """An engine for ``url``; ``read_only`` never writes, nor takes the write lock.

    A read-only SQLite engine opens the file with ``mode=ro`` when this process may
    not write it (or its folder), so a read-only copy or share can still be read.
    """
    path = dbfiles.sqlite_path(url)
    if read_only and path is not None and not dbfiles.writable(path):
        uri = dbfiles.read_only_uri(path)
        engine = create_engine(
            url,
            creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False),
        )
    else:
        engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", partial(_sqlite_on_connect, read_only=read_only))
        event.listen(engine, "begin", partial(_sqlite_on_begin, engine=weakref.ref(engine)))
    return engine


def set_wait_notice(factory: "sessionmaker[Session]", notice: WaitNotice | None) -> None:
    """Call ``notice(message)`` when a write has to wait for another writer."""
    bind = factory.kw.get("bind")
    if isinstance(bind, Engine):
        if notice is None:
            _wait_notices.pop(bind, None)
        else:
            _wait_notices[bind] = notice


def _sqlite_on_connect(dbapi_connection: Any, _record: Any, *, read_only: bool = False) -> None:
    # Let us issue BEGIN ourselves (pysqlite's own transaction handling is off).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={int(WRITE_WAIT_S * 1000)}")
    # REPLACE's implicit delete of a conflicting row then fires the delete triggers
    # (the history's among them), as the migration's insert trigger also refuses.
    cursor.execute("PRAGMA recursive_triggers=ON")
    if read_only:
        cursor.execute("PRAGMA query_only=ON")
    else:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_on_begin(conn: Any, *, engine: "weakref.ref[Engine]") -> None:
    statement = _begin_statement.get()
    raw = conn.connection.driver_connection
    if statement != "BEGIN IMMEDIATE":
        raw.execute(statement)  # a reader: WAL never makes it wait
        return
    # A writer: try for a moment, then say it is waiting, then wait the rest.
    try:
        raw.execute(f"PRAGMA busy_timeout={int(min(WAIT_NOTICE_AFTER_S, WRITE_WAIT_S) * 1000)}")
        try:
            raw.execute(statement)
            return
        except sqlite3.OperationalError as exc:
            if not _locked(exc):
                raise
        path = Path(conn.engine.url.database or "")
        made = engine()
        notice = _wait_notices.get(made) if made is not None else None
        if notice is not None:
            notice(f"waiting for another writer to finish with {path.name}…")
        started = time.monotonic()
        left = max(WRITE_WAIT_S - WAIT_NOTICE_AFTER_S, 0.0)
        raw.execute(f"PRAGMA busy_timeout={int(left * 1000)}")
        try:
            raw.execute(statement)
        except sqlite3.OperationalError as exc:
            if not _locked(exc):
                raise
            waited = WAIT_NOTICE_AFTER_S + time.monotonic() - started
            raise DatabaseError(dbfiles.busy_message(path, waited)) from exc
    finally:
        raw.execute(f"PRAGMA busy_timeout={int(WRITE_WAIT_S * 1000)}")


def _locked(exc: sqlite3.OperationalError) -> bool:
    return getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_BUSY or "locked" in str(exc)


def alembic_config(connection: Any = None) -> "Config":
    from alembic.config import Config

    # Alembic's default stdout is whatever sys.stdout was when alembic was first
    # imported (lazily, see above); give it today's.
    cfg = Config(stdout=sys.stdout)
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def check_is_sqlite_file(path: Path) -> None:
    """Refuse, untouched, a file that is not SQLite at all."""
    if path.is_dir():
        raise DatabaseError(f"{path} is a folder, not a portfolio database file.")
    if not path.exists() or path.stat().st_size == 0:
        return
    try:
        conn = dbfiles.look(path)
    except sqlite3.Error as exc:
        raise DatabaseError(f"{path} cannot be opened: {exc}") from exc
    try:
        conn.execute("PRAGMA schema_version").fetchone()
    except sqlite3.DatabaseError as exc:
        if getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_NOTADB:
            raise DatabaseError(
                f"{path} is not a SQLite database; choose another file with --db or PORTFOLIO_DB."
            ) from exc
        raise DatabaseError(f"{path} cannot be read as a database: {exc}") from exc
    finally:
        conn.close()


def check_is_portfolio_file(path: Path) -> str | None:
    """Refuse, untouched, a SQLite file that another program made, or whose schema
    record is not one revision; return its schema revision (None for a new or empty file).

    Read with a connection that only looks: the engine's connect pragmas switch the
    file to WAL, which rewrites its header before any check could run.
    """
    if not path.exists() or path.stat().st_size == 0:
        return None
    try:
        conn = dbfiles.look(path)
        tables = {n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        revisions = (
            [r for (r,) in conn.execute("SELECT version_num FROM alembic_version")]
            if "alembic_version" in tables
            else []
        )
        conn.close()
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"{path} cannot be read as a database: {exc}") from exc
    if tables - {"alembic_version"} and not revisions:
        raise DatabaseError(
            f"{path} is a SQLite database but not a portfolio database "
            "(it has other tables and no portfolio schema); it was left untouched."
        )
    if len(revisions) > 1:
        raise DatabaseError(
            f"{path} records more than one schema version ({', '.join(sorted(revisions))}), "
            "so it cannot be upgraded safely; it was left untouched."
        )
    return revisions[0] if revisions else None


def _check_known_revision(path: Path, revision: str) -> None:
    """Refuse, before anything touches the file, a schema newer than this portfolio."""
    from alembic.script import ScriptDirectory

    try:
        ScriptDirectory.from_config(alembic_config()).get_revision(revision)
    except Exception as exc:
        raise DatabaseError(
            f"{path} was made by a newer version of portfolio (schema {revision}); "
            "upgrade portfolio to open it. It was left untouched."
        ) from exc


def current_revision(engine: Engine) -> str | None:
    """The schema revision, refusing databases that are not ours."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    try:
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            rev = MigrationContext.configure(conn).get_current_revision()
    except SADatabaseError as exc:
        raise DatabaseError(f"{engine.url} cannot be read as a database: {exc.orig}") from exc
    if tables - {"alembic_version"} and rev is None:
        raise DatabaseError(
            f"{engine.url.database} is a SQLite database but not a portfolio database "
            "(it has other tables and no portfolio schema); it was left untouched."
        )
    if rev is not None:
        try:
            script.get_revision(rev)
        except Exception as exc:
            raise DatabaseError(
                f"{engine.url.database} was made by a newer version of portfolio "
                f"(schema {rev}); upgrade portfolio to open it."
            ) from exc
    return rev


def migrate(engine: Engine, revision: str = "head") -> Path | None:
    """Bring the schema to ``revision``; back up an existing SQLite file first.

    Returns the backup's path when one was made.
    """
    path = dbfiles.sqlite_path(str(engine.url))
    backup = None
    if path is not None:
        # Every check, and the backup, before the engine first connects (its pragmas
        # switch the file to WAL): a refused file stays byte for byte as it was.
        check_is_sqlite_file(path)
        found = check_is_portfolio_file(path)
        if found == SCHEMA_HEAD and revision == "head":
            return None  # up to date: the usual start, without loading Alembic
        if found is not None:
            _check_known_revision(path, found)
            if found != head_revision() or revision != "head":
                backup = dbfiles.backup_file(path)
    current = current_revision(engine)
    if current == head_revision() and revision == "head":
        return None
    from alembic import command

    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            # Batch migrations rebuild tables; foreign keys must be off meanwhile.
            sqlite_foreign_keys(conn, on=False)
        # As a writer from the start: waits for another program's write, not fails.
        token = _begin_statement.set("BEGIN IMMEDIATE")
        try:
            command.upgrade(alembic_config(conn), revision)
        except DatabaseError as exc:  # a migration refused; its transaction is rolled back
            kept = f" A copy from before is at {backup}." if backup else ""
            raise DatabaseError(f"{exc}{kept}") from exc
        finally:
            _begin_statement.reset(token)
        conn.commit()
        if engine.dialect.name == "sqlite":
            problems = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            conn.commit()
            sqlite_foreign_keys(conn, on=True)
            if problems:
                raise DatabaseError(
                    f"The migration left broken references {problems[:5]}; "
                    f"your data is safe in {backup}."
                )
    return backup


def downgrade(engine: Engine, revision: str) -> None:
    from alembic import command

    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            sqlite_foreign_keys(conn, on=False)
        command.downgrade(alembic_config(conn), revision)
        conn.commit()
        if engine.dialect.name == "sqlite":
            sqlite_foreign_keys(conn, on=True)


def sqlite_foreign_keys(conn: Any, *, on: bool) -> None:
    """Turn SQLite's foreign keys on or off for this connection.

    Set on the driver's connection, outside any transaction: inside one (and the
    engine begins one before any statement) SQLite ignores the PRAGMA.
    """
    conn.connection.driver_connection.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")


def check_target(url: str) -> None:
    """Refuse, before anything is opened or written, a target that cannot be ours."""
    path = dbfiles.sqlite_path(url)
    if path is not None:
        check_is_sqlite_file(path)
        if not path.parent.exists():
            raise DatabaseError(f"The folder {path.parent} does not exist.")


def open_database(
    url: str, *, migrate_schema: bool = True, read_only: bool = False
) -> sessionmaker[Session]:
    """Check the target, migrate it to head (backing up first) and return a session factory.

    ``read_only``: for reads and dry runs, which then work on a file this process may
    not write and never take the write lock. A file that needs its schema brought up
    to date is migrated first where it may be written, else refused.
    """
    check_target(url)
    path = dbfiles.sqlite_path(url)
    stale = (
        read_only
        and path is not None
        and (not path.exists() or check_is_portfolio_file(path) != SCHEMA_HEAD)
    )
    if stale and path is not None:
        if not dbfiles.writable(path):
            raise DatabaseError(
                f"{path} needs bringing up to this version of portfolio, but this "
                "user may not change it (or its folder); open it once with write access."
            )
        reset_engine(open_database(url, migrate_schema=migrate_schema))
    engine = make_engine(url, read_only=read_only and path is not None)
    try:
        if migrate_schema and not (read_only and path is not None):
            migrate(engine)
    except BaseException:
        engine.dispose()  # a refused file keeps no connection of ours
        raise
    return sessionmaker(engine, class_=Session, expire_on_commit=False)


@contextmanager
def unit_of_work(factory: SessionFactory) -> Iterator[Session]:
    """One user action: a writer's transaction, committed only if nothing raised."""
    token = _begin_statement.set("BEGIN IMMEDIATE")
    try:
        with factory() as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise
    finally:
        _begin_statement.reset(token)


@contextmanager
def read_session(factory: SessionFactory) -> Iterator[Session]:
    """A read-only look at the records."""
    with factory() as session:
        yield session


@contextmanager
def dry_run(factory: SessionFactory) -> Iterator[Session]:
    """A writer's session whose work is always thrown away.

    On a SQLite file it works on a private copy in memory, so a dry run needs no write
    access and never holds (or waits for) the file's write lock; elsewhere it runs in a
    transaction that is rolled back.
    """
    bind = getattr(factory, "kw", {}).get("bind")
    path = dbfiles.sqlite_path(str(bind.url)) if isinstance(bind, Engine) else None
    if path is None or not path.exists():
        with factory() as session:
            try:
                yield session
            finally:
                session.rollback()
        return
    copy = sqlite3.connect(":memory:", check_same_thread=False)
    source = sqlite3.connect(dbfiles.read_only_uri(path), uri=True)
    try:
        source.backup(copy)
    finally:
        source.close()
    engine = create_engine("sqlite://", creator=lambda: copy, poolclass=StaticPool)
    event.listen(engine, "connect", partial(_sqlite_on_connect, read_only=False))
    event.listen(engine, "begin", partial(_sqlite_on_begin, engine=weakref.ref(engine)))
    try:
        with unit_of_work(sessionmaker(engine, class_=Session, expire_on_commit=False)) as s:
            yield s
            s.rollback()
    finally:
        engine.dispose()
        copy.close()


def reset_engine(factory: sessionmaker[Session] | None) -> None:
    """Close every connection of a factory that is done with (or replaced)."""
    bind = factory.kw.get("bind") if factory is not None else None
    if isinstance(bind, Engine):
        bind.dispose()


def factory_url(factory: SessionFactory) -> str:
    """The URL a session factory opens (for checks that need the file's name)."""
    bind = getattr(factory, "kw", {}).get("bind")
    return str(bind.url) if isinstance(bind, Engine) else ""
