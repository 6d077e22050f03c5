"""Finding things: overview, keys, paging and search, palette, help, theme."""

from pathlib import Path

import pytest
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session
from textual.widgets import DataTable, Input, OptionList

from portfolio import db
from portfolio.services.partners import add_partner
from portfolio.services.workstreams import add_workstream
from portfolio.settings import load_config
from portfolio.tui.screens.help import HelpScreen
from portfolio.tui.screens.overview import OverviewScreen
from portfolio.tui.screens.partner import PartnerScreen
from portfolio.tui.screens.workstream import WorkstreamScreen
from tests.tui.tui_support import make_app, on, settle, wait_for
from tests.words import make


def cells(table: DataTable[str], row: int) -> list[str]:
    return [str(c) for c in table.get_row_at(row)]


async def test_the_overview_counts_partnerships_and_lists_what_needs_attention(scenario_factory):  # type: ignore[no-untyped-def]
    app = make_app(scenario_factory)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)
        workstreams = app.screen.query_one("#workstreams", DataTable)
        assert [cells(workstreams, i)[0] for i in range(workstreams.row_count)] == [
            "How", "National", "Place", "Who",
        ]  # fmt: skip
        national = cells(workstreams, 1)
        assert national[2:5] == ["5", "1", "1"]  # active, under review, ending
        attention = app.screen.query_one("#attention", OptionList)
        rows = [str(attention.get_option_at_index(i).prompt) for i in range(attention.option_count)]
        assert rows[0].startswith("Ending   MEAM  ending in National")
        assert "planned end 2021-05-31 passed" in rows[0] and "7 checklist steps open" in rows[0]
        assert rows[1].startswith("Review   Agenda  under review in National since 2021-03-05")
        assert rows[2].startswith("Theme    Ethnic inequality in mental health  unhomed")


async def test_enter_opens_a_workstream_and_escape_comes_back(demo_factory):  # type: ignore[no-untyped-def]
    app = make_app(demo_factory)
    async with app.run_test() as pilot:
        # Each key waits for what it acts on to be read (on a loaded machine a read
        # can finish after the first settle).
        table = app.screen.query_one("#workstreams", DataTable)
        await wait_for(pilot, lambda: table.row_count == 4, "the workstreams")
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, WorkstreamScreen), "a workstream")
        assert app.screen.workstream == "National"  # type: ignore[attr-defined]
        partners = app.screen.query_one("#partnerships", DataTable)
        await wait_for(pilot, lambda: partners.row_count > 0, "its partnerships")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PartnerScreen), "a partner")
        await pilot.press("escape", "escape")
        await wait_for(pilot, lambda: isinstance(app.screen, OverviewScreen), "the overview")


async def test_the_palette_jumps_to_a_partner_by_fuzzy_name(demo_factory):  # type: ignore[no-untyped-def]
    app = make_app(demo_factory)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"blackthr")
        await wait_for(pilot, lambda: _palette_has(app, "Partner: Black Thrive"), "a hit")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PartnerScreen), "the partner")
        assert app.screen.partner == "Black Thrive"


def _palette_has(app, text: str) -> bool:  # type: ignore[no-untyped-def]
    from textual.command import CommandList

    lists = app.screen.query(CommandList)
    return bool(lists) and any(text in str(o.prompt) for o in lists.first().options)


async def test_the_palette_lists_the_screens_actions(demo_factory):  # type: ignore[no-untyped-def]
    app = make_app(demo_factory)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.open_workstream("National")
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Start a partnership in National" in titles
        assert "End Agenda" in titles and "Close National" in titles
        assert "Overview" in titles and "Help" in titles


async def test_question_mark_opens_help_and_escape_closes_it(demo_factory):  # type: ignore[no-untyped-def]
    app = make_app(demo_factory)
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, OverviewScreen)


@pytest.fixture
def big_factory(factory: sessionmaker[Session]) -> sessionmaker[Session]:
    with db.unit_of_work(factory) as s:
        add_workstream(s, on("2020-01-01"), name="Big")
        for i in range(450):
            add_partner(s, name=f"Partner {i:03d}")
            make(s, on("2020-02-01"), "start", partner=f"Partner {i:03d}", workstream="Big")
        for i in range(0, 450, 50):
            make(
                s, on("2020-03-01"), "end", partner=f"Partner {i:03d}", workstream="Big",
                by=on("2020-12-31").on, reason="done",
            )  # fmt: skip
    return factory


async def test_a_big_workstream_pages_searches_and_filters(big_factory):  # type: ignore[no-untyped-def]
    app = make_app(big_factory)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.open_workstream("Big")
        await settle(pilot)
        screen = app.screen
        table = screen.query_one("#partnerships", DataTable)
        pager = screen.query_one("#pager")
        assert table.row_count == 200 and "1–200 of 450" in str(pager.render())
        await pilot.press("n")
        await settle(pilot)
        assert "201–400 of 450" in str(pager.render()) and cells(table, 0)[0] == "Partner 200"
        await pilot.press("n")
        await settle(pilot)
        assert "401–450 of 450" in str(pager.render()) and table.row_count == 50
        await pilot.press("p")
        await settle(pilot)
        assert "201–400 of 450" in str(pager.render())
        await pilot.press("slash", *"r 12")
        await settle(pilot)
        assert screen.query_one("#search", Input).value == "r 12"
        assert [cells(table, i)[0] for i in range(table.row_count)][:2] == [
            "Partner 120", "Partner 121",
        ]  # fmt: skip
        assert "1–10 of 10" in str(pager.render())
        screen.query_one("#search", Input).value = ""
        screen.query_one("#state").value = "ending"  # type: ignore[attr-defined]
        await settle(pilot)
        assert "1–9 of 9" in str(pager.render())


async def test_the_chosen_theme_is_saved_and_applied_next_time(
    demo_factory, tmp_path: Path, monkeypatch
):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("PORTFOLIO_CONFIG", str(tmp_path / "config.toml"))
    app = make_app(demo_factory)
    async with app.run_test() as pilot:
        await settle(pilot)
        app.theme = "nord"
        await settle(pilot)
    assert load_config()["theme"] == "nord"
    again = make_app(demo_factory)
    async with again.run_test() as pilot:
        await settle(pilot)
        assert again.theme == "nord"
