"""Conventions people bring from other terminal apps (Harlequin, Posting, lazygit):
q quits, the key bar never silently drops keys, escape clears a search before going
back, focus shows without colour, columns sort, and cut text can be read whole."""

import re
from typing import Any

import pytest
from rich.segment import Segment
from textual.coordinate import Coordinate
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Button, DataTable, Input, OptionList, Select, Static, Tabs

from portfolio import db
from portfolio.services.insights import add_insight
from portfolio.tui.app import PortfolioApp
from portfolio.tui.screens.base import BaseScreen
from portfolio.tui.screens.form import FormScreen
from portfolio.tui.screens.help import HelpScreen
from portfolio.tui.screens.learning import LearningScreen, SessionScreen
from portfolio.tui.screens.overview import OverviewScreen
from portfolio.tui.screens.reader import ReaderScreen
from portfolio.tui.screens.workstream import WorkstreamScreen
from portfolio.tui.widgets.keybar import KeyBar
from portfolio.tui.widgets.table import Table
from tests.tui.tui_support import make_app, on, settle, wait_for


def bar(app: PortfolioApp) -> str:
    return str(app.screen.query_one(KeyBar).render())


def column(table: DataTable[Any], key: str) -> list[str]:
    index = table.get_column_index(key)
    return [str(table.get_cell_at(Coordinate(row, index))) for row in range(table.row_count)]


async def loaded(pilot: Pilot[Any]) -> None:
    def read() -> bool:  # the report screen keeps its preview's text, the others their data
        screen = pilot.app.screen
        return getattr(screen, "data", None) is not None or bool(getattr(screen, "text", ""))

    await wait_for(pilot, read, "a read")
    await settle(pilot)


async def open_screen(pilot: Pilot[Any], name: str) -> BaseScreen:
    app: PortfolioApp = pilot.app  # type: ignore[assignment]
    await wait_for(pilot, lambda: isinstance(app.screen, OverviewScreen), "the overview")
    await loaded(pilot)
    opener = {
        "workstream": lambda: app.open_workstream("National"),
        "partner": lambda: app.open_partner("MEAM"),
        "decisions": app.action_decisions,
        "learning": app.action_learning,
        "report": app.action_board,
    }
    if name in opener:
        opener[name]()
        await wait_for(pilot, lambda: not isinstance(app.screen, OverviewScreen), name)
        await loaded(pilot)
    assert isinstance(app.screen, BaseScreen)
    return app.screen


# 1. q quits where no text box has focus; in a text box it types.


async def test_q_quits_from_the_overview_and_the_bar_says_so(demo_factory):  # type: ignore[no-untyped-def]
    app = make_app(demo_factory)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, "overview")
        assert " q Quit " in bar(app)
        await pilot.press("q")
        await pilot.pause()
        assert app.return_code == 0  # the app ended


async def test_q_in_a_text_box_types_a_q(demo_factory):  # type: ignore[no-untyped-def]
    app = make_app(demo_factory)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_screen(pilot, "workstream")
        await pilot.press("slash", "q")
        await settle(pilot)
        assert screen.query_one("#search", Input).value == "q"
        assert app.return_code is None and app.screen is screen
        # The bar no longer offers q while the text box takes it: ctrl+q still quits.
        assert " q Quit " not in bar(app) and " ^q Quit " in bar(app)


async def test_q_types_in_a_form_and_closes_the_help(demo_factory):  # type: ignore[no-untyped-def]
    app = make_app(demo_factory)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_screen(pilot, "workstream")
        await pilot.press("s")  # start a partnership: a form of text boxes
        await wait_for(pilot, lambda: isinstance(app.screen, FormScreen), "the form")
        form = app.screen
        await wait_for(pilot, lambda: isinstance(form.focused, Input), "a text box")
        box = form.focused
        assert isinstance(box, Input)
        before = box.value
        await pilot.press("q")
        await settle(pilot)
        assert box.value == before + "q" and app.screen is form and app.return_code is None
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen, "the form to close")
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), "the help")
        await pilot.press("q")  # on the help, q closes it rather than quitting the app
        await wait_for(pilot, lambda: app.screen is screen, "the help to close")
        assert app.return_code is None


async def test_q_closes_a_session_read_whole(demo_factory):  # type: ignore[no-untyped-def]
    app = make_app(demo_factory)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_screen(pilot, "learning")
        await pilot.click("#--content-tab-tab-sessions")
        await pilot.press("tab")
        await settle(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SessionScreen), "the session")
        await pilot.press("q")
        await wait_for(pilot, lambda: app.screen is screen, "the session to close")
        assert app.return_code is None


# 2. The key bar shows what fits and `?` for the rest; the help lists every key.

