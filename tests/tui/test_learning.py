"""Learning in the app: sessions from templates, insights with tags, actions."""

from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Select, Static

from portfolio.services.actions import list_actions
from portfolio.services.insights import list_insights
from portfolio.services.sessions import list_sessions
from portfolio.tui.screens.form import FormScreen
from portfolio.tui.screens.learning import LearningScreen
from tests.tui.tui_support import make_app, read, settle, wait_for

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


async def open_learning(pilot: Pilot[Any]) -> LearningScreen:
    await settle(pilot)
    await pilot.press("l")
    await settle(pilot)
    assert isinstance(pilot.app.screen, LearningScreen)
    return pilot.app.screen


async def open_form(pilot: Pilot[Any], key: str) -> FormScreen:
    await pilot.press(key)
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, FormScreen), "the form")
    return pilot.app.screen  # type: ignore[return-value]


def put(form: FormScreen, field: str, value: str) -> None:
    form.query_one(f"#field-{field}").value = value  # type: ignore[attr-defined]


async def confirm(pilot: Pilot[Any]) -> None:
    pilot.app.screen.action_confirm()  # type: ignore[attr-defined]  # as Enter or a click does
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, LearningScreen), "the form to close")
    await settle(pilot)


async def test_logging_a_session_turns_its_prompts_into_the_form(demo_factory):  # type: ignore[no-untyped-def]
    app = make_app(demo_factory)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_learning(pilot)
        form = await open_form(pilot, "s")
        await pilot.press(*"Team reflection")
        put(form, "prompt-dilemma", "How do we end well?")
        put(form, "prompt-noticed", "Endings take longer than planned")
        await pilot.pause()
        await confirm(pilot)
    logged = read(demo_factory, lambda s: list_sessions(s))[-1]
    assert (logged["title"], logged["template"]) == ("Team reflection", "reflective-practice")
    kept = read(demo_factory, lambda s: list_insights(s, session_ids=[logged["id"]]))
    assert [(i["prompt"], i["text"]) for i in kept] == [
        ("noticed", "Endings take longer than planned")
    ]


async def test_an_insight_with_visibility_and_a_tag_can_be_found_by_that_tag(demo_factory):  # type: ignore[no-untyped-def]
    app = make_app(demo_factory)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_learning(pilot)
        form = await open_form(pilot, "i")
        await pilot.press(*"Power shifts when partners set the agenda")
        form.query_one("#field-visibility", Select).value = "board"
        form.query_one("#field-workstream", Select).value = "Who"
        put(form, "tags", "Shared Power")
        await pilot.pause()
        await confirm(pilot)
        screen.query_one("#filter-tag", Select).value = "Shared Power"
        await settle(pilot)
        table = screen.query_one("#insights", DataTable)
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        assert ["Power shifts when partners set the agenda", "board"] in [r[1:3] for r in rows]
        assert all("Shared Power" in r[5] for r in rows)
    tagged = read(demo_factory, lambda s: list_insights(s, tag="Shared Power"))
    ours = [i for i in tagged if i["text"] == "Power shifts when partners set the agenda"]
    assert [(i["visibility"], i["workstreams"]) for i in ours] == [("board", ["Who"])]


async def test_an_action_due_before_it_is_set_is_refused_in_the_form(demo_factory):  # type: ignore[no-untyped-def]
    before = read(demo_factory, lambda s: len(list_actions(s)))
    app = make_app(demo_factory)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_learning(pilot)
        form = await open_form(pilot, "o")
        await pilot.press(*"Write to the partners")
        form.query_one("#field-owner", Select).value = "Jess"
        put(form, "due", "2021-01-01")
        await pilot.pause()
        form.action_confirm()
        refusal = form.query_one("#refusal", Static)
        await wait_for(pilot, lambda: refusal.display, "the refusal")
        assert "before the action is set" in str(refusal.render())
        put(form, "due", "2021-07-01")
        await pilot.pause()
        await confirm(pilot)
    found = read(demo_factory, lambda s: list_actions(s, owner="Jess"))
    assert len(read(demo_factory, lambda s: list_actions(s))) == before + 1
    assert ("Write to the partners", "2021-07-01") in [(a["text"], a["due_on"]) for a in found]


@pytest.mark.parametrize("size", SIZES)
def test_learning_looks_right(demo_factory, snap_compare, size) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(demo_factory), terminal_size=size, run_before=open_learning)
