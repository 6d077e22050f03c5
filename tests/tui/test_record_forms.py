"""Making records in the app (partners, people, workstreams, themes, from "New…", key N,
on any screen) and editing a partner (E): each form writes through the service, with its history,
and a refusal leaves the records as they were and shows in the form."""

from typing import Any

from sqlalchemy.orm import sessionmaker
from sqlmodel import Session, select
from textual.pilot import Pilot
from textual.widgets import DataTable, Label, OptionList, Select, Static

from portfolio import db
from portfolio.models import Event, Partner, Person, Theme, ThemeLead, Workstream
from portfolio.services.partners import add_partner
from portfolio.services.people import add_person
from portfolio.services.workstreams import add_workstream
from portfolio.tui.screens.form import FormScreen
from portfolio.tui.screens.new import NewScreen
from portfolio.tui.screens.overview import OverviewScreen
from portfolio.tui.screens.partner import PartnerScreen
from tests.tui.test_flows import fill
from tests.tui.test_refusal_fields import refused, under
from tests.tui.tui_support import event_count, make_app, on, read, settle, wait_for


async def new(pilot: Pilot[Any], label: str) -> FormScreen:
    """Press N and pick ``label`` from the chooser; the form it opens."""
    app = pilot.app
    await pilot.press("N")
    await wait_for(pilot, lambda: isinstance(app.screen, NewScreen), "the New… chooser")
    choices = app.screen.query_one(OptionList)
    labels = [str(choices.get_option_at_index(i).prompt) for i in range(choices.option_count)]
    for _ in range(labels.index(label)):
        await pilot.press("down")
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, FormScreen), f"the form for {label}")
    form = app.screen
    assert isinstance(form, FormScreen)
    return form


async def confirm(pilot: Pilot[Any]) -> None:
    await pilot.click("#confirm")
    await wait_for(pilot, lambda: not isinstance(pilot.app.screen, FormScreen), "the form to close")


def events_of(factory: sessionmaker[Session], action: str) -> list[Event]:
    return read(factory, lambda s: list(s.exec(select(Event).where(Event.action == action))))


def with_people(factory: sessionmaker[Session], *names: str) -> None:
    with db.unit_of_work(factory) as s:
        for name in names:
            add_person(s, name=name, stamp=on("2021-01-04"))


async def test_an_empty_portfolio_says_where_to_begin(factory: sessionmaker[Session]) -> None:
    """A new user's first screen: nothing recorded yet, and the key that begins."""
    app = make_app(factory)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, OverviewScreen), "the overview")
        title = app.screen.query_one("#workstreams-title", Label)
        await wait_for(pilot, lambda: "none yet" in str(title.render()), "the empty title")
        assert str(title.render()) == "Workstreams: none yet. N adds one (and partners, people...)"
        form = await new(pilot, "New workstream")
        await fill(pilot, "name", "Place")
        await confirm(pilot)
        await wait_for(pilot, lambda: str(title.render()) == "Workstreams", "the title after")
    assert form.form.key and read(factory, lambda s: s.exec(select(Workstream.name)).all()) == [
        "Place"
    ]


async def test_a_new_partner_from_the_chooser_is_recorded_with_its_history(
    factory: sessionmaker[Session],
) -> None:
    app = make_app(factory)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, OverviewScreen), "the overview")
        form = await new(pilot, "New partner")
        assert str(form.query_one("#title").render()) == "New partner"
        await fill(pilot, "name", "Ada Trust")
        await fill(pilot, "kind", "charity")
        await fill(pilot, "place", "Leeds")
        await fill(pilot, "org_id", "gb-chc-1234567")
        await fill(pilot, "notes", "met at the fair")
        await fill(pilot, "on", "2021-05-03")
        await confirm(pilot)
    found = read(factory, lambda s: s.exec(select(Partner)).one().model_dump())
    assert {k: found[k] for k in ("name", "kind", "place", "org_id", "notes")} == {
        "name": "Ada Trust", "kind": "charity", "place": "Leeds", "org_id": "GB-CHC-1234567",
        "notes": "met at the fair",
    }  # fmt: skip
    [added] = events_of(factory, "partner-add")
    assert (added.partner_id, added.occurred_on.isoformat(), added.actor) == (
        found["id"], "2021-05-03", "tester",
    )  # fmt: skip