SCREENS = ["overview", "workstream", "partner", "decisions", "learning", "report"]


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("name", SCREENS)
async def test_the_key_bar_never_silently_drops_a_key(scenario_factory, name, width):  # type: ignore[no-untyped-def]
    app = make_app(scenario_factory)
    async with app.run_test(size=(width, 30)) as pilot:
        screen = await open_screen(pilot, name)
        text = bar(app)
        assert len(text) <= width and text.rstrip().endswith("^p palette")
        offered = {
            active.binding.description
            for key, active in screen.active_bindings.items()
            if active.binding.show and active.enabled and key != app.COMMAND_PALETTE_BINDING
            and active.binding.action not in ("help", "quit")
        }  # fmt: skip
        shown = {d for d in offered if f" {d} " in text}
        more = re.search(r" \? (\d+) more ", text)
        if shown == offered:
            assert " ? Help " in text
        else:  # what does not fit is counted on the help key, never lost without a word
            assert more is not None, text
            assert int(more.group(1)) == len(offered - shown), (text, offered - shown)
        assert " q Quit " in text
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), "the help")
        listed = {what for _, what in app.screen.keys}  # type: ignore[attr-defined]
        assert offered <= listed, offered - listed
        hidden = {a.binding.description for a in screen.active_bindings.values()
                  if a.node is screen and a.enabled}  # fmt: skip
        assert hidden <= listed  # also the keys the bar keeps quiet (f Filter, say)


# 3. Escape clears a search, then goes back.


async def test_escape_clears_the_search_then_goes_back(scenario_factory):  # type: ignore[no-untyped-def]
    app = make_app(scenario_factory)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_screen(pilot, "workstream")
        assert isinstance(screen, WorkstreamScreen)
        table = screen.query_one("#partnerships", DataTable)
        everyone = table.row_count
        await pilot.press("slash", *"MEA")
        await wait_for(pilot, lambda: table.row_count == 1, "the search")
        await pilot.press("escape")
        await wait_for(pilot, lambda: table.row_count == everyone, "the search cleared")
        assert screen.query_one("#search", Input).value == "" and app.screen is screen
        assert table.has_focus
        screen.query_one("#state", Select).value = "ending"  # the state filter, too
        await wait_for(pilot, lambda: table.row_count == 1, "the filter")
        await pilot.press("escape")
        await wait_for(pilot, lambda: table.row_count == everyone, "the filter cleared")
        assert screen.query_one("#state", Select).is_blank() and app.screen is screen
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, OverviewScreen), "back")


async def test_escape_clears_the_insight_filters_then_goes_back(scenario_factory):  # type: ignore[no-untyped-def]
    app = make_app(scenario_factory)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_screen(pilot, "learning")
        assert isinstance(screen, LearningScreen)
        table = screen.query_one("#insights", DataTable)
        await wait_for(pilot, lambda: bool(screen.query("#filter-tag")), "the filters")
        everything = table.row_count
        select = screen.query_one("#filter-workstream", Select)
        await wait_for(pilot, lambda: len(select._options) > 1, "the filter's choices")
        select.value = "How"
        await wait_for(pilot, lambda: table.row_count < everything, "the filter")
        await pilot.press("escape")
        await wait_for(pilot, lambda: table.row_count == everything, "the filter cleared")
        assert select.is_blank() and app.screen is screen
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, OverviewScreen), "back")


# 4. A focus that shows without colour.


def marks(widget: Widget) -> list[tuple[str, bool, bool, bool]]:
    """What the widget draws, without its colours: characters, bold, underline, reverse."""
    drawn = []
    for part in [widget, *widget.query("*")]:  # a choice draws in its parts
        if part.display and part.size.area:
            drawn += part.render_lines(Region(0, 0, part.size.width, part.size.height))
    return [
        (s.text, bool(s.style and s.style.bold), bool(s.style and s.style.underline),
         bool(s.style and s.style.reverse))
        for line in drawn for s in Segment.simplify(list(line)) if s.text.strip()
    ]  # fmt: skip


async def focused_and_not(pilot: Pilot[Any], widget: Widget, other: Widget) -> None:
    other.focus()
    await settle(pilot)
    blurred = marks(widget)
    widget.focus()
    await settle(pilot)
    assert widget.has_focus
    assert marks(widget) != blurred, f"{widget} shows focus only by colour"


async def test_every_focusable_part_shows_focus_without_colour(scenario_factory):  # type: ignore[no-untyped-def]
    app = make_app(scenario_factory)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_screen(pilot, "overview")
        table, attention = screen.query_one("#workstreams"), screen.query_one(OptionList)
        await focused_and_not(pilot, table, attention)
        await focused_and_not(pilot, attention, table)
        screen = await open_screen(pilot, "workstream")
        table = screen.query_one("#partnerships")
        await focused_and_not(pilot, screen.query_one("#search", Input), table)
        await focused_and_not(pilot, screen.query_one("#state", Select), table)
        app.action_learning()
        await wait_for(pilot, lambda: isinstance(app.screen, LearningScreen), "learning")
        await loaded(pilot)
        await focused_and_not(pilot, app.screen.query_one(Tabs), app.screen.query_one("#insights"))
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, FormScreen), "a form")
        form = app.screen
        await wait_for(pilot, lambda: isinstance(form.focused, Input), "a text box")
        await focused_and_not(pilot, form.query_one("#cancel", Button), form.query(Input).first())


# 5. Sortable columns.


