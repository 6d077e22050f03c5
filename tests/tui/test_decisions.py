"""Decisions in the app: record, agree, plan a closure by fate or one change at a time,
remove a planned change, review, enact, supersede."""

import sqlite3
import time
from typing import Any

import pytest
from sqlmodel import select
from textual.pilot import Pilot
from textual.widgets import Button, Input, Select, Static

from portfolio import db
from portfolio.models import Decision, Workstream
from portfolio.services import decisions, plans
from portfolio.services.changes import REGISTRY
from portfolio.services.decisions import show_decision
from portfolio.services.overview import directory
from portfolio.tui import decision_forms as forms
from portfolio.tui.screens.decisions import DecisionsScreen, PickScreen
from portfolio.tui.screens.form import FormScreen
from tests.tui.tui_support import (
    TODAY,
    event_count,
    make_app,
    on,
    read,
    settle,
    state_of,
    wait_for,
)

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
        assert "end needs a planned end" in str(refusal.render())
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


DEMO_PLAN_END = "leave theme 'Ethnic inequality in mental health' unhomed, led by Julian and Cathy"


def _add_decisions(factory: Any, *titles: str) -> None:
    """Later decisions, recorded as someone on the command line would."""
    with db.unit_of_work(factory) as s:
        for title in titles:
            decisions.add_decision(s, on("2021-05-01"), title=title, decision=f"{title}.")


def _decision(factory: Any, decision_id: int) -> tuple[str, int | None]:
    d = read(factory, lambda s: s.exec(select(Decision).where(Decision.id == decision_id)).one())
    return d.status, d.superseded_by_id


async def _open_decisions(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await pilot.press("d")
    await wait_for(pilot, lambda: pilot.app.screen.detail is not None, "the decision")  # type: ignore[attr-defined]


def _detail(pilot: Pilot[Any]) -> str:
    return str(pilot.app.screen.query_one("#detail", Static).render())


async def _refused(pilot: Pilot[Any], form: FormScreen) -> str:
    await pilot.click("#confirm")
    refusal = form.query_one("#refusal", Static)
    await wait_for(pilot, lambda: refusal.display, "the refusal")
    assert pilot.app.screen is form  # the form stays open to fix the values
    return str(refusal.render())


async def test_superseding_a_decision_records_the_one_that_replaces_it(demo_factory):  # type: ignore[no-untyped-def]
    _add_decisions(demo_factory, "Keep National with a narrower remit")
    app = make_app(demo_factory)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_decisions(pilot)
        assert "s" in app.screen.active_bindings
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Supersede: Close the National portfolio team" in titles
        form = await open_form(pilot, "s")
        form.action_confirm()  # no replacement chosen yet: said, and nothing written
        await pilot.pause()
        assert str(form.query_one("#refusal", Static).render()) == "Needed: Replaced by"
        form.query_one("#field-with", Select).value = "2"
        await pilot.pause()
        assert _decision(demo_factory, 1) == ("agreed", None)  # nothing written before confirm
        await confirm(pilot)
        assert "superseded by decision 2 'Keep National with a narrower remit'" in _detail(pilot)
        # Settled now: nothing more can be planned, agreed, enacted or superseded.
        for key in "swpxae":
            assert key not in app.screen.active_bindings
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert not any(t.startswith(("Supersede:", "Plan a change", "Enact:")) for t in titles)
    assert _decision(demo_factory, 1) == ("superseded", 2)
    assert plan_of(demo_factory, 1)[0].startswith("end MEAM")  # its plan is kept, never enacted


async def test_superseding_with_a_decision_already_superseded_is_refused_in_the_form(demo_factory):  # type: ignore[no-untyped-def]
    _add_decisions(demo_factory, "Keep National with a narrower remit", "Move all of National")
    app = make_app(demo_factory)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_decisions(pilot)
        form = await open_form(pilot, "s")
        form.query_one("#field-with", Select).value = "2"
        await pilot.pause()
        # Meanwhile someone else supersedes decision 2 with decision 3.
        with db.unit_of_work(demo_factory) as s:
            decisions.supersede(s, on("2021-05-02"), decision_id=2, with_id=3)
        before = event_count(demo_factory)
        text = await _refused(pilot, form)
        assert "Decision 2 cannot supersede another: decision 2 was superseded by" in text
    assert _decision(demo_factory, 1) == ("agreed", None)
    assert event_count(demo_factory) == before


async def test_supersede_is_offered_only_when_another_decision_can_replace_it(demo_factory):  # type: ignore[no-untyped-def]
    app = make_app(demo_factory)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_decisions(pilot)
        assert "s" not in app.screen.active_bindings  # the demo holds one decision
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, DecisionsScreen)


