"""The "New…" chooser: which record to make, from any screen; its form follows."""

from collections.abc import Iterable
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from portfolio.tui.new_records import NEW_RECORDS, NewRecord
from portfolio.tui.screens.base import BaseScreen

if TYPE_CHECKING:
    from portfolio.tui.app import PortfolioApp


class NewScreen(ModalScreen[NewRecord | None]):
    """A short list of what can be made; enter opens its form. Writes nothing."""

    DEFAULT_CSS = """
    NewScreen { align: center middle; }
    NewScreen #new-dialog {
        width: 50; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    NewScreen #new-title { width: 100%; text-style: bold; color: $text-primary; margin-bottom: 1; }
    NewScreen OptionList { height: auto; max-height: 1fr; }
    NewScreen #new-hint { color: $text-muted; }
    """
    AUTO_FOCUS = "#new-records"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="new.cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(id="new-dialog"):
            yield Label("New…", id="new-title")
            yield OptionList(
                *[Option(Content(r.label), id=str(i)) for i, r in enumerate(NEW_RECORDS)],
                id="new-records",
            )
            yield Label("enter opens its form · escape cancels", id="new-hint")

    @on(OptionList.OptionSelected, "#new-records")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(NEW_RECORDS[int(event.option.id or 0)])

    def action_cancel(self) -> None:
        self.dismiss(None)


def choose_new(app: "PortfolioApp") -> None:
    """Ask what to make (from a screen, not over a form), then open its form."""
    if isinstance(app.screen, BaseScreen):
        app.push_screen(NewScreen(), lambda chosen: open_new(app, chosen))


def open_new(app: "PortfolioApp", record: NewRecord | None) -> None:
    """Open the form for ``record`` on the current screen; its reads run in a worker."""
    screen = app.screen
    if record is None or not isinstance(screen, BaseScreen):
        return
    today = app.today
    screen.read_then(lambda s: record.make(s, app.names(), today), screen.open_form)


def new_commands(app: "PortfolioApp") -> Iterable[SystemCommand]:
    """Each kind of record, for the command palette."""
    for record in NEW_RECORDS:
        yield SystemCommand(
            record.label,
            record.help,
            lambda r=record: open_new(app, r),  # type: ignore[misc]
        )
