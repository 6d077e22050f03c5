"""Money in the app: what the lists and the board paper say, per currency."""

from sqlalchemy.orm import sessionmaker
from sqlmodel import Session
from textual.widgets import DataTable, Static

from portfolio.tui.screens.partner import PartnerScreen
from portfolio.tui.screens.workstream import WorkstreamScreen
from tests.conftest import Cli
from tests.tui.tui_support import make_app, settle


def rows(table: DataTable[str]) -> dict[str, list[str]]:
    found = {}
    for i in range(table.row_count):
        cells = [str(c) for c in table.get_row_at(i)]
        found[cells[0]] = cells
    return found


async def test_after_the_demo_decision_the_overview_and_place_show_the_moved_funding(
    factory: sessionmaker[Session], cli: Cli
) -> None:
    cli.ok("demo")
    cli.ok("decision", "enact", "1")
    app = make_app(factory)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        overview = rows(app.screen.query_one("#workstreams", DataTable))
        # The same figures as `workstream list` and the board update.
        assert overview["Place"][-1] == "£630,000" and overview["National"][-1] == "£495,000"
        app.open_workstream("Place")
        await settle(pilot)
        assert isinstance(app.screen, WorkstreamScreen)
        about = str(app.screen.query_one("#about", Static).render())
        assert "committed £630,000" in about
        partnerships = rows(app.screen.query_one("#partnerships", DataTable))
        assert partnerships["Corra Foundation"][2] == "£200,000"
        assert partnerships["Localmotion"][2] == "£180,000"


async def test_grants_in_two_currencies_show_apart_on_every_screen(
    factory: sessionmaker[Session], cli: Cli
) -> None:
    cli.ok("workstream", "add", "North", "--on", "2020-01-01")
    cli.ok("partner", "add", "Ada")
    cli.ok("partnership", "start", "Ada", "-w", "North", "--on", "2020-02-01")
    cli.ok("grant", "add", "Ada", "-w", "North", "--amount", "100", "--awarded", "2020-03-01")
    cli.ok("grant", "add", "Ada", "-w", "North", "--amount", "50", "--currency", "EUR",
           "--awarded", "2020-03-01")  # fmt: skip
    app = make_app(factory)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        # On the overview each currency has a line of its own (whole at 80 columns).
        assert rows(app.screen.query_one("#workstreams", DataTable))["North"][-1] == "£100\n€50"
        app.open_workstream("North")
        await settle(pilot)
        assert "committed £100 · €50" in str(app.screen.query_one("#about", Static).render())
        assert rows(app.screen.query_one("#partnerships", DataTable))["Ada"][2] == "£100 · €50"
        app.open_partner("Ada")
        await settle(pilot)
        assert isinstance(app.screen, PartnerScreen)
        details = str(app.screen.query_one("#details", Static).render())
        assert "2 grant(s), £100 · €50 in all" in details and "150" not in details
        grants = app.screen.query_one("#grants", DataTable)
        amounts = sorted(str(grants.get_row_at(i)[2]) for i in range(grants.row_count))
        assert amounts == ["£100", "€50"]
