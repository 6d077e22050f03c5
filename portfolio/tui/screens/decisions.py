"""Decisions: the list, one decision's detail and whole plan, and the actions that
record, agree, supersede, plan (a guided closure of a workstream, or one change at a
time), and enact it."""

from collections.abc import Callable, Iterable
from typing import Any

from sqlmodel import Session
from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import DataTable, Header, Label, OptionList, Static
from textual.widgets.option_list import Option

from portfolio import db
from portfolio.errors import PortfolioError
from portfolio.services.decisions import list_decisions, show_decision, status_line
from portfolio.services.history import Stamp
from portfolio.settings import current_user
from portfolio.tui import decision_forms as forms
from portfolio.tui.screens.base import BaseScreen
from portfolio.tui.widgets.keybar import KeyBar
from portfolio.tui.widgets.table import Table


class DecisionsScreen(BaseScreen):
    AUTO_FOCUS = "#decisions"
    READS_BEFORE_COMPOSE = True
    BINDINGS = [
        Binding("n", "new", "New", id="decisions.new"),
        Binding("a", "agree", "Agree", id="decisions.agree"),
        Binding("w", "plan_closing", "Plan closing", id="decisions.plan"),
        Binding("e", "enact", "Enact", id="decisions.enact"),
        Binding("p", "plan_change", "Plan a change", id="decisions.plan_change"),
        Binding("x", "unplan", "Unplan", id="decisions.unplan"),
        Binding("s", "supersede", "Supersede", id="decisions.supersede"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.data: list[dict[str, Any]] | None = None
        self.detail: dict[str, Any] | None = None
        # While a new decision is being recorded: the ids there were, to find it by.
        self._before_new: set[int] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="body"):
            yield Table(id="decisions", flex=("Title",))
            with VerticalScroll(id="detail-pane"):
                yield Static("", id="detail")
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = "Decisions"
        table = self.query_one("#decisions", DataTable)
        table.add_columns("#", "Status", "Title")
        self.loading_after()

    def fetcher(self) -> Callable[[Session], Any]:
        return lambda s: list_decisions(s)

    def on_screen_resume(self) -> None:
        # (Textual then runs BaseScreen's handler too: it reads afresh if something changed.)
        if self.loaded_version == self.papp.data_version:  # the new decision's form cancelled
            self._before_new = None

    def show(self, data: list[dict[str, Any]]) -> None:
        self.data = data
        table = self.query_one("#decisions", DataTable)
        table.loading = False
        keep = table.cursor_row
        before, self._before_new = self._before_new, None
        made = [i for i, d in enumerate(data) if before is not None and d["id"] not in before]
        if made:  # the decision just recorded is the one to act on next
            keep = made[-1]
        table.clear()
        for d in data:
            table.add_row(str(d["id"]), d["status"], d["title"], key=str(d["id"]))
        table.move_cursor(row=min(keep, max(0, table.row_count - 1)))
        self._load_detail()

    def show_part(self, part: str, data: Any) -> None:
        if part == "detail":
            self._show_detail(data)
        else:
            self.show(data)

    def current_id(self) -> int | None:
        table = self.query_one("#decisions", DataTable)
        if not self.data or table.row_count == 0:
            return None
        return int(self.data[min(table.cursor_row, len(self.data) - 1)]["id"])

    def _load_detail(self) -> None:
        decision_id = self.current_id()
        if decision_id is not None:
            self.load_part("detail", lambda s: show_decision(s, decision_id))

    @on(DataTable.RowHighlighted, "#decisions")
    def _highlighted(self) -> None:
        self._load_detail()

    def _show_detail(self, d: dict[str, Any]) -> None:
        if self.detail is None or self.detail["id"] != d["id"]:
            # Another decision: read from its top, not where the last one was left.
            self.query_one("#detail-pane", VerticalScroll).scroll_home(animate=False)
        self.detail = d
        concerns = ", ".join(d["workstreams"] + d["partners"] + d["themes"]) or "-"
        # Record text goes in as markup variables (or plain Content), so no title or
        # name can open or close a style.
        m = Content.from_markup
        lines = [
            m("[b]$id. $title[/b]", id=str(d["id"]), title=d["title"]),
            Content(f"{status_line(d)} · decided {d['decided_on']}"),
            Content(d["decision"]),
            Content(""),
            m(f"[b]Plan[/b] ({len(d['changes'])} changes)"),
        ]
        lines += [
            m("$n. $what  [dim]$on[/]", n=f"{c['n']:>3}", what=c["description"], on=str(c["on"]))
            for c in d["changes"]
        ]
        if not d["changes"]:
            lines.append(Content("  none yet: w plans the closure of a workstream, p one change"))
        if d["actions"]:
            lines += [Content(""), m("[b]Actions[/b]")]
            lines += [
                m("  $text [dim]($status)[/]", text=a["text"], status=a["status"])
                for a in d["actions"]
            ]
        lines += [
            Content(""),
            m("[dim]Decided by:[/] $who", who=", ".join(d["decided_by"]) or "-"),
        ]
        for earlier in d["supersedes"]:
            lines.append(
                m("[dim]Supersedes:[/] $id. $title", id=str(earlier["id"]), title=earlier["title"])
            )
        lines.append(m("[dim]Concerns:[/] $concerns", concerns=concerns))
        for label, key in (("Context", "context"), ("Rationale", "rationale")):
            if d[key]:
                lines.append(m(f"[dim]{label}:[/] $text", text=d[key]))
        self.query_one("#detail", Static).update(Content("\n").join(lines))
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        status = self.detail["status"] if self.detail else None
        if action == "agree":
            return status == "proposed"
        if action == "plan_closing":
            return status in ("proposed", "agreed")
        if action == "enact":
            return status == "agreed"
        if action == "plan_change":
            return status in ("proposed", "agreed")
        if action == "unplan":
            return status in ("proposed", "agreed") and bool(self.detail and self.detail["changes"])
        if action == "supersede":
            return status not in (None, "superseded") and bool(self.replacements())
        return True

    def replacements(self) -> list[dict[str, Any]]:
        """The decisions that may replace the highlighted one: any other not superseded."""
        if self.detail is None or self.data is None:
            return []
        own = self.detail["id"]
        return [d for d in self.data if d["id"] != own and d["status"] != "superseded"]

    def action_new(self) -> None:
        self._before_new = {d["id"] for d in self.data or []}
        self.open_form(forms.new_decision_form(self.papp.names(), self.papp.today))

    def action_agree(self) -> None:
        if self.detail is not None:
            self.open_form(
                forms.agree_form(self.papp.today, self.detail["id"], self.detail["title"])
            )

    def action_plan_closing(self, workstream: str = "") -> None:
        """Plan the closure of the decision's workstream; when it names none (or
        several), first ask which."""
        d = self.detail
        if d is None:
            return
        if not workstream:
            names = d["workstreams"] or self.papp.names().open_workstreams
            if not names:
                self.notify("There is no open workstream to close.", severity="warning")
                return
            if len(d["workstreams"]) != 1:
                self.app.push_screen(
                    PickScreen(
                        f"Which workstream does decision {d['id']} close? {d['title']}",
                        {name: name for name in names},
                    ),
                    lambda chosen: self.action_plan_closing(chosen) if chosen else None,
                )
                return
            workstream = names[0]
        self.read_then(
            lambda s: forms.read_closing(s, workstream),
            lambda closing: self.open_form(
                forms.closing_plan_form(self.papp.names(), self.papp.today, d["id"], closing)
            ),
        )

    def action_enact(self) -> None:
        d = self.detail
        if d is None:
            return
        stamp = Stamp(self.papp.today, current_user())

        def seen(result: Any) -> None:
            if isinstance(result, PortfolioError):
                self.notify(str(result), severity="error", timeout=8)
            elif result.problems:  # no Enact to press: say why, change by change
                self.app.push_screen(
                    EnactRefusedScreen(
                        f"Decision {d['id']} cannot be enacted", forms.refused_text(result)
                    )
                )
            else:
                self.open_form(forms.enact_form(self.papp.today, d["id"], d["title"], result))

        def dry_run(_reading: Session) -> Any:
            try:
                # On a private copy: a preview never takes (or waits for) the write lock.
                with db.dry_run(self.papp.factory) as s:
                    return forms.preview(s, stamp, d["id"])
            except PortfolioError as exc:
                return exc

        self.read_then(dry_run, seen)

    def action_supersede(self) -> None:
        if self.detail is not None and self.replacements():
            self.open_form(forms.supersede_form(self.papp.today, self.detail, self.replacements()))

    def action_plan_change(self, action: str = "") -> None:
        """Plan one change; without ``action``, first ask which kind of change."""
        d = self.detail
        if d is None:
            return
        if not action:
            self.app.push_screen(
                PickScreen(
                    f"Plan a change for decision {d['id']}: {d['title']}", forms.change_kinds()
                ),
                lambda chosen: self.action_plan_change(chosen) if chosen else None,
            )
            return
        self.open_form(forms.plan_change_form(action, self.papp.names(), self.papp.today, d))

    def action_unplan(self) -> None:
        if self.detail is not None and self.detail["changes"]:
            self.open_form(forms.unplan_form(self.papp.today, self.detail))

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand("Record a decision", "New decision", self.action_new)
        if self.detail is None:
            return
        title = self.detail["title"]
        offered = [
            ("agree", f"Agree: {title}", "Agree this decision", self.action_agree),
            ("plan_closing", f"Plan the closure for: {title}", "Guided plan",
             self.action_plan_closing),
            ("plan_change", f"Plan a change for: {title}", "Add one change to its plan",
             self.action_plan_change),
            ("unplan", f"Remove a planned change from: {title}", "Later changes move up",
             self.action_unplan),
            ("enact", f"Enact: {title}", "See every change, then enact", self.action_enact),
            ("supersede", f"Supersede: {title}", "Choose the decision that replaces it",
             self.action_supersede),
        ]  # fmt: skip
        # Only what the highlighted decision allows now, as in the footer.
        for action, name, help_text, run in offered:
            if self.check_action(action, ()):
                yield SystemCommand(name, help_text, run)


class PickScreen(ModalScreen[str | None]):
    """Choose one of a few options (a kind of change, a workstream); what follows is the
    caller's. Writes nothing."""

    DEFAULT_CSS = """
    PickScreen { align: center middle; }
    PickScreen #pick-dialog {
        width: 60; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    PickScreen #pick-title {
        width: 100%; text-style: bold; color: $text-primary; margin-bottom: 1;
    }
    PickScreen OptionList { height: auto; max-height: 1fr; }
    PickScreen #pick-hint { color: $text-muted; }
    """
    AUTO_FOCUS = "#pick"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="decisions.pick.cancel")]

    def __init__(self, title: str, options: dict[str, str]) -> None:
        """``options``: what the caller is given back -> what the person reads."""
        super().__init__()
        self.pick_title = title
        self.options = options

    def compose(self) -> ComposeResult:
        with Vertical(id="pick-dialog"):
            yield Label(Content(self.pick_title), id="pick-title")
            yield OptionList(
                *[Option(Content(text), id=key) for key, text in self.options.items()], id="pick"
            )
            yield Label("enter chooses · escape cancels", id="pick-hint")

    @on(OptionList.OptionSelected, "#pick")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class EnactRefusedScreen(ModalScreen[None]):
    """What the dry run of an enactment found: why it cannot be enacted, and no Enact."""

    DEFAULT_CSS = """
    EnactRefusedScreen { align: center middle; }
    EnactRefusedScreen #enact-refused {
        width: 90; max-width: 100%; height: auto; max-height: 100%;
        border: thick $error; border-title-color: $text-error; border-title-style: bold;
        background: $surface; padding: 0 1;
    }
    """
    AUTO_FOCUS = "#enact-refused"
    BINDINGS = [Binding("escape", "close", "Close", id="decisions.enact-refused.close")]

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.refused_title = title
        self.text = text

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="enact-refused") as body:
            body.border_title = self.refused_title
            body.border_subtitle = "escape closes"
            yield Static(Content(self.text))

    def action_close(self) -> None:
        self.dismiss(None)
