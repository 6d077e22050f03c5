"""Learning in the app: sessions from templates, insights with tags, actions."""

from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, OptionList, Select, SelectionList, Static

from portfolio import db
from portfolio.services import actions
from portfolio.services.actions import list_actions
from portfolio.services.insights import add_insight, list_insights
from portfolio.services.sessions import list_sessions
from portfolio.tui.screens.form import FormScreen
from portfolio.tui.screens.learning import LearningScreen, SessionScreen
from tests.tui.tui_support import make_app, on, read, settle, wait_for

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
        form.query_one("#field-tags", SelectionList).select("Shared Power")
        await pilot.pause()
        await confirm(pilot)
        screen.query_one("#filter-tag", Select).value = "Shared Power"
        await settle(pilot)
        table = screen.query_one("#insights", DataTable)
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        assert ["Power shifts when partners set the agenda", "board"] in [r[1:3] for r in rows]
        assert all("Shared Power" in r[4] for r in rows)
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


async def open_tab(pilot: Pilot[Any], name: str) -> DataTable[Any]:
    """Click the tab, then tab into its table, as a person would."""
    await pilot.click(f"#--content-tab-tab-{name}")
    await pilot.press("tab")
    await settle(pilot)
    table = pilot.app.screen.query_one(f"#{name}", DataTable)
    assert table.has_focus
    return table


def rows_of(table: DataTable[Any]) -> list[list[str]]:
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


def action_named(factory: Any, start: str) -> dict[str, Any]:
    return next(a for a in read(factory, lambda s: list_actions(s)) if a["text"].startswith(start))


def footer_has(screen: LearningScreen, binding_id: str) -> bool:
    """Whether the footer offers the key (it shows the screen's active bindings)."""
    return binding_id in {b.binding.id for b in screen.active_bindings.values()}


async def test_marking_the_highlighted_action_done_closes_it_and_its_keys_go(demo_factory):  # type: ignore[no-untyped-def]
    app = make_app(demo_factory)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_learning(pilot)
        assert not footer_has(screen, "learning.action-done")  # not on the insights tab
        table = await open_tab(pilot, "actions")
        assert rows_of(table)[0][:3] == ["2021-03-31", "overdue", "Julian"]
        assert footer_has(screen, "learning.action-done")
        assert footer_has(screen, "learning.action-drop")
        titles = [c.title for c in app.get_system_commands(screen)]
        assert "Mark action done: Bring next steps on ethnic inequality i…" in titles
        assert "Drop action: Bring next steps on ethnic inequality i…" in titles
        form = await open_form(pilot, "m")
        assert "Bring next steps on ethnic inequality" in str(form.query_one("#preamble").render())
        await confirm(pilot)
        assert rows_of(table)[0][:3] == ["2021-03-31", "done", "Julian"]
        assert not footer_has(screen, "learning.action-done")
        assert not footer_has(screen, "learning.action-drop")
        await pilot.press("x")  # a closed action cannot be dropped: the key does nothing
        await settle(pilot)
        assert app.screen is screen
    closed = action_named(demo_factory, "Bring next steps")
    assert (closed["status"], closed["closed_on"]) == ("done", "2021-06-01")


async def test_dropping_an_action_is_refused_before_it_was_set_or_once_closed_elsewhere(
    demo_factory,
):  # type: ignore[no-untyped-def]
    app = make_app(demo_factory)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_learning(pilot)
        await open_tab(pilot, "actions")
        form = await open_form(pilot, "x")
        put(form, "on", "2021-01-15")
        await pilot.pause()
        form.action_confirm()
        refusal = form.query_one("#refusal", Static)
        await wait_for(pilot, lambda: refusal.display, "the refusal")
        assert "was set on 2021-02-03" in str(refusal.render())
        assert action_named(demo_factory, "Bring next steps")["status"] == "open"
        # Someone else marks it done while the form is open: dropping it now is refused too.
        with db.unit_of_work(demo_factory) as s:
            actions.mark_done(s, on("2021-05-20"), action_id=4)
        put(form, "on", "2021-06-01")
        await pilot.pause()
        form.action_confirm()
        await wait_for(pilot, lambda: "already done" in str(refusal.render()), "the refusal")
        assert app.screen is form
    closed = action_named(demo_factory, "Bring next steps")
    assert (closed["status"], closed["closed_on"]) == ("done", "2021-05-20")


