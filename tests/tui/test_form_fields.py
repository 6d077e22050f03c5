"""Forms with every field the CLI takes, names picked from lists, labels whole, what is
missing said, and keys typed as a form opens kept: each written through the app and
read back from the database and the history."""

from typing import Any

from sqlmodel import col, select
from textual import events
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import (
    DataTable,
    Input,
    Label,
    OptionList,
    Select,
    SelectionList,
    Static,
    TabbedContent,
)
from textual.widgets._select import SelectOverlay

from portfolio import db
from portfolio.models import Event, Partner
from portfolio.services import sessions
from portfolio.services.actions import list_actions
from portfolio.services.decisions import add_decision, show_decision
from portfolio.services.insights import list_insights
from portfolio.services.people import add_person
from portfolio.services.sessions import list_sessions
from portfolio.services.themes import add_theme
from portfolio.tui.screens.form import FormScreen
from portfolio.tui.screens.learning import SessionScreen
from tests.tui.test_flows import open_workstream_row
from tests.tui.tui_support import make_app, on, read, settle, wait_for

TRICKY = ("Youth [North]", "[bold]x[/bold]", "Café 🌱")


def events_of(factory: Any, action: str) -> list[Event]:
    return read(
        factory,
        lambda s: list(s.exec(select(Event).where(Event.action == action).order_by(col(Event.id)))),
    )


async def open_screen(pilot: Pilot[Any], key: str, tab: str = "") -> None:
    await settle(pilot)
    await pilot.press(key)
    await settle(pilot)
    if tab:
        pilot.app.screen.query_one("#tabs", TabbedContent).active = f"tab-{tab}"
        await settle(pilot)
        table = pilot.app.screen.query_one(f"#{tab}", DataTable)
        table.focus()
        await settle(pilot)
        await wait_for(pilot, lambda: table.has_focus and table.row_count > 0, f"the {tab}")


async def open_form(pilot: Pilot[Any], key: str) -> FormScreen:
    await pilot.press(key)
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, FormScreen), "the form")
    await settle(pilot)
    return pilot.app.screen  # type: ignore[return-value]


def put(form: FormScreen, field: str, value: str) -> None:
    form.query_one(f"#field-{field}").value = value  # type: ignore[attr-defined]


def pick(form: FormScreen, field: str, *names: str) -> None:
    picker = form.query_one(f"#field-{field}", SelectionList)
    for name in names:
        picker.select(name)


async def confirm(pilot: Pilot[Any], form: FormScreen) -> None:
    await pilot.pause()
    form.action_confirm()  # as Enter or a click does
    await wait_for(pilot, lambda: pilot.app.screen is not form, "the form to close")
    await settle(pilot)


def screen_text(pilot: Pilot[Any]) -> str:
    """What the terminal shows, line by line."""
    strips = pilot.app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)  # type: ignore[attr-defined]


async def test_a_decision_with_two_options_deciders_a_partner_and_themes_is_recorded_whole(
    demo_factory,
):  # type: ignore[no-untyped-def]
    app = make_app(demo_factory)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_screen(pilot, "d")
        form = await open_form(pilot, "n")
        put(form, "title", "Fund youth work in Place")
        put(form, "decision", "Fund two youth partners")
        put(form, "options", "fund one; fund two")
        put(form, "by", "Jess, Cathy")
        pick(form, "partners", "MEAM")
        pick(form, "themes", "Ethnic inequality in mental health")
        await confirm(pilot, form)
    made = read(demo_factory, lambda s: show_decision(s, 2))
    assert made["title"] == "Fund youth work in Place"
    assert made["options"] == "fund one; fund two"
    assert sorted(made["decided_by"]) == ["Cathy", "Jess"]
    assert made["partners"] == ["MEAM"]
    assert made["themes"] == ["Ethnic inequality in mental health"]
    assert [e.reason for e in events_of(demo_factory, "decision-add")][-1] == made["title"]


async def test_an_insight_from_a_session_answers_its_prompt_and_names_a_partner_and_theme(
    demo_factory,
):  # type: ignore[no-untyped-def]
    held = read(demo_factory, lambda s: list_sessions(s))[0]
    app = make_app(demo_factory)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_screen(pilot, "l", "sessions")
        form = await open_form(pilot, "i")
        # Added while a held session is highlighted: from it, and dated by it.
        assert form.query_one("#field-session_id", Select).value == str(held["id"])
        assert form.query_one("#field-on", Input).value == held["held_on"]
        put(form, "text", "Endings need a year")
        form.query_one("#field-prompt", Select).value = "noticed"
        put(form, "partner", "MEAM")
        pick(form, "themes", "Ethnic inequality in mental health")
        await confirm(pilot, form)
    found = read(demo_factory, lambda s: list_insights(s, session_ids=[held["id"]]))
    ours = [i for i in found if i["text"] == "Endings need a year"]
    assert [(i["prompt"], i["partners"], i["themes"], i["noted_on"]) for i in ours] == [
        ("noticed", ["MEAM"], ["Ethnic inequality in mental health"], held["held_on"])
    ]
    assert events_of(demo_factory, "insight-add")[-1].occurred_on.isoformat() == held["held_on"]


