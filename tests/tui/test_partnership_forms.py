"""A partnership's records made in the app: a grant, checklist steps, an untick, and a
partnership started with a partner that is not one yet. Each form writes through its
service, in one transaction; a refusal shows in place and leaves the database as it was."""

from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy.orm import sessionmaker
from sqlmodel import Session, col, select
from textual.widgets import Button, DataTable, Static

from portfolio.models import ChecklistStep, Event, Grant, Partner
from portfolio.tui.screens.form import FormScreen
from portfolio.tui.screens.partner import PartnerScreen
from portfolio.tui.screens.workstream import WorkstreamScreen
from tests.dbstate import dump
from tests.tui.test_flows import fill, open_workstream_row
from tests.tui.tui_support import make_app, read, settle, state_of, wait_for

Factory = sessionmaker[Session]


def text(screen: Any, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def put(pilot: Any, field: str, value: str) -> None:
    """Set a field as pasted: the pilot types no '€'."""
    pilot.app.screen.query_one(f"#field-{field}").value = value
    await pilot.pause()


async def open_form(pilot: Any, key: str) -> FormScreen:
    await pilot.press(key)
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, FormScreen), "the form")
    screen = pilot.app.screen
    assert isinstance(screen, FormScreen)
    return screen


async def refused(pilot: Any) -> str:
    """Confirm, and the refusal the form shows in place."""
    await pilot.click("#confirm")
    refusal = pilot.app.screen.query_one("#refusal", Static)
    await wait_for(pilot, lambda: refusal.display, "the refusal")
    assert isinstance(pilot.app.screen, FormScreen)
    return str(refusal.render())


async def confirmed(pilot: Any, back_to: type) -> None:
    await pilot.click("#confirm")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, back_to), "the form to close")
    await settle(pilot)


def events(factory: Factory, *actions: str) -> list[Event]:
    return read(
        factory,
        lambda s: list(
            s.exec(select(Event).where(col(Event.action).in_(actions)).order_by(col(Event.id)))
        ),
    )


async def test_adding_a_grant_from_the_partner_screen_records_it_and_its_event(
    demo_factory: Factory,
) -> None:
    app = make_app(demo_factory)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        app.open_partner("MEAM")
        await wait_for(pilot, lambda: isinstance(app.screen, PartnerScreen), "the partner")
        await settle(pilot)
        form = await open_form(pilot, "a")
        assert text(form, "#title") == "Add a grant to MEAM in National"
        await fill(pilot, "amount", "12,500.50")
        await fill(pilot, "title", "Bridge funding")
        await fill(pilot, "reference", "LC-2021-900")
        await fill(pilot, "start", "2021-07-01")
        await fill(pilot, "end", "2022-03-31")
        await confirmed(pilot, PartnerScreen)
        grants = app.screen.query_one("#grants", DataTable)
        assert "Bridge funding" in [str(c) for c in grants.get_row_at(grants.row_count - 1)]

    def added(s: Session) -> Grant:
        return s.exec(select(Grant).where(Grant.reference == "LC-2021-900")).one()

    grant = read(demo_factory, added)
    assert (grant.amount, grant.currency, grant.title) == (
        Decimal("12500.50"),
        "GBP",
        "Bridge funding",
    )
    assert (str(grant.awarded_on), str(grant.planned_start), str(grant.planned_end)) == (
        "2021-06-01", "2021-07-01", "2022-03-31"
    )  # fmt: skip
    last = events(demo_factory, "grant")[-1]
    assert (last.subject_id, last.detail, str(last.occurred_on)) == (
        grant.id, "GBP 12500.50", "2021-06-01"
    )  # fmt: skip


async def test_a_grant_from_the_workstream_screen_refused_in_place_then_added(
    demo_factory: Factory, db_path: Path
) -> None:
    before = dump(db_path)
    app = make_app(demo_factory)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await open_workstream_row(pilot, "National", "Agenda")
        form = await open_form(pilot, "a")
        assert text(form, "#title") == "Add a grant to Agenda in National"
        await fill(pilot, "amount", "1,50")
        assert "not an amount" in await refused(pilot)
        assert "not an amount" in text(form, "#problem-amount")
        await put(pilot, "amount", "€500")
        assert "the sign of EUR, not GBP" in await refused(pilot)
        await fill(pilot, "amount", "500")
        await fill(pilot, "start", "2021-07-01")
        await fill(pilot, "end", "2021-06-30")
        assert "before its start" in await refused(pilot)
        assert "before its start" in text(form, "#problem-end")
        assert dump(db_path) == before
        await fill(pilot, "end", "2021-12-31")
        await fill(pilot, "currency", "eur")
        await put(pilot, "amount", "€500")
        await confirmed(pilot, WorkstreamScreen)
    last = events(demo_factory, "grant")[-1]
    assert last.detail == "EUR 500.00" and last.data["currency"] == "EUR"


