"""Command palette: jump to any partner or workstream by fuzzy name."""

import asyncio
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

from portfolio import db
from portfolio.services.overview import Directory, partners_matching

if TYPE_CHECKING:
    from portfolio.tui.app import PortfolioApp


PARTNER = "Partner: "


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
            yield DiscoveryHit(
                f"Workstream: {name}", partial(app.open_workstream, name), help="Open it"
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
                yield Hit(score, matcher.highlight(text), partial(go, name), text=text)