async def test_a_duplicate_name_or_a_bad_org_id_is_refused_in_the_form_and_writes_nothing(
    factory: sessionmaker[Session],
) -> None:
    app = make_app(factory)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, OverviewScreen), "the overview")
        await new(pilot, "New partner")
        await fill(pilot, "name", "Ada")
        await confirm(pilot)
        before = event_count(factory)
        await new(pilot, "New partner")
        await fill(pilot, "name", "ADA")
        form, refusal = await refused(pilot)
        assert refusal == "There is already a partner named 'Ada'."
        assert under(form, "name") == refusal
        await fill(pilot, "name", "Bea")
        await fill(pilot, "org_id", "GB-CHC-12")
        form, refusal = await refused(pilot)
        assert refusal.startswith("'GB-CHC-12' is not an org-id: a GB-CHC")
        assert under(form, "org_id") == refusal
        assert form.focused is form.query_one("#field-org_id")
        assert isinstance(app.screen, FormScreen)  # still open, to put it right
    assert read(factory, lambda s: list(s.exec(select(Partner.name)))) == ["Ada"]
    assert event_count(factory) == before


async def test_a_new_person_from_the_chooser_on_a_partner_screen(
    factory: sessionmaker[Session],
) -> None:
    with db.unit_of_work(factory) as s:
        add_partner(s, name="Ada", stamp=on("2021-01-04"))
    app = make_app(factory)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, OverviewScreen), "the overview")
        app.open_partner("Ada")
        await wait_for(pilot, lambda: isinstance(app.screen, PartnerScreen), "the partner")
        await new(pilot, "New person")
        await fill(pilot, "name", "Cathy Jones")
        await fill(pilot, "role", "staff lead")
        await confirm(pilot)
        assert isinstance(app.screen, PartnerScreen)  # back where the person was
    person = read(factory, lambda s: s.exec(select(Person)).one().model_dump())
    assert (person["name"], person["role"]) == ("Cathy Jones", "staff lead")
    [added] = events_of(factory, "person-add")
    assert (added.subject_type, added.subject_id) == ("person", person["id"])


async def test_a_new_workstream_with_a_lead_shows_on_the_overview(
    factory: sessionmaker[Session],
) -> None:
    with_people(factory, "Cathy")
    app = make_app(factory)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, OverviewScreen), "the overview")
        await new(pilot, "New workstream")
        await fill(pilot, "name", "Youth [North]")
        await fill(pilot, "purpose", "young people in the north")
        app.screen.query_one("#field-lead", Select).value = "Cathy"
        await fill(pilot, "on", "2021-02-01")
        await confirm(pilot)
        table = app.screen.query_one("#workstreams", DataTable)
        await wait_for(pilot, lambda: table.row_count == 1, "the new workstream")
        assert str(table.get_row_at(0)[0]) == "Youth [North]"
    ws = read(factory, lambda s: s.exec(select(Workstream)).one().model_dump())
    assert (ws["name"], ws["purpose"], ws["opened_on"].isoformat(), ws["status"]) == (
        "Youth [North]", "young people in the north", "2021-02-01", "open",
    )  # fmt: skip
    [opened] = events_of(factory, "open")
    assert (opened.workstream_id, opened.to_state) == (ws["id"], "open")


async def test_a_new_theme_held_by_a_workstream_or_unhomed_with_leads(
    factory: sessionmaker[Session],
) -> None:
    with_people(factory, "Cathy", "Julian")
    with db.unit_of_work(factory) as s:
        add_workstream(s, on("2021-01-04"), name="Youth [North]")
    app = make_app(factory)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, OverviewScreen), "the overview")
        form = await new(pilot, "New theme")
        # Neither a home nor leads: refused under "Held by", nothing written.
        await fill(pilot, "name", "Housing")
        form, refusal = await refused(pilot)
        assert under(form, "home") == refusal
        assert "either a home workstream or, unhomed, its leads" in refusal
        app.screen.query_one("#field-home", Select).value = "Youth [North]"
        await pilot.pause()
        await confirm(pilot)
        await new(pilot, "New theme")
        await fill(pilot, "name", "Racial justice")
        await fill(pilot, "leads", "Cathy, Julian")
        await confirm(pilot)

    def themes(s: Session) -> dict[str, tuple[int | None, list[str]]]:
        found = {}
        for theme in s.exec(select(Theme)):
            leads = s.exec(
                select(Person.name)
                .join(ThemeLead, ThemeLead.person_id == Person.id)  # type: ignore[arg-type]
                .where(ThemeLead.theme_id == theme.id)
                .order_by(Person.name)
            )
            found[theme.name] = (theme.workstream_id, list(leads))
        return found

    held: tuple[int | None, list[str]] = (1, [])
    unhomed = (None, ["Cathy", "Julian"])
    assert read(factory, themes) == {"Housing": held, "Racial justice": unhomed}
    added = events_of(factory, "theme-add")
    assert [(e.to_state, e.data["leads"]) for e in added] == [
        ("Youth [North]", []), ("unhomed", ["Cathy", "Julian"]),
    ]  # fmt: skip


