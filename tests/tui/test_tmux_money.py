"""On generated data in a real 80x24 terminal the overview shows every workstream's
committed amount whole, as `portfolio workstream list --json` has it."""

import json
import shutil
import subprocess
import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path

import pytest

from portfolio.tui.format import moneys

pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None, reason="tmux is not installed (.ci/run installs it)"
)

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[2]


def test_the_overview_shows_every_committed_amount_whole_at_80_columns(tmp_path: Path) -> None:
    data = tmp_path / "gen.db"
    # The smallest generated size whose amounts (hundreds of millions) cut at 80 columns.
    subprocess.run(
        [BIN / "python", "-m", "bench.generate", "--out", data, "--scale", "0.3"],
        check=True, cwd=ROOT, capture_output=True,
    )  # fmt: skip
    listed = json.loads(
        subprocess.run(
            [BIN / "portfolio", "--db", data, "workstream", "list", "--json"],
            check=True, capture_output=True, text=True,
        ).stdout
    )  # fmt: skip
    expected = [moneys(committed(ws), "GBP") for ws in listed]
    assert any(len(amount) >= 14 for amount in expected), expected
    session = f"portfolio-money-{uuid.uuid4().hex[:8]}"
    config = tmp_path / "config.toml"
    command = f"PORTFOLIO_CONFIG={config} {BIN / 'portfolio'} --db {data}"
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", "80", "-y", "24", command], check=True
    )
    try:
        screen = table = ""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not all(a in table for a in expected):
            time.sleep(0.3)
            screen = subprocess.run(
                ["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True
            ).stdout
            table = screen.split("Partnerships by state")[0]  # the table, not the charts
        for ws, amount in zip(listed, expected, strict=True):
            assert amount in table, (ws["name"], amount, screen)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


def committed(ws: dict[str, object]) -> dict[str, Decimal]:
    by_currency = ws["committed_by_currency"]
    assert isinstance(by_currency, dict)
    return {code: Decimal(str(amount)) for code, amount in by_currency.items()}
