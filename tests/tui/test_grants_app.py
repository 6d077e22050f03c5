"""Grants in the app: oversized ones already recorded, and withdrawing one recorded in error."""

from pathlib import Path

from sqlalchemy.orm import sessionmaker
from sqlmodel import Session, select
from textual.widgets import DataTable, Static

from portfolio.models import Event, Grant
from portfolio.tui.screens.form import FormScreen
from portfolio.tui.screens.partner import PartnerScreen
from tests.cli.test_grants_cli import insert_huge_grants, north
from tests.conftest import Cli
from tests.tui.test_flows import fill
from tests.tui.test_positions_app import rows
from tests.tui.tui_support import make_app, read, settle, wait_for


async def test_the_overview_shows_oversized_grants_already_recorded(
    factory: sessionmaker[Session], cli: Cli, db_path: Path
) -> None:
    north(cli)
    insert_huge_grants(db_path)
    cli.ok("grant", "add", "Ada", "-w", "North", "--amount", "10", "--awarded", "2020-03-02")
    app = make_app(factory)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        overview = rows(app.screen.query_one("#workstreams", DataTable))
        assert overview["North"][-1] == "£100,000,000,000,000,010"
        app.open_workstream("North")
        await settle(pilot)
        assert "£100,000,000,000,000,010" in str(app.screen.query_one("#about", Static).render())


async def test_withdrawing_the_highlighted_grant_from_the_partner_screen(
    factory: sessionmaker[Session], cli: Cli
) -> None:
    north(cli)
    cli.ok("grant", "add", "Ada", "-w", "North", "--amount", "100", "--awarded", "2020-03-01")
    cli.ok("grant", "add", "Ada", "-w", "North", "--amount", "25", "--awarded", "2020-03-02")
    app = make_app(factory)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_partner("Ada")
        await settle(pilot)
        grants = app.screen.query_one("#grants", DataTable)
        grants.focus()
        grants.move_cursor(row=1)
        await pilot.pause()
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        assert "£25.00" in str(app.screen.query_one("#title").render())
        await fill(pilot, "reason", "entered twice")
        await pilot.click("#confirm")
        await wait_for(pilot, lambda: isinstance(app.screen, PartnerScreen), "the partner screen")
        await settle(pilot)
        shown = [str(c) for c in app.screen.query_one("#grants", DataTable).get_row_at(1)]
        assert any("withdrawn" in c for c in shown)
        assert "2 grant(s) (1 withdrawn), £100 in all" in str(
            app.screen.query_one("#details", Static).render()
        )
        # Withdrawn once: the key is no longer offered on that grant.
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, PartnerScreen)

    def withdrawn(s: Session) -> list[tuple[int, str]]:
        ids = s.exec(select(Grant.id).where(Grant.withdrawn_on.is_not(None))).all()  # type: ignore[union-attr]
        reasons = s.exec(select(Event.reason).where(Event.action == "grant-withdraw")).all()
        return list(zip(ids, reasons, strict=True))

    assert [reason for _id, reason in read(factory, withdrawn)] == ["entered twice"]
