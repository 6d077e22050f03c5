"""What every screen shares: loading in a thread worker, and its palette commands."""

from collections.abc import Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING, Any

from sqlmodel import Session
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
        def __init__(self, part: str, data: Any) -> None:
            super().__init__()
            self.part = part
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

    def fetchers(self) -> dict[str, Callable[[Session], Any]]:
        """Independent parts to read, each in its own worker (in parallel)."""
        return {"main": self.fetcher()}

    def show(self, data: Any) -> None:
        """Put freshly read data on screen (UI thread)."""
        raise NotImplementedError

    def show_part(self, part: str, data: Any) -> None:
        self.show(data)

    def palette_commands(self) -> Iterable[SystemCommand]:
        """This screen's actions, for the command palette."""
        return ()

    loaded_version = -1  # the app's data version this screen last read

    def on_screen_resume(self) -> None:
        # Coming back costs nothing unless something was written since this screen read.
        if self.loaded_version != self.papp.data_version:
            self.reload()

    def reload(self) -> None:
        self.loaded_version = self.papp.data_version
        for part, fetch in self.fetchers().items():
            self.load_part(part, fetch)

    def load_part(self, part: str, fetch: Callable[[Session], Any]) -> None:
        """Read one part in a thread worker; a newer read of it cancels the older."""
        self.run_worker(
            partial(self._read, part, fetch), thread=True, exclusive=True,
            group=f"load-{part}", exit_on_error=False,
        )  # fmt: skip

    def read_then(self, fetch: Callable[[Session], Any], then: Callable[[Any], None]) -> None:
        """Read in a worker, then hand the result to ``then`` on the UI thread."""
        self.load_part("then", lambda session: (then, fetch(session)))

    def _read(self, part: str, fetch: Callable[[Session], Any]) -> None:
        """In a thread: read, then post the result back (only messages cross threads)."""
        try:
            with db.read_session(self.papp.factory) as session:
                data = fetch(session)
        except PortfolioError as exc:
            self.post_message(self.Failed(str(exc)))
            return
        except Exception as exc:  # a bug or a broken file: say so rather than load forever
            self.post_message(
                self.Failed(f"Could not read the records ({type(exc).__name__}: {exc})")
            )
            return
        if not get_current_worker().is_cancelled:
            self.post_message(self.Loaded(part, data))

    def on_base_screen_loaded(self, message: Loaded) -> None:
        if message.part == "then":
            then, data = message.data
            then(data)
        else:
            self.show_part(message.part, message.data)

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
