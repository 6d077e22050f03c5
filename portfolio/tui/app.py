"""The terminal app (a first overview; the full app is built in portfolio/tui)."""

from sqlalchemy.orm import sessionmaker
from sqlmodel import Session
from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer, Header

from portfolio import db
from portfolio.services.lifecycle import STATES, label
from portfolio.services.workstreams import list_workstreams


class PortfolioApp(App[None]):
    TITLE = "portfolio"
    BINDINGS = [("q", "quit", "Quit")]

    def __init__(self, factory: sessionmaker[Session]) -> None:
        super().__init__()
        self.factory = factory

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="workstreams")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Workstream", "Status", *[label(s) for s in STATES], "Committed")
        with db.read_session(self.factory) as session:
            for row in list_workstreams(session):
                counts = [str(row.counts.get(s, 0)) for s in STATES]
                table.add_row(row.name, row.status, *counts, f"£{row.committed:,.2f}")
