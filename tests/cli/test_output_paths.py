"""An export or report written with -o never lands on the database or its own files."""

import os
from pathlib import Path

import pytest

from tests.conftest import Cli

WRITERS = {
    "csv table": ("export", "table", "grants", "--format", "csv"),
    "xlsx table": ("export", "table", "partners", "--format", "xlsx"),
    "360giving": ("export", "360giving", "--format", "json"),
    "board": ("report", "board", "--from", "2021-01-01", "--to", "2021-12-31"),
}
TARGETS = ["database", "wal", "shm", "journal", "backup", "symlink", "hardlink", "dotted path"]


def _target(db_path: Path, kind: str) -> Path:
    folder = db_path.parent
    if kind == "database":
        return db_path
    if kind in ("wal", "shm", "journal"):
        return folder / f"{db_path.name}-{kind}"
    if kind == "backup":
        backup = folder / f"{db_path.name}.20210101-120000.bak"
        backup.write_bytes(db_path.read_bytes())
        return backup
    if kind == "symlink":
        link = folder / "board.md"
        link.symlink_to(db_path)
        return link
    if kind == "hardlink":
        hard = folder / "grants.csv"
        os.link(db_path, hard)
        return hard
    (folder / "sub").mkdir()
    return folder / "sub" / ".." / db_path.name


@pytest.mark.parametrize("writer", WRITERS)
@pytest.mark.parametrize("kind", TARGETS)
def test_an_output_onto_the_database_or_its_files_is_refused_and_nothing_is_written(
    cli: Cli, db_path: Path, writer: str, kind: str
) -> None:
    cli.ok("demo")
    before = cli.ok("partner", "list", "--json")
    target = _target(db_path, kind)
    existed = target.exists()
    kept = target.read_bytes() if existed and kind == "backup" else None
    code, out, err = cli(*WRITERS[writer], "-o", str(target))
    assert code in (1, 2), (out, err)
    assert err.count("\n") == 1 and "database" in err and "nothing was written" in err
    assert "written to" not in out
    assert cli.ok("partner", "list", "--json") == before
    assert target.exists() == existed or kind in ("wal", "shm")  # SQLite's own files come and go
    if kept is not None:
        assert target.read_bytes() == kept
    if kind == "symlink":
        assert target.is_symlink()
    if kind == "hardlink":
        assert target.stat().st_ino == db_path.stat().st_ino


def test_an_output_beside_the_database_is_still_written(cli: Cli, db_path: Path) -> None:
    cli.ok("demo")
    target = db_path.parent / f"{db_path.name}.csv"
    out = cli.ok("export", "table", "partners", "--format", "csv", "-o", str(target))
    assert out == f"written to {target}\n"
    assert target.read_text(encoding="utf-8").startswith("id,name")
