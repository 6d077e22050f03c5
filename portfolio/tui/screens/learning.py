"""Learning: insights browsed by workstream, theme and framework tag; reflective
sessions; actions with owners and due dates."""

from collections.abc import Callable, Iterable
from typing import Any

from sqlmodel import Session, col, select
from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Header, Label, Select, TabbedContent, TabPane

from portfolio.models import FrameworkDimension, SessionTemplate
from portfolio.services.actions import list_actions
from portfolio.services.insights import list_insights
from portfolio.services.sessions import DEFAULT_TEMPLATE, list_sessions, prompts_of
from portfolio.tui import learning_forms as forms
from portfolio.tui.screens.base import BaseScreen
from portfolio.tui.widgets.keybar import KeyBar
from portfolio.tui.widgets.table import Table


def read_choices(session: Session) -> tuple[list[str], list[str]]:
    """Framework tags and session templates, for filters and forms."""
    tags = session.exec(select(FrameworkDimension.name).order_by(col(FrameworkDimension.id)))
    templates = session.exec(select(SessionTemplate.name).order_by(SessionTemplate.name))
    return list(tags), list(templates)


class LearningScreen(BaseScreen):
    CSS_PATH = "learning.tcss"
    AUTO_FOCUS = "#insights"
    BINDINGS = [
        Binding("s", "log_session", "Log session", id="learning.session"),
        Binding("i", "add_insight", "Insight", id="learning.insight"),
        Binding("o", "add_action", "Action", id="learning.action"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, Any] | None = None
        self.filters: dict[str, str | None] = {"workstream": None, "theme": None, "tag": None}
        self.tags: list[str] = []
        self.templates: list[str] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(id="tabs"):
            with TabPane("Insights", id="tab-insights"), Vertical():
                with Horizontal(id="filters"):
                    for name in self.filters:
                        yield Select([], prompt=f"any {name}", id=f"filter-{name}", compact=True)
                yield Table(id="insights", cursor_type="row", zebra_stripes=True)
                yield Label("", id="insight-count")
            with TabPane("Sessions", id="tab-sessions"):
                yield Table(id="sessions", cursor_type="row", zebra_stripes=True)
            with TabPane("Actions", id="tab-actions"):
                yield Table(id="actions", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = "Learning"
        self.query_one("#insights", DataTable).add_columns(
            "Noted", "Insight", "Who sees", "Workstreams", "Themes", "Tags"
        )
        self.query_one("#sessions", DataTable).add_columns(
            "#", "Held", "Title", "Template", "Attendees", "Status"
        )
        self.query_one("#actions", DataTable).add_columns("Due", "Owner", "Action", "Status")
        for table in self.query(DataTable):
            table.loading = True

    def fetchers(self) -> dict[str, Callable[[Session], Any]]:
        today, f = self.papp.today, dict(self.filters)

        def insights(s: Session) -> list[dict[str, Any]]:
            found = list_insights(s, workstream=f["workstream"], tag=f["tag"])
            return [i for i in found if not f["theme"] or f["theme"] in i["themes"]]

        return {
            "insights": insights,
            "rest": lambda s: (list_sessions(s, today), list_actions(s), read_choices(s)),
        }

    def show_part(self, part: str, data: Any) -> None:
        for table in self.query(DataTable):
            table.loading = False
        self.data = {**(self.data or {}), part: data}
        if part == "insights":
            self._show_insights(data)
            return
        found_sessions, found_actions, (self.tags, self.templates) = data
        sessions = self.query_one("#sessions", DataTable)
        sessions.clear()
        for s in found_sessions:
            sessions.add_row(
                str(s["id"]), s["held_on"], s["title"], s["template"],
                ", ".join(s["attendees"]) or "-", s["status"],
            )  # fmt: skip
        actions = self.query_one("#actions", DataTable)
        actions.clear()
        for a in found_actions:
            status = "overdue" if a["status"] == "open" and (a["due_on"] or "9") < str(
                self.papp.today
            ) else a["status"]  # fmt: skip
            actions.add_row(a["due_on"] or "-", a["owner"], a["text"], status)
        names = self.papp.names()
        for name, options in (("workstream", names.workstreams), ("theme", names.themes),
                              ("tag", self.tags)):  # fmt: skip
            select = self.query_one(f"#filter-{name}", Select)
            with select.prevent(Select.Changed):
                select.set_options([(o, o) for o in options])
                if self.filters[name]:
                    select.value = self.filters[name]

    def _show_insights(self, found: list[dict[str, Any]]) -> None:
        table = self.query_one("#insights", DataTable)
        table.clear()
        for i in found:
            table.add_row(
                i["noted_on"], _short(i["text"]), i["visibility"],
                ", ".join(i["workstreams"]) or "-", ", ".join(i["themes"]) or "-",
                ", ".join(i["tags"]) or "-",
            )  # fmt: skip
        self.query_one("#insight-count", Label).update(f"{len(found)} insight(s)")

    @on(Select.Changed)
    def _filter(self, event: Select.Changed) -> None:
        name = (event.select.id or "").removeprefix("filter-")
        if name in self.filters:
            self.filters[name] = None if event.select.is_blank() else str(event.value)
            self.load_part("insights", self.fetchers()["insights"])

    def action_log_session(self, template: str = DEFAULT_TEMPLATE) -> None:
        self.read_then(
            lambda s: prompts_of(s, template),
            lambda prompts: self.open_form(
                forms.session_form(self.papp.names(), self.papp.today, template, prompts)
            ),
        )

    def action_add_insight(self) -> None:
        self.open_form(forms.insight_form(self.papp.names(), self.papp.today, tuple(self.tags)))

    def action_add_action(self) -> None:
        self.open_form(forms.action_form(self.papp.names(), self.papp.today))

    def palette_commands(self) -> Iterable[SystemCommand]:
        for name in self.templates or [DEFAULT_TEMPLATE]:
            yield SystemCommand(
                f"Log a session: {name}", "Its prompts become the form",
                lambda n=name: self.action_log_session(n),  # type: ignore[misc]
            )  # fmt: skip
        yield SystemCommand("Add an insight", "With visibility and tags", self.action_add_insight)
        yield SystemCommand("Add an action", "With owner and due date", self.action_add_action)


def _short(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
