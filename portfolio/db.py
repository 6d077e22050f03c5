"""Engine and sessions, SQLite pragmas, and migrations on open.

Nothing here runs at import time: callers build an engine from a URL with
:func:`open_database`, which also brings the schema to the newest revision.
"""

import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from portfolio.errors import DatabaseError

if TYPE_CHECKING:
    from alembic.config import Config

# Alembic is imported only when a schema has to be checked or changed: importing it
# costs a fifth of the app's start-up, and an up-to-date SQLite file (the usual case)
# is recognised by reading its version table directly.

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
SQLITE_MAGIC = b"SQLite format 3\x00"
# The newest migration's revision; tests/test_migrations.py checks that it is Alembic's head.
SCHEMA_HEAD = "0009"

SessionFactory = Callable[[], Session]

# How the next SQLite transaction begins. Writers take the write lock up front
# (BEGIN IMMEDIATE), since a deferred read-then-write fails at once when
# another process holds the lock, whatever the busy timeout.
_begin_statement: ContextVar[str] = ContextVar("begin_statement", default="BEGIN")


def make_engine(url: str) -> Engine:
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_on_begin)
    return engine


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let us issue BEGIN ourselves (pysqlite's own transaction handling is off).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_on_begin(conn: Any) -> None:
    conn.exec_driver_sql(_begin_statement.get())


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


def _sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def check_is_sqlite_file(path: Path) -> None:
    """Refuse, untouched, a file that is not SQLite at all."""
    if path.is_dir():
        raise DatabaseError(f"{path} is a folder, not a portfolio database file.")
    if not path.exists() or path.stat().st_size == 0:
        return
    with path.open("rb") as handle:
        if handle.read(16) != SQLITE_MAGIC:
            raise DatabaseError(
                f"{path} is not a SQLite database; choose another file with --db or PORTFOLIO_DB."
            )


def check_is_portfolio_file(path: Path) -> str | None:
    """Refuse, untouched, a SQLite file that another program made; return its
    schema revision (None for a new or empty file).

    Read with a plain connection: the engine's connect pragmas switch the file to
    WAL, which rewrites its header before any check could run.
    """
    if not path.exists() or path.stat().st_size == 0:
        return None
    conn = sqlite3.connect(path)
    try:
        tables = {n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        revisions = (
            [r for (r,) in conn.execute("SELECT version_num FROM alembic_version")]
            if "alembic_version" in tables
            else []
        )
        versioned = bool(revisions)
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"{path} cannot be read as a database: {exc}") from exc
    finally:
        conn.close()
    if tables - {"alembic_version"} and not versioned:
        raise DatabaseError(
            f"{path} is a SQLite database but not a portfolio database "
            "(it has other tables and no portfolio schema); it was left untouched."
        )
    return revisions[0] if len(revisions) == 1 else None


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


def backup_file(path: Path) -> Path:
    """Copy a SQLite file (consistently, WAL included) beside itself with a timestamp."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.{stamp}.bak")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.{stamp}-{n}.bak")
    src = sqlite3.connect(path)
    try:
        dst = sqlite3.connect(target)
        with dst:
            src.backup(dst)
        dst.close()
    finally:
        src.close()
    return target


def migrate(engine: Engine, revision: str = "head") -> Path | None:
    """Bring the schema to ``revision``; back up an existing SQLite file first.

    Returns the backup's path when one was made.
    """
    path = _sqlite_path(str(engine.url))
    if path is not None:
        check_is_sqlite_file(path)
        if check_is_portfolio_file(path) == SCHEMA_HEAD and revision == "head":
            return None  # up to date: the usual start, without loading Alembic
    current = current_revision(engine)
    if current == head_revision() and revision == "head":
        return None
    backup = None
    if path is not None and path.exists() and current is not None:
        backup = backup_file(path)
    from alembic import command

    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            # Batch migrations rebuild tables; foreign keys must be off meanwhile.
            sqlite_foreign_keys(conn, on=False)
        try:
            command.upgrade(alembic_config(conn), revision)
        except DatabaseError as exc:  # a migration refused; its transaction is rolled back
            kept = f" A copy from before is at {backup}." if backup else ""
            raise DatabaseError(f"{exc}{kept}") from exc
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
    path = _sqlite_path(url)
    if path is not None:
        check_is_sqlite_file(path)
        if not path.parent.exists():
            raise DatabaseError(f"The folder {path.parent} does not exist.")


def open_database(url: str, *, migrate_schema: bool = True) -> sessionmaker[Session]:
    """Check the target, migrate it to head (backing up first) and return a session factory."""
    check_target(url)
    engine = make_engine(url)
    if migrate_schema:
        migrate(engine)
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


def reset_engine(factory: sessionmaker[Session]) -> None:
    bind = factory.kw.get("bind")
    if isinstance(bind, Engine):
        bind.dispose()
