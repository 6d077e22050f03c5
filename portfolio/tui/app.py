"""The terminal app: an overview, workstream and partner screens, modal forms
for lifecycle actions, and a command palette that reaches everything."""

import gc
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import date

from sqlalchemy.orm import sessionmaker
from sqlmodel import Session
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.filter import LineFilter
from textual.screen import Screen

from portfolio import db
from portfolio.services.overview import Directory, directory, warm_up
from portfolio.settings import load_config, portfolio_currency, save_config_value
from portfolio.tui.commands import JumpProvider, PlainSystemCommands, colour_scheme
from portfolio.tui.printable import PrintableFilter
from portfolio.tui.screens.base import READS, BaseScreen
from portfolio.tui.screens.overview import OverviewScreen

# Screens other than the overview are imported when first opened: the first frame
# waits on nothing it does not show.


class PortfolioApp(App[None]):
    TITLE = "portfolio"
    # Every screen's styles are read once at start-up (each file scoped to its screen):
    # a screen bringing its own CSS_PATH makes Textual re-parse all CSS and restyle
    # every widget of the app the first time it opens, a tenth of a second or more.
    CSS_PATH = [
        "app.tcss",
        *(f"screens/{name}.tcss" for name in (
            "overview", "workstream", "partner", "decisions", "learning", "report", "form", "help",
            "reader",
        )),
    ]  # fmt: skip
    COMMANDS = {PlainSystemCommands, JumpProvider}  # in place of Textual's: text as typed
    BINDINGS = [
        Binding("question_mark", "help", "Help", id="app.help", key_display="?"),
        # A text box takes the q as typed: Textual gives it the key before this binding.
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("escape", "back", "Back", id="app.back"),
        Binding("v", "read_whole", "View whole", id="app.read"),
        Binding("g", "overview", "Overview", id="app.overview"),
        Binding("d", "decisions", "Decisions", id="app.decisions"),
        Binding("l", "learning", "Learning", id="app.learning"),
        Binding("b", "board", "Board update", id="app.board"),
        Binding("N", "new_record", "New…", id="app.new"),
        Binding("ctrl+r", "refresh", "Refresh", id="app.refresh", show=False),
    ]
    KEEP_SCREENS = 8  # recently visited screens kept composed, so going back to them is instant

    def __init__(
        self,
        factory: sessionmaker[Session],
        *,
        today: date | None = None,
        exit_when_ready: bool = False,
    ) -> None:
        super().__init__()
        self.factory = factory
        # Fixed in tests so "overdue" and form defaults do not depend on the clock.
        self.today = today or date.today()
        self.exit_when_ready = exit_when_ready
        self.ready_at = 0.0  # wall-clock time the overview first showed its data
        # Bumped by every write; screens read afresh when they next show.
        self.data_version = 0
        self._kept: list[str] = []
        self._names: tuple[int, Directory] | None = None
        self._saved_theme = str(load_config().get("theme", ""))
        self.currency = portfolio_currency()  # shown first, and for "nothing committed"
        self._warmed = False
        self._printable = PrintableFilter()

    def on_mount(self) -> None:
        if self._saved_theme in self.available_themes:
            self.theme = self._saved_theme
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        db.set_wait_notice(self.factory, self._waiting_for_writer)
        self.push_screen(OverviewScreen())
        # Should the overview never show (its read refused), collect garbage anyway.
        self.set_timer(10, settle_garbage_collection)

    def _waiting_for_writer(self, message: str) -> None:
        """A save waits for another program's write: say so while it waits."""
        text = message[:1].upper() + message[1:]
        try:
            self.call_from_thread(self.notify, text, timeout=5)
        except RuntimeError:  # already on the app's own thread
            self.notify(text, timeout=5)

    def _remember_theme(self, theme: object) -> None:
        name = self.theme
        if name != self._saved_theme:
            self._saved_theme = name
            save_config_value("theme", name)

    def get_line_filters(self) -> Sequence[LineFilter]:
        # Every widget's lines pass here on the way to the terminal: the one place that
        # keeps control characters in the records (escape sequences) off the screen.
        return [*super().get_line_filters(), self._printable]

    def names(self) -> Directory:
        """Names forms offer (people, workstreams, steps...), read once per data version.

        Kept out of the screens' loads: thousands of partner names read in a worker
        while the UI thread draws a new screen would slow both.
        """
        if self._names is None or self._names[0] != self.data_version:
            with db.read_session(self.factory) as session:
                self._names = (self.data_version, directory(session))
        return self._names[1]

    def overview_ready(self) -> None:
        """The overview shows its data: the moment start-up is measured to."""
        settle_garbage_collection()
        if self.exit_when_ready and not self.ready_at:
            self.ready_at = time.time()
            self.exit()
        elif not self._warmed:
            self._warmed = True
            self.set_timer(0.05, self._warm_up)

    def _warm_up(self) -> None:
        """While the person reads the overview: load the other screens' code and run
        their reads once, so that the first visit to each costs what a later one does."""
        from portfolio.tui.screens import decisions, learning, partner, report, workstream  # noqa: F401

        overview = self.screen_stack[1] if len(self.screen_stack) > 1 else None
        rows = getattr(getattr(overview, "data", None), "workstreams", None) or []

        def read() -> None:
            try:
                names = self.names()
                with db.read_session(self.factory) as session:
                    warm_up(
                        session, self.today, workstream=rows[0].name if rows else None,
                        partner=names.partners[0] if names.partners else None,
                    )  # fmt: skip
            except Exception:  # only a head start: the screens read (and report) for real
                pass

        READS.submit(read)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        screen = self.screen
        if action == "back":
            searching = isinstance(screen, BaseScreen) and screen.has_filters()
            return searching or len(self.screen_stack) > 2
        if action == "read_whole":
            return isinstance(screen, BaseScreen) and screen.reader() is not None
        return True

    async def action_back(self) -> None:
        """Escape: first clear the screen's search and filters, then go back."""
        screen = self.screen
        if isinstance(screen, BaseScreen) and screen.has_filters():
            screen.clear_filters()
        elif len(self.screen_stack) > 2:
            await self.pop_screen()

    def action_read_whole(self) -> None:
        """`v`: the highlighted row's text whole, in a reader (tables and lists cut it)."""
        from portfolio.tui.screens.reader import ReaderScreen

        screen = self.screen
        found = screen.reader() if isinstance(screen, BaseScreen) else None
        if found is not None:
            self.push_screen(ReaderScreen(*found))

    def action_overview(self) -> None:
        while len(self.screen_stack) > 2:
            self.pop_screen()

    def action_help(self) -> None:
        from portfolio.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(screen_keys(self.screen)))

    def open_workstream(self, name: str) -> None:
        from portfolio.tui.screens.workstream import WorkstreamScreen

        self._open(f"workstream:{name}", lambda: WorkstreamScreen(name))

    def open_partner(self, name: str) -> None:
        from portfolio.tui.screens.partner import PartnerScreen

        self._open(f"partner:{name}", lambda: PartnerScreen(name))

    def action_decisions(self) -> None:
        from portfolio.tui.screens.decisions import DecisionsScreen

        self._open("decisions", DecisionsScreen)

    def action_learning(self) -> None:
        from portfolio.tui.screens.learning import LearningScreen

        self._open("learning", LearningScreen)

    def action_board(self) -> None:
        from portfolio.tui.screens.report import ReportScreen

        self._open("report", ReportScreen)

    def action_new_record(self) -> None:
        # The "New…" chooser ("new" is the decisions screen's new decision: the key bar
        # tells keys apart by action).
        from portfolio.tui.screens.new import choose_new

        choose_new(self)

    def _open(self, key: str, make: Callable[[], BaseScreen]) -> None:
        if self.is_screen_installed(key):
            screen = self.get_screen(key)
            if screen is self.screen:
                return
            if screen in self.screen_stack:  # already open further back: return to it
                while self.screen is not screen:
                    self.pop_screen()
                return
            self._kept.remove(key)
        else:
            screen = make()
            self.install_screen(screen, key)
            if screen.READS_BEFORE_COMPOSE:
                screen.start_reading()
        self._kept.append(key)
        self._forget_old_screens()
        self.push_screen(key)

    def _forget_old_screens(self) -> None:
        for key in list(self._kept[: -self.KEEP_SCREENS]):
            if self.get_screen(key) not in self.screen_stack:
                self._kept.remove(key)
                self.uninstall_screen(key)

    def action_refresh(self) -> None:
        """Read everything afresh (another person may have changed the records)."""
        self.data_version += 1
        if isinstance(self.screen, BaseScreen):
            self.screen.reload()

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from colour_scheme(self, super().get_system_commands(screen))
        yield SystemCommand("Overview", "Go to the overview (home)", self.action_overview)
        yield SystemCommand("Decisions", "Decisions and their plans (d)", self.action_decisions)
        yield SystemCommand("Learning", "Insights, sessions and actions (l)", self.action_learning)
        yield SystemCommand(
            "Board update", "Preview the board update and save it (b)", self.action_board
        )
        yield SystemCommand("Help", "Keys for every screen", self.action_help)
        yield SystemCommand("Back", "Back to the previous screen", self.action_back)
        yield SystemCommand("Refresh", "Read everything afresh (ctrl+r)", self.action_refresh)
        if isinstance(screen, BaseScreen):  # lane records: "New partner", "New person", ...
            from portfolio.tui.screens.new import new_commands

            yield from new_commands(self)
        if isinstance(screen, BaseScreen):
            yield from screen.palette_commands()


