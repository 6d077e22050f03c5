"""Saving a report or export: whole or not at all (the CLI and the app share it)."""

import os
import tempfile
from pathlib import Path

from portfolio.errors import PortfolioError


def write_output(path: Path, data: str | bytes) -> None:
    """Write whole or not at all: a temp file beside the target, renamed over it."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise PortfolioError(f"The folder {folder} does not exist; nothing was written.")
    if path.is_dir():
        raise PortfolioError(f"{path} is a folder; name a file in it. Nothing was written.")
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        fd, temp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".part")
    except OSError as exc:
        raise PortfolioError(
            f"{path} cannot be written ({exc.strerror}); nothing was written."
        ) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        os.replace(temp, path)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise PortfolioError(
            f"{path} cannot be written ({exc.strerror}); nothing was written."
        ) from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
