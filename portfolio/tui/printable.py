"""The app's one guard between the records and the terminal.

Every line any widget draws (tables, labels, headers, lists, toasts, the palette)
passes through the app's line filters on its way to the screen, so a filter there
sees all text from the records, however it reached a widget. It shows a control
character as its stand-in (see portfolio.printable), which is display only: the
widgets keep the stored name, so opening or acting on that record still finds it.
"""

from rich.cells import cell_len
from rich.segment import Segment
from textual.color import Color
from textual.filter import LineFilter

from portfolio.printable import UNSAFE, printable


class PrintableFilter(LineFilter):
    """Stand-ins for control characters, the line kept the width it was laid out at."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        if UNSAFE.search("".join([s.text for s in segments])) is None:  # nearly always
            return segments
        # A control takes no cell and its stand-in one: each stand-in takes the place of a
        # space that follows it (a cell's padding, as a rule), else the line's last cell.
        width = sum(cell_len(s.text) for s in segments if s.control is None)
        out: list[Segment] = []
        extra = 0
        for segment in segments:
            if segment.control is not None:
                out.append(segment)
                continue
            text = printable(segment.text)
            extra += cell_len(text) - cell_len(segment.text)
            if extra:
                kept = text.rstrip(" ")
                spare = min(len(text) - len(kept), extra)
                text, extra = text[: len(text) - spare], extra - spare
            if text:
                out.append(Segment(text, segment.style))
        if extra:
            out = Segment.adjust_line_length(out, width)
        return out
