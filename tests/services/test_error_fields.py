"""Service errors name the field they are about and never a command-line option."""

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from portfolio import db
from portfolio.errors import PortfolioError
from portfolio.reports.board_data import build_board_update
from portfolio.services import actions, decisions, grants, groups, insights, sessions, themes
from portfolio.services.demo import load_demo
from tests.conftest import stamp

D = date.fromisoformat

CASES: list[tuple[str, str, Callable[[Session], Any]]] = [
    ("home", "either a home workstream or, unhomed, its leads",
     lambda s: themes.add_theme(s, stamp(), name="Housing")),
    ("home", "either a home workstream or, unhomed, its leads",
     lambda s: themes.add_theme(s, stamp(), name="Housing", home="Who", leads=["Jess"])),
    ("prompts", "at least one prompt",
     lambda s: sessions.add_template(s, name="Empty", prompts=[])),
    ("prompts", "its own short name",
     lambda s: sessions.add_template(s, name="Twice", prompts=[("a", "x"), ("a", "y")])),
    ("every", "not a cadence",
     lambda s: groups.add_group(s, name="Panel", every="fortnightly",
                                first_meeting=D("2021-01-04"))),
    ("seats", "rotating seats per meeting",
     lambda s: groups.add_group(s, name="Panel", every="2 months", first_meeting=D("2021-01-04"),
                                seats=-1)),
    ("months", "at least one month",
     lambda s: groups.schedule(s, name="External messaging group", start=D("2021-01-01"),
                               months=0)),
    ("on", "date this then or later",
     lambda s: actions.drop(s, stamp("2021-01-15"), action_id=4)),
    ("due", "before the action is set",
     lambda s: actions.add_action(s, text="Write", owner="Jess", actor="t", on=D("2021-03-01"),
                                  due=D("2021-01-01"))),
    ("decision", "what was decided",
     lambda s: decisions.add_decision(s, stamp(), title="Close it", decision=" ")),
    ("title", "needs a title",
     lambda s: decisions.add_decision(s, stamp(), title=" ", decision="Close")),
    ("status", "proposed or agreed",
     lambda s: decisions.add_decision(s, stamp(), title="Close it", decision="Close",
                                      status="enacted")),
    ("session_id", "say which session",
     lambda s: insights.add_insight(s, text="Power shifts", prompt="ask")),
    ("visibility", "not a visibility",
     lambda s: insights.add_insight(s, text="Power shifts", visibility="secret")),
    ("workstream", "start one first",
     lambda s: grants.add_grant(s, stamp(), partner="Healthy Hyde", workstream="National",
                                amount=Decimal(10))),
    ("amount", "more than zero",
     lambda s: grants.add_grant(s, stamp(), partner="MEAM", workstream="National",
                                amount=Decimal(0))),
    ("end", "before its start",
     lambda s: grants.add_grant(s, stamp(), partner="MEAM", workstream="National",
                                amount=Decimal(10), start=D("2021-05-01"), end=D("2021-01-01"))),
    ("database", "loads only into an empty one", load_demo),
    ("date_from", "swap them",
     lambda s: build_board_update(s, date_from=D("2021-12-31"), date_to=D("2021-10-01"))),
]  # fmt: skip


@pytest.mark.parametrize(("field", "words", "call"), CASES, ids=[c[0] for c in CASES])
def test_an_error_about_one_field_names_that_field_in_plain_words(
    demo_factory: sessionmaker[Session], field: str, words: str, call: Callable[[Session], Any]
) -> None:
    with pytest.raises(PortfolioError) as raised, db.unit_of_work(demo_factory) as s:
        call(s)
    assert raised.value.field == field
    assert words in str(raised.value)
    assert "--" not in str(raised.value)
