"""What every screen shares: loading in a thread worker, and its palette commands."""

import asyncio
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from rich.text import Text
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session
from textual import events
from textual.app import SystemCommand
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, OptionList

from portfolio import db
from portfolio.errors import PortfolioError
from portfolio.tui.actions import ActionForm

if TYPE_CHECKING:
    from portfolio.tui.app import PortfolioApp

# Reads run here, off the UI thread; SQLite in WAL mode lets them run side by side.
READS = ThreadPoolExecutor(max_workers=4, thread_name_prefix="portfolio-read")
Outcome = tuple[bool, Any]  # (True, what was read) or (False, a message for the user)


class BaseScreen(Screen[None]):
    """Loads its data off the UI thread whenever it becomes the current screen."""

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

    def has_filters(self) -> bool:
        """Whether a search or filter narrows what the screen shows (escape clears it)."""
        return False

    def clear_filters(self) -> None:
        """Clear the screen's search and filters: escape does this before going back."""

    def reader(self) -> tuple[str, Content] | None:
        """The highlighted row of the focused table or list, whole, for the reader
        (`v`): (a title, the text as typed). None where nothing is highlighted."""
        focused = self.focused
        if isinstance(focused, DataTable) and focused.row_count:
            key = focused.coordinate_to_cell_key(focused.cursor_coordinate).row_key
            cells = focused.get_row(key)
            parts: list[Content | str | tuple[str, str]] = []
            for column, cell in zip(focused.ordered_columns, cells, strict=False):
                text = cell.plain if isinstance(cell, Text) else str(cell)
                heading = (column.label.plain.rstrip(" ▲▼"), "bold")
                # A short value beside its heading; a long one (the cut text) below it.
                long = len(text) > 40 or "\n" in text
                parts += [heading, "\n", text, "\n\n"] if long else [heading, ": ", text, "\n"]
            return str(self.sub_title or self.title), Content.assemble(*parts).rstrip()
        if isinstance(focused, OptionList) and focused.highlighted is not None:
            prompt = focused.get_option_at_index(focused.highlighted).prompt
            text = prompt.plain if isinstance(prompt, Text) else str(prompt)
            return str(self.sub_title or self.title), Content(text)
        return None

    # Whether fetchers() works before compose (it reads no widget): the app then
    # starts the read as it opens the screen, while the widgets are built.
    READS_BEFORE_COMPOSE = False
    loaded_version = -1  # the app's data version this screen last read
    _early: tuple[int, dict[str, "Future[Outcome]"]] | None = None

    def start_reading(self) -> None:
        """Begin reading before the screen is composed (see READS_BEFORE_COMPOSE)."""
        self._early = (
            self.papp.data_version,
            {
                part: READS.submit(self._read, self.papp.factory, fetch)
                for part, fetch in self.fetchers().items()
            },
        )

    def loading_after(self, delay: float = 0.3) -> None:
        """Show the loading indicator on this screen's tables only if its first read
        takes longer than ``delay``: mounting the indicator on every visit would cost
        a fifth of the time a visit takes."""

        def still_loading() -> None:
            if getattr(self, "data", None) is None:
                # Not over a table already showing its part: nothing would take it off.
                for table in self.query(DataTable):
                    table.loading = table.loading or not table.row_count

        self.set_timer(delay, still_loading)

    def on_screen_resume(self) -> None:
        # Coming back costs nothing unless something was written since this screen read.
        if self.loaded_version != self.papp.data_version:
            self.reload()

    def reload(self) -> None:
        self.loaded_version = self.papp.data_version
        early = self._early[1] if self._early and self._early[0] == self.loaded_version else {}
        self._early = None
        for part, fetch in self.fetchers().items():
            self.load_part(part, fetch, early.get(part))

    def load_part(
        self, part: str, fetch: Callable[[Session], Any], started: "Future[Outcome] | None" = None
    ) -> None:
        """Read one part in a thread; a newer read of it supersedes the older."""
        if started is not None and started.done():
            # Read while the screen was built: shown before its first frame, which
            # saves drawing it once empty.
            self.workers.cancel_group(self, f"load-{part}")
            self._handle(part, started.result())
            return
        future = started or READS.submit(self._read, self.papp.factory, fetch)

        async def deliver() -> None:  # a coroutine made only if the worker runs
            self._handle(part, await asyncio.wrap_future(future))

        # (Textual types a worker returning None as returning Never.)
        self.run_worker(deliver, exclusive=True, group=f"load-{part}", exit_on_error=False)  # type: ignore[arg-type]

    def read_then(self, fetch: Callable[[Session], Any], then: Callable[[Any], None]) -> None:
        """Read in a thread, then hand the result to ``then`` on the UI thread."""
        self.load_part("then", lambda session: (then, fetch(session)))

    def _read(self, factory: "sessionmaker[Session]", fetch: Callable[[Session], Any]) -> "Outcome":
        """In a thread: read, and say what went wrong rather than raise. (The factory
        comes from the UI thread: in a thread, ``self.app`` is found only once the
        screen is on the app's stack, which a read started before compose can beat.)"""
        try:
            with db.read_session(factory) as session:
                return True, fetch(session)
        except PortfolioError as exc:
            return False, str(exc)
        except Exception as exc:  # a bug or a broken file: say so rather than load forever
            return False, f"Could not read the records ({type(exc).__name__}: {exc})"

    def _handle(self, part: str, outcome: "Outcome") -> None:
        """On the UI thread: show what was read, or say why it could not be."""
        ok, data = outcome
        if not ok:
            self.read_failed(data)
        elif part == "then":
            then, result = data
            then(result)
        else:
            self.show_part(part, data)

    def read_failed(self, text: str) -> None:
        """A read was refused or failed: tell the user (screens may show it in place)."""
        self.notify(text, severity="error", timeout=8)

    async def on_key(self, event: events.Key) -> None:
        """Letters typed just after a key that opens a form go to the form, where they
        were meant, not to this screen's keys. So this screen's own keys act as they
        arrive here: left to the app, they would act only after the keys typed next
        had been handed to this screen."""
        from portfolio.tui.screens.form import FormScreen

        if not event.is_printable:
            return
        form = self.app.screen
        if form is not self and isinstance(form, FormScreen):
            event.stop()
            event.prevent_default()
            form.type_ahead(event)
            return
        bound = self.active_bindings.get(event.key)
        if form is self and bound is not None and bound.node is self and bound.enabled:
            event.stop()
            event.prevent_default()
            await self.run_action(bound.binding.action)

    def open_form(self, form: ActionForm) -> None:
        """Ask for an action's details; on success tell the user (the screen reads
        afresh as it resumes)."""
        from portfolio.tui.screens.form import Done, FormScreen

        def finished(done: Done | None) -> None:
            if done is not None:
                self.notify(done.message, title="Saved", markup=False)  # as typed

        self.app.push_screen(FormScreen(form), finished)
