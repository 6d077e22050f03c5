"""The real `portfolio` command in a real terminal (tmux): the overview appears."""

import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from portfolio.cli import main

pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None, reason="tmux is not installed (.ci/run installs it)"
)

PORTFOLIO = Path(sys.executable).parent / "portfolio"


def capture(session: str) -> str:
    done = subprocess.run(
        ["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True
    )
    return done.stdout


def test_portfolio_opens_the_overview_on_demo_data_in_a_real_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    demo = tmp_path / "demo.db"
    assert main(["--db", str(demo), "demo"]) == 0
    capsys.readouterr()
    session = f"portfolio-smoke-{uuid.uuid4().hex[:8]}"
    config = tmp_path / "config.toml"  # the app must not read or write the developer's config
    command = f"PORTFOLIO_CONFIG={config} {PORTFOLIO} --db {demo}"
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", "100", "-y", "30", command],
        check=True,
    )
    try:
        screen = ""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            screen = capture(session)
            if "National" in screen and "Needs attention" in screen:
                break
            time.sleep(0.2)
        assert "National" in screen, screen
        assert "Workstreams" in screen and "£875,000" in screen
        subprocess.run(["tmux", "send-keys", "-t", session, "Down", "Enter"], check=True)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and "Partnerships 1–" not in screen:
            time.sleep(0.2)
            screen = capture(session)
        assert "MEAM" in screen and "Partnerships 1–7 of 7" in screen, screen
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


def test_q_quits_from_the_overview_at_80x24(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    demo = tmp_path / "demo.db"
    assert main(["--db", str(demo), "demo"]) == 0
    capsys.readouterr()
    session = f"portfolio-quit-{uuid.uuid4().hex[:8]}"
    ended = tmp_path / "ended"  # written by the shell once the app's process is gone
    config = tmp_path / "config.toml"
    command = f"PORTFOLIO_CONFIG={config} {PORTFOLIO} --db {demo}; touch {ended}; sleep 30"
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", "80", "-y", "24", command],
        check=True,
    )
    try:
        screen = ""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and "Needs attention" not in screen:
            time.sleep(0.2)
            screen = capture(session)
        assert " q Quit " in screen.splitlines()[-1], screen  # the key bar says how
        subprocess.run(["tmux", "send-keys", "-t", session, "q"], check=True)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and not ended.exists():
            time.sleep(0.2)
        assert ended.exists(), capture(session)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
