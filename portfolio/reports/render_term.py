"""The board update for the terminal with Rich: every text is a Text, never markup."""

import re

from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Column
from rich.table import Table as RichTable
from rich.text import Text

from portfolio.reports.board_layout import (
    Block,
    Bullets,
    Chart,
    Heading,
    Para,
    Table,
    clean,
    layout,
)
from portfolio.reports.board_model import CHART_COLOURS, CHART_LABELS, CHART_STATES, BoardUpdate

_HEADING_STYLES = {1: "bold reverse", 2: "bold underline", 3: "bold cyan", 4: "bold"}


def _colour(state: str) -> str:
    r, g, b = CHART_COLOURS[state]
    return f"rgb({r},{g},{b})"


def _chart(block: Chart, width: int = 40) -> RenderableType:
    legend = Text()
    for state in CHART_STATES:
        legend.append("██ ", style=_colour(state))
        legend.append(CHART_LABELS[state] + "   ")
    grid = RichTable.grid(padding=(0, 1))
    biggest = max((sum(c) for _, c in block.rows), default=0) or 1
    for name, counts in block.rows:
        bar = Text()
        for state, n in zip(CHART_STATES, counts, strict=True):
            bar.append("█" * round(width * n / biggest), style=_colour(state))
        bar.append(f" {sum(counts)}")
        grid.add_row(Text(clean(name)), bar)
    return Group(Text(clean(block.title), style="italic"), legend, grid)


# A cell of amounts as board_model.money writes them: "GBP 1,250.00; EUR 300.00".
_AMOUNTS = re.compile(r"[A-Z]{3} -?[\d,]+\.\d\d(; [A-Z]{3} -?[\d,]+\.\d\d)*")


def _table(block: Table) -> RichTable:
    """A table whose amounts are never cut: a column of amounts keeps the width of its
    widest amount (each currency on its own line) and the other columns give way."""
    money = [
        bool(block.rows) and all(_AMOUNTS.fullmatch(row[i]) for row in block.rows)
        for i in range(len(block.headers))
    ]
    widest = [
        max((cell_len(part) for row in block.rows for part in row[i].split("; ")), default=0)
        for i in range(len(block.headers))
    ]
    table = RichTable(*(
        Column(header=Text(clean(h)), no_wrap=True, min_width=widest[i]) if money[i]
        else Column(header=Text(clean(h)))
        for i, h in enumerate(block.headers)
    ))  # fmt: skip
    for row in block.rows:
        table.add_row(*(
            Text("\n".join(c.split("; ")) if money[i] else clean(c)) for i, c in enumerate(row)
        ))  # fmt: skip
    return table


def renderables(blocks: list[Block]) -> list[RenderableType]:
    out: list[RenderableType] = []
    for block in blocks:
        if isinstance(block, Heading):
            out += [Text(""), Text(clean(block.text), style=_HEADING_STYLES[block.level])]
        elif isinstance(block, Para):
            out.append(Text(clean(block.text)))
        elif isinstance(block, Bullets):
            out += [Padding(Text("• ") + Text(clean(item)), (0, 0, 0, 2)) for item in block.items]
        elif isinstance(block, Table):
            out.append(_table(block))
        else:
            out.append(_chart(block))
    return out


def render(update: BoardUpdate) -> Group:
    return Group(*renderables(layout(update)))