async def _choose_kind(pilot: Pilot[Any], presses: int) -> FormScreen:
    """p, then the kind of change as a person would: arrow down to it, enter."""
    await pilot.press("p")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, PickScreen), "the kinds")
    await pilot.press(*["down"] * presses, "enter")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, FormScreen), "the form")
    return pilot.app.screen  # type: ignore[return-value]


async def test_planning_one_change_adds_it_to_the_end_of_the_plan(demo_factory):  # type: ignore[no-untyped-def]
    app = make_app(demo_factory)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_decisions(pilot)
        before = event_count(demo_factory)
        form = await _choose_kind(pilot, 3)  # start, review, resume, end
        assert "ending a partnership respectfully" in str(form.query_one("#title").render())
        form.query_one("#field-partner_id", Input).value = "GoodLives GM"
        form.query_one("#field-workstream_id", Select).value = "Place"
        form.query_one("#field-by", Input).value = "31/12/2021"
        form.query_one("#field-exit_type", Select).value = "over"
        form.query_one("#field-reason", Input).value = "Place work moves to local partners"
        await pilot.pause()
        problem = str(form.query_one("#problem-by", Static).render())
        assert problem == "Planned end: write a date as YYYY-MM-DD."
        assert form.query_one("#confirm", Button).disabled
        form.query_one("#field-by", Input).value = "2021-12-31"
        await pilot.pause()
        assert plan_of(demo_factory, 1)[-1] == "close workstream National"  # not yet
        await confirm(pilot)
        assert "Plan (10 changes)" in _detail(pilot)
        assert "10. end GoodLives GM in Place respectfully by 2021-12-31" in _detail(pilot)
    assert plan_of(demo_factory, 1)[8:] == [
        "close workstream National",
        "end GoodLives GM in Place respectfully by 2021-12-31 (phasing over)",
    ]
    assert event_count(demo_factory) == before + 1  # the plan's history says who added it


async def test_a_change_naming_an_unknown_partner_is_refused_in_the_form(demo_factory):  # type: ignore[no-untyped-def]
    app = make_app(demo_factory)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_decisions(pilot)
        before = event_count(demo_factory)
        form = await _choose_kind(pilot, 0)  # start
        form.query_one("#field-partner_id", Input).value = "Nobody Trust"
        form.query_one("#field-workstream_id", Select).value = "How"
        await pilot.pause()
        assert "No partner named 'Nobody Trust'" in await _refused(pilot, form)
    assert len(plan_of(demo_factory, 1)) == 9
    assert event_count(demo_factory) == before


async def test_the_palette_plans_a_change_through_the_kinds_of_change(demo_factory):  # type: ignore[no-untyped-def]
    app = make_app(demo_factory)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_decisions(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"plan a change")
        await wait_for(pilot, lambda: _palette_has(app, "Plan a change for: Close"), "the hit")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PickScreen), "the kinds")
        await pilot.press("escape")  # choosing nothing writes nothing
        await wait_for(pilot, lambda: isinstance(app.screen, DecisionsScreen), "the decisions")
    assert len(plan_of(demo_factory, 1)) == 9


def _palette_has(app: Any, text: str) -> bool:
    from textual.command import CommandList

    lists = app.screen.query(CommandList)
    return bool(lists) and any(text in str(o.prompt) for o in lists.first().options)


