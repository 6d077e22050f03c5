"""Command palette: jump to any partner or workstream by fuzzy name; every command's
words shown as typed (a name is never markup); the colour scheme called that."""

import asyncio
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.app import App, SystemCommand
from textual.command import CommandPalette, DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content
from textual.markup import escape
from textual.system_commands import SystemCommandsProvider
from textual.theme import ThemeProvider

from portfolio import db
from portfolio.services.overview import Directory, partners_matching

if TYPE_CHECKING:
    from portfolio.tui.app import PortfolioApp


PARTNER = "Partner: "


def plain_highlight(matcher: Matcher, text: str) -> Content:
    """``text`` as typed, the letters matching the query marked (Textual's own
    highlight reads the text as markup)."""
    content = Content(text)
    score, offsets = matcher.fuzzy_search.match(matcher.query, text)
    if not score:
        return content
    for offset in offsets:
        if not text[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


def plain_help(text: str) -> str:
    """Help text as typed: the palette reads a hit's help as markup."""
    return escape(text)


class PlainSystemCommands(SystemCommandsProvider):
    """The app's and the screen's commands (many name a record), shown as typed."""

    async def discover(self) -> Hits:
        commands = sorted(self.app.get_system_commands(self.screen), key=lambda c: c.title)
        for title, help_text, callback, discover in commands:
            if discover:
                yield DiscoveryHit(Content(title), callback, text=title, help=plain_help(help_text))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback, *_ in self.app.get_system_commands(self.screen):
            if (score := matcher.match(title)) > 0:
                yield Hit(
                    score, plain_highlight(matcher, title), callback, text=title,
                    help=plain_help(help_text),
                )  # fmt: skip


def colour_scheme(app: "App[Any]", commands: Iterable[SystemCommand]) -> Iterator[SystemCommand]:
    """Textual's own commands, its "Theme" (the colours) called "Colour scheme": in this
    app a theme is a theme of work."""
    for command in commands:
        if command.title == "Theme":
            yield SystemCommand(
                "Colour scheme", "Change the app's colours (kept for next time)",
                lambda: app.push_screen(
                    CommandPalette(
                        providers=[ThemeProvider], placeholder="Search for colour schemes…"
                    )
                ),
            )  # fmt: skip
        else:
            yield command


class JumpProvider(Provider):
    """Every partner and workstream, matched fuzzily; names load off the UI thread, and
    partners are matched in the database (the best hundred for what is typed)."""

    names: Directory = Directory()

    async def startup(self) -> None:
        app: PortfolioApp = self.app  # type: ignore[assignment]
        self.names = await asyncio.to_thread(app.names)

    async def discover(self) -> Hits:
        app: PortfolioApp = self.app  # type: ignore[assignment]
        for name in self.names.workstreams:
            text = f"Workstream: {name}"
            yield DiscoveryHit(
                Content(text), partial(app.open_workstream, name), text=text, help="Open it"
            )

    async def search(self, query: str) -> Hits:
        app: PortfolioApp = self.app  # type: ignore[assignment]
        matcher = self.matcher(query)

        def read() -> list[str]:
            with db.read_session(app.factory) as session:
                return partners_matching(session, query, PARTNER)

        targets: list[tuple[str, str, Callable[[str], None]]] = [
            (f"Workstream: {w}", w, app.open_workstream) for w in self.names.workstreams
        ]
        targets += [(PARTNER + p, p, app.open_partner) for p in await asyncio.to_thread(read)]
        for text, name, go in targets:
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, plain_highlight(matcher, text), partial(go, name), text=text)
