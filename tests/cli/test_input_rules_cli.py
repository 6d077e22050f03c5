"""Every option reads its value by one rule (README, "What you can type"); a value
refused by it is exit 2 with one line, and nothing is written."""

import json
from pathlib import Path

import pytest

from tests.cli.test_cli_errors import refused
from tests.conftest import Cli
from tests.dbstate import dump


@pytest.fixture
def ada(cli: Cli) -> Cli:
    cli.ok("workstream", "add", "North", "--on", "2020-01-01")
    cli.ok("partner", "add", "Ada", "--on", "2020-01-01")
    cli.ok("partnership", "start", "Ada", "-w", "North", "--on", "2020-02-01")
    return cli


def refused_unchanged(cli: Cli, *args: str) -> str:
    """Refused as an input error (exit 2, one line) with the database as it was."""
    before = dump(cli.db_file)
    err = refused(cli, 2, *args)
    assert "unexpected error" not in err
    assert dump(cli.db_file) == before
    return err


def grants(cli: Cli) -> list[dict[str, str]]:
    found: list[dict[str, str]] = json.loads(cli.ok("partner", "show", "Ada", "--json"))["grants"]
    return found


GRANT = ("grant", "add", "Ada", "-w", "North")


@pytest.mark.parametrize(
    "amount", ["25.000,00", "1,50", "1,5", "1e3", "1_000", ".5", "٣", "１２", "1e309", "-5", "0"]
)
def test_amounts_in_other_notations_are_refused(ada: Cli, amount: str) -> None:
    err = refused_unchanged(ada, *GRANT, "--amount", amount)
    assert "amount" in err


def test_plain_amounts_are_stored_to_the_penny(ada: Cli) -> None:
    ada.ok(*GRANT, "--amount", "25,000.50", "--ref", "A1")
    ada.ok(*GRANT, "--amount", "25000", "--ref", "A2")
    ada.ok(*GRANT, "--amount", "£1,200", "--ref", "A3")
    assert sorted(g["amount"] for g in grants(ada)) == ["1200.00", "25000.00", "25000.50"]


def test_an_amount_too_large_to_sum_is_refused_in_one_line(ada: Cli) -> None:
    err = refused_unchanged(ada, *GRANT, "--amount", "50,000,000,000,000,000")
    assert "too large" in err and "10,000,000,000,000" in err


def test_a_currency_sign_must_match_the_currency(ada: Cli) -> None:
    err = refused_unchanged(ada, *GRANT, "--amount", "€500", "--currency", "GBP")
    assert "€ is the sign of EUR, not GBP" in err


@pytest.mark.parametrize("currency", ["POUNDS", "XYZ", "=CMD", "GB", ""])
def test_currencies_other_than_iso_4217_codes_are_refused(ada: Cli, currency: str) -> None:
    err = refused_unchanged(ada, *GRANT, "--amount", "100", "--currency", currency)
    assert "ISO 4217" in err


def test_a_currency_in_lower_case_is_stored_upper(ada: Cli) -> None:
    ada.ok(*GRANT, "--amount", "100", "--currency", "eur")
    assert [g["currency"] for g in grants(ada)] == ["EUR"]


BAD_DATES = ["20210101", "2021-W01-1", "0001-01-01", "9999-12-31", "2021-02-30", "１９９９-01-01"]


@pytest.mark.parametrize("day", BAD_DATES)
@pytest.mark.parametrize(
    "args",
    [
        ("partner", "add", "Bo", "--on"),
        ("grant", "add", "Ada", "-w", "North", "--amount", "5", "--awarded"),
        ("grant", "add", "Ada", "-w", "North", "--amount", "5", "--end"),
        ("partnership", "end", "Ada", "-w", "North", "--reason", "done", "--by"),
        ("workstream", "add", "South", "--opened"),
        ("report", "board", "--from", "2021-01-01", "--to"),
        ("report", "board", "--from", "2021-01-01", "--to", "2021-12-31", "--as-recorded-on"),
    ],
)
def test_dates_are_yyyy_mm_dd_between_1900_and_2200_everywhere(
    ada: Cli, args: tuple[str, ...], day: str
) -> None:
    err = refused_unchanged(ada, *args, day)
    assert "YYYY-MM-DD" in err or "between 1900-01-01 and 2200-12-31" in err


def test_a_time_on_a_far_date_is_refused_too(ada: Cli) -> None:
    refused_unchanged(
        ada,
        "report",
        "board",
        "--from",
        "2021-01-01",
        "--to",
        "2021-12-31",
        "--as-recorded-on",
        "9999-12-31T10:00:00",
    )


