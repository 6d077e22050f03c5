"""360Giving: the standard's fields, exact amounts, stable identifiers, clear settings errors."""

import csv
import io
import json
from decimal import Decimal
from typing import Any

import pytest
from sqlmodel import select

from portfolio import db
from portfolio.models import Partner
from portfolio.reports.giving360 import COLUMNS

FUNDER = ("--funder-id", "GB-CHC-1094973", "--funder-name", "Lankelly Chase", "--prefix",
          "360G-lankelly")  # fmt: skip
REQUIRED = (
    "Identifier", "Title", "Description", "Currency", "Amount Awarded", "Award Date",
    "Recipient Org:Identifier", "Recipient Org:Name", "Funding Org:Identifier",
    "Funding Org:Name",
)  # fmt: skip


@pytest.fixture
def demo_cli(cli: Any) -> Any:
    cli.ok("demo")
    return cli


def test_the_csv_has_the_required_fields_planned_dates_and_programme(demo_cli: Any) -> None:
    out = demo_cli.ok("export", "360giving", *FUNDER)
    found = list(csv.DictReader(io.StringIO(out)))
    assert set(REQUIRED) <= set(found[0]) and tuple(found[0]) == COLUMNS
    assert len(found) == 16
    assert all(row[field] for row in found for field in REQUIRED)
    black_thrive = [row for row in found if row["Recipient Org:Name"] == "Black Thrive"]
    assert [row["Amount Awarded"] for row in black_thrive] == ["95000.00", "45000.50"]
    assert black_thrive[0]["Recipient Org:Identifier"] == "GB-COH-11111543"
    assert black_thrive[0]["Grant Programme:Title"] == "Who"
    assert black_thrive[0]["Planned Dates:Start Date"] == "2019-06-01"
    assert black_thrive[0]["Funding Org:Name"] == "Lankelly Chase"
    # A recipient without a registered number gets an identifier under the funder's prefix.
    synergi = next(r for r in found if r["Recipient Org:Name"] == "Synergi Collaborative Centre")
    assert synergi["Recipient Org:Identifier"].startswith("360G-lankelly-ORG-")


def test_json_amounts_are_exact_numbers(demo_cli: Any) -> None:
    out = demo_cli.ok("export", "360giving", "--format", "json", *FUNDER)
    assert '"amountAwarded": 45000.50' in out
    data = json.loads(out, parse_float=Decimal)
    amounts = [g["amountAwarded"] for g in data["grants"]]
    assert Decimal("45000.50") in amounts and all(isinstance(a, Decimal) for a in amounts)
    first = data["grants"][0]
    assert first["fundingOrganization"] == [{"id": "GB-CHC-1094973", "name": "Lankelly Chase"}]
    assert first["recipientOrganization"][0]["id"] and first["grantProgramme"][0]["title"]
    assert first["plannedDates"][0]["startDate"]


def test_identifiers_stay_the_same_across_exports(demo_cli: Any) -> None:
    def ids() -> dict[str, str]:
        rows = csv.DictReader(io.StringIO(demo_cli.ok("export", "360giving", *FUNDER)))
        return {r["Identifier"]: r["Title"] for r in rows}

    first = ids()
    demo_cli.ok("grant", "add", "Agenda", "-w", "National", "--amount", "1000",
                "--awarded", "2019-01-01")  # fmt: skip
    second = ids()
    assert len(set(first)) == len(first) == 16
    assert {k: v for k, v in second.items() if k in first} == first and len(second) == 17


def test_settings_come_from_the_environment_and_a_missing_one_is_one_clear_line(
    demo_cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = demo_cli("export", "360giving")
    assert code == 1 and out == "" and err.count("\n") == 1
    assert "--funder-id" in err and "PORTFOLIO_360_PREFIX" in err
    monkeypatch.setenv("PORTFOLIO_FUNDER_ID", "GB-CHC-1")
    monkeypatch.setenv("PORTFOLIO_FUNDER_NAME", "Env Funder")
    code, _, err = demo_cli("export", "360giving")
    assert code == 1 and "prefix" in err and "funder's name" not in err
    monkeypatch.setenv("PORTFOLIO_360_PREFIX", "360G-env")
    out = demo_cli.ok("export", "360giving", "--funder-name", "Flag Funder")
    assert "360G-env-1," in out and "Flag Funder" in out and "Env Funder" not in out


def test_formula_like_names_are_published_exactly_with_a_warning_and_notes_never_appear(
    demo_cli: Any,
) -> None:
    factory = db.open_database(f"sqlite:///{demo_cli.db_file}")
    with db.unit_of_work(factory) as session:
        agenda = session.exec(select(Partner).where(Partner.name == "Agenda")).one()
        agenda.name = '=HYPERLINK("http://x")'
        agenda.notes = "Internal partner notes MARKER-360"
        session.add(agenda)
    db.reset_engine(factory)
    for fmt in ("csv", "json"):
        code, out, err = demo_cli("export", "360giving", "--format", fmt, *FUNDER)
        assert code == 0
        assert "MARKER-360" not in out
        assert "'=HYPERLINK" not in out and "=HYPERLINK" in out
        assert "warning" in err and "looks like a spreadsheet formula" in err
