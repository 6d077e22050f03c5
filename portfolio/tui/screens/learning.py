"""Learning: insights browsed by workstream, partner, theme and framework tag;
reflective sessions, each opening on its prompts, answers and what it carried
forward; actions with owners and due dates, marked done or dropped in place."""

from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date
from typing import Any

from sqlmodel import Session
from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.lazy import Lazy
from textual.screen import ModalScreen
from textual.widgets import DataTable, Header, Label, Select, Static, TabbedContent, TabPane

from portfolio.services.actions import list_actions
from portfolio.services.decisions import list_decisions
from portfolio.services.insights import list_insights
from portfolio.services.sessions import (
    DEFAULT_TEMPLATE,
    LearningChoices,
    learning_choices,
    list_sessions,
    prompts_of,
    show_session,
)
from portfolio.tui import learning_forms as forms
from portfolio.tui.screens.base import BaseScreen
from portfolio.tui.widgets.keybar import KeyBar
from portfolio.tui.widgets.table import Table

ACTIONS_TAB = "tab-actions"
SESSIONS_TAB = "tab-sessions"


class LearningScreen(BaseScreen):
    AUTO_FOCUS = "#insights"
    READS_BEFORE_COMPOSE = True
    BINDINGS = [
        Binding("s", "log_session", "Log session", id="learning.session"),
        Binding("i", "add_insight", "Insight", id="learning.insight"),
        Binding("o", "add_action", "Action", id="learning.action"),
        Binding("m", "close_action('done')", "Done", id="learning.action-done"),
        Binding("x", "close_action('dropped')", "Drop", id="learning.action-drop"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, Any] | None = None
        self.filters: dict[str, str | None] = {
            "workstream": None, "partner": None, "theme": None, "tag": None,
        }  # fmt: skip
        self.choices = LearningChoices(tags=[], templates=[], partners=[])
        self.sessions: list[dict[str, Any]] = []
        self.actions: list[dict[str, Any]] = []
        self.picks = forms.Picks()
        self._wanted_action: int | None = None  # to highlight once the actions are read

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(id="tabs"):
            with TabPane("Insights", id="tab-insights"), Vertical():
                # Mounted just after the first frame: the four lists are half the
                # screen's widgets, and the insights show without waiting for them.
                yield Lazy(
                    Horizontal(
                        *(Select([], prompt=f"any {name}", id=f"filter-{name}", compact=True)
                          for name in self.filters),
                        id="filters",
                    )
                )  # fmt: skip
                yield Table(
                    id="insights", zebra_stripes=True,
                    flex=("Insight", "Concerns", "Tags"),
                )  # fmt: skip
                # A long insight scrolls in its own few lines, under the table.
                with VerticalScroll(id="insight-pane"):
                    yield Static("", id="insight-detail", markup=False)
                yield Label("", id="insight-count")
            with TabPane("Sessions", id=SESSIONS_TAB):
                yield Table(id="sessions", flex=("Title",), zebra_stripes=True)
            with TabPane("Actions", id=ACTIONS_TAB):
                yield Table(id="actions", flex=("Action",), zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = "Learning"
        self.query_one("#insights", DataTable).add_columns(
            "Noted", "Insight", "Who sees", "Concerns", "Tags"
        )
        self.query_one("#sessions", DataTable).add_columns(
            "#", "Date", "Title", "Template", "Attendees", "Status"
        )
        # Status before the long text, so it shows at 80 columns.
        self.query_one("#actions", DataTable).add_columns("Due", "Status", "Owner", "Action")
        self.loading_after()
        if self._wanted_action is not None:  # after the tabs have chosen their first
            self.call_after_refresh(self.show_action, self._wanted_action)

    def fetchers(self) -> dict[str, Callable[[Session], Any]]:
        today, f = self.papp.today, dict(self.filters)

        def insights(s: Session) -> list[dict[str, Any]]:
            return list_insights(
                s, workstream=f["workstream"], partner=f["partner"], theme=f["theme"],
                tag=f["tag"],
            )  # fmt: skip

        return {
            "insights": insights,
            "rest": lambda s: (list_sessions(s, today), list_actions(s), learning_choices(s)),
            "picks": _picks,
        }

    def show_part(self, part: str, data: Any) -> None:
        for table in self.query(DataTable):
            table.loading = False
        self.data = {**(self.data or {}), part: data}
        if part == "insights":
            self._show_insights(data)
            return
        if part == "picks":
            self.picks = data
            return
        self.sessions, self.actions, self.choices = data
        sessions = self.query_one("#sessions", DataTable)
        keep = sessions.cursor_row
        sessions.clear()
        for s in self.sessions:
            sessions.add_row(
                str(s["id"]), s["held_on"], s["title"], s["template"],
                ", ".join(s["attendees"]) or "-", s["status"],
            )  # fmt: skip
        sessions.move_cursor(row=min(keep, max(0, sessions.row_count - 1)))
        actions = self.query_one("#actions", DataTable)
        keep = actions.cursor_row
        actions.clear()
        for a in self.actions:
            actions.add_row(a["due_on"] or "-", _status(a, self.papp.today), a["owner"], a["text"])
        actions.move_cursor(row=min(keep, max(0, actions.row_count - 1)))
        self._highlight_wanted_action()
        self._offer_choices()
        self.refresh_bindings()

    def show_action(self, action_id: int) -> None:
        """Open on the Actions tab with that action highlighted (as soon as it is read)."""
        self._wanted_action = action_id
        if not self.is_mounted:  # just opened: on_mount comes back here
            return
        self.query_one("#tabs", TabbedContent).active = ACTIONS_TAB
        self.query_one("#actions", DataTable).focus()
        self._highlight_wanted_action()

    def _highlight_wanted_action(self) -> None:
        wanted = self._wanted_action
        rows = [i for i, a in enumerate(self.actions) if a["id"] == wanted]
        if rows:
            self._wanted_action = None
            self.query_one("#actions", DataTable).move_cursor(row=rows[0])

    def _offer_choices(self) -> None:
        """Fill the filter lists (once they are mounted: see compose)."""
        if not self.query("#filter-tag"):
            self.call_after_refresh(self._offer_choices)
            return
        names = self.papp.names()
        for name, options in (("workstream", names.workstreams), ("partner", self.choices.partners),
                              ("theme", names.themes), ("tag", self.choices.tags)):  # fmt: skip
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
                i["noted_on"], i["text"], i["visibility"],
                # The workstreams, partners and themes it concerns, in one column so
                # the insight itself has room at 80 columns.
                ", ".join(i["workstreams"] + i["partners"] + i["themes"]) or "-",
                ", ".join(i["tags"]) or "-",
            )  # fmt: skip
        self.query_one("#insight-count", Label).update(f"{len(found)} insight(s)")
        self._show_insight_detail()

    @on(DataTable.RowHighlighted, "#insights")
    def _show_insight_detail(self) -> None:
        """The highlighted insight in full, under the table (the table cuts long text)."""
        found = (self.data or {}).get("insights") or []
        insight = self._current("insights", found)
        text = ""
        if insight is not None:
            concerns = ", ".join(insight["workstreams"] + insight["partners"] + insight["themes"])
            text = f"{insight['text']}\n{insight['noted_on']} · seen by {insight['visibility']}"
            text += f" · concerns {concerns}" if concerns else ""
            text += f" · {', '.join(insight['tags'])}" if insight["tags"] else ""
        shown = self.query_one("#insight-detail", Static)
        if text != str(shown.render()):  # another insight: read it from its top
            self.query_one("#insight-pane", VerticalScroll).scroll_home(animate=False)
        shown.update(Content(text))

    @on(Select.Changed)
    def _filter(self, event: Select.Changed) -> None:
        name = (event.select.id or "").removeprefix("filter-")
        if name in self.filters:
            self.filters[name] = None if event.select.is_blank() else str(event.value)
            self.load_part("insights", self.fetchers()["insights"])

    def has_filters(self) -> bool:
        # The filters narrow the insights: escape clears them where they show.
        return any(self.filters.values()) and self._tab() == "tab-insights"

    def clear_filters(self) -> None:
        for name in self.filters:
            select = self.query_one(f"#filter-{name}", Select)
            with select.prevent(Select.Changed):
                select.clear()
            self.filters[name] = None
        self.query_one("#insights").focus()
        self.load_part("insights", self.fetchers()["insights"])

    def _tab(self) -> str:
        return self.query_one("#tabs", TabbedContent).active

    def _current(self, table_id: str, found: list[dict[str, Any]]) -> dict[str, Any] | None:
        if not found:  # also before the first read: nothing to act on yet
            return None
        table = self.query_one(f"#{table_id}", Table)
        return found[min(table.data_row, len(found) - 1)] if table.row_count else None

    def current_action(self) -> dict[str, Any] | None:
        """The highlighted action, when the actions are the tab shown."""
        if not self.actions or self._tab() != ACTIONS_TAB:
            return None
        return self._current("actions", self.actions)

    def current_session(self) -> dict[str, Any] | None:
        return self._current("sessions", self.sessions)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "close_action":
            # Only an open action can be closed; a closed one keeps its history.
            found = self.current_action()
            return found is not None and found["status"] == "open"
        return True

    @on(TabbedContent.TabActivated)
    @on(DataTable.RowHighlighted, "#actions")
    def _moved(self) -> None:
        self.refresh_bindings()

    @on(DataTable.RowSelected, "#sessions")
    def _session_selected(self) -> None:
        self.action_show_session()

    def action_log_session(self, template: str = DEFAULT_TEMPLATE) -> None:
        self.read_then(
            lambda s: prompts_of(s, template),
            lambda prompts: self.open_form(
                forms.session_form(
                    self.papp.names(), self.papp.today, template, prompts, self._picks()
                )
            ),
        )

    def _picks(self) -> forms.Picks:
        return replace(self.picks, sessions=tuple(self.sessions))

    def _from_session(self) -> dict[str, Any] | None:
        """The session highlighted on the sessions tab: what is added starts from it."""
        return self.current_session() if self._tab() == SESSIONS_TAB else None

    def action_add_insight(self) -> None:
        self._add_insight(self._from_session())

    def _add_insight(self, session: dict[str, Any] | None) -> None:
        tags = tuple(self.choices.tags)
        self.open_form(
            forms.insight_form(
                self.papp.names(), self.papp.today, tags, self._picks(), session=session
            )
        )

    def action_add_action(self) -> None:
        """On the sessions tab, an action from the highlighted session (dated by it)."""
        self._add_action(self._from_session())

    def _add_action(self, session: dict[str, Any] | None) -> None:
        self.open_form(
            forms.action_form(self.papp.names(), self.papp.today, self._picks(), session=session)
        )

    def action_close_action(self, status: str) -> None:
        found = self.current_action()
        if found is not None and found["status"] == "open":
            self.open_form(forms.close_action_form(self.papp.today, found, status))

    def action_show_session(self) -> None:
        found, today = self.current_session(), self.papp.today
        if found is None:
            return
        session_id = int(found["id"])

        def opened(detail: dict[str, Any]) -> None:
            self.app.push_screen(SessionScreen(detail, self._add_insight, self._add_action))

        self.read_then(lambda s: show_session(s, session_id, today), opened)

    def palette_commands(self) -> Iterable[SystemCommand]:
        for name in self.choices.templates or [DEFAULT_TEMPLATE]:
            yield SystemCommand(
                f"Log a session: {name}", "Its prompts become the form",
                lambda n=name: self.action_log_session(n),  # type: ignore[misc]
            )  # fmt: skip
        yield SystemCommand("Add an insight", "With visibility and tags", self.action_add_insight)
        yield SystemCommand(
            "Add an action", "With owner and due date", lambda: self._add_action(None)
        )
        found = self.current_session()
        if found is not None:
            yield SystemCommand(
                f"Add an action from session {found['id']}: {found['title']}",
                f"Dated by the session ({found['held_on']}) unless you change it",
                lambda: self._add_action(found),
            )
            yield SystemCommand(
                f"Open session {found['id']}: {found['title']}",
                "Its prompts and answers, insights, actions and what it carried forward",
                self.action_show_session,
            )
        action = self.current_action()
        if action is not None and action["status"] == "open":
            text = _short(action["text"], 40)
            yield SystemCommand(
                f"Mark action done: {text}", "Done (m)",
                lambda: self.action_close_action("done"),
            )  # fmt: skip
            yield SystemCommand(
                f"Drop action: {text}", "Drop (x)", lambda: self.action_close_action("dropped")
            )


Adding = Callable[[dict[str, Any] | None], None]


class SessionScreen(ModalScreen[None]):
    """One reflective session, read whole: escape goes back to the list; an insight or
    action added here starts from this session."""

    AUTO_FOCUS = "#session-body"
    BINDINGS = [
        Binding("escape", "close", "Close", id="session.close"),
        Binding("q", "close", "Close", show=False),  # nothing here to type into
        Binding("i", "add('insight')", "Insight", id="session.insight"),
        Binding("o", "add('action')", "Action", id="session.action"),
    ]

    def __init__(
        self, detail: dict[str, Any], add_insight: Adding | None = None,
        add_action: Adding | None = None,
    ) -> None:  # fmt: skip
        super().__init__()
        self.detail = detail
        self.adding = {"insight": add_insight, "action": add_action}

    def action_add(self, what: str) -> None:
        add = self.adding[what]
        if add is not None:
            add(self.detail)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="session-body") as body:
            body.border_title = f"Session {self.detail['id']}"
            body.border_subtitle = "i insight · o action · escape closes"
            for kind, text in session_parts(self.detail):
                if kind == "item":  # a bullet whose lines wrap under its text, not under it
                    with Horizontal(classes="item"):
                        yield Label("·", classes="bullet")
                        yield Static(text, classes="item-text")
                else:
                    yield Static(text, classes=kind)

    def action_close(self) -> None:
        self.dismiss(None)


