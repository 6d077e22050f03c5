"""Table exports (staff data) and imports that are all or nothing."""

import csv
import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlmodel import select

from portfolio import db
from portfolio.models import Grant, Partner

MARKER = "INTERNAL-NOTE-51c"


@pytest.fixture
def demo_cli(cli: Any) -> Any:
    cli.ok("demo")
    cli.ok("partner", "add", "=SUM(A1:A9)", "--place", "+44 Leeds", "--kind", "@handle",
           "--notes", f"Called them {MARKER}")  # fmt: skip
    cli.ok("partner", "add", "--notes", "plain", "--", "-Minus Trust")
    return cli


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_partner_notes_are_exported_only_with_include_internal(demo_cli: Any) -> None:
    plain = demo_cli.ok("export", "table", "partners", "--format", "csv")
    assert MARKER not in plain and "notes" not in plain.splitlines()[0]
    full = demo_cli.ok("export", "table", "partners", "--format", "csv", "--include-internal")
    assert MARKER in full and _csv(full)[0].keys() >= {"name", "notes"}


def test_csv_cells_that_look_like_formulas_are_neutralised(demo_cli: Any) -> None:
    rows = _csv(demo_cli.ok("export", "table", "partners", "--format", "csv"))
    by_name = {r["name"]: r for r in rows}
    assert "'=SUM(A1:A9)" in by_name and "'-Minus Trust" in by_name
    assert by_name["'=SUM(A1:A9)"]["place"] == "'+44 Leeds"
    assert by_name["'=SUM(A1:A9)"]["kind"] == "'@handle"
    assert all(not v.startswith(("=", "+", "-", "@")) for r in rows for v in r.values())


def test_xlsx_cells_that_look_like_formulas_are_neutralised(demo_cli: Any, tmp_path: Path) -> None:
    target = tmp_path / "partners.xlsx"
    demo_cli.ok("export", "table", "partners", "--format", "xlsx", "-o", str(target),
                "--include-internal")  # fmt: skip
    sheet = openpyxl.load_workbook(target).worksheets[0]
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert "'=SUM(A1:A9)" in values and f"Called them {MARKER}" in values
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    code, _, err = demo_cli("export", "table", "partners", "--format", "xlsx")
    assert code == 2 and "give -o PATH" in err


def test_grants_and_partnerships_export_with_exact_amounts_and_states(
    demo_cli: Any, tmp_path: Path
) -> None:
    grants = _csv(demo_cli.ok("export", "table", "grants", "--format", "csv"))
    assert {"45000.50", "150000.00"} <= {g["amount"] for g in grants}
    partnerships = _csv(demo_cli.ok("export", "table", "partnerships", "--format", "csv"))
    assert {p["state"] for p in partnerships} == {"active"} and len(partnerships) == 15
    target = tmp_path / "grants.xlsx"
    demo_cli.ok("export", "table", "grants", "--format", "xlsx", "-o", str(target))
    sheet = openpyxl.load_workbook(target).worksheets[0]
    amounts = [row[4] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert 45000.5 in amounts


def _counts(cli: Any) -> tuple[int, int]:
    factory = db.open_database(f"sqlite:///{cli.db_file}")
    with db.read_session(factory) as session:
        counts = (len(session.exec(select(Partner.id)).all()),
                  len(session.exec(select(Grant.id)).all()))  # fmt: skip
    db.reset_engine(factory)
    return counts


def test_a_file_with_bad_rows_is_refused_whole_naming_every_bad_row(
    demo_cli: Any, tmp_path: Path
) -> None:
    bad = tmp_path / "grants.csv"
    bad.write_text(
        "partner,workstream,amount,awarded,reference\n"
        "Black Thrive,Who,1000,2021-07-01,NEW-1\n"
        "Nobody,Who,1000,2021-07-01,NEW-2\n"
        "Black Thrive,Who,lots,2021-07-01,NEW-3\n"
        "Black Thrive,Place,1000,2021-13-01,LC-2020-001\n"
        "Agenda,National,500,2021-07-01,NEW-1\n",
        encoding="utf-8",
    )
    before = _counts(demo_cli)
    code, out, err = demo_cli("import", "grants", str(bad))
    assert code == 1 and err.count("\n") == 1 and "Nothing was imported: 4 bad row(s)" in err
    for problem in ("row 3: no partner named 'Nobody'", "row 4: 'lots' is not an amount",
                    "row 5: Black Thrive has no partnership in Place",
                    "and '2021-13-01' is not a date for awarded", "the reference 'LC-2020-001'",
                    "row 6: the reference 'NEW-1' is already used"):  # fmt: skip
        assert problem in err
    assert "row 2" not in err
    assert _counts(demo_cli) == before


def test_a_dry_run_previews_and_writes_nothing(demo_cli: Any, tmp_path: Path) -> None:
    good = tmp_path / "partners.csv"
    good.write_text("name,kind,place,org_id,notes\nNew Roots,charity,Hull,GB-CHC-1000001,\n",
                    encoding="utf-8")  # fmt: skip
    before = _counts(demo_cli)
    out = demo_cli.ok("import", "partners", str(good), "--dry-run")
    assert "name: New Roots" in out and "1 partners would be imported" in out
    assert _counts(demo_cli) == before


def test_a_good_file_imports_and_an_export_round_trips(demo_cli: Any, tmp_path: Path) -> None:
    sheet = tmp_path / "partners.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["Name", "Kind", "Place", "Org ID"])
    book.active.append(["New Roots", "charity", "Hull", "GB-CHC-1000042"])
    book.active.append(["'=Not a formula", "network", "", ""])
    book.save(sheet)
    assert demo_cli.ok("import", "partners", str(sheet)).strip() == "2 partners imported"
    demo_cli.ok("partnership", "start", "New Roots", "-w", "Place", "--on", "2021-05-01")
    grants = tmp_path / "grants.csv"
    grants.write_text("partner,workstream,amount,currency,title,awarded,start,end,reference\n"
                      "new roots,place,\"12,500.25\",gbp,Seed grant,2021-05-02,2021-06-01,"
                      "2022-05-31,NR-1\n", encoding="utf-8")  # fmt: skip
    assert demo_cli.ok("import", "grants", str(grants)).strip() == "1 grants imported"
    exported = _csv(demo_cli.ok("export", "table", "grants", "--format", "csv"))
    row = next(g for g in exported if g["reference"] == "NR-1")
    assert (row["partner"], row["workstream"], row["amount"], row["currency"]) == (
        "New Roots", "Place", "12500.25", "GBP",
    )  # fmt: skip
    partners = _csv(demo_cli.ok("export", "table", "partners", "--format", "csv"))
    assert "'=Not a formula" in {p["name"] for p in partners}  # stored as typed, exported safe


def test_unknown_columns_are_refused_naming_the_columns(demo_cli: Any, tmp_path: Path) -> None:
    wrong = tmp_path / "partners.csv"
    wrong.write_text("nmae,kind\nX,charity\n", encoding="utf-8")
    code, _, err = demo_cli("import", "partners", str(wrong))
    assert code == 2 and "missing name" in err and "unknown nmae" in err


def test_a_long_import_shows_progress_and_lands_in_one_transaction(
    demo_cli: Any, tmp_path: Path
) -> None:
    many = tmp_path / "partners.csv"
    many.write_text("name\n" + "".join(f"Partner {n}\n" for n in range(250)), encoding="utf-8")
    assert demo_cli.ok("import", "partners", str(many)).strip() == "250 partners imported"
    assert _counts(demo_cli)[0] == 17 + 250
