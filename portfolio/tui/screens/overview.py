"""Home: every workstream with its partnerships by state, the portfolio's shape in
pictures, and what needs attention."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from rich.text import Text
from sqlmodel import Session
from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Grid, VerticalScroll
from textual.widgets import DataTable, Header, Label, OptionList
from textual.widgets.option_list import Option

from portfolio.models.money import in_order
from portfolio.printable import printable
from portfolio.services.lifecycle import STATES
from portfolio.services.overview import KINDS, Attention, needs_attention
from portfolio.services.positions import Quarter, ending_by_quarter
from portfolio.services.workstreams import WorkstreamRow, list_workstreams
from portfolio.tui.format import money, moneys
from portfolio.tui.screens.base import BaseScreen
from portfolio.tui.widgets.charts import Chart, Line, labelled
from portfolio.tui.widgets.keybar import KeyBar
from portfolio.tui.widgets.table import Table

SHORT_STATE = {"active": "Active", "review": "Review", "ending": "Ending", "ended": "Ended",
               "transferred": "Moved"}  # fmt: skip
# Each state's character in the stacked bars: told apart without colour.
STATE_MARK = {"active": "█", "review": "▓", "ending": "▒", "ended": "░", "transferred": "·"}
QUARTERS = 8  # funding planned to end: the next two years
# At this width and more the three charts stand side by side, else two to a row.
WIDE = 120
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
        self.data: OverviewData | None = None  # set once the table and the list are read
        self.quarters: list[Quarter] | None = None  # the third chart's, read on its own
        self._parts: dict[str, Any] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="body", can_focus=False):
            yield Label("Workstreams", classes="section", id="workstreams-title")
            # The name gives way before a committed amount is cut or pushed off the edge.
            yield Table(id="workstreams", flex=("name",), whole=("committed",), zebra_stripes=True)
            with Grid(id="charts"):
                yield Chart("Partnerships by state", id="by-state")
                yield Chart("Committed funding", id="committed")
                yield Chart("Funding planned to end, by quarter", id="ending")
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
        self.set_timer(0.3, self._still_loading)

    def _still_loading(self) -> None:
        # Per part (not BaseScreen.loading_after): the table has its rows once its own
        # part is read, whichever of the others is still to come.
        if "workstreams" not in self._parts:
            self.query_one("#workstreams", DataTable).loading = True

    def fetchers(self) -> dict[str, Callable[[Session], Any]]:
        # Two workers: SQLite runs the two reads side by side on two cores.
        today = self.papp.today
        self._parts = {}
        currency = self.papp.currency
        return {
            "workstreams": lambda s: list_workstreams(s, currency=currency),
            "attention": lambda s: needs_attention(s, today),
            "quarters": lambda s: ending_by_quarter(s, today, QUARTERS),
        }

    def show_part(self, part: str, data: Any) -> None:
        self._parts[part] = data
        if part == "workstreams":
            self._show_workstreams(data)
        elif part == "quarters":
            self.quarters = data
            currency = self.papp.currency
            self.query_one("#ending", Chart).show(lambda width: ending_lines(data, currency, width))
            return  # the first frame waits for the table and the list, not for this chart
        else:
            self._show_attention(data)
        if "workstreams" in self._parts and "attention" in self._parts:
            self.data = OverviewData(self._parts["workstreams"], self._parts["attention"])
            self.papp.overview_ready()

    def on_resize(self) -> None:
        self.query_one("#charts").set_class(self.size.width >= WIDE, "-wide")

    def _show_workstreams(self, rows: list[WorkstreamRow]) -> None:
        ws = self.query_one("#workstreams", DataTable)
        ws.loading = False
        keep = ws.cursor_row
        ws.clear()
        # An empty portfolio says where to begin: a new user has no CLI to turn to.
        title = (
            "Workstreams" if rows else "Workstreams: none yet. N adds one (and partners, people...)"
        )
        self.query_one("#workstreams-title", Label).update(title)
        for row in rows:
            counts = [str(row.counts.get(s, 0) or "·") for s in STATES]
            held = in_order(row.committed_by_currency, row.currency)
            amounts = [money(a, c) for c, a in held if a]
            if len(amounts) > 1:
                # Each currency on a line of its own, so each stays whole at 80 columns
                # (cells as Text: a row of several lines is drawn by DataTable itself,
                # which would read a plain string as markup).
                cells = [Text(printable(c), no_wrap=True, overflow="ellipsis")
                         for c in (row.name, row.status, *counts)]  # fmt: skip
                ws.add_row(*cells, Text("\n".join(amounts)), key=row.name, height=len(amounts))
            else:
                committed = moneys(row.committed_by_currency, row.currency)
                ws.add_row(row.name, row.status, *counts, committed, key=row.name)
        ws.move_cursor(row=min(keep, max(0, ws.row_count - 1)))
        self.query_one("#by-state", Chart).show(lambda width: state_lines(rows, width))
        self.query_one("#committed", Chart).show(lambda width: committed_lines(rows, width))

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


def state_lines(rows: list[WorkstreamRow], width: int) -> list[str]:
    """A legend, then each workstream's partnerships as one bar in a character per
    state, with how many there are."""
    legend = [""]
    for key in (f"{STATE_MARK[s]} {SHORT_STATE[s]}" for s in STATES):
        if legend[-1] and len(legend[-1]) + 2 + len(key) > width:
            legend.append("")
        legend[-1] += f"  {key}" if legend[-1] else key
    lines = [
        Line(row.name, total, f"{total:,}", parts=tuple(row.counts.get(s, 0) for s in STATES))
        for row in rows
        for total in [sum(row.counts.get(s, 0) for s in STATES)]
    ]
    marks = [STATE_MARK[s] for s in STATES]
    return [*legend, *labelled(lines, width, marks=marks)]


def committed_lines(rows: list[WorkstreamRow], width: int) -> list[str]:
    """Each workstream's committed funding, whole, one line per currency; the bars of a
    currency are measured against that currency's largest (never added across)."""
    currency = rows[0].currency if rows else "GBP"
    biggest: dict[str, Decimal] = {}
    for row in rows:
        for code, amount in row.committed_by_currency.items():
            biggest[code] = max(biggest.get(code, Decimal(0)), amount)
    lines = []
    for row in rows:
        shown = [(c, a) for c, a in in_order(row.committed_by_currency, currency) if a]
        for n, (code, amount) in enumerate(shown or [(currency, Decimal("0.00"))]):
            label = row.name if n == 0 else ""
            lines.append(Line(label, amount, money(amount, code), scale=biggest.get(code, 0)))
    return labelled(lines, width)


def ending_lines(quarters: list[Quarter], currency: str, width: int) -> list[str]:
    """Per quarter, the committed funding planned to end in it: the portfolio's currency
    on the quarter's line, any other currency on a line of its own below."""
    biggest: dict[str, Decimal] = {}
    for quarter in quarters:
        for code, amount in quarter.ending.items():
            biggest[code] = max(biggest.get(code, Decimal(0)), amount)
    lines = []
    for quarter in quarters:
        own = quarter.ending.get(currency, Decimal("0.00"))
        lines.append(Line(quarter.label, own, money(own, currency), scale=biggest.get(currency, 0)))
        lines += [
            Line("", amount, money(amount, code), scale=biggest[code])
            for code, amount in in_order(quarter.ending, currency)
            if code != currency and amount
        ]
    return labelled(lines, width)
