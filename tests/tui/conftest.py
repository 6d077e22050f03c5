"""The app on real demo databases, with a fixed 'today' so nothing depends on the clock."""

from datetime import date

import pytest
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from portfolio import db
from tests.tui.tui_support import on
from tests.words import make, rehome_theme


@pytest.fixture
def scenario_factory(demo_factory: sessionmaker[Session]) -> sessionmaker[Session]:
    """The demo a few months into seed 003: an ending, a review, an unhomed theme."""
    with db.unit_of_work(demo_factory) as s:
        make(
            s, on("2021-03-01"), "end", partner="MEAM", workstream="National",
            by=date(2021, 5, 31), reason="National team closing", exit_type="over",
        )  # fmt: skip
        make(s, on("2021-03-02"), "tick", partner="MEAM", workstream="National", step="told")
        make(
            s, on("2021-03-05"), "review", partner="Agenda", workstream="National", lead="Cathy",
            reason="Fit with the new strategy",
        )  # fmt: skip
        rehome_theme(
            s, on("2021-03-10"), name="Ethnic inequality in mental health", unhomed=True,
            leads=["Julian", "Cathy"], reason="No team holds it after National",
        )  # fmt: skip
    return demo_factory
