"""The record survives a crowded machine: other processes, locks, full disks, odd files."""

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from portfolio import db
from portfolio.errors import DatabaseError
from portfolio.services.partners import add_partner
from tests.conftest import Cli


def _digest(folder: Path) -> dict[str, str]:
    """Every file in the folder and its content: what a person would find there."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}


def _hold_write_lock(path: Path, seconds: float) -> subprocess.Popen[str]:
    """Another program holding the write lock on the file for a while."""
    script = (
        "import sqlite3, sys, time\n"
        f"c = sqlite3.connect({str(path)!r}, isolation_level=None)\n"
        "c.execute('BEGIN IMMEDIATE')\n"
        "c.execute(\"INSERT INTO person (name, role) VALUES ('Holder', '')\")\n"
        "print('locked', flush=True)\n"
        f"time.sleep({seconds})\n"
        "c.execute('COMMIT')\n"
    )
    holder = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
    return holder


# 2 -------------------------------------------------------------------------------------


def test_opening_the_database_twice_in_one_process_loses_no_write_of_another_process(
    db_path: Path,
) -> None:
    url = f"sqlite:///{db_path}"
    first = db.open_database(url)
    with db.unit_of_work(first) as session:
        add_partner(session, name="Before")
    # A second open in the same process: the next command in a script, the app reopened.
    second = db.open_database(url)
    with db.read_session(second) as session:
        session.execute(text("SELECT count(*) FROM partner")).scalar()
    # Another process writes and closes; it must not think it is the file's only user.
    subprocess.run(
        [sys.executable, "-c",
         "import sqlite3\n"
         f"c = sqlite3.connect({str(db_path)!r})\n"
         "c.execute(\"INSERT INTO person (name, role) VALUES ('Other', '')\")\n"
         "c.commit()\nc.close()\n"],
        check=True,
    )  # fmt: skip
    with db.unit_of_work(first) as session:
        add_partner(session, name="After")
    # Every other program sees the write at once, not only once this process closes.
    seen = subprocess.run(
        [sys.executable, "-c",
         "import sqlite3\n"
         f"c = sqlite3.connect({str(db_path)!r})\n"
         "print(sorted(n for (n,) in c.execute('SELECT name FROM partner')))\n"],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    assert seen == "['After', 'Before']\n"
    db.reset_engine(second)
    db.reset_engine(first)
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert conn.execute("SELECT name FROM partner ORDER BY name").fetchall() == [
        ("After",),
        ("Before",),
    ]
    assert conn.execute("SELECT name FROM person").fetchall() == [("Other",)]
    conn.close()


def test_the_cli_run_twice_in_one_process_closes_the_database_it_opened_first(
    cli: Cli, db_path: Path
) -> None:
    cli.ok("partner", "add", "MEAM")
    from portfolio.commands.common import STATE

    first = STATE._factory
    cli.ok("partner", "list")
    assert first is not None and first.kw["bind"].pool.checkedin() == 0


# 4 -------------------------------------------------------------------------------------


def _old_database(path: Path, mode: int) -> None:
    engine = db.make_engine(f"sqlite:///{path}")
    db.migrate(engine, "0001")
    engine.dispose()
    os.chmod(path, mode)


@pytest.mark.parametrize("mode", [0o600, 0o640])
def test_a_backup_before_a_migration_has_the_databases_own_file_mode(
    tmp_path: Path, mode: int
) -> None:
    path = tmp_path / "portfolio.db"
    _old_database(path, mode)
    old = os.umask(0o022)
    try:
        db.reset_engine(db.open_database(f"sqlite:///{path}"))
    finally:
        os.umask(old)
    (backup,) = tmp_path.glob("*.bak")
    assert oct(backup.stat().st_mode & 0o777) == oct(mode)


def test_a_migration_without_room_for_its_backup_is_refused_and_leaves_no_backup(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _old_database(db_path, 0o644)
    before = _digest(db_path.parent)
    # Filling a real disk is not possible here: the one function that reads the free
    # space is made to report a nearly full disk instead.
    monkeypatch.setattr("portfolio.dbfiles.free_space", lambda folder: 4096)
    with pytest.raises(DatabaseError) as refused:
        db.open_database(f"sqlite:///{db_path}")
    message = str(refused.value)
    assert str(db_path.parent) in message and "free" in message and "4.0 KB" in message
    assert _digest(db_path.parent) == before  # no backup, not even an empty one
    assert db.check_is_portfolio_file(db_path) == "0001"


def test_a_backup_that_fails_half_way_leaves_no_partial_copy(db_path: Path) -> None:
    _old_database(db_path, 0o644)
    # A real write failure: the process may not write files past 8 KB (as on a full disk).
    script = (
        "import resource, signal, sys\n"
        "from pathlib import Path\n"
        "from portfolio import db\n"
        "from portfolio.errors import DatabaseError\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (8192, 8192))\n"
        "try:\n"
        f"    db.backup_file(Path({str(db_path)!r}))\n"
        "except DatabaseError as exc:\n"
        "    print(exc)\n"
        "    sys.exit(3)\n"
    )
    before = _digest(db_path.parent)
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert run.returncode == 3, run.stderr
    assert "backup" in run.stdout and str(db_path.parent) in run.stdout
    # No copy, not even an empty one (SQLite's own -wal/-shm of the source may stay).
    after = {k: v for k, v in _digest(db_path.parent).items() if not k.endswith(("-wal", "-shm"))}
    assert after == before


# 5 -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "statement",
    [
        "REPLACE INTO event SELECT * FROM rewritten",
        "INSERT OR REPLACE INTO event SELECT * FROM rewritten",
        "INSERT INTO event SELECT * FROM rewritten WHERE true "
        "ON CONFLICT(id) DO UPDATE SET reason = excluded.reason",
    ],
)
def test_an_event_cannot_be_rewritten_by_inserting_over_its_id(
    cli: Cli, db_path: Path, statement: str
) -> None:
    cli.ok("demo")
    conn = sqlite3.connect(db_path)  # a bare connection, none of the app's settings
    before = conn.execute("SELECT * FROM event ORDER BY id").fetchall()
    conn.execute("CREATE TEMP TABLE rewritten AS SELECT * FROM event WHERE id = 1")
    conn.execute("UPDATE rewritten SET reason = 'rewritten', actor = 'someone else'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute(statement)
    conn.rollback()
    assert conn.execute("SELECT * FROM event ORDER BY id").fetchall() == before
    conn.close()


def test_the_apps_own_connections_refuse_an_insert_over_an_event_too(
    cli: Cli, db_path: Path
) -> None:
    cli.ok("demo")
    factory = db.open_database(f"sqlite:///{db_path}")
    try:
        with pytest.raises(SADatabaseError, match="append-only"), db.unit_of_work(factory) as s:
            s.connection().exec_driver_sql("REPLACE INTO event SELECT * FROM event WHERE id = 1")
    finally:
        db.reset_engine(factory)


# 19 ------------------------------------------------------------------------------------


def test_a_persons_action_waits_for_a_long_write_and_says_it_is_waiting(
    cli: Cli, db_path: Path
) -> None:
    cli.ok("init")
    holder = _hold_write_lock(db_path, 6.5)
    started = time.monotonic()
    code, out, err = cli("partner", "add", "MEAM")
    waited = time.monotonic() - started
    holder.wait()
    assert code == 0, err
    assert waited > 5.5
    assert "waiting for another writer" in err
    assert "MEAM" in cli.ok("partner", "list")


def test_the_app_is_told_while_a_write_waits_for_another_writer(
    factory: sessionmaker[Session], db_path: Path
) -> None:
    told: list[str] = []
    db.set_wait_notice(factory, told.append)  # the app shows it as a notice
    holder = _hold_write_lock(db_path, 2.0)
    with db.unit_of_work(factory) as session:
        add_partner(session, name="MEAM")
    holder.wait()
    assert told == [f"waiting for another writer to finish with {db_path.name}…"]


def test_a_write_that_waits_too_long_says_what_holds_the_file(
    cli: Cli, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli.ok("init")
    monkeypatch.setattr(db, "WRITE_WAIT_S", 2.0, raising=False)  # not the usual 30 s
    holder = _hold_write_lock(db_path, 8)
    try:
        code, out, err = cli("partner", "add", "MEAM")
    finally:
        holder.kill()
        holder.wait()
    assert code == 1
    assert err.count("\n") == 2 and err.splitlines()[0].startswith("portfolio: waiting")
    last = err.splitlines()[-1]
    assert str(db_path) in last and "nothing was saved" in last
    if Path("/proc/self/fd").is_dir():
        assert f"process {holder.pid}" in last
    else:
        assert "another program is writing to" in last
    assert "MEAM" not in cli.ok("partner", "list")


# 20 ------------------------------------------------------------------------------------


def _partners_csv(folder: Path) -> Path:
    path = folder / "partners.csv"
    path.write_text("name,kind\nNew Partner,charity\n", encoding="utf-8")
    return path


def test_reads_and_dry_runs_do_not_wait_for_another_writer(
    cli: Cli, db_path: Path, tmp_path: Path
) -> None:
    cli.ok("demo")
    csv = _partners_csv(tmp_path)
    holder = _hold_write_lock(db_path, 20)
    try:
        for command in (
            ("partner", "list"),
            ("decision", "enact", "1", "--dry-run"),
            ("import", "partners", str(csv), "--dry-run"),
        ):
            started = time.monotonic()
            code, out, err = cli(*command)
            assert code == 0, (command, err)
            assert time.monotonic() - started < 2.0, command
    finally:
        holder.kill()
        holder.wait()
    assert "New Partner" not in cli.ok("partner", "list")


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[Path]:
    """A folder outside pytest's own (which may be private) for a read-only database."""
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="portfolio-ro-"))
    os.chmod(folder, 0o755)
    yield folder
    os.chmod(folder, 0o755)
    for p in folder.iterdir():
        p.unlink()
    folder.rmdir()