async def test_an_action_is_linked_to_a_decision_and_a_session(demo_factory):  # type: ignore[no-untyped-def]
    held = read(demo_factory, lambda s: list_sessions(s))[0]
    app = make_app(demo_factory)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_screen(pilot, "l")
        form = await open_form(pilot, "o")
        put(form, "text", "Tell the board")
        form.query_one("#field-owner", Select).value = "Jess"
        form.query_one("#field-decision_id", Select).value = "1"
        form.query_one("#field-session_id", Select).value = str(held["id"])
        await confirm(pilot, form)
    ours = [a for a in read(demo_factory, lambda s: list_actions(s, decision_id=1))
            if a["text"] == "Tell the board"]  # fmt: skip
    assert len(ours) == 1
    linked = read(demo_factory, lambda s: list_actions(s, session_ids=[held["id"]]))
    assert "Tell the board" in [a["text"] for a in linked]
    assert events_of(demo_factory, "action-add")[-1].decision_id == 1


async def test_an_insight_added_from_an_opened_session_starts_from_it(demo_factory):  # type: ignore[no-untyped-def]
    held = read(demo_factory, lambda s: list_sessions(s))[0]
    app = make_app(demo_factory)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_screen(pilot, "l", "sessions")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SessionScreen), "the session")
        form = await open_form(pilot, "o")
        assert form.query_one("#field-session_id", Select).value == str(held["id"])
        assert form.query_one("#field-on", Input).value == held["held_on"]


async def test_a_session_that_follows_an_earlier_one_attended_by_two_picked(demo_factory):  # type: ignore[no-untyped-def]
    earlier = read(demo_factory, lambda s: list_sessions(s))[0]
    app = make_app(demo_factory)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_screen(pilot, "l")
        form = await open_form(pilot, "s")
        put(form, "title", "Second reflection")
        pick(form, "attendees", "Jess", "Cathy")
        form.query_one("#field-follows", Select).value = str(earlier["id"])
        await confirm(pilot, form)
    logged = read(demo_factory, lambda s: list_sessions(s))[-1]
    assert (logged["title"], logged["follows_id"]) == ("Second reflection", earlier["id"])
    assert sorted(logged["attendees"]) == ["Cathy", "Jess"]
    assert events_of(demo_factory, "session-add")[-1].detail == "Second reflection"


async def test_dropping_an_action_keeps_why_in_its_event(demo_factory):  # type: ignore[no-untyped-def]
    app = make_app(demo_factory)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_screen(pilot, "l", "actions")
        form = await open_form(pilot, "x")
        put(form, "reason", "Overtaken by the closure")
        await confirm(pilot, form)
    dropped = events_of(demo_factory, "action-dropped")
    assert [e.reason for e in dropped] == ["Overtaken by the closure"]
    assert (
        read(demo_factory, lambda s: list_actions(s, status="dropped"))[0]["text"]
        == dropped[0].detail
    )


async def test_the_multi_select_picks_two_leads(scenario_factory):  # type: ignore[no-untyped-def]
    """Rehoming an unhomed theme: the leads are picked, not typed."""
    app = make_app(scenario_factory)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_screen(pilot, "d")
        form = await open_form(pilot, "n")
        picker = form.query_one("#field-partners", SelectionList)
        picker.focus()
        await pilot.pause()
        await pilot.press("space", "down", "space")  # the first two, as a person picks them
        await pilot.pause()
        assert form.values()["partners"] == ", ".join(read(
            scenario_factory, lambda s: list(s.exec(select(Partner.name).order_by(Partner.name)))
        )[:2])  # fmt: skip


async def test_a_ticked_name_reads_apart_from_an_unticked_one_without_colour(scenario_factory):  # type: ignore[no-untyped-def]
    """Textual draws the same X in every box, ticked or not, told apart by colour only."""
    app = make_app(scenario_factory)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_screen(pilot, "d")
        form = await open_form(pilot, "n")
        picker = form.query_one("#field-partners", SelectionList)
        picker.focus()
        await pilot.pause()
        await pilot.press("space")  # tick the first partner only
        await pilot.pause()
        first, second = (str(picker.get_option_at_index(i).prompt) for i in (0, 1))
        text = screen_text(pilot)
        assert f"▐X▌ {first}" in text
        assert f"▐ ▌ {second}" in text