@pytest.mark.parametrize(
    ("args", "what", "where"),
    [
        (("partner", "add", "Evil\x1b]0;owned\x07"), "U+001B", "position 5"),
        (("partner", "add", "Nul\x00Co"), "U+0000", "position 4"),
        (("partner", "add", "gpj.\u202eexe"), "U+202E", "position 5"),
        (("person", "add", "Jo\u2066 Bloggs"), "U+2066", "position 3"),
        (("workstream", "add", "Ne\x7fw"), "U+007F", "position 3"),
        (("theme", "add", "Hous\x9bing", "--home", "North"), "U+009B", "position 5"),
        (("checklist", "add", "to\x1bld", "Told them"), "U+001B", "position 3"),
        (("group", "add", "Board\x1b[2J", "--every", "2 months"), "U+001B", "position 6"),
        (("template", "add", "Ret\x00ro", "--prompt", "q=What?"), "U+0000", "position 4"),
        (("decision", "add", "Title\x1b[2J", "--decision", "yes"), "U+001B", "position 6"),
        (("partner", "add", "Bo", "--place", "Lon\x1bdon"), "U+001B", "position 4"),
        (("partner", "add", "Bo", "--as", "mallory\x1b[2J"), "U+001B", "position 8"),
    ],
)  # fmt: skip
def test_names_with_control_or_direction_characters_are_refused_saying_which_and_where(
    ada: Cli, args: tuple[str, ...], what: str, where: str
) -> None:
    err = refused_unchanged(ada, *args)
    assert what in err and where in err


def test_longer_text_keeps_newlines_and_tabs_and_loses_other_controls(ada: Cli) -> None:
    ada.ok("partner", "add", "Bo", "--notes", "line one\n\tline two\x1b[2J\x00\u202e!")
    shown = json.loads(ada.ok("partner", "show", "Bo", "--json"))
    assert shown["notes"] == "line one\n\tline two[2J!"
    ada.ok("person", "add", "Jo")
    ada.ok(
        "partnership",
        "review",
        "Ada",
        "-w",
        "North",
        "--lead",
        "Jo",
        "--reason",
        "look\x1b]0;x\x07 again",
    )
    history = ada.ok("history", "--partner", "Ada", "--json")
    assert "\x1b" not in history and "\\u001b" not in history and "look]0;x again" in history


@pytest.mark.parametrize(
    ("org_id", "why"),
    [
        ("GB-CHC-123", "a GB-CHC (Charity Commission for England and Wales) number has 6 or 7"),
        ("GB-SC-012345", "SC and 6 digits"),
        ("GB-COH-123", "8 characters"),
        ("1234567", "PREFIX-REGISTER-ID"),
        ('=HYPERLINK("x")', "PREFIX-REGISTER-ID"),
    ],
)
def test_an_org_id_of_the_wrong_shape_is_refused_saying_what_is_wrong(
    ada: Cli, org_id: str, why: str
) -> None:
    err = refused_unchanged(ada, "partner", "add", "Bo", "--org-id", org_id)
    assert why in err


def test_a_well_formed_org_id_is_stored(ada: Cli, db_path: Path) -> None:
    ada.ok("partner", "add", "Bo", "--org-id", "gb-chc-1234567")
    ada.ok("partner", "add", "Cy", "--org-id", "GB-SC-SC012345")
    shown = json.loads(ada.ok("partner", "list", "--json"))
    assert {p["name"]: p["org_id"] for p in shown}["Bo"] == "GB-CHC-1234567"


def test_an_import_reads_amounts_currencies_and_org_ids_by_the_same_rules(
    ada: Cli, tmp_path: Path
) -> None:
    grants_csv = tmp_path / "grants.csv"
    grants_csv.write_text(
        "partner,workstream,amount,currency\n"
        'Ada,North,"1,5",GBP\n'
        "Ada,North,€500,GBP\n"
        "Ada,North,100,POUNDS\n"
        'Ada,North,"£25,000.50",gbp\n',
        encoding="utf-8",
    )
    before = dump(ada.db_file)
    code, _out, err = ada("import", "grants", str(grants_csv))
    assert code != 0 and "unexpected error" not in err
    assert "row 2" in err and "row 3" in err and "€ is the sign of EUR, not GBP" in err
    assert "row 4" in err and "ISO 4217" in err and "row 5" not in err
    assert dump(ada.db_file) == before
    partners_csv = tmp_path / "partners.csv"
    partners_csv.write_text("name,org_id\nBo,GB-CHC-123\nCy\x1b[2J,\n", encoding="utf-8")
    code, _out, err = ada("import", "partners", str(partners_csv))
    assert code != 0 and "row 2" in err and "6 or 7 digits" in err
    assert "row 3" in err and "U+001B" in err
    assert dump(ada.db_file) == before
