"""The key bar at the foot of each screen: the keys that work here, and clickable."""

from portfolio.tui.screens.help import HelpScreen
from portfolio.tui.screens.workstream import WorkstreamScreen
from portfolio.tui.widgets.keybar import KeyBar
from tests.tui.tui_support import make_app, settle, wait_for


def bar_text(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one(KeyBar).render())


async def test_the_bar_shows_only_the_keys_that_work_on_the_highlighted_row(scenario_factory):  # type: ignore[no-untyped-def]
    app = make_app(scenario_factory)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        app.open_workstream("National")
        await wait_for(pilot, lambda: getattr(app.screen, "data", None) is not None, "National")
        screen = app.screen
        assert isinstance(screen, WorkstreamScreen)
        lines = screen.data.page.lines if screen.data else []
        states = [line.state for line in lines]
        table = screen.query_one("#partnerships")
        table.move_cursor(row=states.index("active"))  # type: ignore[attr-defined]
        await settle(pilot)
        assert " r Review " in bar_text(app) and " e End " in bar_text(app)
        assert "Resume" not in bar_text(app)
        table.move_cursor(row=states.index("review"))  # type: ignore[attr-defined]
        await settle(pilot)
        assert " u Resume " in bar_text(app) and "Review " not in bar_text(app)
        assert bar_text(app).rstrip().endswith("^p palette")


async def test_clicking_a_key_in_the_bar_presses_it(demo_factory):  # type: ignore[no-untyped-def]
    app = make_app(demo_factory)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        text = bar_text(app)
        await pilot.click(KeyBar, offset=(text.index(" ? ") + 1, 0))
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), "the help screen")
