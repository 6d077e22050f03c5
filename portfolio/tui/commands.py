"""Command palette: jump to any partner or workstream by fuzzy name."""

import asyncio
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

from portfolio.services.overview import Directory

if TYPE_CHECKING:
    from portfolio.tui.app import PortfolioApp


class JumpProvider(Provider):
    """Every partner and workstream, matched fuzzily; names load off the UI thread."""

    names: Directory = Directory()

    async def startup(self) -> None:
        app: PortfolioApp = self.app  # type: ignore[assignment]
        self.names = await asyncio.to_thread(app.names)

    def _targets(self) -> list[tuple[str, str, Callable[[str], None]]]:
        app: PortfolioApp = self.app  # type: ignore[assignment]
        targets: list[tuple[str, str, Callable[[str], None]]] = [
            (f"Workstream: {w}", w, app.open_workstream) for w in self.names.workstreams
        ]
        return targets + [(f"Partner: {p}", p, app.open_partner) for p in self.names.partners]

    async def discover(self) -> Hits:
        app: PortfolioApp = self.app  # type: ignore[assignment]
        for name in self.names.workstreams:
            yield DiscoveryHit(
                f"Workstream: {name}", partial(app.open_workstream, name), help="Open it"
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, name, go in self._targets():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), partial(go, name), text=text)
