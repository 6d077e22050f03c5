"""The board update reports every workstream still holding live work, closed or not."""

from datetime import date
from decimal import Decimal
from typing import Any

from report_story import board
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from portfolio import db
from portfolio.services import positions


def test_a_later_update_keeps_the_closed_national_team_with_its_reviews_and_endings(
    cli: Any, factory: sessionmaker[Session]
) -> None:
    cli.ok("demo")
    cli.ok("decision", "enact", "1")
    update = board(factory, "2021-10-01", "2021-12-31")
    assert [s.name for s in update.sections] == ["How", "National", "Place", "Who"]
    national = next(s for s in update.sections if s.name == "National")
    assert national.status == "closed" and national.closed_on == date(2021, 2, 10)
    assert sorted(r.partner for r in national.reviews) == [
        "Birmingham Pathfinder", "Leeds GATE", "Our Agency",
    ]  # fmt: skip
    assert [e.partner for e in national.endings] == ["Agenda", "MEAM"]
    for ending in national.endings:
        assert ending.planned_end is not None and ending.planned_end <= update.date_to
        assert len(ending.steps_open) == 8 and not ending.steps_done
    assert national.counts == {"review": 3, "ending": 2}
    assert national.committed == {"GBP": Decimal("495000.00")}
    # The paper's totals are the sum of its sections, and agree with the screens' model.
    with db.read_session(factory) as session:
        now = positions.current(session)
    assert update.summary.committed == now.committed_in() == {"GBP": Decimal("1725000.50")}
    assert update.summary.counts["review"] == 3 and update.summary.counts["ending"] == 2


def test_a_closed_workstream_with_nothing_live_or_recorded_in_the_period_is_left_out(
    cli: Any, factory: sessionmaker[Session]
) -> None:
    for ws in ("East", "West"):
        cli.ok("workstream", "add", ws, "--on", "2020-01-01")
    cli.ok("partner", "add", "Ada")
    cli.ok("partnership", "start", "Ada", "-w", "East", "--on", "2020-02-01")
    cli.ok("partnership", "transfer", "Ada", "--from", "East", "--to", "West",
           "--reason", "moves", "--on", "2020-06-01")  # fmt: skip
    cli.ok("workstream", "close", "East", "--on", "2020-07-01")
    assert [s.name for s in board(factory, "2021-01-01", "2021-03-31").sections] == ["West"]
    # Closed in the period, or with anything recorded then: reported.
    assert [s.name for s in board(factory, "2020-07-01", "2020-09-30").sections] == [
        "East", "West",
    ]  # fmt: skip
