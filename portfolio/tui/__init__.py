"""The Textual app. Only this package imports Textual."""

import os

from sqlalchemy.orm import sessionmaker
from sqlmodel import Session


def run_app(factory: sessionmaker[Session]) -> None:
    from portfolio.tui.app import create_app

    # The start-up benchmark: run headless and exit once the overview shows its data.
    bench = os.environ.get("PORTFOLIO_BENCH_EXIT") == "1"
    create_app(factory, exit_when_ready=bench).run(headless=bench)
