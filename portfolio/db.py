"""Engine and sessions, SQLite pragmas, and migrations on open.

Nothing here runs at import time: callers build an engine from a URL with
:func:`open_database`, which also brings the schema to the newest revision.
"""

import glob
import os
import shutil
import sqlite3
import stat
import sys
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import StaticPool
from sqlmodel import Session

from portfolio.errors import DatabaseError, InvalidInput

if TYPE_CHECKING:
    from alembic.config import Config

# Alembic is imported only when a schema has to be checked or changed: importing it
# costs a fifth of the app's start-up, and an up-to-date SQLite file (the usual case)
# is recognised by reading its version table directly.

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
SQLITE_MAGIC = b"SQLite format 3\x00"
# The newest migration's revision; tests/test_migrations.py checks that it is Alembic's head.
SCHEMA_HEAD = "0008"
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
    path = _sqlite_path(url)
    if read_only and path is not None and not _writable(path):
        uri = _read_only_uri(path)
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
            raise DatabaseError(_busy_message(path, waited)) from exc
    finally:
        raw.execute(f"PRAGMA busy_timeout={int(WRITE_WAIT_S * 1000)}")


def _locked(exc: sqlite3.OperationalError) -> bool:
    return getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_BUSY or "locked" in str(exc)


def _busy_message(path: Path, waited: float) -> str:
    """Who else has the file open, where the system says (Linux's /proc). Only asked
    once a write has given up, so its cost never matters."""
    wanted = {os.path.realpath(path), os.path.realpath(f"{path}-wal")}
    found = []
    proc = Path("/proc")
    for pid_dir in proc.glob("[0-9]*") if (proc / "self" / "fd").is_dir() else []:
        if pid_dir.name == str(os.getpid()):
            continue
        try:
            if not any(os.readlink(fd) in wanted for fd in (pid_dir / "fd").iterdir()):
                continue
            argv = (pid_dir / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        name = os.path.basename(argv[0].decode(errors="replace")) or "a program"
        found.append(f"{name} (process {pid_dir.name})")
    if found:
        who = f"another program is writing to {path} (open in {', '.join(sorted(found)[:3])})"
    else:
        who = f"another program is writing to {path}"
    return f"{who}; waited {waited:.0f} s and nothing was saved. Try again when it has finished."


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


def _writable(path: Path) -> bool:
    folder = path.parent
    return os.access(folder, os.W_OK) and (not path.exists() or os.access(path, os.W_OK))


def _read_only_uri(path: Path, *, look_only: bool = False) -> str:
    """A URI that opens the file without ever writing it.

    ``mode=ro`` still makes a WAL file's ``-wal`` and ``-shm`` (and leaves them), and
    cannot read a WAL file in a folder it may not write unless those exist. Where no
    ``-wal`` exists the main file holds every committed write, so it is read as
    ``immutable`` (no side files, no locks): for a check (``look_only``), or when the
    folder is read-only.
    """
    uri = f"file:{quote(str(path.resolve()))}?mode=ro"
    if not Path(f"{path}-wal").exists() and (look_only or not os.access(path.parent, os.W_OK)):
        uri += "&immutable=1"
    return uri


def _look(path: Path) -> sqlite3.Connection:
    """A connection that only looks: nothing written, no side files left.

    Through SQLite rather than Python's open(): closing a file this process has open
    through SQLite drops all of the process's POSIX locks on it (a POSIX rule), and
    another process could then delete the WAL under our own connections.
    SQLite keeps such a file open until its last lock goes.
    """
    return sqlite3.connect(_read_only_uri(path, look_only=True), uri=True)


def check_is_sqlite_file(path: Path) -> None:
    """Refuse, untouched, a file that is not SQLite at all."""
    if path.is_dir():
        raise DatabaseError(f"{path} is a folder, not a portfolio database file.")
    if not path.exists() or path.stat().st_size == 0:
        return
    try:
        conn = _look(path)
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
        conn = _look(path)
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


def free_space(folder: Path) -> int:
    """Bytes free in the folder's file system (the one place that asks)."""
    return shutil.disk_usage(folder).free


def _size_text(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n} bytes" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return f"{n} bytes"


def backup_file(path: Path) -> Path:
    """Copy a SQLite file (consistently, WAL included) beside itself with a timestamp.

    The copy holds what the file holds (partner notes), so it gets the file's own mode
    from the start; and it is made only if there is room for it and for the migration
    after it (which may rebuild a table), so a full disk never leaves half a copy.
    """
    folder = path.parent
    wal = Path(f"{path}-wal")
    size = path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)
    needed = 2 * size + 1024 * 1024
    free = free_space(folder)
    if free < needed:
        raise DatabaseError(
            f"Not enough free space in {folder} to back up {path.name} before upgrading it: "
            f"{_size_text(needed)} needed, {_size_text(free)} free. Free some space and try "
            "again; the database was left as it was."
        )
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    mode = stat.S_IMODE(path.stat().st_mode)
    n = 1
    target = path.with_name(f"{path.name}.{stamp}.bak")
    while True:
        try:
            os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode))
            break
        except FileExistsError:
            n += 1
            target = path.with_name(f"{path.name}.{stamp}-{n}.bak")
    try:
        src = sqlite3.connect(path)
        try:
            dst = sqlite3.connect(target)
            try:
                with dst:
                    src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
    except (sqlite3.Error, OSError) as exc:
        for leftover in (target, Path(f"{target}-journal")):
            leftover.unlink(missing_ok=True)
        raise DatabaseError(
            f"The backup of {path.name} in {folder} could not be made ({exc}); "
            "the database was left as it was."
        ) from exc
    return target


