"""Each flow that changes data, driven with the pilot, checked in the database."""

from datetime import date

from sqlmodel import Session, select
from textual.widgets import Button, DataTable, Select, SelectionList, Static

from portfolio.models import Partnership, Theme, Workstream
from portfolio.tui.screens.form import FormScreen
from portfolio.tui.screens.partner import PartnerScreen
from portfolio.tui.screens.workstream import WorkstreamScreen
from tests.tui.tui_support import event_count, make_app, read, settle, state_of, wait_for


async def open_workstream_row(pilot, name: str, partner: str) -> WorkstreamScreen:  # type: ignore[no-untyped-def]
    pilot.app.open_workstream(name)
    await settle(pilot)
    await pilot.press("slash", *partner, "enter")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, WorkstreamScreen)
    current = screen.current()
    assert current is not None and current.partner == partner
    return screen


async def fill(pilot, field: str, text: str) -> None:  # type: ignore[no-untyped-def]
    control = pilot.app.screen.query_one(f"#field-{field}")
    control.focus()
    await pilot.pause()
    if isinstance(control, SelectionList):  # names are picked from the list, not typed
        control.deselect_all()
        for name in text.split(","):
            control.select(name.strip())
    else:
        control.value = ""
        await pilot.press(*text)
    await pilot.pause()


def choose(pilot, field: str, value: str) -> None:  # type: ignore[no-untyped-def]
    pilot.app.screen.query_one(f"#field-{field}", Select).value = value


async def test_ending_a_partnership_from_the_workstream_screen_records_it(demo_factory):  # type: ignore[no-untyped-def]
    app = make_app(demo_factory)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_workstream_row(pilot, "National", "MEAM")
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        await fill(pilot, "by", "2021-09-30")
        await fill(pilot, "reason", "National team closing")
        await pilot.click("#confirm")
        await wait_for(pilot, lambda: not isinstance(app.screen, FormScreen), "the form to close")
    assert state_of(demo_factory, "MEAM", "National") == "ending"
    planned = read(
        demo_factory,
        lambda s: s.exec(
            select(Partnership.planned_end).where(Partnership.state == "ending")
        ).one(),
    )
    assert planned == date(2021, 9, 30)


async def test_a_refused_ending_shows_the_reason_in_the_form_and_changes_nothing(demo_factory):  # type: ignore[no-untyped-def]
    before = event_count(demo_factory)
    app = make_app(demo_factory)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_workstream_row(pilot, "National", "MEAM")
        await pilot.press("e")
        await fill(pilot, "by", "2021-01-31")
        await fill(pilot, "reason", "Too early")
        await pilot.press("enter")
        refusal = app.screen.query_one("#refusal", Static)
        await wait_for(pilot, lambda: refusal.display, "the refusal")
        assert "before the ending begins" in str(refusal.render())
        assert isinstance(app.screen, FormScreen)
    assert state_of(demo_factory, "MEAM", "National") == "active"
    assert event_count(demo_factory) == before


async def test_the_form_checks_dates_as_you_type_and_holds_confirm_back(demo_factory):  # type: ignore[no-untyped-def]
    app = make_app(demo_factory)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_workstream_row(pilot, "National", "MEAM")
        await pilot.press("e")
        await pilot.pause()
        await pilot.press(*"2021-13-01")
        await pilot.pause()
        problem = app.screen.query_one("#problem-by", Static)
        assert "YYYY-MM-DD" in str(problem.render())
        assert app.screen.query_one("#confirm", Button).disabled
        await fill(pilot, "by", "2021-12-01")
        await fill(pilot, "reason", "ok")
        assert not problem.display
        assert not app.screen.query_one("#confirm", Button).disabled
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, WorkstreamScreen)
    assert state_of(demo_factory, "MEAM", "National") == "active"


async def test_reviewing_from_the_partner_screen_sets_the_lead(demo_factory):  # type: ignore[no-untyped-def]
    app = make_app(demo_factory)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.open_partner("Agenda")
        await settle(pilot)
        await pilot.press("r")
        await pilot.pause()
        choose(pilot, "lead_id", "Cathy")
        await fill(pilot, "reason", "Fit with the new strategy")
        await pilot.click("#confirm")
        await wait_for(pilot, lambda: isinstance(app.screen, PartnerScreen), "the partner screen")
        await settle(pilot)
        table = app.screen.query_one("#partnerships", DataTable)
        assert "under review" in [str(c) for c in table.get_row_at(0)]
    assert state_of(demo_factory, "Agenda", "National") == "review"


async def test_ticking_a_checklist_step_in_place_records_the_tick(scenario_factory):  # type: ignore[no-untyped-def]
    app = make_app(scenario_factory)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        app.open_partner("MEAM")
        await settle(pilot)
        checklist = app.screen.query_one("#checklist", DataTable)
        assert checklist.display
        checklist.focus()
        await pilot.pause()
        # 'decision' is the first step and still open ('told' was ticked in the scenario)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        await pilot.click("#confirm")
        await wait_for(pilot, lambda: isinstance(app.screen, PartnerScreen), "the partner screen")
        await settle(pilot)
        assert str(checklist.get_row_at(0)[0]).startswith("✓")

    def ticks(s: Session) -> list[str]:
        from portfolio.models import Event

        return list(s.exec(select(Event.detail).where(Event.action == "tick")).all())

    assert sorted(read(scenario_factory, ticks)) == ["decision", "told"]


