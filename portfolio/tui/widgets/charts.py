"""Bar charts drawn with block characters: every bar beside its label and its figure.

Plain text, so they read the same without colour: a bar's length is told by its
figure too, and the states of a stacked bar by their characters (see the legend).
Record text (a workstream's name) goes in as plain ``Content``, never markup.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from rich.cells import cell_len, set_cell_size
from textual import events
from textual.content import Content
from textual.widgets import Static

EIGHTHS = "▏▎▍▌▋▊▉"


def bar(value: Decimal | int, biggest: Decimal | int, width: int) -> str:
    """A bar ``width`` cells long at ``biggest``, in eighths of a cell; a value above
    nothing shows at least a sliver."""
    if value <= 0 or biggest <= 0 or width <= 0:
        return ""
    eighths = max(1, round(Decimal(value) * width * 8 / Decimal(biggest)))
    return "█" * (eighths // 8) + (EIGHTHS[eighths % 8 - 1] if eighths % 8 else "")


def stacked(parts: Sequence[int], marks: Sequence[str], biggest: int, width: int) -> str:
    """One bar of whole cells, each part in its own character; a part above nothing
    keeps at least one cell, so no state hides."""
    if biggest <= 0 or width <= 0:
        return ""
    cells = [max(1, round(n * width / biggest)) if n else 0 for n in parts]
    length = max(sum(1 for n in parts if n), min(width, round(sum(parts) * width / biggest)))
    while sum(cells) > length:  # rounding up the small parts: the biggest gives way
        cells[cells.index(max(cells))] -= 1
    return "".join(mark * n for n, mark in zip(cells, marks, strict=True))


@dataclass(frozen=True)
class Line:
    label: str
    value: Decimal | int  # the bar's length...
    figure: str  # ...and the value as text, whole
    scale: Decimal | int | None = None  # the value a full bar stands for (default: the largest)
    parts: tuple[int, ...] = ()  # a stacked bar's parts, drawn with ``marks``


def labelled(
    lines: Sequence[Line], width: int, *, marks: Sequence[str] = (), label_most: int = 20
) -> list[str]:
    """Label, bar, figure on each line, within ``width`` cells. Figures are never cut:
    the bar takes what the label and the figure leave, and then a long label is cut."""
    if not lines:
        return []
    figure_width = max(cell_len(line.figure) for line in lines)
    room = width - figure_width - 2
    # A label is cut only when the bar would be shorter than 6 cells: a name cut to
    # "Workstream …" no longer tells which one it is.
    label_width = min(max(cell_len(line.label) for line in lines), label_most, max(0, room - 6))
    bar_width = max(1, room - label_width)
    biggest = max(line.value for line in lines)
    out = []
    for line in lines:
        label = line.label
        if cell_len(label) > label_width:
            label = set_cell_size(label, label_width - 1) + "…" if label_width > 1 else ""
        scale = biggest if line.scale is None else line.scale
        if line.parts:
            drawn = stacked(line.parts, marks, int(scale), bar_width)
        else:
            drawn = bar(line.value, scale, bar_width)
        out.append(
            f"{set_cell_size(label, label_width)} {set_cell_size(drawn, bar_width)} "
            f"{line.figure:>{figure_width}}"
        )
    return out


Drawer = Callable[[int], list[str]]  # the chart's lines for a width in cells


class Chart(Static):
    """A titled chart whose lines are drawn for the width it is given, and again
    when that changes."""

    DEFAULT_CSS = "Chart { height: auto; }"

    def __init__(self, title: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.title = title
        self.lines: list[str] = []  # as last drawn, for tests and the eye
        self._drawer: Drawer | None = None

    def show(self, drawer: Drawer) -> None:
        self._drawer = drawer
        self._draw()

    def on_resize(self, event: events.Resize) -> None:
        self._draw()

    def _draw(self) -> None:
        if self._drawer is None:
            return
        self.lines = self._drawer(self.content_size.width or 38)
        # Its height said outright: a grid row of auto height measured it too early
        # (before the first lines were drawn at the width given) and cut lines off.
        self.styles.height = 1 + len(self.lines)
        self.update(Content.styled(self.title, "bold") + Content("".join(
            "\n" + line for line in self.lines
        )))  # fmt: skip
