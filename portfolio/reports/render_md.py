"""The board update as Markdown: every recorded text escaped so it reads literally."""

import re

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
from portfolio.reports.board_model import CHART_LABELS, CHART_STATES, BoardUpdate

# Punctuation that Markdown (CommonMark and GFM tables) can read as syntax.
_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|#!~])")
_LINE_START = re.compile(r"^([-+=>]|\d+[.)])")


def escape(text: str) -> str:
    text = clean(text).replace("&", "&amp;")
    text = _SPECIAL.sub(r"\\\1", text)
    return _LINE_START.sub(lambda m: m.group(0)[:-1] + "\\" + m.group(0)[-1], text)


def _table(block: Table) -> list[str]:
    lines = [
        "| " + " | ".join(escape(h) for h in block.headers) + " |",
        "|" + "|".join(" --- " for _ in block.headers) + "|",
    ]
    lines += ["| " + " | ".join(escape(c) for c in row) + " |" for row in block.rows]
    return lines


def text_chart(block: Chart, width: int = 40) -> list[str]:
    """A plain bar per workstream: one letter per state, scaled to ``width``."""
    marks = dict(zip(CHART_STATES, "ARENM", strict=True))
    biggest = max((sum(c) for _, c in block.rows), default=0) or 1
    names = [clean(name)[:24] for name, _ in block.rows]
    pad = max((len(n) for n in names), default=0)
    lines = [
        "  ".join(f"{marks[s]} = {CHART_LABELS[s]}" for s in CHART_STATES),
        "",
    ]
    for name, (_, counts) in zip(names, block.rows, strict=True):
        bar = "".join(
            marks[s] * round(width * n / biggest) for s, n in zip(CHART_STATES, counts, strict=True)
        )
        lines.append(f"{name.ljust(pad)}  {bar} {sum(counts)}")
    return lines


def _fenced(lines: list[str]) -> list[str]:
    # A fence longer than any run of backticks inside keeps the block closed.
    longest = max((len(run) for line in lines for run in re.findall(r"`+", line)), default=0)
    fence = "`" * max(3, longest + 1)
    return [fence + "text", *lines, fence]


def render_blocks(blocks: list[Block]) -> str:
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            out += ["#" * block.level + " " + escape(block.text), ""]
        elif isinstance(block, Para):
            out += [escape(block.text), ""]
        elif isinstance(block, Bullets):
            out += [*("- " + escape(item) for item in block.items), ""]
        elif isinstance(block, Table):
            out += [*_table(block), ""]
        else:
            out += [escape(block.title) + ":", "", *_fenced(text_chart(block)), ""]
    return "\n".join(out).rstrip("\n") + "\n"


def render(update: BoardUpdate) -> str:
    return render_blocks(layout(update))