async def test_removing_a_planned_change_moves_the_later_ones_up(demo_factory):  # type: ignore[no-untyped-def]
    app = make_app(demo_factory)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_decisions(pilot)
        form = await open_form(pilot, "x")
        form.query_one("#field-n", Select).value = "1"
        await pilot.pause()
        assert len(plan_of(demo_factory, 1)) == 9  # nothing removed before confirm
        await confirm(pilot)
        assert "Plan (8 changes)" in _detail(pilot)
    remaining = plan_of(demo_factory, 1)
    assert remaining[0].startswith("end Agenda in National")
    assert remaining[-2:] == [DEMO_PLAN_END, "close workstream National"]
    assert not any("MEAM" in c for c in remaining)


@pytest.mark.parametrize(
    ("chosen", "says"),
    [
        pytest.param("9", "Decision 1 has no planned change 9 (it has 8)", id="gone"),
        pytest.param("5", "The plan changed since this form opened", id="moved"),
    ],
)
async def test_removing_a_change_the_plan_no_longer_holds_is_refused(demo_factory, chosen, says):  # type: ignore[no-untyped-def]
    app = make_app(demo_factory)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_decisions(pilot)
        form = await open_form(pilot, "x")
        form.query_one("#field-n", Select).value = chosen
        await pilot.pause()
        # Meanwhile someone else removes the first change: the later ones move up.
        with db.unit_of_work(demo_factory) as s:
            plans.unplan(s, decision_id=1, position=1, stamp=on("2021-05-02"))
        after = plan_of(demo_factory, 1)
        before = event_count(demo_factory)
        assert says in await _refused(pilot, form)
    assert plan_of(demo_factory, 1) == after
    assert event_count(demo_factory) == before


@pytest.mark.parametrize(
    ("action", "values", "planned"),
    [
        ("start", {"partner_id": "Agenda", "workstream_id": "How", "lead_id": "Jess",
                   "theme_ids": "Ethnic inequality in mental health"},
         "start Agenda in How with lead Jess"),
        ("transfer", {"partner_id": "MEAM", "workstream_id": "National",
                      "to_workstream_id": "Who", "reason": "Fits Who"},
         "transfer MEAM from National to Who"),
        ("theme-rehome", {"theme_id": "Ethnic inequality in mental health", "unhomed": "yes",
                          "lead_ids": "Julian, Cathy"},
         "leave theme 'Ethnic inequality in mental health' unhomed, led by Julian and Cathy"),
        ("tick", {"partner_id": "MEAM", "workstream_id": "National", "step_id": "told"},
         "tick 'told' for MEAM in National"),
    ],
)  # fmt: skip
def test_each_kind_of_change_plans_what_the_command_line_would(  # type: ignore[no-untyped-def]
    demo_factory, action, values, planned
) -> None:
    assert set(forms.change_kinds()) == set(REGISTRY)  # the chooser offers them all
    d = read(demo_factory, lambda s: show_decision(s, 1))
    form = forms.plan_change_form(action, read(demo_factory, directory), TODAY, d)
    with db.unit_of_work(demo_factory) as s:
        form.run(s, on("2021-06-01"), {**values, "on": "2021-06-01"})
    assert plan_of(demo_factory, 1)[-1] == planned


async def test_the_enact_preview_works_while_another_program_holds_the_write_lock(demo_factory):  # type: ignore[no-untyped-def]
    # The preview is a dry run on a private copy: it neither takes nor waits for the lock.
    other = sqlite3.connect(demo_factory.kw["bind"].url.database, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        app = make_app(demo_factory)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("d")
            await settle(pilot)
            started = time.monotonic()
            form = await open_form(pilot, "e")
            preview = str(form.query_one("#preamble", Static).render())
            assert "Every change can be made" in preview
            assert time.monotonic() - started < 10  # not the 30 s wait for a writer
    finally:
        other.rollback()
        other.close()
    assert state_of(demo_factory, "MEAM", "National") == "active"  # a preview writes nothing
