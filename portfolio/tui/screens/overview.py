"""Home: every workstream with its partnerships by state, and what needs attention."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from rich.text import Text
from sqlmodel import Session
from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Header, Label, OptionList
from textual.widgets.option_list import Option

from portfolio.services.lifecycle import STATES
from portfolio.services.overview import AttentionItem, needs_attention
from portfolio.services.workstreams import WorkstreamRow, list_workstreams
from portfolio.tui.format import money
from portfolio.tui.screens.base import BaseScreen

SHORT_STATE = {"active": "Active", "review": "Review", "ending": "Ending", "ended": "Ended",
               "transferred": "Moved"}  # fmt: skip
KIND_LABEL = {"ending": "Ending", "review": "Review", "theme": "Theme", "action": "Overdue",
              "decision": "Decision"}  # fmt: skip


@dataclass(frozen=True)
class OverviewData:
    workstreams: list[WorkstreamRow]
    attention: list[AttentionItem]


def read_overview(today: date) -> Callable[[Session], OverviewData]:
    return lambda s: OverviewData(list_workstreams(s), needs_attention(s, today))


class OverviewScreen(BaseScreen):
    CSS_PATH = "overview.tcss"
    AUTO_FOCUS = "#workstreams"
    BINDINGS = [
        Binding("w", "focus_workstreams", "Workstreams", id="overview.workstreams"),
        Binding("a", "focus_attention", "Attention", id="overview.attention"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.data: OverviewData | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="body"):
            yield Label("Workstreams", classes="section")
            yield DataTable(id="workstreams", cursor_type="row", zebra_stripes=True)
            yield Label("Needs attention", classes="section", id="attention-title")
            yield OptionList(id="attention")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = "Overview"
        ws = self.query_one("#workstreams", DataTable)
        ws.add_column("Workstream", key="name")
        ws.add_column("Status", key="status")
        for state in STATES:
            ws.add_column(SHORT_STATE[state], key=state)
        ws.add_column("Committed", key="committed")
        ws.loading = True

    def fetcher(self) -> Callable[[Session], Any]:
        return read_overview(self.papp.today)

    def show(self, data: OverviewData) -> None:
        self.data = data
        ws = self.query_one("#workstreams", DataTable)
        ws.loading = False
        keep = ws.cursor_row
        ws.clear()
        for row in data.workstreams:
            counts = [str(row.counts.get(s, 0) or "·") for s in STATES]
            ws.add_row(row.name, row.status, *counts, money(row.committed), key=row.name)
        ws.move_cursor(row=min(keep, max(0, ws.row_count - 1)))
        attention = self.query_one("#attention", OptionList)
        keep_option = attention.highlighted
        attention.clear_options()
        attention.add_options(
            Option(Text.assemble((f"{KIND_LABEL[item.kind]:<9}", "bold"), (item.subject, "bold"),
                                 f"  {item.detail}"), id=str(index))
            for index, item in enumerate(data.attention)
        )  # fmt: skip
        if data.attention:
            attention.highlighted = min(keep_option or 0, len(data.attention) - 1)
        count = len(data.attention)
        self.query_one("#attention-title", Label).update(
            f"Needs attention ({count})" if count else "Needs attention: nothing right now"
        )
        self.papp.overview_ready()

    @on(DataTable.RowSelected, "#workstreams")
    def _open_workstream(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            self.papp.open_workstream(event.row_key.value)

    @on(OptionList.OptionSelected, "#attention")
    def _open_attention(self, event: OptionList.OptionSelected) -> None:
        if self.data is None or event.option.id is None:
            return
        item = self.data.attention[int(event.option.id)]
        if item.partner:
            self.papp.open_partner(item.partner)
        elif item.workstream:
            self.papp.open_workstream(item.workstream)

    def action_focus_workstreams(self) -> None:
        self.query_one("#workstreams").focus()

    def action_focus_attention(self) -> None:
        self.query_one("#attention").focus()

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand(
            "Focus needs attention", "Move to the needs-attention list", self.action_focus_attention
        )
