"""The board update: choose a period and workstream, preview it as the terminal
renders it, and save it as Markdown, HTML or Word."""

import os
from calendar import monthrange
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlmodel import Session
from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Header, Input, Label, Select, Static

from portfolio import db
from portfolio.errors import InvalidInput, PortfolioError
from portfolio.reports import board
from portfolio.reports.board_data import build_board_update
from portfolio.reports.files import write_output
from portfolio.services.history import first_event_on, latest_event_on
from portfolio.services.inputs import parse_date
from portfolio.tui.screens.base import BaseScreen
from portfolio.tui.widgets.keybar import KeyBar

SAVE_FORMATS = ("md", "html", "docx")


def last_full_quarter(today: date) -> tuple[date, date]:
    """The default period: the last calendar quarter that ended before today."""
    this_quarter = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    end = this_quarter - timedelta(days=1)
    return date(end.year, end.month - 2, 1), end


def quarter_of(day: date) -> tuple[date, date]:
    """The calendar quarter a day falls in, first and last day."""
    first = 3 * ((day.month - 1) // 3) + 1
    last = first + 2
    return date(day.year, first, 1), date(day.year, last, monthrange(day.year, last)[1])


def default_period(
    today: date, latest_event: date | None, first_event: date | None = None
) -> tuple[date, date]:
    """The last full quarter; but when nothing happened since before it began, the
    quarter of the latest event, and when everything happened after it (a portfolio
    begun this quarter), this quarter to today: the first preview is not an empty one."""
    start, end = last_full_quarter(today)
    if latest_event is not None and latest_event < start:
        return quarter_of(latest_event)
    if first_event is not None and first_event > end:
        return quarter_of(today)[0], today
    return start, end


@dataclass(frozen=True)
class Period:
    """What the person typed, checked: the board update's inputs."""

    date_from: date
    date_to: date
    workstreams: tuple[str, ...]

    @classmethod
    def parse(cls, start: str, end: str, workstream: str) -> "Period":
        period = cls(
            parse_date(start, "from date"),
            parse_date(end, "to date"),
            (workstream,) if workstream else (),
        )
        if period.date_from > period.date_to:
            raise InvalidInput(f"From {start} is after to {end}; swap them.")
        return period

    def build(self, session: Session) -> Any:
        return build_board_update(
            session, date_from=self.date_from, date_to=self.date_to, workstreams=self.workstreams
        )


def default_path(fmt: str, period_to: str) -> str:
    return f"board-update-{period_to}.{fmt}"


class ReportScreen(BaseScreen):
    AUTO_FOCUS = "#preview"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save as...", id="report.save"),
        Binding("f", "focus_period", "Period", id="report.period", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.text = ""
        self.period_chosen = False  # until the first read settles the default period

    def compose(self) -> ComposeResult:
        start, end = last_full_quarter(self.papp.today)
        yield Header()
        with Horizontal(id="period"):
            yield Label("From", classes="period-label")
            yield Input(start.isoformat(), id="from", placeholder="YYYY-MM-DD", compact=True)
            yield Label("to", classes="period-label")
            yield Input(end.isoformat(), id="to", placeholder="YYYY-MM-DD", compact=True)
            yield Select([], prompt="all workstreams", id="workstream", compact=True)
        yield Static("", id="report-status", markup=False)
        with VerticalScroll(id="preview"):
            yield Static("", id="preview-text", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = "Board update"
        self.query_one("#preview").loading = True

    def values(self) -> tuple[str, str, str]:
        chosen = self.query_one("#workstream", Select)
        return (
            self.query_one("#from", Input).value,
            self.query_one("#to", Input).value,
            "" if chosen.is_blank() else str(chosen.value),
        )

    def fetcher(self) -> Callable[[Session], Any]:
        period = Period.parse(*self.values())
        width = max(60, self.size.width - 4)
        names = self.papp.names
        today = self.papp.today
        # Until a preview has shown the default period, and while the dates are still
        # the ones the screen opened with (the person has not typed any).
        opened_with = tuple(d.isoformat() for d in last_full_quarter(today))
        choose = not self.period_chosen and self.values()[:2] == opened_with

        def read(session: Session) -> tuple[str, list[str], Period | None]:
            chosen = period
            if choose:
                start, end = default_period(
                    today, latest_event_on(session, today), first_event_on(session)
                )
                chosen = Period(start, end, period.workstreams)
            text = board.render(chosen.build(session), "term", width=width)
            assert isinstance(text, str)
            return text, names().workstreams, chosen if choose else None

        return read

    def reload(self) -> None:
        try:
            super().reload()
        except PortfolioError as exc:  # a half-typed date: say so, keep the last preview
            self.status(str(exc), error=True)

    def show(self, data: Any) -> None:
        self.text, workstreams, chosen = data
        if chosen is not None:  # the default period, once the records have been seen
            self.period_chosen = True
            for field, day in (("#from", chosen.date_from), ("#to", chosen.date_to)):
                box = self.query_one(field, Input)
                with box.prevent(Input.Changed):
                    box.value = day.isoformat()
        self.query_one("#preview").loading = False
        self.query_one("#preview-text", Static).update(self.text)
        self.status("")
        select = self.query_one("#workstream", Select)
        if not select.is_blank():
            return
        with select.prevent(Select.Changed):
            select.set_options([(w, w) for w in workstreams])

    def read_failed(self, text: str) -> None:
        self.query_one("#preview").loading = False
        self.status(text, error=True)

    def status(self, text: str, *, error: bool = False) -> None:
        line = self.query_one("#report-status", Static)
        line.update(Content(text))  # plain text: never read as markup
        line.set_class(error, "error")
        line.display = bool(text)

    @on(Input.Changed)
    @on(Select.Changed, "#workstream")
    def _changed(self) -> None:
        self.reload()

    def action_focus_period(self) -> None:
        self.query_one("#from", Input).focus()

    def action_save(self) -> None:
        def saved(path: str | None) -> None:
            if path:
                self.status(f"Saved to {path}")
                self.notify(f"Saved to {path}", title="Board update")

        self.app.push_screen(SaveScreen(self.values()), saved)

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand("Save the board update as...", "md, html or docx", self.action_save)


class SaveScreen(ModalScreen[str | None]):
    """Format and path; writes through the reports code, whole or not at all."""

    AUTO_FOCUS = "#field-path"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="save.cancel")]

    class Refused(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class Saved(Message):
        def __init__(self, path: str) -> None:
            super().__init__()
            self.path = path

    def __init__(self, values: tuple[str, str, str]) -> None:
        super().__init__()
        self.period_values = values
        self.replacing: Path | None = None  # the existing file the person agreed to replace

    def compose(self) -> ComposeResult:
        end = self.period_values[1].strip()
        with Vertical(id="dialog"):
            yield Label("Save the board update as...", id="title")
            with Horizontal(classes="row"):
                yield Label("Format", classes="field-label")
                yield Select(
                    [(f, f) for f in SAVE_FORMATS], value="md", allow_blank=False,
                    id="field-format", classes="field-control", compact=True,
                )  # fmt: skip
            with Horizontal(classes="row"):
                yield Label("Path", classes="field-label")
                yield Input(
                    default_path("md", end), id="field-path", classes="field-control",
                    placeholder="where to save it", compact=True,
                )  # fmt: skip
            yield Static("", id="refusal", markup=False)
            with Horizontal(id="buttons"):
                yield Button("Save", variant="primary", id="confirm", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#refusal").display = False

    @on(Select.Changed, "#field-format")
    def _format_changed(self, event: Select.Changed) -> None:
        path = self.query_one("#field-path", Input)
        old = Path(path.value)
        if old.suffix.lstrip(".") in SAVE_FORMATS:  # keep the extension in step with the format
            path.value = str(old.with_suffix(f".{event.value}"))

    @on(Input.Changed, "#field-path")
    def _path_changed(self) -> None:
        """Another path: any agreement to replace a file was for the old one."""
        self.replacing = None
        self.query_one("#confirm", Button).label = "Save"
        self.query_one("#refusal").display = False

    @on(Input.Submitted)
    @on(Button.Pressed, "#confirm")
    def action_confirm(self) -> None:
        fmt = str(self.query_one("#field-format", Select).value)
        path = self.query_one("#field-path", Input).value.strip()
        target = absolute(path) if path else None
        if target is not None and target.is_file() and self.replacing != target:
            try:  # the database (or its own files) is refused, not offered for replacing
                db.check_output_path(target, db.factory_url(self.app.factory))  # type: ignore[attr-defined]
            except PortfolioError as exc:
                self._say(str(exc))
                return
            # Ask first: the file may be someone's edited copy of an earlier update.
            self.replacing = target
            self.query_one("#confirm", Button).label = "Replace"
            self._say(f"{target} already exists. Replace it, or change the path or cancel.")
            return
        self.query_one("#confirm", Button).disabled = True
        self._write(fmt, path)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _write(self, fmt: str, path: str) -> None:
        try:
            period = Period.parse(*self.period_values)
            if not path:
                raise InvalidInput("Give a path to save the board update to.")
            target = Path(path).expanduser()
            factory = self.app.factory  # type: ignore[attr-defined]
            db.check_output_path(target, db.factory_url(factory))  # never over the database
            with db.read_session(factory) as session:
                update = period.build(session)
            write_output(target, board.render(update, fmt))
        except (PortfolioError, OSError) as exc:
            self.post_message(self.Refused(str(exc)))
        else:
            self.post_message(self.Saved(str(absolute(path))))

    def on_save_screen_saved(self, message: Saved) -> None:
        self.dismiss(message.path)

    def on_save_screen_refused(self, message: Refused) -> None:
        self._say(message.text)
        self.query_one("#confirm", Button).disabled = False

    def _say(self, text: str) -> None:
        refusal = self.query_one("#refusal", Static)
        refusal.update(Content(text))
        refusal.display = True


def absolute(path: str) -> Path:
    """Where a typed path lands: the whole path, so the person knows where to look."""
    return Path(os.path.abspath(Path(path).expanduser()))
