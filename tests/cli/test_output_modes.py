"""An export is written with the permissions the user's umask gives new files (it is
made to be passed on); one holding internal fields (partner notes) stays the owner's."""

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import Cli

SHARED_WRITERS = {
    "board md": ("report", "board", "--from", "2021-01-01", "--to", "2021-12-31"),
    "board html": ("report", "board", "--from", "2021-01-01", "--to", "2021-12-31",
                   "--format", "html"),
    "board docx": ("report", "board", "--from", "2021-01-01", "--to", "2021-12-31",
                   "--format", "docx"),
    "360giving": ("export", "360giving", "--format", "csv", "--funder-id", "GB-CHC-1234567",
                  "--funder-name", "Fund", "--prefix", "360G-fund"),
    "csv table": ("export", "table", "grants", "--format", "csv"),
    "xlsx table": ("export", "table", "partners", "--format", "xlsx"),
}  # fmt: skip


@pytest.fixture
def umask_027() -> Iterator[None]:
    old = os.umask(0o027)
    yield
    os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("writer", SHARED_WRITERS)
def test_an_export_honours_the_umask(
    cli: Cli, tmp_path: Path, writer: str, umask_027: None
) -> None:
    cli.ok("demo")
    target = tmp_path / f"out-{writer.replace(' ', '-')}"
    cli.ok(*SHARED_WRITERS[writer], "-o", str(target))
    assert target.stat().st_size > 0
    assert _mode(target) == 0o640  # 0666 less the umask's 027
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_a_replaced_export_takes_the_umask_too(cli: Cli, tmp_path: Path, umask_027: None) -> None:
    cli.ok("demo")
    target = tmp_path / "grants.csv"
    target.write_text("old\n")
    target.chmod(0o600)
    cli.ok("export", "table", "grants", "--format", "csv", "-o", str(target))
    assert target.read_text().startswith("id,")
    assert _mode(target) == 0o640


def test_an_export_with_internal_fields_stays_private(
    cli: Cli, tmp_path: Path, umask_027: None
) -> None:
    cli.ok("demo")
    target = tmp_path / "partners.csv"
    cli.ok("export", "table", "partners", "--format", "csv", "--include-internal",
           "-o", str(target))  # fmt: skip
    assert "notes" in target.read_text().splitlines()[0]
    assert _mode(target) == 0o600


def test_an_export_under_an_open_umask_is_readable_by_others(cli: Cli, tmp_path: Path) -> None:
    old = os.umask(0o002)
    try:
        cli.ok("demo")
        target = tmp_path / "board.md"
        cli.ok("report", "board", "--from", "2021-01-01", "--to", "2021-12-31", "-o", str(target))
    finally:
        os.umask(old)
    assert _mode(target) == 0o664