async def test_columns_sort_by_key_and_by_click_numbers_as_numbers(scenario_factory):  # type: ignore[no-untyped-def]
    app = make_app(scenario_factory)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_screen(pilot, "overview")
        table = screen.query_one("#workstreams", Table)
        assert column(table, "name") == ["How", "National", "Place", "Who"]
        await pilot.press("greater_than_sign")  # by the first column
        await settle(pilot)
        assert table.ordered_columns[0].label.plain == "Workstream ▲"
        while table.sort_column != "committed":
            await pilot.press("greater_than_sign")
        await settle(pilot)
        money = column(table, "committed")
        # As numbers: £70,000 before £250,000 (as text it would come last).
        assert money == ["£70,000", "£250,000", "£530,000.50", "£875,000"], money
        assert table.ordered_columns[-1].label.plain == "Committed ▲"
        await pilot.press("less_than_sign")
        await settle(pilot)
        assert column(table, "committed") == money[::-1]
        assert table.ordered_columns[-1].label.plain == "Committed ▼"
        # A click on a heading sorts by it; a second click the other way.
        await pilot.click("#workstreams", offset=(4, 0))
        await settle(pilot)
        assert table.sort_column == "name" and column(table, "name")[0] == "How"
        await pilot.click("#workstreams", offset=(4, 0))
        await settle(pilot)
        assert column(table, "name")[0] == "Who"
        assert table.ordered_columns[0].label.plain == "Workstream ▼"


async def test_a_sorted_page_says_so_and_enter_opens_the_row_highlighted(scenario_factory):  # type: ignore[no-untyped-def]
    app = make_app(scenario_factory)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_screen(pilot, "workstream")
        table = screen.query_one("#partnerships", Table)
        table.sort_by("Funding", reverse=True)
        await settle(pilot)
        funding = column(table, "Funding")
        amounts = [float(f.strip("£").replace(",", "")) for f in funding]
        assert amounts == sorted(amounts, reverse=True)
        assert "sorted by Funding, descending" in str(screen.query_one("#pager").render())
        table.sort_by("Planned end")
        await settle(pilot)
        ends = column(table, "Planned end")
        dated = [e for e in ends if e != "-"]
        assert dated == sorted(dated) and ends[: len(dated)] == dated  # undated last
        table.sort_by("Funding", reverse=True)
        await settle(pilot)
        table.move_cursor(row=0)
        biggest = column(table, "Partner")[0]
        # A reload (a write elsewhere) keeps the sort.
        app.action_refresh()
        await settle(pilot)
        assert column(table, "Funding") == funding and table.sort_column == "Funding"
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is not screen, "the partner")
        assert app.screen.sub_title == biggest or getattr(app.screen, "partner", None) == biggest


# 6. Cut text can be read whole.


async def test_v_opens_the_highlighted_rows_text_whole_and_as_typed(scenario_factory):  # type: ignore[no-untyped-def]
    typed = "[b]Not bold[/b]" + " a long insight that the table cuts at eighty columns" * 3
    with db.unit_of_work(scenario_factory) as s:
        add_insight(s, text=typed, on=on("2021-05-01").on, workstreams=["National"])
    app = make_app(scenario_factory)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_screen(pilot, "learning")
        table = screen.query_one("#insights", DataTable)
        table.focus()
        row = next(i for i in range(table.row_count) if str(table.get_row_at(i)[1]) == typed)
        table.move_cursor(row=row)
        await settle(pilot)
        assert " v View whole " in bar(app) or "more" in bar(app)
        await pilot.press("v")
        await wait_for(pilot, lambda: isinstance(app.screen, ReaderScreen), "the reader")
        shown = app.screen.query_one("#reader-text", Static).render()
        assert typed in str(shown)  # whole, and its [b] as typed
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen, "the reader to close")


async def test_v_on_the_attention_list_reads_the_item_whole(scenario_factory):  # type: ignore[no-untyped-def]
    app = make_app(scenario_factory)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_screen(pilot, "overview")
        attention = screen.query_one(OptionList)
        attention.focus()
        attention.highlighted = 0
        await settle(pilot)
        whole = str(attention.get_option_at_index(0).prompt)
        await pilot.press("v")
        await wait_for(pilot, lambda: isinstance(app.screen, ReaderScreen), "the reader")
        assert str(app.screen.query_one("#reader-text", Static).render()) == whole
        await pilot.press("q")
        await wait_for(pilot, lambda: app.screen is screen, "the reader to close")
        assert app.return_code is None


async def test_a_table_already_showing_its_rows_is_not_covered_by_the_loading_sign(
    demo_factory,
):  # type: ignore[no-untyped-def]
    # The overview reads two parts; the workstreams arriving before the sign's delay and
    # the attention list after it left the workstreams under the sign for good.
    app = make_app(demo_factory)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_screen(pilot, "overview")
        table = screen.query_one("#workstreams", DataTable)
        screen.data = None  # type: ignore[attr-defined]  # as while the attention list is read
        screen.loading_after(0.01)
        await pilot.pause(0.1)
        assert table.row_count and not table.loading
