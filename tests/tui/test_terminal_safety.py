"""The app draws no control character from the records: a name stored with escape
sequences (written by SQL, past any input check) shows stand-ins on every screen."""

import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from portfolio.models.base import name_key
from portfolio.tui.screens.partner import PartnerScreen
from portfolio.tui.screens.workstream import WorkstreamScreen
from tests.tui.tui_support import make_app, settle, wait_for

PARTNER = "Evil\x1b]0;pwned\x1b\\Trust\x1b[2J\x9b31m\x07\x00\x7f\u202eTsurt"
WORKSTREAM = "Nat\x1b[2Jional\u2066"
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture
def hostile_factory(
    scenario_factory: sessionmaker[Session], db_path: Path
) -> sessionmaker[Session]:
    with sqlite3.connect(db_path) as con:
        for table, old, new in (
            ("partner", "MEAM", PARTNER),
            ("workstream", "National", WORKSTREAM),
        ):
            con.execute(
                f"UPDATE {table} SET name = ?, name_key = ? WHERE name = ?",
                (new, name_key(new), old),
            )
    return scenario_factory


def screen_text(app: Any) -> str:
    """Every character the app would send for the current screen, as drawn."""
    return "".join(
        segment.text for strip in app.screen._compositor.render_strips() for segment in strip
    )


async def test_the_overview_and_partner_screens_draw_stand_ins_not_controls(
    hostile_factory: sessionmaker[Session],
) -> None:
    app = make_app(hostile_factory)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        overview = screen_text(app)
        assert "Nat␛[2Jional" in overview and "Evil␛]0;pwned" in overview
        assert UNSAFE.findall(overview) == []
        assert UNSAFE.findall(app.export_screenshot()) == []

        app.open_workstream(WORKSTREAM)
        await wait_for(pilot, lambda: isinstance(app.screen, WorkstreamScreen), "the workstream")
        await settle(pilot)
        shown = screen_text(app)
        assert "Evil␛]0;pwned" in shown and UNSAFE.findall(shown) == []

        app.open_partner(PARTNER)
        await wait_for(pilot, lambda: isinstance(app.screen, PartnerScreen), "the partner")
        await settle(pilot)
        shown = screen_text(app)
        assert "Evil␛]0;pwned" in shown and UNSAFE.findall(shown) == []
        assert "Nat␛[2Jional" in shown