def migrate(engine: Engine, revision: str = "head") -> Path | None:
    """Bring the schema to ``revision``; back up an existing SQLite file first.

    Returns the backup's path when one was made.
    """
    path = _sqlite_path(str(engine.url))
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
                backup = backup_file(path)
    current = current_revision(engine)
    if current == head_revision() and revision == "head":
        return None
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


def open_database(
    url: str, *, migrate_schema: bool = True, read_only: bool = False
) -> sessionmaker[Session]:
    """Check the target, migrate it to head (backing up first) and return a session factory.

    ``read_only``: for reads and dry runs, which then work on a file this process may
    not write and never take the write lock. A file that needs its schema brought up
    to date is migrated first where it may be written, else refused.
    """
    check_target(url)
    path = _sqlite_path(url)
    stale = read_only and path is not None and (
        not path.exists() or check_is_portfolio_file(path) != SCHEMA_HEAD
    )
    if stale and path is not None:
        if not _writable(path):
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
    path = _sqlite_path(str(bind.url)) if isinstance(bind, Engine) else None
    if path is None or not path.exists():
        with factory() as session:
            try:
                yield session
            finally:
                session.rollback()
        return
    copy = sqlite3.connect(":memory:", check_same_thread=False)
    source = sqlite3.connect(_read_only_uri(path), uri=True)
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


def database_files(url: str) -> list[Path]:
    """The files that make up a SQLite database: the file, its journals, its backups."""
    path = _sqlite_path(url)
    if path is None:
        return []
    real = Path(os.path.realpath(path))
    files = [real, *(Path(f"{real}{end}") for end in ("-wal", "-shm", "-journal"))]
    if real.parent.is_dir():
        files += sorted(real.parent.glob(f"{glob.escape(real.name)}.*.bak"))
    return files


def check_output_path(output: Path, url: str) -> None:
    """Refuse, before anything is written, an output file that is the database or one
    of its own files (by name, through a symlink, or as a hard link of one)."""
    files = database_files(url)
    if not files:
        return
    real = Path(os.path.realpath(output))
    same = real in files or (
        real.parent == files[0].parent and real.name.startswith(f"{files[0].name}.")
        and real.name.endswith(".bak")
    )  # fmt: skip
    if not same and real.exists():
        mine = os.stat(real)
        for f in files:
            try:
                theirs = os.stat(f)
            except OSError:
                continue
            if (mine.st_dev, mine.st_ino) == (theirs.st_dev, theirs.st_ino):
                same = True
                break
    if same:
        raise InvalidInput(
            f"{output} is the database {files[0].name} or one of its own files; "
            "nothing was written. Choose another file to write to."
        )