def screen_keys(screen: Screen[object]) -> list[tuple[str, str]]:
    """Every key that works on ``screen`` now, with what it does, for the help screen:
    those the key bar shows and those it has no room for or keeps quiet."""
    app = screen.app
    keys: list[tuple[int, str, str]] = []
    seen: set[str] = set()
    for active in screen.active_bindings.values():
        binding, node = active.binding, active.node
        # The focused part's own moves (cursor keys, page up) go without saying.
        if not active.enabled or not binding.description or binding.action in seen:
            continue
        if node is not screen and node is not app and not binding.show:
            continue
        seen.add(binding.action)
        shown = [app.get_key_display(b) for k, b in ((k, a.binding) for k, a in
                 screen.active_bindings.items()) if b.action == binding.action]  # fmt: skip
        rank = 0 if node is screen else 2 if node is app else 1
        keys.append((rank, " / ".join(dict.fromkeys(shown)), binding.description))
    return [(key, what) for _, key, what in sorted(keys, key=lambda k: k[0])]


_settled = False


def settle_garbage_collection() -> None:
    """Set aside what start-up made (modules, classes, styles) from garbage collection.

    Python's full collections walk every live object; with the start-up's objects
    among them, each took 50-100 ms and landed inside key presses, doubling the
    time to open a screen. Frozen objects are never walked again. Once per process:
    tests run many apps in one interpreter.
    """
    global _settled
    if not _settled:
        _settled = True
        gc.freeze()
    gc.enable()


def create_app(
    factory: sessionmaker[Session], *, today: date | None = None, exit_when_ready: bool = False
) -> PortfolioApp:
    """The app as the CLI, the tests and the benchmark build it."""
    return PortfolioApp(factory, today=today, exit_when_ready=exit_when_ready)