def _run_as_reader(args: list[str]) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    command = [sys.executable, "-m", "portfolio.cli", *args]
    if os.geteuid() == 0:
        # Root writes anywhere whatever chmod says: run without that power, so the
        # file's and folder's modes hold as they would for anyone else.
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv: a read-only folder cannot be made")
        command = ["setpriv", "--bounding-set", "-dac_override", *command]
    return subprocess.run(command, capture_output=True, text=True, env=env)


def test_reads_and_dry_runs_work_on_a_read_only_database_in_a_read_only_folder(
    read_only_folder: Path,
) -> None:
    path = read_only_folder / "portfolio.db"
    assert subprocess.run([sys.executable, "-m", "portfolio.cli", "--db", str(path), "demo"],
                          capture_output=True).returncode == 0  # fmt: skip
    csv = Path(read_only_folder.parent / f"{read_only_folder.name}.csv")
    csv.write_text("name,kind\nNew Partner,charity\n", encoding="utf-8")
    os.chmod(csv, 0o644)
    os.chmod(path, 0o444)
    os.chmod(read_only_folder, 0o555)
    before = _digest(read_only_folder)
    try:
        for command in (
            ["partner", "list"],
            ["history"],
            ["export", "table", "partners", "--format", "csv"],
            ["decision", "enact", "1", "--dry-run"],
            ["import", "partners", str(csv), "--dry-run"],
        ):
            run = _run_as_reader(["--db", str(path), *command])
            assert run.returncode == 0, (command, run.stderr)
            assert "Traceback" not in run.stderr
        run = _run_as_reader(["--db", str(path), "partner", "add", "Someone"])
        assert run.returncode == 1 and run.stderr.count("\n") == 1
    finally:
        csv.unlink()
    assert _digest(read_only_folder) == before


# 21 ------------------------------------------------------------------------------------


def _closed_database(path: Path, *statements: str) -> None:
    db.reset_engine(db.open_database(f"sqlite:///{path}"))
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=DELETE")  # as a copy from elsewhere may be
    for statement in statements:
        conn.execute(statement)
    conn.close()


@pytest.mark.parametrize(
    ("change", "said"),
    [
        ("UPDATE alembic_version SET version_num = '9999'", "newer version of portfolio"),
        ("INSERT INTO alembic_version VALUES ('0001')", "more than one schema version"),
    ],
)
def test_a_database_with_a_newer_or_doubled_schema_is_refused_and_left_byte_for_byte(
    cli: Cli, db_path: Path, change: str, said: str
) -> None:
    _closed_database(db_path, change)
    before = _digest(db_path.parent)
    for command in (("partner", "list"), ("init",), ("partner", "add", "MEAM")):
        code, out, err = cli(*command)
        assert code == 1, command
        assert err.count("\n") == 1 and said in err and "unexpected" not in err, err
        assert _digest(db_path.parent) == before, command
