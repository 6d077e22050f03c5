"""Committed funding planned to end per quarter: the overview's third picture."""

from datetime import date
from decimal import Decimal

from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from portfolio import db
from portfolio.services import positions
from tests import positions_story as story
from tests.conftest import Cli


def test_committed_funding_is_placed_in_the_quarter_its_grant_is_planned_to_end(
    factory: sessionmaker[Session], cli: Cli
) -> None:
    story.build(cli.ok)
    with db.read_session(factory) as session:
        quarters = positions.ending_by_quarter(session, date(2021, 6, 1))
    assert [q.label for q in quarters] == [
        "2021 Q2", "2021 Q3", "2021 Q4", "2022 Q1", "2022 Q2", "2022 Q3", "2022 Q4", "2023 Q1",
    ]  # fmt: skip
    assert (quarters[0].first, quarters[0].last) == (date(2021, 6, 1), date(2021, 6, 30))
    assert (quarters[-1].first, quarters[-1].last) == (date(2023, 1, 1), date(2023, 3, 31))
    # Cy's GBP 200 (ending, still committed); Bo's GBP 300 moved to South with Bo; Ada's
    # EUR 50 apart from pounds. Di's GBP 400 ended with Di; Bo's GBP 1,000 ran out
    # before the move; Ada's GBP 100 and Ed's USD 70 have no planned end.
    assert {q.label: q.ending for q in quarters if q.ending} == {
        "2022 Q1": {"GBP": Decimal("200.00")},
        "2022 Q2": {"GBP": Decimal("300.00")},
        "2022 Q4": {"EUR": Decimal("50.00")},
    }


def test_funding_planned_to_end_before_today_or_after_two_years_is_in_no_quarter(
    factory: sessionmaker[Session], cli: Cli
) -> None:
    story.build(cli.ok)
    with db.read_session(factory) as session:
        later = positions.ending_by_quarter(session, date(2022, 4, 1))
        short = positions.ending_by_quarter(session, date(2020, 1, 1), count=8)
    assert {q.label: q.ending for q in later if q.ending} == {
        "2022 Q2": {"GBP": Decimal("300.00")},
        "2022 Q4": {"EUR": Decimal("50.00")},
    }
    assert [q.ending for q in short if q.ending] == []  # all of it ends in 2022


def test_the_quarters_add_up_to_what_the_history_path_says_is_planned_to_end(
    demo_factory: sessionmaker[Session],
) -> None:
    # The same rule as positions.as_at's "ending": committed, planned to end after
    # the day and by the last quarter's last day. The day after the demo's last award
    # and event, so that history and the records as they stand agree (and no grant
    # ends on the day itself, which the quarters count and as_at does not).
    today = date(2021, 6, 2)
    with db.read_session(demo_factory) as session:
        quarters = positions.ending_by_quarter(session, today)
        history = positions.as_at(session, today, ends_by=quarters[-1].last).ending_in()
    total: dict[str, Decimal] = {}
    for quarter in quarters:
        for currency, amount in quarter.ending.items():
            total[currency] = total.get(currency, Decimal("0.00")) + amount
    assert total == history and total["GBP"] > 0
