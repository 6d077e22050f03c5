"""The app's forms read what is typed by the same rules as the CLI, and say what is
wrong under the field it is in; nothing is written."""

from typing import Any

from textual.widgets import Button, Static

from portfolio.services.sessions import list_sessions
from tests.dbstate import dump
from tests.tui.test_flows import fill, open_workstream_row
from tests.tui.test_learning import open_form, open_learning, put
from tests.tui.test_refusal_fields import refused, under
from tests.tui.tui_support import make_app, read, settle


async def test_a_date_beyond_2200_is_held_back_under_its_field(demo_factory, db_path):  # type: ignore[no-untyped-def]
    before = dump(db_path)
    app = make_app(demo_factory)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_workstream_row(pilot, "National", "MEAM")
        await pilot.press("e")
        await fill(pilot, "by", "9999-12-31")
        await fill(pilot, "reason", "far away")
        problem = app.screen.query_one("#problem-by", Static)
        assert "between 1900-01-01 and 2200-12-31" in str(problem.render())
        assert app.screen.query_one("#confirm", Button).disabled
        await fill(pilot, "by", "20211201")
        assert "YYYY-MM-DD" in str(problem.render())
    assert dump(db_path) == before


async def test_a_title_with_an_escape_sequence_is_refused_under_the_title(demo_factory, db_path):  # type: ignore[no-untyped-def]
    app = make_app(demo_factory)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_learning(pilot)
        form = await open_form(pilot, "s")
        put(form, "title", "Team\x1b[2J reflection")
        await pilot.pause()
        before = dump(db_path)
        form, refusal = await refused(pilot)
        assert "U+001B ESC at position 5" in refusal
        assert under(form, "title") == refusal
    assert dump(db_path) == before
    titles: Any = read(demo_factory, lambda s: [x["title"] for x in list_sessions(s)])
    assert not [t for t in titles if "\x1b" in t]
