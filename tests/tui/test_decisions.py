"""Decisions in the app: record, agree, plan a closure by fate, review, enact."""

from typing import Any

import pytest
from sqlmodel import select
from textual.pilot import Pilot
from textual.widgets import Select, Static

from portfolio.models import Decision, Workstream
from portfolio.services.decisions import show_decision
from portfolio.tui.screens.decisions import DecisionsScreen
from portfolio.tui.screens.form import FormScreen
from tests.tui.tui_support import event_count, make_app, read, settle, state_of, wait_for

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


async def open_form(pilot: Pilot[Any], key: str) -> FormScreen:
    await pilot.press(key)
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, FormScreen), "the form")
    return pilot.app.screen  # type: ignore[return-value]


async def confirm(pilot: Pilot[Any]) -> None:
    pilot.app.screen.action_confirm()  # type: ignore[attr-defined]  # as Enter or a click does
    await wait_for(
        pilot, lambda: isinstance(pilot.app.screen, DecisionsScreen), "the form to close"
    )
    await settle(pilot)


def plan_of(factory: Any, decision_id: int) -> list[str]:
    return [
        c["description"] for c in read(factory, lambda s: show_decision(s, decision_id))["changes"]
    ]


async def test_enacting_shows_every_change_then_closes_the_workstream(demo_factory):  # type: ignore[no-untyped-def]
    app = make_app(demo_factory)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        form = await open_form(pilot, "e")
        preview = str(form.query_one("#preamble", Static).render())
        assert "9. close workstream National" in preview
        assert "Every change can be made" in preview
        assert state_of(demo_factory, "MEAM", "National") == "active"  # nothing yet
        await confirm(pilot)
    status = read(
        demo_factory,
        lambda s: s.exec(select(Workstream.status).where(Workstream.name == "National")).one(),
    )
    assert status == "closed"
    assert state_of(demo_factory, "Leeds GATE", "National") == "review"
    decision = read(demo_factory, lambda s: s.exec(select(Decision.status)).one())
    assert decision == "enacted"


async def test_recording_and_agreeing_a_decision(demo_factory):  # type: ignore[no-untyped-def]
    app = make_app(demo_factory)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        await open_form(pilot, "n")
        await pilot.press(*"Close Place")
        app.screen.query_one("#field-decision").value = "Close the Place team"  # type: ignore[attr-defined]
        app.screen.query_one("#field-workstream", Select).value = "Place"
        await confirm(pilot)
        await pilot.press("down")
        await settle(pilot)
        await open_form(pilot, "a")
        await confirm(pilot)
    made = read(demo_factory, lambda s: s.exec(select(Decision).where(Decision.id == 2)).one())
    assert (made.title, made.status) == ("Close Place", "agreed")


async def _new_place_decision(pilot: Pilot[Any]) -> None:
    await pilot.press("d")
    await settle(pilot)
    await open_form(pilot, "n")
    await pilot.press(*"Close Place")
    pilot.app.screen.query_one("#field-decision").value = "Close the Place team"  # type: ignore[attr-defined]
    pilot.app.screen.query_one("#field-workstream", Select).value = "Place"
    await confirm(pilot)
    await pilot.press("down")
    await settle(pilot)


async def test_the_guided_closure_plans_each_partnerships_fate_then_the_closure(demo_factory):  # type: ignore[no-untyped-def]
    app = make_app(demo_factory)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await _new_place_decision(pilot)
        form = await open_form(pilot, "w")
        labels = [str(w.render()) for w in form.query(".field-label")]
        assert labels[:3] == ["GoodLives GM", "Healthy Hyde", "Jam and Justice"]
        form.query_one("#field-p0", Select).value = "end"
        form.query_one("#field-p1", Select).value = "transfer:How"
        form.query_one("#field-p2", Select).value = "review"
        form.query_one("#field-by").value = "2021-12-31"  # type: ignore[attr-defined]
        form.query_one("#field-reason").value = "Place work moves to local partners"  # type: ignore[attr-defined]
        await pilot.pause()
        await confirm(pilot)
        detail = str(app.screen.query_one("#detail", Static).render())
        assert "Plan (4 changes)" in detail
    assert plan_of(demo_factory, 2) == [
        "end GoodLives GM in Place respectfully by 2021-12-31 (phasing out)",
        "transfer Healthy Hyde from Place to How",
        "review Jam and Justice in Place with Jess",
        "close workstream Place",
    ]


async def test_a_closure_plan_that_cannot_be_made_is_refused_in_the_form(demo_factory):  # type: ignore[no-untyped-def]
    app = make_app(demo_factory)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await _new_place_decision(pilot)
        before = event_count(demo_factory)
        form = await open_form(pilot, "w")
        for i in range(3):
            form.query_one(f"#field-p{i}", Select).value = "end"
        form.query_one("#field-reason").value = "No end date given"  # type: ignore[attr-defined]
        await pilot.pause()
        await pilot.click("#confirm")
        refusal = form.query_one("#refusal", Static)
        await wait_for(pilot, lambda: refusal.display, "the refusal")
        assert "end needs by" in str(refusal.render())
        assert isinstance(app.screen, FormScreen)
    assert plan_of(demo_factory, 2) == []
    assert event_count(demo_factory) == before


@pytest.mark.parametrize("size", SIZES)
def test_decision_plan_review_looks_right(demo_factory, snap_compare, size) -> None:  # type: ignore[no-untyped-def]
    async def open_decisions(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)

    assert snap_compare(make_app(demo_factory), terminal_size=size, run_before=open_decisions)