def session_parts(d: dict[str, Any]) -> list[tuple[str, Content]]:
    """A session as a person reads it, as (kind, text) pieces: what it was, what it
    carried forward, each prompt with its answers, then its actions.
    Kinds: title, line, heading, item, none. Record text goes in as markup variables
    (or plain Content), so none of it is ever read as markup."""
    m = Content.from_markup
    parts = [
        ("title", Content(d["title"])),
        ("line", Content(f"{_when(d)} · template {d['template']}")),
        ("line", m("[dim]Attendees:[/] $who", who=", ".join(d["attendees"]) or "-")),
    ]
    carried = d["carried_forward"]
    if carried:
        src = carried["from"]
        parts.append(
            ("heading", Content(f"Carried forward from session {src['id']}, "
                                f"{src['title']} ({src['held_on']})"))
        )  # fmt: skip
        parts += [_insight_item(i) for i in carried["insights"]]
        parts += [_action_item(a) for a in carried["actions"]]
    prompts = d["prompts"]
    if d["dilemma"] and not any(p["name"] == "dilemma" for p in prompts):
        parts += [("heading", Content("Dilemma")), ("line", Content(d["dilemma"]))]
    for p in prompts:
        parts.append(("heading", Content(p["text"])))
        # The dilemma prompt's answer is the session's own dilemma, not an insight.
        answers = (
            [("line", Content(d["dilemma"]))] if p["name"] == "dilemma" and d["dilemma"] else []
        )
        answers += [_insight_item(i) for i in p["insights"]]
        parts += answers or [("none", Content("no answer"))]
    if d["other_insights"]:
        parts.append(("heading", Content("Other insights")))
        parts += [_insight_item(i) for i in d["other_insights"]]
    if d["notes"]:
        parts += [("heading", Content("Notes")), ("line", Content(d["notes"]))]
    parts.append(("heading", Content("Actions")))
    parts += [_action_item(a) for a in d["actions"]] or [("none", Content("none"))]
    return parts


