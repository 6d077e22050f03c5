"""The demo portfolio after the seed-003 changes, made with the CLI; report helpers.

Imported by this folder's conftest (fixtures) and tests (helpers)."""

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from portfolio import db
from portfolio.reports.board_data import build_board_update
from portfolio.reports.board_model import BoardUpdate

PERIOD = ("2021-01-01", "2021-03-31")
CLOSING = "The National team is closing"


def enact_seed_003(cli: Any) -> None:
    """The end state of the National decision, with the core commands, early in 2021."""
    on = ("--on", "2021-02-15")
    for partner in ("MEAM", "Agenda"):
        cli.ok("partnership", "end", partner, "-w", "National", "--by", "2021-12-31",
               "--reason", CLOSING, *on)  # fmt: skip
    cli.ok("partnership", "tick", "MEAM", "-w", "National", "told", "--on", "2021-02-20")
    for partner in ("Corra Foundation", "Localmotion"):
        cli.ok("partnership", "transfer", partner, "--from", "National", "--to", "Place",
               "--reason", "Place work outside our six areas belongs with Place", *on)  # fmt: skip
    for partner in ("Our Agency", "Leeds GATE", "Birmingham Pathfinder"):
        cli.ok("partnership", "review", partner, "-w", "National", "--lead", "Jess",
               "--reason", "How best to support this place-based work", *on)  # fmt: skip
    cli.ok("theme", "rehome", "Ethnic inequality in mental health", "--unhomed",
           "--lead", "Julian", "--lead", "Cathy", *on)  # fmt: skip
    cli.ok("workstream", "close", "National", "--on", "2021-02-16",
           "--reason", "National is not a useful container")  # fmt: skip


@pytest.fixture
def story_cli(cli: Any) -> Any:
    cli.ok("demo")
    enact_seed_003(cli)
    return cli


@pytest.fixture
def story_factory(story_cli: Any, db_path: Path) -> Iterator[sessionmaker[Session]]:
    made = db.open_database(f"sqlite:///{db_path}")
    yield made
    db.reset_engine(made)


def board(factory: sessionmaker[Session], start: str, end: str, *names: str) -> BoardUpdate:
    with db.read_session(factory) as session:
        return build_board_update(
            session,
            date_from=date.fromisoformat(start),
            date_to=date.fromisoformat(end),
            workstreams=names,
        )
