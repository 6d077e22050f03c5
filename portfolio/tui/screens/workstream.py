"""One workstream: purpose, lead, status, themes, and its partnerships a page at a time."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session
from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import DataTable, Header, Input, Label, Select, Static

from portfolio.services import partnerships
from portfolio.services.lifecycle import STATES, allowed, label
from portfolio.services.overview import (
    Page,
    PartnershipLine,
    WorkstreamHeader,
    workstream_header,
    workstream_partnerships,
)
from portfolio.tui import actions, partnership_forms
from portfolio.tui.format import day, moneys
from portfolio.tui.screens.base import BaseScreen
from portfolio.tui.widgets.keybar import KeyBar
from portfolio.tui.widgets.table import Table

# Keys for actions on the highlighted partnership: action -> (key, description)
ROW_ACTIONS = {a.name: (a.key, a.title) for a in partnerships.actions() if a.on_row}


@dataclass(frozen=True)
class WorkstreamData:
    header: WorkstreamHeader
    page: Page
    version: int  # the app's data version it was read at


class WorkstreamScreen(BaseScreen):
    AUTO_FOCUS = "#partnerships"
    READS_BEFORE_COMPOSE = True
    BINDINGS = [
        Binding("slash", "search", "Search", id="workstream.search", key_display="/"),
        Binding("f", "filter", "Filter", id="workstream.filter", show=False),
        Binding("n", "page(1)", "Next page", id="workstream.next"),
        Binding("p", "page(-1)", "Prev page", id="workstream.prev"),
        Binding("s", "start", "Start", id="workstream.start"),
        *[Binding(k, f"row('{a}')", d, id=f"workstream.{a}") for a, (k, d) in ROW_ACTIONS.items()],
        Binding("a", "grant", "Add grant", id="workstream.grant"),
        Binding("h", "rehome", "Rehome theme", id="workstream.rehome"),
        Binding("x", "close_workstream", "Close", id="workstream.close"),
    ]

    def __init__(self, name: str) -> None:
        super().__init__()
        self.workstream = name
        self.state_filter: str | None = None
        self.search_text = ""
        self.page_offset = 0
        self.data: WorkstreamData | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="body"):
            yield Static("", id="about")
            with Horizontal(id="filters"):
                yield Select(
                    [(label(s), s) for s in STATES], prompt="every state", id="state", compact=True
                )
                yield Input(placeholder="type to search partners", id="search", compact=True)
            yield Table(id="partnerships", flex=("Partner",), zebra_stripes=True)
            yield Label("", id="pager")
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = self.workstream
        table = self.query_one("#partnerships", DataTable)
        for name in ("Partner", "State", "Funding", "Lead", "Since", "Planned end"):
            table.add_column(name, key=name)
        self.loading_after()

    def fetcher(self) -> Callable[[Session], Any]:
        currency = self.papp.currency
        name, state, search, offset = (
            self.workstream,
            self.state_filter,
            self.search_text,
            self.page_offset,
        )

        version = self.papp.data_version
        # Paging, filtering and searching keep the header: nothing was written since.
        known = self.data.header if self.data and self.data.version == version else None

        def fetch(session: Session) -> WorkstreamData:
            header = known or workstream_header(session, name, currency=currency)
            page = workstream_partnerships(
                session, workstream_id=header.row.id, state=state, search=search, offset=offset
            )
            return WorkstreamData(header, page, version)

        return fetch

    def show(self, data: WorkstreamData) -> None:
        self.data = data
        row = data.header.row
        themes = ", ".join(data.header.themes) or "none"
        status = row.status if row.status == "open" else f"closed {day(row.closed_on)}"
        committed = moneys(row.committed_by_currency, row.currency)
        # Record text goes in as markup variables, so no name can open or close a style.
        self.query_one("#about", Static).update(
            Content.from_markup(
                "[b]$name[/b]  $status since $opened · lead $lead · committed $committed\n"
                "$purpose\n[dim]Themes:[/] $themes",
                name=row.name,
                status=status,
                opened=day(row.opened_on),
                lead=row.lead or "none",
                committed=committed,
                purpose=row.purpose or "No purpose recorded.",
                themes=themes,
            )
        )
        table = self.query_one("#partnerships", DataTable)
        table.loading = False
        keep = table.cursor_row
        table.clear()
        for line in data.page.lines:
            table.add_row(
                line.partner, label(line.state), moneys(line.funding, row.currency),
                line.lead or "-", day(line.since), day(line.planned_end), key=str(line.id),
            )  # fmt: skip
        table.move_cursor(row=min(keep, max(0, table.row_count - 1)))
        page = data.page
        if page.total:
            shown = f"{page.offset + 1}–{page.offset + len(page.lines)} of {page.total:,}"
        else:
            shown = "no partnerships match"
        self.query_one("#pager", Label).update(f"Partnerships {shown}")
        self.refresh_bindings()

    def current(self) -> PartnershipLine | None:
        table = self.query_one("#partnerships", DataTable)
        if self.data is None or not self.data.page.lines or table.row_count == 0:
            return None
        return self.data.page.lines[min(table.cursor_row, len(self.data.page.lines) - 1)]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "row":
            line = self.current()
            return line is not None and allowed(partnerships.action(str(parameters[0])), line.state)
        if action == "page" and self.data is not None:
            page = self.data.page
            ahead = page.offset + page.limit < page.total
            return ahead if parameters[0] == 1 else page.offset > 0
        if action in ("start", "close_workstream") and self.data is not None:
            return self.data.header.row.status == "open"
        if action == "grant":
            return self.current() is not None
        if action == "rehome" and self.data is not None:
            return bool(self.data.header.themes)
        return True

    @on(DataTable.RowHighlighted, "#partnerships")
    def _highlighted(self) -> None:
        self.refresh_bindings()

    @on(DataTable.RowSelected, "#partnerships")
    def _selected(self) -> None:
        line = self.current()
        if line is not None:
            self.papp.open_partner(line.partner)

    @on(Select.Changed, "#state")
    def _state_changed(self, event: Select.Changed) -> None:
        self.state_filter = None if event.select.is_blank() else str(event.value)
        self.page_offset = 0
        self.reload()

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.search_text = event.value
        self.page_offset = 0
        self.reload()

    @on(Input.Submitted, "#search")
    def _search_done(self) -> None:
        self.query_one("#partnerships").focus()

    def action_search(self) -> None:
        self.query_one("#search").focus()

    def action_filter(self) -> None:
        self.query_one("#state").focus()

    def action_page(self, step: int) -> None:
        if self.data is not None:
            page = self.data.page
            self.page_offset = min(max(0, page.offset + step * page.limit), page.last_offset)
            self.reload()

    def action_start(self) -> None:
        if self.data is not None:
            self.open_form(
                actions.start_form(self.papp.names(), self.papp.today, workstream=self.workstream)
            )

    def action_row(self, action: str) -> None:
        line = self.current()
        if line is not None and self.data is not None:
            self.open_form(
                actions.partnership_form(
                    action, self.papp.names(), self.papp.today, line.partner, self.workstream
                )
            )

    def action_grant(self) -> None:
        """Add a grant to the highlighted partner in this workstream."""
        line = self.current()
        if line is not None:
            self.open_form(
                partnership_forms.grant_form(
                    self.papp.names(),
                    self.papp.today,
                    partner=line.partner,
                    workstream=self.workstream,
                )  # fmt: skip
            )

    def action_rehome(self) -> None:
        if self.data is not None and self.data.header.themes:
            held = tuple(self.data.header.themes)
            self.open_form(actions.rehome_form(self.papp.names(), self.papp.today, held))

    def action_close_workstream(self) -> None:
        self.open_form(actions.close_form(self.papp.names(), self.papp.today, self.workstream))

    def palette_commands(self) -> Iterable[SystemCommand]:
        name = self.workstream
        yield SystemCommand(f"Start a partnership in {name}", "Start", self.action_start)
        line = self.current()
        if line is not None:
            for declared in actions.row_actions(line.state):
                description = declared.title
                yield SystemCommand(
                    f"{description} {line.partner}",
                    f"{description} the highlighted partnership in {name}",
                    lambda a=declared.name: self.action_row(a),  # type: ignore[misc]
                )
            yield SystemCommand(f"Add a grant to {line.partner}", f"In {name}", self.action_grant)
        yield SystemCommand(f"Rehome a theme of {name}", "Rehome a theme", self.action_rehome)
        yield SystemCommand(f"Close {name}", "Close this workstream", self.action_close_workstream)