async def test_adding_and_removing_a_checklist_step_from_the_partner_screen(
    scenario_factory: Factory, db_path: Path
) -> None:
    app = make_app(scenario_factory)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        app.open_partner("MEAM")
        await wait_for(pilot, lambda: isinstance(app.screen, PartnerScreen), "the partner")
        await settle(pilot)
        await open_form(pilot, "plus")
        await fill(pilot, "name", "told")
        await fill(pilot, "text", "Told again")
        before = dump(db_path)
        assert "already a checklist step named 'told'" in await refused(pilot)
        assert dump(db_path) == before
        await fill(pilot, "name", "thank-you")
        await fill(pilot, "text", "Thank the partner for the work together")
        await confirmed(pilot, PartnerScreen)

        checklist = app.screen.query_one("#checklist", DataTable)
        checklist.focus()
        checklist.move_cursor(row=7)  # follow-up, the last step of MEAM's ending
        await pilot.pause()
        form = await open_form(pilot, "minus")
        assert text(form, "#title") == "Remove 'follow-up' from the exit checklist"
        await confirmed(pilot, PartnerScreen)
        # MEAM's ending keeps the checklist it began with.
        assert checklist.row_count == 8

    def steps(s: Session) -> dict[str, bool]:
        rows = s.exec(select(ChecklistStep)).all()
        return {r.name: r.removed_at is None for r in rows}

    listed = read(scenario_factory, steps)
    assert listed["thank-you"] is True and listed["follow-up"] is False
    assert [(e.action, e.detail) for e in events(scenario_factory, "checklist-add",
                                                 "checklist-remove")] == [
        ("checklist-add", "thank-you"), ("checklist-remove", "follow-up")
    ]  # fmt: skip


async def test_unticking_the_highlighted_ticked_step_is_a_new_event_and_it_can_be_ticked_again(
    scenario_factory: Factory,
) -> None:
    app = make_app(scenario_factory)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        app.open_partner("MEAM")
        await wait_for(pilot, lambda: isinstance(app.screen, PartnerScreen), "the partner")
        await settle(pilot)
        checklist = app.screen.query_one("#checklist", DataTable)
        checklist.focus()
        await pilot.pause()
        await pilot.press("x")  # 'decision' is open: there is nothing to untick
        await pilot.pause()
        assert isinstance(app.screen, PartnerScreen)
        checklist.move_cursor(row=1)  # 'told', ticked in the scenario
        await pilot.pause()
        form = await open_form(pilot, "x")
        assert text(form, "#title") == "Untick 'told' for MEAM in National"
        await pilot.click("#confirm")  # a reason is required: nothing is written without one
        await settle(pilot)
        assert app.screen is form and not events(scenario_factory, "untick")
        await fill(pilot, "reason", "The partner was not told in person")
        await confirmed(pilot, PartnerScreen)
        assert str(checklist.get_row_at(1)[0]) == "· told"
        assert "8 of 8 open" in str(app.screen.query_one("#checklist-title").render())

        await open_form(pilot, "k")  # ticked again, now done as it should be
        await confirmed(pilot, PartnerScreen)
        assert str(checklist.get_row_at(1)[0]) == "✓ told"

    found = events(scenario_factory, "tick", "untick")
    assert [(e.action, e.data["step"]) for e in found] == [
        ("tick", "told"), ("untick", "told"), ("tick", "told")
    ]  # fmt: skip
    assert found[1].reason == "The partner was not told in person"
    assert found[1].data["tick_event_id"] == found[0].id


async def test_starting_with_a_partner_not_yet_recorded_adds_it_with_the_partnership(
    demo_factory: Factory,
) -> None:
    app = make_app(demo_factory)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        app.open_workstream("How")
        await wait_for(pilot, lambda: isinstance(app.screen, WorkstreamScreen), "the workstream")
        await settle(pilot)
        form = await open_form(pilot, "s")
        await fill(pilot, "partner_id", "MEAM")
        assert not form.query_one("#problem-partner_id", Static).display
        await fill(pilot, "partner_id", "Hope Street")
        said = text(form, "#problem-partner_id")
        assert said == "'Hope Street' is not a partner yet: it will be added."
        assert not form.query_one("#confirm", Button).disabled
        await fill(pilot, "partner_kind", "charity")
        await fill(pilot, "partner_place", "Liverpool")
        await fill(pilot, "partner_org_id", "GB-CHC-1234567")
        await confirmed(pilot, WorkstreamScreen)
        assert "Partnerships 1–2 of 2" in str(app.screen.query_one("#pager").render())

    def partner(s: Session) -> Partner:
        return s.exec(select(Partner).where(Partner.name == "Hope Street")).one()

    added = read(demo_factory, partner)
    assert (added.kind, added.place, added.org_id) == ("charity", "Liverpool", "GB-CHC-1234567")
    assert state_of(demo_factory, "Hope Street", "How") == "active"
    last = events(demo_factory, "partner-add", "start")[-2:]
    assert [(e.action, e.partner_id) for e in last] == [
        ("partner-add", added.id), ("start", added.id)
    ]  # fmt: skip


async def test_a_refused_start_with_a_new_partner_leaves_no_partner_behind(
    demo_factory: Factory, db_path: Path
) -> None:
    before = dump(db_path)
    app = make_app(demo_factory)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        app.open_workstream("How")
        await wait_for(pilot, lambda: isinstance(app.screen, WorkstreamScreen), "the workstream")
        await settle(pilot)
        form = await open_form(pilot, "s")
        await fill(pilot, "partner_id", "Hope Street")
        await fill(pilot, "on", "2019-01-01")  # before How opened: the start is refused
        assert "date it then or later" in await refused(pilot)
        assert dump(db_path) == before
        await fill(pilot, "on", "2021-06-01")
        await fill(pilot, "partner_org_id", "not an id")
        assert "org" in (await refused(pilot)).lower()
        assert form.query_one("#problem-partner_org_id", Static).display
        await fill(pilot, "partner_id", "MEAM")  # a partner already: its details are its own
        assert "MEAM is already a partner" in await refused(pilot)
        assert dump(db_path) == before
    assert state_of(demo_factory, "Hope Street", "How") is None