async def test_a_session_opens_on_its_prompts_answers_actions_and_what_it_carried_forward(
    demo_factory,
):  # type: ignore[no-untyped-def]
    app = make_app(demo_factory)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_learning(pilot)
        table = await open_tab(pilot, "sessions")
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SessionScreen), "the session")
        shown = " ".join(str(w.render()) for w in app.screen.query(Static))
        for seen in (
            "Where should ethnic inequality in mental health be held?",
            "Held on 2021-02-03 · template reflective-practice",
            "Attendees: Julian, Cathy, Jess, Alice, Carrina, Dominic, Ruth, Priya",
            "Carried forward from session 1, National team: what have we learned in 2020?",
            "Build the alliances on what is politically possible now",  # an action still open
            "What is the dilemma or question we are holding?",
            "It is a field and a sector: how do we relate to it?",  # its answer: the dilemma
            "What did we notice?",
            "We relate to ethnic inequality in mental health as a field and a sector, not as "
            "one workstream's inquiry. (internal, Redefined Purpose)",
            "What next? no answer",
            "Julian and Cathy brought the dilemma to the whole team.",
            "(Julian, due 2021-03-31; open)",
        ):
            assert seen in shown
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen, "the session to close")
        await pilot.click(table, offset=(2, 1))  # a click highlights, a second click opens
        await pilot.click(table, offset=(2, 1))
        await wait_for(pilot, lambda: isinstance(app.screen, SessionScreen), "the session")
        assert app.screen.query_one("#session-body").border_title == "Session 1"


async def test_the_highlighted_insight_is_shown_whole_under_the_table(demo_factory):  # type: ignore[no-untyped-def]
    app = make_app(demo_factory)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_learning(pilot)
        table = screen.query_one("#insights", DataTable)
        await wait_for(pilot, lambda: table.row_count > 1, "the insights")
        table.move_cursor(row=1)
        await settle(pilot)
        second = read(demo_factory, lambda s: list_insights(s))[1]
        shown = str(screen.query_one("#insight-detail", Static).render())
        assert " ".join(second["text"].split()) in " ".join(shown.split())
        assert len(second["text"]) > 60  # longer than the table shows at 80 columns


async def test_choosing_a_partner_shows_only_the_insights_about_that_partner(demo_factory):  # type: ignore[no-untyped-def]
    with db.unit_of_work(demo_factory) as s:
        add_insight(s, text="Corra holds the place work well", partners=["Corra Foundation"])
    app = make_app(demo_factory)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_learning(pilot)
        table = screen.query_one("#insights", DataTable)
        partner = screen.query_one("#filter-partner", Select)
        await pilot.click(partner)  # the list offers the partners some insight concerns
        offered = partner.query_one(OptionList)
        shown = [str(offered.get_option_at_index(i).prompt) for i in range(offered.option_count)]
        assert shown == ["any partner", "Corra Foundation", "Localmotion"]
        await pilot.press("end", "enter")
        await settle(pilot)
        assert partner.value == "Localmotion"
        assert [(r[1][:15], r[3]) for r in rows_of(table)] == [
            ("Some place work", "National, Corra Foundation, Localmotion")
        ]
        partner.value = "Corra Foundation"
        await settle(pilot)
        assert [r[1][:46] for r in rows_of(table)] == [
            "Some place work has been sitting in National (",
            "Corra holds the place work well",
        ]
        assert str(screen.query_one("#insight-count").render()) == "2 insight(s)"


@pytest.mark.parametrize("size", SIZES)
def test_learning_looks_right(demo_factory, snap_compare, size) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(demo_factory), terminal_size=size, run_before=open_learning)


async def test_an_action_added_on_the_sessions_tab_comes_from_that_session_and_its_date(
    demo_factory,
):  # type: ignore[no-untyped-def]
    app = make_app(demo_factory)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_learning(pilot)
        await open_tab(pilot, "sessions")  # session 1, held 2021-01-20, is highlighted
        titles = [c.title for c in app.get_system_commands(screen)]
        assert "Add an action from session 1: National team: what have we learned in 2020?" in (
            titles
        )
        form = await open_form(pilot, "o")
        assert form.form.title == "Add an action from session 1"
        assert "held 2021-01-20" in str(form.query_one("#preamble").render())
        assert form.query_one("#field-on").value == "2021-01-20"  # type: ignore[attr-defined]
        await pilot.press(*"Share the year's learning")
        form.query_one("#field-owner", Select).value = "Jess"
        put(form, "due", "2021-01-31")  # before the app's today, after the session
        await pilot.pause()
        await confirm(pilot)
    made = action_named(demo_factory, "Share the year's learning")
    assert (made["created_on"], made["due_on"], made["session_id"]) == (
        "2021-01-20",
        "2021-01-31",
        1,
    )


async def test_an_action_added_elsewhere_on_the_learning_screen_is_dated_today(demo_factory):  # type: ignore[no-untyped-def]
    app = make_app(demo_factory)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_learning(pilot)
        form = await open_form(pilot, "o")
        assert form.form.title == "Add an action"
        assert form.query_one("#field-on").value == "2021-06-01"  # type: ignore[attr-defined]
        await pilot.press(*"Plan the autumn")
        form.query_one("#field-owner", Select).value = "Jess"
        await pilot.pause()
        await confirm(pilot)
    made = action_named(demo_factory, "Plan the autumn")
    assert (made["created_on"], made["session_id"]) == ("2021-06-01", None)