async def test_confirming_with_fields_missing_says_which_and_goes_to_the_first(demo_factory):  # type: ignore[no-untyped-def]
    before = len(events_of(demo_factory, "decision-add"))
    app = make_app(demo_factory)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, "d")
        form = await open_form(pilot, "n")
        put(form, "options", "one; two")
        await pilot.pause()
        await pilot.press("enter")
        refusal = form.query_one("#refusal", Static)
        await wait_for(pilot, lambda: refusal.display, "what is missing")
        assert str(refusal.render()) == "Needed: Title, What was decided"
        await pilot.pause()
        assert 0 < form.query_one("#confirm").region.y < 23  # still on screen under it
        assert app.focused is form.query_one("#field-title")
        assert app.screen is form
    assert len(events_of(demo_factory, "decision-add")) == before


async def test_keys_typed_as_the_form_opens_land_in_its_first_field(demo_factory):  # type: ignore[no-untyped-def]
    app = make_app(demo_factory)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, "d")
        # All at once, without waiting for the form to be drawn (as a fast typist does).
        for ch in "nLead dogs":
            app.post_message(events.Key("space" if ch == " " else ch, ch))
        await wait_for(pilot, lambda: isinstance(app.screen, FormScreen), "the form")
        await settle(pilot)
        assert app.screen.query_one("#field-title", Input).value == "Lead dogs"


async def test_labels_and_hints_are_whole_at_80_columns(scenario_factory):  # type: ignore[no-untyped-def]
    app = make_app(scenario_factory)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_workstream_row(pilot, "National", "MEAM")  # ending: it can be completed
        await open_form(pilot, "c")
        assert "Needed if checklist steps are still open." in screen_text(pilot)
        await pilot.press("escape")
        await open_screen(pilot, "l")
        form = await open_form(pilot, "s")
        dialog = form.query_one("#dialog")
        assert dialog.size.width >= 74  # the width it is given, less its margins
        shown = " ".join(screen_text(pilot).replace("█", " ").split())
        # The template's prompts are the labels: each shows whole, wrapped in its column.
        prompts = read(scenario_factory, lambda s: sessions.prompts_of(s, "reflective-practice"))
        for label in form.query(".field-label"):
            text = str(label.render())
            if text in {p["text"] for p in prompts} and label.region.y < 22:
                assert " ".join(drawn(label).split()) == text
        assert "Title" in shown


def _tricky(factory: Any) -> None:
    with db.unit_of_work(factory) as s:
        for name in TRICKY:
            add_person(s, name=name, stamp=on("2021-03-01"))
            add_theme(s, on("2021-03-01"), name=name, home="Who")
        add_decision(s, on("2021-03-01"), title=TRICKY[0], decision="d")


def drawn(widget: Widget) -> str:
    """The lines a widget draws, as text."""
    return "\n".join(widget.render_line(y).text for y in range(widget.size.height))


async def each_drawn(pilot: Pilot[Any], options: OptionList) -> str:
    """What a list draws as each of its options is brought into view."""
    seen = []
    for i in range(options.option_count):
        options.highlighted = i
        await pilot.pause()
        seen.append(drawn(options))
    return "\n".join(seen)


async def test_choices_and_titles_show_as_typed(demo_factory):  # type: ignore[no-untyped-def]
    _tricky(demo_factory)
    app = make_app(demo_factory)
    async with app.run_test(size=(120, 50)) as pilot:
        await open_screen(pilot, "l")
        form = await open_form(pilot, "o")
        owners = form.query_one("#field-owner", Select)
        owners.focus()
        await pilot.press("enter")  # the list opens
        overlay = form.query_one(SelectOverlay)
        await wait_for(pilot, lambda: overlay.size.height > 3, "the list of owners")
        owners_shown = await each_drawn(pilot, overlay)
        await pilot.press("escape")
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, FormScreen), "the form to close")
        await open_screen(pilot, "d")
        form = await open_form(pilot, "n")
        picker = form.query_one("#field-themes", SelectionList)
        await settle(pilot)
        themes_shown = await each_drawn(pilot, picker)
        app.screen.dismiss(None)
        await settle(pilot)
        await pilot.press("down")  # the decision titled with brackets
        await settle(pilot)
        form = await open_form(pilot, "a")
        title = str(form.query_one("#title", Label).render())
    for name in TRICKY:
        assert name in owners_shown
        assert name in themes_shown
    assert title == f"Agree decision 2: {TRICKY[0]}"


async def test_names_are_suggested_whatever_their_case_and_for_the_last_of_a_list(demo_factory):  # type: ignore[no-untyped-def]
    app = make_app(demo_factory)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, "d")
        form = await open_form(pilot, "n")
        by = form.query_one("#field-by", Input)
        by.focus()
        await pilot.press(*"Jess, cat")
        await wait_for(pilot, lambda: by._suggestion == "Jess, Cathy", "the suggestion")
        await pilot.press("right")  # taken, as in a shell
        assert by.value == "Jess, Cathy"
