"""Lists and the overview issue a fixed number of SQL statements whatever the size."""

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from bench.generate import generate
from portfolio import db
from portfolio.services.overview import needs_attention, workstream_partnerships
from portfolio.services.partners import list_partners
from portfolio.services.workstreams import list_workstreams

SIZES = {
    "small": {"partners": 50, "partnerships": 200, "grants": 500, "events": 2_000},
    "large": {"partners": 2_000, "partnerships": 6_000, "grants": 6_000, "events": 20_000},
}


@pytest.fixture(scope="module")
def databases(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[dict[str, sessionmaker[Session]]]:
    folder = tmp_path_factory.mktemp("generated")
    made = {}
    for name, sizes in SIZES.items():
        path = folder / f"{name}.db"
        generate(path, **sizes)
        made[name] = db.open_database(f"sqlite:///{path}")
    yield made
    for factory in made.values():
        db.reset_engine(factory)


def statements(factory: sessionmaker[Session], query: Callable[[Session], Any]) -> tuple[int, int]:
    """How many SQL statements ``query`` sends, and how many items it returns."""
    engine: Engine = factory.kw["bind"]
    sent: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        sent.append(statement)

    with db.read_session(factory) as session:
        session.connection()  # open the connection (and its BEGIN) before counting
        event.listen(engine, "before_cursor_execute", count)
        try:
            result = query(session)
        finally:
            event.remove(engine, "before_cursor_execute", count)
    return len(sent), len(result)


QUERIES: dict[str, Callable[[Session], Any]] = {
    "partner list": lambda s: list_partners(s),
    "partner list --workstream": lambda s: list_partners(s, workstream="Workstream 03"),
    "partner list --state": lambda s: list_partners(s, state="review"),
    "partner list --workstream --state": lambda s: list_partners(
        s, workstream="Workstream 11", state="ending"
    ),
    "workstream list": lambda s: list_workstreams(s),
}


@pytest.mark.parametrize("name", QUERIES)
def test_a_list_sends_the_same_statements_on_small_and_large_portfolios(
    databases: dict[str, sessionmaker[Session]], name: str
) -> None:
    small, small_items = statements(databases["small"], QUERIES[name])
    large, large_items = statements(databases["large"], QUERIES[name])
    assert 0 < small_items <= large_items
    assert small == large, f"{name}: {small} statements on small data, {large} on large"
    assert large <= 4


def test_the_generated_portfolio_has_the_sizes_asked_for(tmp_path: Path) -> None:
    counts = generate(tmp_path / "g.db", partners=30, partnerships=90, grants=100, events=600)
    assert counts == {"partners": 30, "partnerships": 90, "grants": 100, "events": 600}


@pytest.mark.parametrize("screen", ["overview attention", "workstream page"])
def test_the_overview_and_a_workstream_page_send_the_same_statements_at_any_size(
    databases: dict[str, sessionmaker[Session]], screen: str
) -> None:
    read: Callable[[Session], Any] = {
        "overview attention": lambda s: needs_attention(s, date(2024, 6, 1)).items,
        "workstream page": lambda s: workstream_partnerships(s, workstream_id=3).lines,
    }[screen]
    small, small_items = statements(databases["small"], read)
    large, large_items = statements(databases["large"], read)
    assert 0 < small_items <= large_items
    assert small == large, f"{screen}: {small} statements on small data, {large} on large"
