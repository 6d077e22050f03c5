"""Saving a report or export: whole or not at all (the CLI and the app share it)."""

import os
import secrets
from pathlib import Path

from portfolio.errors import PortfolioError

SHARED = 0o666  # what the user's umask allows: a report is made to be passed on
PRIVATE = 0o600  # internal fields (partner notes): the owner only, whatever the umask


def write_output(path: Path, data: str | bytes, *, private: bool = False) -> None:
    """Write whole or not at all: a temp file beside the target, renamed over it.

    The file gets the permissions the user's umask gives new files, or with
    ``private`` the owner's alone.
    """
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise PortfolioError(f"The folder {folder} does not exist; nothing was written.")
    if path.is_dir():
        raise PortfolioError(f"{path} is a folder; name a file in it. Nothing was written.")
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        temp, fd = _create_temp(folder, path.name, PRIVATE if private else SHARED)
    except OSError as exc:
        raise PortfolioError(
            f"{path} cannot be written ({exc.strerror}); nothing was written."
        ) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        os.replace(temp, path)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise PortfolioError(
            f"{path} cannot be written ({exc.strerror}); nothing was written."
        ) from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _create_temp(folder: Path, name: str, mode: int) -> tuple[Path, int]:
    """A new file of our own beside the target (never one already there). The kernel
    applies the umask to ``mode`` (tempfile.mkstemp would make every file 0600)."""
    while True:
        temp = folder / f".{name}.{secrets.token_hex(4)}.part"
        try:
            return temp, os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        except FileExistsError:
            continue
