"""One partner: details, partnerships in every workstream, grants, the exit
checklist of an ending partnership (ticked in place), and one timeline across
transfers."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlmodel import Session
from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Header, Label, Static

from portfolio.services import partnerships
from portfolio.services.lifecycle import ENDING, EXIT_TYPES, allowed, label
from portfolio.services.partners import PartnerDetail, PartnershipRow, partner_detail
from portfolio.tui import actions, partnership_forms, record_forms
from portfolio.tui.format import day, money, moneys
from portfolio.tui.screens.base import BaseScreen
from portfolio.tui.screens.workstream import ROW_ACTIONS
from portfolio.tui.widgets.keybar import KeyBar
from portfolio.tui.widgets.table import Table
from portfolio.tui.widgets.timeline import Timeline


@dataclass(frozen=True)
class PartnerData:
    detail: PartnerDetail


def _withdrawn(grants: list[dict[str, Any]]) -> str:
    n = sum(g["withdrawn_on"] is not None for g in grants)
    return f" ({n} withdrawn)" if n else ""


class PartnerScreen(BaseScreen):
    AUTO_FOCUS = "#partnerships"
    READS_BEFORE_COMPOSE = True
    BINDINGS = [
        Binding("s", "start", "Start", id="partner.start"),
        *[Binding(k, f"row('{a}')", d, id=f"partner.{a}") for a, (k, d) in ROW_ACTIONS.items()],
        Binding("k", "tick", "Tick step", id="partner.tick"),
        Binding("x", "untick", "Untick step", id="partner.untick"),
        # The checklist itself is edited rarely: its keys are in help and the palette.
        Binding("plus", "add_step", "Add step", key_display="+", id="partner.step-add", show=False),
        Binding(
            "minus",
            "remove_step",
            "Remove step",
            key_display="-",
            id="partner.step-remove",
            show=False,
        ),  # fmt: skip
        Binding("a", "grant", "Add grant", id="partner.grant"),
        Binding("w", "withdraw", "Withdraw grant", id="partner.withdraw"),
        Binding("y", "timeline", "Timeline", id="partner.timeline"),
        Binding("E", "edit", "Edit partner", id="partner.edit"),
    ]

    def __init__(self, name: str) -> None:
        super().__init__()
        self.partner = name
        # Once read, the partner is read by its id: a rename does not lose it.
        self.partner_id: int | None = None
        self.data: PartnerData | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="body"):
            yield Static("", id="details")
            yield Label("Partnerships", classes="section")
            yield Table(id="partnerships", cursor_type="row")
            yield Label("Exit checklist", classes="section", id="checklist-title")
            yield Table(id="checklist", flex=("What",))
            yield Label("Grants", classes="section")
            yield Table(id="grants", flex=("Title",), zebra_stripes=True)
            yield Label("Timeline", classes="section")
            yield Timeline(id="timeline")
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = self.partner
        partnerships = self.query_one("#partnerships", DataTable)
        partnerships.add_columns("Workstream", "State", "Lead", "Since", "Planned end", "Exit")
        self.query_one("#checklist", DataTable).add_columns("Step", "What", "Done on", "By")
        grants = self.query_one("#grants", DataTable)
        grants.add_columns("Awarded", "Workstream", "Amount", "Reference", "Ends", "Title")
        self.loading_after()

    def fetcher(self) -> Callable[[Session], Any]:
        name, partner_id = self.partner, self.partner_id
        return lambda s: PartnerData(partner_detail(s, name, partner_id=partner_id))

    def show(self, data: PartnerData) -> None:
        detail = data.detail
        p = detail.partner
        if p.name != self.partner and self.app.screen is self:
            # Renamed (here or by someone else): open it under its new name. This screen,
            # kept under the old one, reads by that name should it be opened again.
            self.partner_id = None
            self.app.pop_screen()
            self.papp.open_partner(p.name)
            return
        self.partner = self.sub_title = p.name  # what this screen's actions name
        self.data = data
        self.partner_id = p.id
        facts = " · ".join(x for x in (p.kind, p.place, p.org_id) if x)
        total: dict[str, Decimal] = {}  # per currency: never one sum across currencies
        for g in detail.grants:
            if g["withdrawn_on"] is None:  # a grant withdrawn in error counts nowhere
                total[g["currency"]] = total.get(g["currency"], Decimal(0)) + Decimal(g["amount"])
        # Record text goes in as markup variables, so no name can open or close a style.
        self.query_one("#details", Static).update(
            Content.from_markup(
                "[b]$name[/b]  $facts\n$grants" + ("\n[dim]Notes:[/] $notes" if p.notes else ""),
                name=p.name,
                facts=facts,
                grants=f"{len(detail.grants)} grant(s){_withdrawn(detail.grants)}, "
                f"{moneys(total, self.papp.currency)} in all",
                notes=p.notes,
            )
        )
        for loaded in self.query(DataTable):
            loaded.loading = False
        table = self.query_one("#partnerships", DataTable)
        keep = table.cursor_row
        table.clear()
        for ps in detail.partnerships:
            table.add_row(
                ps.workstream, label(ps.state), ps.lead or "-", day(ps.started_on),
                day(ps.planned_end), EXIT_TYPES.get(ps.exit_type or "", "-"), key=str(ps.id),
            )  # fmt: skip
        table.move_cursor(row=min(keep, max(0, table.row_count - 1)))
        self._show_checklist()
        grants = self.query_one("#grants", DataTable)
        keep_grant = grants.cursor_row  # the grant just withdrawn stays highlighted
        grants.clear()
        for g in detail.grants:
            amount = money(Decimal(g["amount"]), g["currency"])
            if g["withdrawn_on"]:
                amount += f" withdrawn {g['withdrawn_on']}"
            grants.add_row(
                g["awarded_on"], g["workstream"], amount,
                g["reference"] or "-", g["planned_end"] or "-", g["title"] or "-",
                key=str(g["id"]),
            )  # fmt: skip
        grants.move_cursor(row=min(keep_grant, max(0, grants.row_count - 1)))
        self.query_one("#timeline", Timeline).show_events(detail.timeline)
        self.refresh_bindings()

    def ending(self) -> PartnershipRow | None:
        """The partnership whose checklist is shown: the highlighted one if ending, else any."""
        if self.data is None:
            return None
        endings = [ps for ps in self.data.detail.partnerships if ps.state == ENDING]
        current = self.current()
        return current if current in endings else (endings[0] if endings else None)

    def _show_checklist(self) -> None:
        table = self.query_one("#checklist", DataTable)
        title = self.query_one("#checklist-title", Label)
        ending = self.ending()
        table.display = title.display = ending is not None
        if ending is None or self.data is None:
            return
        steps = self.data.detail.checklists.get(ending.id, [])
        left = sum(not s["done"] for s in steps)
        title.update(Content(f"Exit checklist, {ending.workstream}: {left} of {len(steps)} open"))
        keep = table.cursor_row
        table.clear()
        for s in steps:
            mark = "✓ " if s["done"] else "· "
            table.add_row(
                mark + s["step"], s["text"], s["on"] or "-", s["by"] or "-", key=s["step"]
            )
        table.move_cursor(row=min(keep, max(0, table.row_count - 1)))

    def current(self) -> PartnershipRow | None:
        table = self.query_one("#partnerships", DataTable)
        if self.data is None or not self.data.detail.partnerships:
            return None
        return self.data.detail.partnerships[min(table.cursor_row, table.row_count - 1)]

    def step(self) -> dict[str, Any] | None:
        """The highlighted step of the checklist shown, if any."""
        ending = self.ending()
        table = self.query_one("#checklist", DataTable)
        if ending is None or self.data is None or table.row_count == 0:
            return None
        steps = self.data.detail.checklists.get(ending.id, [])
        return steps[min(table.cursor_row, len(steps) - 1)] if steps else None

    def open_step(self) -> str | None:
        """The highlighted checklist step, if it is still open."""
        step = self.step()
        return None if step is None or step["done"] else str(step["step"])

    def ticked_step(self) -> str | None:
        """The highlighted checklist step, if it is ticked."""
        step = self.step()
        return str(step["step"]) if step is not None and step["done"] else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "row":
            line = self.current()
            return line is not None and allowed(partnerships.action(str(parameters[0])), line.state)
        if action == "tick":
            return self.open_step() is not None
        if action == "untick":
            return self.ticked_step() is not None
        if action == "remove_step":
            return self.step() is not None
        if action == "grant":
            return self.current() is not None
        if action == "withdraw":
            return self.grant() is not None
        return True

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "partnerships":
            self._show_checklist()
        self.refresh_bindings()

    @on(DataTable.RowSelected, "#partnerships")
    def _open_workstream(self) -> None:
        line = self.current()
        if line is not None:
            self.papp.open_workstream(line.workstream)

    @on(DataTable.RowSelected, "#checklist")
    def _checklist_selected(self) -> None:
        self.action_tick()

    def action_start(self) -> None:
        if self.data is not None:
            self.open_form(
                actions.start_form(self.papp.names(), self.papp.today, partner=self.partner)
            )

    def action_row(self, action: str) -> None:
        line = self.current()
        if (
            line is not None
            and self.data is not None
            and allowed(partnerships.action(action), line.state)
        ):
            form = actions.partnership_form(
                action, self.papp.names(), self.papp.today, self.partner, line.workstream
            )
            self.open_form(form)

    def action_tick(self) -> None:
        ending, step = self.ending(), self.open_step()
        if ending is not None and step is not None:
            self.open_form(
                actions.tick_form(
                    self.papp.names(), self.papp.today, self.partner, ending.workstream, step
                )
            )

    def action_untick(self) -> None:
        ending, step = self.ending(), self.ticked_step()
        if ending is not None and step is not None:
            self.open_form(
                partnership_forms.untick_form(
                    self.papp.names(), self.papp.today, self.partner, ending.workstream, step
                )
            )

    def action_add_step(self) -> None:
        self.open_form(partnership_forms.step_form(self.papp.names(), self.papp.today))

    def action_remove_step(self) -> None:
        step = self.step()
        if step is not None:
            names = self.papp.names()
            self.open_form(partnership_forms.remove_step_form(names, self.papp.today, step["step"]))

    def action_grant(self) -> None:
        """Add a grant in the highlighted partnership's workstream."""
        line = self.current()
        if line is not None:
            self.open_form(
                partnership_forms.grant_form(
                    self.papp.names(),
                    self.papp.today,
                    partner=self.partner,
                    workstream=line.workstream,
                )  # fmt: skip
            )

    def grant(self) -> dict[str, Any] | None:
        """The grant highlighted in the grants table while it has focus, if not withdrawn."""
        table = self.query_one("#grants", DataTable)
        if self.data is None or self.focused is not table or not self.data.detail.grants:
            return None
        grant = self.data.detail.grants[min(table.cursor_row, len(self.data.detail.grants) - 1)]
        return None if grant["withdrawn_on"] else grant

    def action_withdraw(self) -> None:
        grant = self.grant()
        if grant is not None:
            self.open_form(actions.withdraw_grant_form(self.papp.today, grant, self.partner))

    def action_edit(self) -> None:
        if self.data is not None:
            partner = self.data.detail.partner
            self.open_form(record_forms.edit_partner_form(self.papp.today, partner))

    def action_timeline(self) -> None:
        self.query_one("#timeline").focus()

    def palette_commands(self) -> Iterable[SystemCommand]:
        name = self.partner
        yield SystemCommand(f"Start {name} in a workstream", "Start", self.action_start)
        yield SystemCommand(
            f"Edit {name}", "Name, kind, place, org id, notes (E)", self.action_edit
        )
        line = self.current()
        if line is not None:
            for declared in actions.row_actions(line.state):
                description = declared.title
                yield SystemCommand(
                    f"{description} {name} in {line.workstream}",
                    f"{description} this partnership",
                    lambda a=declared.name: self.action_row(a),  # type: ignore[misc]
                )
        if line is not None:
            yield SystemCommand(
                f"Add a grant to {name} in {line.workstream}", "Add grant", self.action_grant
            )
        if self.open_step() is not None:
            yield SystemCommand("Tick the highlighted checklist step", "Tick", self.action_tick)
        if self.ticked_step() is not None:
            yield SystemCommand(
                "Untick the highlighted checklist step", "Not done after all", self.action_untick
            )
        yield SystemCommand(
            "Add a step to the exit checklist", "For endings begun from now", self.action_add_step
        )
        if self.step() is not None:
            yield SystemCommand(
                "Remove the highlighted step from the exit checklist",
                "For new endings; endings under way keep it",
                self.action_remove_step,
            )
        if self.grant() is not None:
            yield SystemCommand(
                "Withdraw the highlighted grant", "Recorded in error", self.action_withdraw
            )
