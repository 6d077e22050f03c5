"""The database's files: looked at without being touched, backed up, never
overwritten by an export, and who else has them open.

Python's open() is never used on the database itself: closing a file this process
also has open through SQLite drops all of the process's POSIX locks on it (a POSIX
rule), and another process could then delete the WAL under our own connections.
"""

import glob
import os
import shutil
import sqlite3
import stat
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from sqlalchemy.engine import make_url

from portfolio.errors import DatabaseError, InvalidInput


def busy_message(path: Path, waited: float) -> str:
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


def sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def writable(path: Path) -> bool:
    folder = path.parent
    return os.access(folder, os.W_OK) and (not path.exists() or os.access(path, os.W_OK))


def read_only_uri(path: Path, *, look_only: bool = False) -> str:
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


def look(path: Path) -> sqlite3.Connection:
    """A connection that only looks: nothing written, no side files left.

    Through SQLite rather than Python's open(): closing a file this process has open
    through SQLite drops all of the process's POSIX locks on it (a POSIX rule), and
    another process could then delete the WAL under our own connections.
    SQLite keeps such a file open until its last lock goes.
    """
    return sqlite3.connect(read_only_uri(path, look_only=True), uri=True)


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
            # Created with the file's mode (never more open, whatever the umask
            # allowed), then exactly that mode (a shared file's group keeps access).
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
            try:
                os.fchmod(fd, mode)
            finally:
                os.close(fd)
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


def database_files(url: str) -> list[Path]:
    """The files that make up a SQLite database: the file, its journals, its backups."""
    path = sqlite_path(url) if url else None
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
