"""Text from the records made safe to show a person, whatever is stored.

A name stored with ``ESC ] 0; ... ST`` would retitle the terminal and ``ESC [2J``
clear it; a right-to-left override reorders what a person reads. Every place
that shows the records (the CLI's console and plain lines, the app's screen,
the board update's documents) passes text through ``printable``, which puts a
visible stand-in where such a character was, so a person sees something was
there. Data formats keep the data: ``json_escaped`` writes those characters as
``\\uXXXX`` escapes, still valid JSON with the same strings.
"""

import re

# C0 controls but newline and tab, DEL, C1 controls (0x9b is an 8-bit CSI), and the
# bidi embeddings, overrides and isolates ("Trojan Source"). Marks (LRM, RLM) stay:
# right-to-left names need them and they reorder nothing around them.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_UNSAFE_CODES = [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)]
_UNSAFE_CODES += [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]


def stand_in(code: int) -> str:
    """The Unicode control picture for a C0 control or DEL (␛ for ESC), else U+FFFD."""
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    return "\ufffd"


_STAND_INS = {code: stand_in(code) for code in _UNSAFE_CODES}


def printable(text: str) -> str:
    """``text`` with each control or bidi override shown as its stand-in; newlines and
    tabs kept."""
    if UNSAFE.search(text) is None:  # nearly always: no copy
        return text
    return text.translate(_STAND_INS)


def json_escaped(dumped: str) -> str:
    """JSON text whose unsafe characters are written as escapes (``json.dumps`` with
    ``ensure_ascii=False`` leaves DEL, C1 and bidi characters raw). They can only be
    inside strings, so the document means the same."""
    return UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped)