async def test_completing_with_open_steps_needs_a_reason_then_ends_it(scenario_factory):  # type: ignore[no-untyped-def]
    app = make_app(scenario_factory)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.open_partner("MEAM")
        await settle(pilot)
        await pilot.press("c")
        await pilot.pause()
        await pilot.click("#confirm")
        refusal = app.screen.query_one("#refusal", Static)
        await wait_for(pilot, lambda: refusal.display, "the refusal")
        assert "checklist steps not done" in str(refusal.render())
        assert state_of(scenario_factory, "MEAM", "National") == "ending"
        await fill(pilot, "reason", "Partner declined a learning conversation")
        await pilot.click("#confirm")
        await wait_for(pilot, lambda: isinstance(app.screen, PartnerScreen), "the partner screen")
    assert state_of(scenario_factory, "MEAM", "National") == "ended"


async def test_transferring_starts_an_active_partnership_in_the_other_workstream(demo_factory):  # type: ignore[no-untyped-def]
    app = make_app(demo_factory)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_workstream_row(pilot, "National", "Leeds GATE")
        await pilot.press("t")
        await pilot.pause()
        choose(pilot, "to_workstream_id", "Place")
        await fill(pilot, "reason", "Place-based work belongs in Place")
        await pilot.click("#confirm")
        await wait_for(pilot, lambda: isinstance(app.screen, WorkstreamScreen), "the workstream")
    assert state_of(demo_factory, "Leeds GATE", "National") == "transferred"
    assert state_of(demo_factory, "Leeds GATE", "Place") == "active"


async def test_starting_a_partnership_in_a_workstream_by_typing_the_partner(demo_factory):  # type: ignore[no-untyped-def]
    app = make_app(demo_factory)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.open_workstream("How")
        await settle(pilot)
        await pilot.press("s")
        await pilot.pause()
        await fill(pilot, "partner_id", "Black Thrive")
        await pilot.click("#confirm")
        await wait_for(pilot, lambda: isinstance(app.screen, WorkstreamScreen), "the workstream")
        await settle(pilot)
        assert "Partnerships 1–2 of 2" in str(app.screen.query_one("#pager").render())
    assert state_of(demo_factory, "Black Thrive", "How") == "active"


async def test_rehoming_a_theme_unhomed_with_leads(demo_factory):  # type: ignore[no-untyped-def]
    app = make_app(demo_factory)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.open_workstream("National")
        await settle(pilot)
        await pilot.press("h")
        await pilot.pause()
        choose(pilot, "to", "(unhomed)")
        leads = app.screen.query_one("#field-leads", SelectionList)
        leads.select("Julian")
        leads.select("Cathy")  # picked from the list of people
        await pilot.pause()
        await pilot.click("#confirm")
        await wait_for(pilot, lambda: isinstance(app.screen, WorkstreamScreen), "the workstream")
    home = read(
        demo_factory,
        lambda s: s.exec(
            select(Theme.workstream_id).where(Theme.name == "Ethnic inequality in mental health")
        ).one(),
    )
    assert home is None


async def test_closing_a_workstream_with_undecided_partners_lists_every_blocker(demo_factory):  # type: ignore[no-untyped-def]
    before = event_count(demo_factory)
    app = make_app(demo_factory)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.open_workstream("National")
        await settle(pilot)
        await pilot.press("x")
        await pilot.pause()
        await pilot.click("#confirm")
        refusal = app.screen.query_one("#refusal", Static)
        await wait_for(pilot, lambda: refusal.display, "the refusal")
        text = str(refusal.render())
        assert "MEAM is still active in National" in text
        assert "theme 'Ethnic inequality in mental health'" in text
    status = read(
        demo_factory,
        lambda s: s.exec(select(Workstream.status).where(Workstream.name == "National")).one(),
    )
    assert status == "open"
    assert event_count(demo_factory) == before


async def test_closing_an_empty_workstream_closes_it(demo_factory):  # type: ignore[no-untyped-def]
    from portfolio import db
    from portfolio.services.workstreams import add_workstream
    from tests.tui.tui_support import on

    with db.unit_of_work(demo_factory) as s:
        add_workstream(s, on("2021-01-04"), name="Pilots", purpose="Short trials")
    app = make_app(demo_factory)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.open_workstream("Pilots")
        await settle(pilot)
        await pilot.press("x")
        await fill(pilot, "reason", "Trials over")
        await pilot.click("#confirm")
        await wait_for(pilot, lambda: isinstance(app.screen, WorkstreamScreen), "the workstream")
    status = read(
        demo_factory,
        lambda s: s.exec(select(Workstream.status).where(Workstream.name == "Pilots")).one(),
    )
    assert status == "closed"
