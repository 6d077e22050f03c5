"""Shared fixtures: real SQLite files in a temp dir, real migrations, no user config."""

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from portfolio import db
from portfolio.cli import main
from portfolio.services.demo import load_demo
from portfolio.services.history import Stamp

# Tests never read the developer's own config, data dir or identity.
os.environ["PORTFOLIO_CONFIG"] = str(Path(__file__).parent / "no-such-config.toml")
os.environ.pop("PORTFOLIO_DB", None)
os.environ["PORTFOLIO_USER"] = "tester"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "portfolio.db"


@pytest.fixture
def factory(db_path: Path) -> Iterator[sessionmaker[Session]]:
    made = db.open_database(f"sqlite:///{db_path}")
    yield made
    db.reset_engine(made)


@pytest.fixture
def demo_factory(factory: sessionmaker[Session]) -> sessionmaker[Session]:
    with db.unit_of_work(factory) as session:
        load_demo(session)
    return factory


def stamp(on: str = "2021-03-01", actor: str = "tester") -> Stamp:
    return Stamp(on=date.fromisoformat(on), actor=actor)


class Cli:
    """Runs the real ``portfolio`` command in-process against one database file."""

    def __init__(self, db_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.db_file = db_file
        self.capsys = capsys

    def __call__(self, *args: str) -> tuple[int, str, str]:
        self.capsys.readouterr()
        code = main(["--db", str(self.db_file), *args])
        out, err = self.capsys.readouterr()
        return code, out, err

    def ok(self, *args: str) -> str:
        code, out, err = self(*args)
        assert code == 0, f"portfolio {' '.join(args)} failed ({code}): {err}"
        return out


@pytest.fixture
def cli(db_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(db_path, capsys)