def _when(d: dict[str, Any]) -> str:
    """A session dated after today is planned, not held."""
    if d["status"] == "planned":
        return f"Planned for {d['held_on']} (upcoming)"
    return f"Held on {d['held_on']}"


def _insight_item(i: dict[str, Any]) -> tuple[str, Content]:
    about = ", ".join([i["visibility"], *i["tags"]])
    return "item", Content.from_markup("$text [dim]($about)[/]", text=i["text"], about=about)


def _action_item(a: dict[str, Any]) -> tuple[str, Content]:
    due = f", due {a['due_on']}" if a["due_on"] else ""
    return "item", Content.from_markup(
        "$text [dim]($owner$due; $status)[/]",
        text=a["text"], owner=a["owner"], due=due, status=a["status"],
    )  # fmt: skip


def _picks(s: Session) -> forms.Picks:
    """What the learning forms pick from: decisions, and every template's prompts."""
    prompts: dict[str, str] = {}
    for template in learning_choices(s).templates:
        for p in prompts_of(s, template):
            prompts.setdefault(p["name"], p["text"])
    decided = tuple({"id": x["id"], "title": x["title"]} for x in list_decisions(s))
    return forms.Picks(decisions=decided, prompts=tuple(prompts.items()))


def _status(action: dict[str, Any], today: date) -> str:
    due = action["due_on"]
    return (
        "overdue" if action["status"] == "open" and due and due < str(today) else action["status"]
    )


def _short(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
