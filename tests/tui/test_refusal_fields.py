"""A refusal that names a field shows under that field, in the app's words, with focus there."""

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Select, Static

from portfolio.tui.screens.form import FormScreen
from tests.tui.test_flows import fill, open_workstream_row
from tests.tui.test_learning import open_form, open_learning, open_tab, put
from tests.tui.tui_support import make_app, settle, state_of, wait_for


async def refused(pilot: Pilot[Any]) -> tuple[FormScreen, str]:
    """Confirm the open form and wait for its refusal line."""
    form = pilot.app.screen
    assert isinstance(form, FormScreen)
    form.action_confirm()
    refusal = form.query_one("#refusal", Static)
    await wait_for(pilot, lambda: refusal.display, "the refusal")
    return form, str(refusal.render())


def under(form: FormScreen, field: str) -> str:
    problem = form.query_one(f"#problem-{field}", Static)
    return str(problem.render()) if problem.display else ""


def no_options(form: FormScreen) -> None:
    """The app never names a command-line option: not in the refusal, not under any field."""
    shown = [str(s.render()) for s in form.query(Static) if s.display]
    assert not [text for text in shown if "--" in text], shown


async def test_completing_with_open_steps_and_no_reason_is_refused_under_reason(
    scenario_factory,
):  # type: ignore[no-untyped-def]
    app = make_app(scenario_factory)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.open_partner("MEAM")
        await settle(pilot)
        await pilot.press("c")
        await pilot.pause()
        form, refusal = await refused(pilot)
        assert "checklist steps not done" in refusal
        assert under(form, "reason") == refusal
        assert form.focused is form.query_one("#field-reason")
        assert under(form, "on") == ""
        no_options(form)
        # Typing the reason clears the refusal from under the field.
        await fill(pilot, "reason", "Partner declined")
        assert under(form, "reason") == ""
    assert state_of(scenario_factory, "MEAM", "National") == "ending"


async def test_a_review_dated_before_the_last_change_is_refused_under_the_effective_date(
    demo_factory,
):  # type: ignore[no-untyped-def]
    app = make_app(demo_factory)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.open_partner("Agenda")
        await settle(pilot)
        await pilot.press("r")
        await pilot.pause()
        pilot.app.screen.query_one("#field-lead_id", Select).value = "Cathy"
        await fill(pilot, "reason", "Fit with the new strategy")
        await fill(pilot, "on", "2019-01-01")
        form, refusal = await refused(pilot)
        assert "last change" in refusal and "date it then or later" in refusal
        assert under(form, "on") == refusal
        assert form.focused is form.query_one("#field-on")
        assert under(form, "reason") == ""
        no_options(form)
    assert state_of(demo_factory, "Agenda", "National") == "active"


async def test_an_ending_planned_before_it_begins_is_refused_under_planned_end(demo_factory):  # type: ignore[no-untyped-def]
    app = make_app(demo_factory)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_workstream_row(pilot, "National", "MEAM")
        await pilot.press("e")
        await fill(pilot, "by", "2021-01-31")
        await fill(pilot, "reason", "Too early")
        form, refusal = await refused(pilot)
        assert "before the ending begins" in refusal
        assert under(form, "by") == refusal
        assert form.focused is form.query_one("#field-by")
        no_options(form)


async def test_dropping_an_action_before_it_was_set_is_refused_under_its_date(demo_factory):  # type: ignore[no-untyped-def]
    app = make_app(demo_factory)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_learning(pilot)
        await open_tab(pilot, "actions")
        form = await open_form(pilot, "x")
        put(form, "on", "2021-01-15")
        await pilot.pause()
        form, refusal = await refused(pilot)
        assert "was set on 2021-02-03; date this then or later." in refusal
        assert under(form, "on") == refusal
        no_options(form)