async def test_the_palette_offers_each_new_record(factory: sessionmaker[Session]) -> None:
    app = make_app(factory)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, OverviewScreen), "the overview")
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert {"New partner", "New person", "New workstream", "New theme"} <= set(titles)
        [person] = [c for c in app.get_system_commands(app.screen) if c.title == "New person"]
        person.callback()
        await wait_for(pilot, lambda: isinstance(app.screen, FormScreen), "the person form")
        assert str(app.screen.query_one("#title").render()) == "New person"


def toasts(screen: Any) -> str:
    return " ".join(str(t.render()) for t in screen.query("Toast"))


async def open_edit(pilot: Pilot[Any], partner: str) -> FormScreen:
    app = pilot.app
    app.open_partner(partner)  # type: ignore[attr-defined]
    await wait_for(
        pilot, lambda: isinstance(app.screen, PartnerScreen) and app.screen.data is not None,
        "the partner screen",
    )  # fmt: skip
    await pilot.press("E")
    await wait_for(pilot, lambda: isinstance(app.screen, FormScreen), "the edit form")
    form = app.screen
    assert isinstance(form, FormScreen)
    return form


async def test_editing_a_partner_records_what_changed_and_the_screen_follows_the_new_name(
    demo_factory: sessionmaker[Session],
) -> None:
    app = make_app(demo_factory)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        form = await open_edit(pilot, "MEAM")
        assert str(form.query_one("#title").render()) == "Edit partner MEAM"
        shown = form.values()
        assert shown["name"] == "MEAM" and shown["on"] == "2021-06-01"
        await fill(pilot, "name", "MEAM Coalition")
        await fill(pilot, "place", "Leeds")
        await confirm(pilot)
        await wait_for(
            pilot, lambda: isinstance(app.screen, PartnerScreen) and app.screen.data is not None
            and app.screen.partner == "MEAM Coalition", "the partner under its new name",
        )  # fmt: skip
        assert str(app.screen.query_one("#details", Static).render()).startswith("MEAM Coalition")
        timeline = app.screen.query_one("#timeline", DataTable)
        last = [str(c) for c in timeline.get_row_at(timeline.row_count - 1)]
        assert "partner-edit" in last
        assert any(c.startswith("name 'MEAM' → 'MEAM Coalition'; place") for c in last), last
    [edit] = events_of(demo_factory, "partner-edit")
    before = edit.data["changed"]["place"]["before"]
    assert edit.data == {
        "changed": {
            "name": {"before": "MEAM", "after": "MEAM Coalition"},
            "place": {"before": before, "after": "Leeds"},
        }
    }
    assert edit.occurred_on.isoformat() == "2021-06-01" and edit.partner_id is not None
    names = read(demo_factory, lambda s: list(s.exec(select(Partner.name))))
    assert "MEAM Coalition" in names and "MEAM" not in names


async def test_an_edit_that_changes_nothing_or_takes_a_name_is_refused_in_place(
    demo_factory: sessionmaker[Session],
) -> None:
    before = event_count(demo_factory)
    app = make_app(demo_factory)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_edit(pilot, "MEAM")
        form, refusal = await refused(pilot)
        assert refusal == "Nothing to change: MEAM already has those details."
        await fill(pilot, "name", "agenda")
        form, refusal = await refused(pilot)
        assert refusal == "There is already a partner named 'Agenda'."
        assert under(form, "name") == refusal
    assert event_count(demo_factory) == before
    names = read(demo_factory, lambda s: list(s.exec(select(Partner.name))))
    assert "MEAM" in names


async def test_record_text_in_a_form_title_and_its_choices_shows_as_typed(
    factory: sessionmaker[Session],
) -> None:
    with_people(factory, "Ana [b]bold[/b]")
    with db.unit_of_work(factory) as s:
        add_partner(s, name="MEAM [i] \\", stamp=on("2021-01-04"))
    app = make_app(factory)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, OverviewScreen), "the overview")
        form = await open_edit(pilot, "MEAM [i] \\")
        assert str(form.query_one("#title").render()) == "Edit partner MEAM [i] \\"
        await fill(pilot, "place", "[dim]Leeds")
        await confirm(pilot)
        said = "Partner 1 edited: place (none) → '[dim]Leeds'"
        await wait_for(pilot, lambda: said in toasts(app.screen), "the saved notice, as typed")
        form = await new(pilot, "New workstream")
        lead = form.query_one("#field-lead", Select)
        lead.value = "Ana [b]bold[/b]"
        await pilot.pause()
        assert "Ana [b]bold[/b]" in str(lead.query_one("SelectCurrent Static").render())
