"""Home: every workstream with its partnerships by state, and what needs attention."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from sqlmodel import Session
from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Header, Label, OptionList
from textual.widgets.option_list import Option

from portfolio.services.lifecycle import STATES
from portfolio.services.overview import KINDS, Attention, needs_attention
from portfolio.services.workstreams import WorkstreamRow, list_workstreams
from portfolio.tui.format import moneys
from portfolio.tui.screens.base import BaseScreen
from portfolio.tui.widgets.keybar import KeyBar
from portfolio.tui.widgets.table import Table

SHORT_STATE = {"active": "Active", "review": "Review", "ending": "Ending", "ended": "Ended",
               "transferred": "Moved"}  # fmt: skip
KIND_LABEL = {"ending": "Ending", "review": "Review", "theme": "Theme", "action": "Overdue",
              "decision": "Decision"}  # fmt: skip


@dataclass(frozen=True)
class OverviewData:
    workstreams: list[WorkstreamRow]
    attention: Attention


class OverviewScreen(BaseScreen):
    AUTO_FOCUS = "#workstreams"
    BINDINGS = [
        Binding("w", "focus_workstreams", "Workstreams", id="overview.workstreams"),
        Binding("a", "focus_attention", "Attention", id="overview.attention"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.data: OverviewData | None = None  # set once both parts have been read
        self._parts: dict[str, Any] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="body"):
            yield Label("Workstreams", classes="section")
            yield Table(id="workstreams", cursor_type="row", zebra_stripes=True)
            yield Label("Needs attention", classes="section", id="attention-title")
            yield OptionList(id="attention")
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = "Overview"
        ws = self.query_one("#workstreams", DataTable)
        ws.add_column("Workstream", key="name")
        ws.add_column("Status", key="status")
        for state in STATES:
            ws.add_column(SHORT_STATE[state], key=state)
        ws.add_column("Committed", key="committed")
        self.loading_after()

    def fetchers(self) -> dict[str, Callable[[Session], Any]]:
        # Two workers: SQLite runs the two reads side by side on two cores.
        today = self.papp.today
        self._parts = {}
        currency = self.papp.currency
        return {
            "workstreams": lambda s: list_workstreams(s, currency=currency),
            "attention": lambda s: needs_attention(s, today),
        }

    def show_part(self, part: str, data: Any) -> None:
        self._parts[part] = data
        if part == "workstreams":
            self._show_workstreams(data)
        else:
            self._show_attention(data)
        if len(self._parts) == 2:
            self.data = OverviewData(self._parts["workstreams"], self._parts["attention"])
            self.papp.overview_ready()

    def _show_workstreams(self, rows: list[WorkstreamRow]) -> None:
        ws = self.query_one("#workstreams", DataTable)
        ws.loading = False
        keep = ws.cursor_row
        ws.clear()
        for row in rows:
            counts = [str(row.counts.get(s, 0) or "·") for s in STATES]
            committed = moneys(row.committed_by_currency, row.currency)
            ws.add_row(row.name, row.status, *counts, committed, key=row.name)
        ws.move_cursor(row=min(keep, max(0, ws.row_count - 1)))

    def _show_attention(self, data: Attention) -> None:
        attention = self.query_one("#attention", OptionList)
        keep_option = attention.highlighted
        attention.clear_options()
        attention.add_options(
            Option(Text.assemble((f"{KIND_LABEL[item.kind]:<9}", "bold"), (item.subject, "bold"),
                                 f"  {item.detail}"), id=str(index))
            for index, item in enumerate(data.items)
        )  # fmt: skip
        if data.items:
            attention.highlighted = min(keep_option or 0, len(data.items) - 1)
        self.query_one("#attention-title", Label).update(attention_title(data))

    @on(DataTable.RowSelected, "#workstreams")
    def _open_workstream(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            self.papp.open_workstream(event.row_key.value)

    @on(OptionList.OptionSelected, "#attention")
    def _open_attention(self, event: OptionList.OptionSelected) -> None:
        if "attention" not in self._parts or event.option.id is None:
            return
        item = self._parts["attention"].items[int(event.option.id)]
        if item.kind == "decision":
            self.papp.action_decisions()
        elif item.kind == "action":
            from portfolio.tui.screens.learning import LearningScreen

            self.papp.action_learning()
            learning = self.papp.get_screen("learning")
            if isinstance(learning, LearningScreen) and item.action_id is not None:
                learning.show_action(item.action_id)
        elif item.partner:
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


def attention_title(attention: Attention) -> str:
    if not attention.total:
        return "Needs attention: nothing right now"
    shown = len(attention.items)
    counts = " · ".join(
        f"{attention.totals[k]:,} {KIND_LABEL[k].lower()}" for k in KINDS if attention.totals[k]
    )
    more = f"; the first {shown} shown" if shown < attention.total else ""
    return f"Needs attention ({attention.total:,}: {counts}{more})"
