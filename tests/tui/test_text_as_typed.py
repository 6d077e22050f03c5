"""Headings show record text exactly as typed: brackets and backslashes in a name are
text, never markup (a name like "A [b" once lost its bold and showed a stray "[/b]")."""

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session
from textual.widgets import Static

from portfolio.models.base import name_key
from portfolio.services.sessions import show_session
from portfolio.tui.screens.decisions import DecisionsScreen
from portfolio.tui.screens.learning import session_parts
from portfolio.tui.screens.partner import PartnerScreen
from portfolio.tui.screens.workstream import WorkstreamScreen
from tests.tui.tui_support import make_app, settle, wait_for

PARTNER = "MEAM [b] \\"
WORKSTREAM = "National [/b] [dim"
TITLE = "Close [i]National\\"


@pytest.fixture
def bracketed(scenario_factory: sessionmaker[Session], db_path: Path) -> sessionmaker[Session]:
    with sqlite3.connect(db_path) as con:
        for table, old, new in (
            ("partner", "MEAM", PARTNER),
            ("workstream", "National", WORKSTREAM),
        ):
            con.execute(
                f"UPDATE {table} SET name = ?, name_key = ? WHERE name = ?",
                (new, name_key(new), old),
            )
        con.execute("UPDATE decision SET title = ?", (TITLE,))
    return scenario_factory


def heading(screen: object, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())  # type: ignore[attr-defined]


async def test_names_with_brackets_and_backslashes_show_as_typed(
    bracketed: sessionmaker[Session],
) -> None:
    app = make_app(bracketed)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_workstream(WORKSTREAM)
        await wait_for(pilot, lambda: isinstance(app.screen, WorkstreamScreen), "the workstream")
        await settle(pilot)
        assert heading(app.screen, "#about").startswith(f"{WORKSTREAM}  open since")

        app.open_partner(PARTNER)
        await wait_for(pilot, lambda: isinstance(app.screen, PartnerScreen), "the partner")
        await settle(pilot)
        assert heading(app.screen, "#details").startswith(f"{PARTNER}  ")

        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, DecisionsScreen), "decisions")
        await settle(pilot)
        assert heading(app.screen, "#detail").startswith(f"1. {TITLE}\n")


def test_a_session_read_whole_shows_its_text_as_typed(
    scenario_factory: sessionmaker[Session],
) -> None:
    with scenario_factory() as session:
        detail = show_session(session, 1)
    detail["title"] = "Endings [b]well\\"
    detail["notes"] = "Keep [/dim] this\\"
    plain = [text.plain for _kind, text in session_parts(detail)]
    assert plain[0] == "Endings [b]well\\"
    assert "Keep [/dim] this\\" in plain
