"""Nothing printed to a terminal carries control characters from the data, whatever
is already stored: names written straight into the file with SQL (past any input
check) show a visible stand-in, and JSON and files keep the data exactly and valid."""

import csv
import io
import json
import re
import sqlite3
from pathlib import Path

import docx
import openpyxl
import pytest

from portfolio.models.base import name_key
from tests.conftest import Cli

# Retitles the terminal (OSC 0 ... ST), clears it (CSI 2J), an 8-bit CSI, a bell, a NUL,
# a DEL and a right-to-left override and isolate.
PARTNER = "Evil\x1b]0;pwned\x1b\\ Trust\x1b[2J\x9b31m\x07\x00\x7f\u202eTsurt\u2066"
WORKSTREAM = "Nat\x1b[2Jional\u202e"
PERSON = "Jess\x1b]0;boss\x07"
ACTION = "Call \x1b[31mthem\x1b[0m\x9b2J back"
DECISION = "Close \x1b]0;owned\x1b\\National\u2067"
ACTOR = "mallory\x1b[2J"
REASON = "because\x1b]0;x\x07\u202e"

FUNDER = ("--funder-id", "GB-CHC-1094973", "--funder-name", "Funder", "--prefix", "360G-f")

# C0 controls but newline and tab, DEL, C1, bidi embeddings, overrides and isolates.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def unsafe(text: str) -> list[str]:
    return UNSAFE.findall(text)


@pytest.fixture
def hostile(cli: Cli, db_path: Path) -> Cli:
    """The demo with hostile names written by SQL, as an old file or another tool might hold."""
    cli.ok("demo")
    with sqlite3.connect(db_path) as con:
        for table, old, new in (
            ("partner", "MEAM", PARTNER),
            ("workstream", "National", WORKSTREAM),
            ("person", "Jess", PERSON),
        ):
            con.execute(
                f"UPDATE {table} SET name = ?, name_key = ? WHERE name = ?",
                (new, name_key(new), old),
            )
        con.execute("UPDATE action_item SET text = ? WHERE id = 4", (ACTION,))
        con.execute("UPDATE decision SET title = ? WHERE id = 1", (DECISION,))
        # A history line written by something else: MEAM's first event again, with a
        # hostile actor and reason (actor comes before reason among the columns).
        columns = [r[1] for r in con.execute("PRAGMA table_info(event)") if r[1] != "id"]
        picked = ["?" if c in ("actor", "reason") else c for c in columns]
        con.execute(
            f"INSERT INTO event ({', '.join(columns)}) SELECT {', '.join(picked)} FROM event "
            "WHERE partner_id = (SELECT id FROM partner WHERE name = ?) ORDER BY id LIMIT 1",
            (ACTOR, REASON, PARTNER),
        )
    return cli


TERMINAL_COMMANDS = [
    ("partner", "list"),
    ("partner", "show", PARTNER),
    ("history",),
    ("history", "--partner", PARTNER),
    ("workstream", "list"),
    ("workstream", "show", WORKSTREAM),
    ("person", "list"),
    ("action", "list"),
    ("decision", "list"),
    ("decision", "show", "1"),
    ("report", "board", "--from", "2021-01-01", "--to", "2021-12-31", "--format", "term"),
    ("report", "board", "--from", "2021-01-01", "--to", "2021-12-31", "--format", "md"),
    ("report", "board", "--from", "2021-01-01", "--to", "2021-12-31", "--format", "html"),
]


@pytest.mark.parametrize("args", TERMINAL_COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_stored_control_characters_never_reach_the_terminal(
    hostile: Cli, args: tuple[str, ...]
) -> None:
    code, out, err = hostile(*args)
    assert code == 0, err
    assert unsafe(out) == [] and unsafe(err) == []
    # A person sees that something was there: a stand-in, not nothing.
    assert "␛" in out or "\ufffd" in out


def test_the_stand_ins_show_where_the_controls_were(hostile: Cli) -> None:
    out = hostile.ok("partner", "list")
    assert "Evil␛]0;pwned␛\\ Trust␛[2J" in out


def test_an_error_line_naming_a_stored_name_carries_no_controls(hostile: Cli) -> None:
    code, out, err = hostile("partner", "add", PARTNER.upper())
    assert code == 1
    assert err.startswith("portfolio: There is already a partner named 'Evil␛]0;pwned")
    assert err.count("\n") == 1 and unsafe(err) == []


def test_a_typed_argument_echoed_in_an_error_carries_no_controls(hostile: Cli) -> None:
    code, _out, err = hostile("partner", "show", "Nobody\x1b]0;typed\x07")
    assert code == 1
    assert unsafe(err) == [] and "Nobody␛]0;typed␇" in err


def test_json_keeps_the_stored_names_exactly_and_escapes_their_controls(hostile: Cli) -> None:
    out = hostile.ok("partner", "list", "--json")
    assert unsafe(out) == []
    assert "\\u001b]0;pwned" in out and "\\u009b" in out and "\\u202e" in out
    assert PARTNER in [p["name"] for p in json.loads(out)]
    shown = json.loads(hostile.ok("workstream", "show", WORKSTREAM, "--json"))
    assert shown["name"] == WORKSTREAM
    assert any(e["by"] == ACTOR for e in json.loads(hostile.ok("history", "--json")))


def test_a_word_board_update_with_a_hostile_name_is_written_and_readable(
    hostile: Cli, tmp_path: Path
) -> None:
    target = tmp_path / "board.docx"
    code, out, err = hostile(
        "report", "board", "--from", "2021-01-01", "--to", "2021-12-31",
        "--format", "docx", "-o", str(target),
    )  # fmt: skip
    assert code == 0, err
    assert unsafe(out + err) == []
    text = "\n".join(p.text for p in docx.Document(str(target)).paragraphs)
    assert "Nat␛[2Jional" in text and unsafe(text) == []


def test_a_spreadsheet_of_partners_with_a_hostile_name_is_written(
    hostile: Cli, tmp_path: Path
) -> None:
    target = tmp_path / "partners.xlsx"
    code, _out, err = hostile("export", "table", "partners", "--format", "xlsx", "-o", str(target))
    assert code == 0, err
    sheet = openpyxl.load_workbook(target).active
    assert sheet is not None
    names = [str(row[1]) for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert any(n.startswith("Evil␛]0;pwned") for n in names)


@pytest.mark.parametrize(
    "args",
    [
        ("export", "table", "partners", "--format", "csv"),
        ("export", "360giving", "--format", "csv", *FUNDER),
        ("export", "360giving", "--format", "json", *FUNDER),
    ],
    ids=lambda a: " ".join(a[1:5]),
)
def test_exports_printed_to_stdout_carry_no_controls_and_stay_parseable(
    hostile: Cli, args: tuple[str, ...]
) -> None:
    code, out, err = hostile(*args)
    assert code == 0, err
    assert unsafe(out.replace("\r\n", "\n")) == [] and unsafe(err) == []
    if "json" in args:
        json.loads(out)
    else:
        rows = list(csv.reader(io.StringIO(out)))
        assert len({len(r) for r in rows}) == 1  # every row as wide as the header
