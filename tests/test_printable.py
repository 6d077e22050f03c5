"""The stand-ins a person sees for control characters in the records."""

import json

from rich.cells import cell_len
from rich.segment import Segment
from textual.color import Color

from portfolio.printable import json_escaped, printable
from portfolio.tui.printable import PrintableFilter


def test_controls_show_as_control_pictures_and_overrides_as_replacement_characters() -> None:
    assert printable("a\x1b[2Jb\x07\x00\x7f") == "a␛[2Jb␇␀␡"
    assert printable("x\x9b1m\u202eevil\u2066") == "x\ufffd1m\ufffdevil\ufffd"
    assert printable("two\nlines\tand a tab, é and עברית\u200f") == (
        "two\nlines\tand a tab, é and עברית\u200f"
    )


def test_json_escapes_what_json_dumps_leaves_raw_and_means_the_same() -> None:
    data = {"name": "x\x9b1m\u202e\x7f\x1b é"}
    text = json_escaped(json.dumps(data, ensure_ascii=False))
    assert printable(text) == text and "é" in text
    assert json.loads(text) == data


def test_the_app_filter_keeps_each_line_as_wide_as_it_was_laid_out() -> None:
    line = [Segment(" Evil\x1b[2J\x07   "), Segment("next "), Segment("x\x00\x00\x00")]
    drawn = PrintableFilter().apply(line, Color(0, 0, 0))
    assert "".join(s.text for s in drawn) == " Evil␛[2J␇ next x"  # no room left: cut
    assert sum(cell_len(s.text) for s in drawn) == sum(cell_len(s.text) for s in line)
