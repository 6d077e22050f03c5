"""The Textual app. Only this package imports Textual."""

import os
import sys

from sqlalchemy.orm import sessionmaker
from sqlmodel import Session


def run_app(factory: sessionmaker[Session]) -> None:
    from portfolio.tui.app import create_app

    # The start-up benchmark: run headless, exit once the overview shows its data, and
    # say when that was (wall clock), so the interpreter's teardown is not counted.
    bench = os.environ.get("PORTFOLIO_BENCH_EXIT") == "1"
    app = create_app(factory, exit_when_ready=bench)
    app.run(headless=bench)
    if bench:
        print(f"ready {app.ready_at}", file=sys.stderr)
