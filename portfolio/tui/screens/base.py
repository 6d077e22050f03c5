"""What every screen shares: loading in a thread worker, and its palette commands."""

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from sqlmodel import Session
from textual import work
from textual.app import SystemCommand
from textual.message import Message
from textual.screen import Screen
from textual.worker import get_current_worker

from portfolio import db
from portfolio.errors import PortfolioError
from portfolio.tui.actions import ActionForm

if TYPE_CHECKING:
    from portfolio.tui.app import PortfolioApp


class BaseScreen(Screen[None]):
    """Loads its data off the UI thread whenever it becomes the current screen."""

    class Loaded(Message):
        def __init__(self, data: Any) -> None:
            super().__init__()
            self.data = data

    class Failed(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    @property
    def papp(self) -> "PortfolioApp":
        return self.app  # type: ignore[return-value]

    def fetcher(self) -> Callable[[Session], Any]:
        """What to read, captured now (filters, page) and run in a worker."""
        raise NotImplementedError

    def show(self, data: Any) -> None:
        """Put freshly read data on screen (UI thread)."""
        raise NotImplementedError

    def palette_commands(self) -> Iterable[SystemCommand]:
        """This screen's actions, for the command palette."""
        return ()

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self) -> None:
        self._load(self.fetcher())

    @work(thread=True, exclusive=True, exit_on_error=False, group="load")
    def _load(self, fetch: Callable[[Session], Any]) -> None:
        try:
            with db.read_session(self.papp.factory) as session:
                data = fetch(session)
        except PortfolioError as exc:
            self.post_message(self.Failed(str(exc)))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(self.Loaded(data))

    def on_base_screen_loaded(self, message: Loaded) -> None:
        self.show(message.data)

    def on_base_screen_failed(self, message: Failed) -> None:
        self.notify(message.text, severity="error", timeout=8)

    def open_form(self, form: ActionForm) -> None:
        """Ask for an action's details; on success tell the user (the screen reads
        afresh as it resumes)."""
        from portfolio.tui.screens.form import Done, FormScreen

        def finished(done: Done | None) -> None:
            if done is not None:
                self.notify(done.message, title="Saved")

        self.app.push_screen(FormScreen(form), finished)
