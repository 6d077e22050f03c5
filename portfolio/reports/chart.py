"""The chart of partnerships by state per workstream: one geometry, drawn as SVG or PNG."""

from dataclasses import dataclass
from html import escape

from portfolio.reports.board_layout import Chart
from portfolio.reports.board_model import CHART_COLOURS, CHART_LABELS, CHART_STATES
from portfolio.reports.png import RGB, Canvas, text_width

WIDTH = 960
LABEL_CHARS = 18
ROW = 30
BAR = 18
TEXT_H = 14  # glyph height at scale 2; also the SVG font size
INK: RGB = (33, 33, 33)


@dataclass(frozen=True)
class Rect:
    x: int
    y: int
    w: int
    h: int
    colour: RGB


@dataclass(frozen=True)
class Label:
    x: int
    y: int  # top of the text
    text: str


def _short(name: str) -> str:
    return name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 3] + "..."


def geometry(chart: Chart) -> tuple[int, list[Rect | Label]]:
    """The chart's height and shapes: a legend, then one stacked bar per workstream."""
    shapes: list[Rect | Label] = []
    x, y = 10, 10
    for state in CHART_STATES:
        label = CHART_LABELS[state]
        need = 24 + text_width(label) + 24
        if x + need > WIDTH:
            x, y = 10, y + ROW
        shapes += [Rect(x, y, 16, 16, CHART_COLOURS[state]), Label(x + 22, y + 1, label)]
        x += need
    y += ROW + 10
    left = 20 + text_width("x" * LABEL_CHARS)
    space = WIDTH - left - 70
    biggest = max((sum(counts) for _, counts in chart.rows), default=0) or 1
    for name, counts in chart.rows:
        shapes.append(Label(10, y + (BAR - TEXT_H) // 2, _short(name)))
        x = left
        for state, count in zip(CHART_STATES, counts, strict=True):
            w = round(space * count / biggest)
            if w:
                shapes.append(Rect(x, y, w, BAR, CHART_COLOURS[state]))
                x += w
        shapes.append(Label(x + 8, y + (BAR - TEXT_H) // 2, str(sum(counts))))
        y += ROW
    return y + 10, shapes


def png(chart: Chart) -> bytes:
    height, shapes = geometry(chart)
    canvas = Canvas(WIDTH, height)
    for shape in shapes:
        if isinstance(shape, Rect):
            canvas.rect(shape.x, shape.y, shape.w, shape.h, shape.colour)
        else:
            canvas.text(shape.x, shape.y, shape.text, INK)
    return canvas.png()


def svg(chart: Chart) -> str:
    """Inline SVG; every label escaped."""
    height, shapes = geometry(chart)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-label="{escape(chart.title)}" class="chart">',
        f"<title>{escape(chart.title)}</title>",
    ]
    for s in shapes:
        if isinstance(s, Rect):
            r, g, b = s.colour
            parts.append(
                f'<rect x="{s.x}" y="{s.y}" width="{s.w}" height="{s.h}" fill="rgb({r},{g},{b})"/>'
            )
        else:
            parts.append(
                f'<text x="{s.x}" y="{s.y + TEXT_H - 2}" font-size="{TEXT_H}">'
                f"{escape(s.text)}</text>"
            )
    parts.append("</svg>")
    return "\n".join(parts)
