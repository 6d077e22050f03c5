"""Imports of the files people really have: Windows CSVs, semicolons, Excel's habits,
finance teams' column names and dates, repeated grants, many bad rows, big files."""

import csv
import sqlite3
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import event
from sqlmodel import select

from portfolio import db
from portfolio.models import Event, Grant, Partner
from portfolio.services import imports
from portfolio.services.grants import add_grant
from tests.conftest import stamp


@pytest.fixture
def demo_cli(cli: Any) -> Any:
    cli.ok("demo")
    return cli


def _grants(cli: Any) -> list[dict[str, str]]:
    out = cli.ok("export", "table", "grants", "--format", "csv")
    return list(csv.DictReader(out.splitlines()))


def _counts(cli: Any) -> tuple[int, int, int]:
    factory = db.open_database(f"sqlite:///{cli.db_file}")
    with db.read_session(factory) as session:
        counts = (
            len(session.exec(select(Partner.id)).all()),
            len(session.exec(select(Grant.id)).all()),
            len(session.exec(select(Event.id)).all()),
        )
    db.reset_engine(factory)
    return counts


# 13: encodings, delimiters and Excel's habits


def test_a_windows_1252_csv_is_read_as_such_and_the_user_is_told(
    demo_cli: Any, tmp_path: Path
) -> None:
    sheet = tmp_path / "partners.csv"
    sheet.write_bytes("name,place\nCafé Ünity – North,Köln\n".encode("cp1252"))
    code, out, err = demo_cli("import", "partners", str(sheet))
    assert code == 0, err
    assert "not UTF-8" in err and "Windows-1252" in err
    assert "Café Ünity – North" in demo_cli.ok("partner", "list")


@pytest.mark.parametrize("sep", [";", "\t"])
def test_semicolon_and_tab_separated_files_with_trailing_empty_columns_import(
    demo_cli: Any, tmp_path: Path, sep: str
) -> None:
    sheet = tmp_path / "grants.csv"
    lines = [
        ["partner", "workstream", "amount", "reference", "", ""],
        ["Black Thrive", "Who", "1000", "SEP-1", "", ""],
        ["", "", "", "", "", ""],
    ]
    sheet.write_text("\n".join(sep.join(line) for line in lines) + "\n", encoding="utf-8")
    assert demo_cli.ok("import", "grants", str(sheet)).strip() == "1 grants imported"
    assert any(g["reference"] == "SEP-1" for g in _grants(demo_cli))


def test_an_xlsx_with_trailing_empty_columns_imports(demo_cli: Any, tmp_path: Path) -> None:
    sheet = tmp_path / "grants.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["partner", "workstream", "amount", "reference", None, None])
    book.active.append(["Black Thrive", "Who", 250, "XL-1", None, None])
    book.active.cell(row=1, column=9).value = ""  # a cell once typed in and cleared
    book.save(sheet)
    assert demo_cli.ok("import", "grants", str(sheet)).strip() == "1 grants imported"


@pytest.mark.parametrize(
    ("header", "named"),
    [
        ("partner,workstream,amount,Amount", "amount"),
        ("partner,workstream,amount,awarded,Award Date", "awarded"),
    ],
)
def test_a_repeated_header_is_refused_naming_the_column(
    demo_cli: Any, tmp_path: Path, header: str, named: str
) -> None:
    sheet = tmp_path / "grants.csv"
    sheet.write_text(header + "\nBlack Thrive,Who,1000,2000,2021-01-01\n", encoding="utf-8")
    before = _counts(demo_cli)
    code, _, err = demo_cli("import", "grants", str(sheet))
    assert code == 2 and f"'{named}'" in err and "more than once" in err
    assert _counts(demo_cli) == before


def test_rows_longer_than_the_header_are_refused_with_their_row_numbers(
    demo_cli: Any, tmp_path: Path
) -> None:
    sheet = tmp_path / "grants.csv"
    sheet.write_text(
        "partner,workstream,amount\nBlack Thrive,Who,1000\nBlack Thrive,Who,1,000\n"
        "Black Thrive,Who,5\nBlack Thrive,Who,2,500.00\n",
        encoding="utf-8",
    )
    before = _counts(demo_cli)
    code, _, err = demo_cli("import", "grants", str(sheet))
    assert code == 2 and "rows 3, 5" in err and "more cells than the header" in err
    assert _counts(demo_cli) == before


# 14: dates and column names from finance teams


def test_day_first_dates_are_refused_with_a_hint_and_read_with_day_first(
    demo_cli: Any, tmp_path: Path
) -> None:
    sheet = tmp_path / "grants.csv"
    sheet.write_text(
        "partner,workstream,amount,awarded,reference\nBlack Thrive,Who,1000,31/07/2021,DF-1\n"
        "Black Thrive,Who,1000,1/8/2021,DF-2\n",
        encoding="utf-8",
    )
    code, _, err = demo_cli("import", "grants", str(sheet))
    assert code == 1 and "--day-first" in err and "row 2" in err and "row 3" in err
    demo_cli.ok("import", "grants", str(sheet), "--day-first")
    awarded = {g["reference"]: g["awarded"] for g in _grants(demo_cli)}
    assert awarded["DF-1"] == "2021-07-31" and awarded["DF-2"] == "2021-08-01"


def test_finance_column_names_are_read_as_ours(demo_cli: Any, tmp_path: Path) -> None:
    sheet = tmp_path / "grants.csv"
    sheet.write_text(
        "Grant Ref,Recipient,Workstream,Amount Awarded,Currency,Award Date,Start Date,End Date\n"
        "FIN-1,Black Thrive,Who,1200,eur,2021-07-01,2021-08-01,2022-07-31\n",
        encoding="utf-8",
    )
    demo_cli.ok("import", "grants", str(sheet))
    row = next(g for g in _grants(demo_cli) if g["reference"] == "FIN-1")
    assert (
        row["partner"],
        row["amount"],
        row["currency"],
        row["awarded"],
        row["start"],
        row["end"],
    ) == ("Black Thrive", "1200.00", "EUR", "2021-07-01", "2021-08-01", "2022-07-31")
    book = openpyxl.Workbook()
    book.active.append(["Identifier", "Recipient Org:Name", "Workstream", "Amount Awarded"])
    book.active.append(["360G-X-1", "Black Thrive", "Who", 300])
    book.save(tmp_path / "g.xlsx")
    demo_cli.ok("import", "grants", str(tmp_path / "g.xlsx"))
    assert any(g["reference"] == "360G-X-1" for g in _grants(demo_cli))


# 15: names are one name in any case


def test_rows_land_on_the_partner_whatever_the_case_and_no_second_spelling_exists(
    demo_cli: Any, tmp_path: Path
) -> None:
    demo_cli.ok("partner", "add", "Straße Trust")
    demo_cli.ok("partnership", "start", "Straße Trust", "-w", "Who", "--on", "2021-01-04")
    code, _, err = demo_cli("partner", "add", "STRASSE TRUST")
    assert code == 1 and "Straße Trust" in err
    sheet = tmp_path / "partners.csv"
    sheet.write_text("name\nstrasse trust\n", encoding="utf-8")
    code, _, err = demo_cli("import", "partners", str(sheet))
    assert code == 1 and "already a partner named 'Straße Trust'" in err
    grants = tmp_path / "grants.csv"
    grants.write_text(
        "partner,workstream,amount,reference\nSTRASSE TRUST,who,10,CASE-1\n", encoding="utf-8"
    )
    demo_cli.ok("import", "grants", str(grants))
    row = next(g for g in _grants(demo_cli) if g["reference"] == "CASE-1")
    assert row["partner"] == "Straße Trust"


# 16: grants without a reference, twice


def test_grants_without_a_reference_imported_twice_are_refused_unless_allowed(
    demo_cli: Any, tmp_path: Path
) -> None:
    sheet = tmp_path / "grants.csv"
    sheet.write_text(
        "partner,workstream,amount,awarded\nBlack Thrive,Who,1000,2021-07-01\n"
        "Agenda,National,500,2021-07-01\n",
        encoding="utf-8",
    )
    demo_cli.ok("import", "grants", str(sheet))
    before = _counts(demo_cli)
    code, _, err = demo_cli("import", "grants", str(sheet))
    assert code == 1 and "row 2" in err and "row 3" in err and "--allow-duplicates" in err
    assert _counts(demo_cli) == before
    code, out, err = demo_cli("import", "grants", str(sheet), "--allow-duplicates")
    assert code == 0 and "warning" in err and "2 rows" in err and "2 grants imported" in out
    assert _counts(demo_cli)[1] == before[1] + 2


def test_the_same_grant_twice_in_one_file_is_refused(demo_cli: Any, tmp_path: Path) -> None:
    sheet = tmp_path / "grants.csv"
    sheet.write_text(
        "partner,workstream,amount,awarded\nBlack Thrive,Who,1000,2021-07-01\n"
        'black thrive,Who,"1,000.00",2021-07-01\n',
        encoding="utf-8",
    )
    code, _, err = demo_cli("import", "grants", str(sheet))
    assert code == 1 and "row 3" in err and "row 2" in err and "--allow-duplicates" in err


# 17: many bad rows


def test_fifty_thousand_bad_rows_show_the_first_twenty_and_the_count(
    demo_cli: Any, tmp_path: Path
) -> None:
    sheet = tmp_path / "grants.csv"
    body = "".join(f"Nobody {n},Who,1000\n" for n in range(50_000))
    sheet.write_text("partner,workstream,amount\n" + body, encoding="utf-8")
    code, _, err = demo_cli("import", "grants", str(sheet))
    assert code == 1 and len(err) < 4000 and "50,000 bad row(s)" in err
    assert "row 21:" in err and "row 22:" not in err and "--errors FILE" in err
    kept = {"grants.csv", "portfolio.db", "portfolio.db-wal", "portfolio.db-shm"}
    assert {p.name for p in tmp_path.iterdir()} <= kept  # no file unless asked for
    listing = tmp_path / "errors.txt"
    code, _, err = demo_cli("import", "grants", str(sheet), "--errors", str(listing))
    assert code == 1 and str(listing) in err
    lines = listing.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 50_000 and lines[-1].startswith("row 50001: no partner named")


def test_an_errors_file_onto_the_database_is_refused(demo_cli: Any, tmp_path: Path) -> None:
    sheet = tmp_path / "grants.csv"
    sheet.write_text("partner,workstream,amount\nNobody,Who,1000\n", encoding="utf-8")
    before = demo_cli.db_file.read_bytes()
    for target in (demo_cli.db_file, Path(f"{demo_cli.db_file}-wal"), sheet, tmp_path,
                   tmp_path / "no-such-folder" / "errors.txt"):  # fmt: skip
        code, _, err = demo_cli("import", "grants", str(sheet), "--errors", str(target))
        assert code == 2 and "--errors" in err and "unexpected" not in err
    assert demo_cli.db_file.read_bytes()[:100] == before[:100]
    assert _counts(demo_cli)[0] > 0


# 18: big imports, checked in bulk and written in one short transaction


def _statements(factory: Any, folder: Path, rows: int) -> int:
    sheet = folder / f"grants-{rows}.csv"
    sheet.write_text(
        "partner,workstream,amount,reference\n"
        + "".join(f"Black Thrive,Who,{n + 1},B-{rows}-{n}\n" for n in range(rows)),
        encoding="utf-8",
    )
    found = imports.read_rows(sheet)
    count = 0

    def counter(*_args: Any) -> None:
        nonlocal count
        count += 1

    engine = factory.kw["bind"]
    event.listen(engine, "before_cursor_execute", counter)
    try:
        with db.read_session(factory) as session:
            plan = imports.check(session, "grants", found, on=stamp().on)
        with db.unit_of_work(factory) as session:
            assert imports.apply(session, stamp(), plan) == rows
    finally:
        event.remove(engine, "before_cursor_execute", counter)
    return count


def test_an_import_checks_and_writes_in_a_fixed_number_of_statements(
    demo_factory: Any, tmp_path: Path
) -> None:
    small = _statements(demo_factory, tmp_path, 20)
    big = _statements(demo_factory, tmp_path, 3_000)
    assert big <= small + 12, (small, big)  # only the bulk inserts' batches grow
    with db.read_session(demo_factory) as session:
        events = session.exec(select(Event).where(Event.action == "grant")).all()
        grants = session.exec(select(Grant).where(Grant.reference.startswith("B-3000-"))).all()  # type: ignore[attr-defined]
    assert len(grants) == 3_000
    by_grant = {e.subject_id: e for e in events}
    assert all(by_grant[g.id].data["amount"] == f"{g.amount:.2f}" for g in grants)


def test_a_grant_recorded_between_the_check_and_the_write_is_seen_by_the_write(
    demo_factory: Any, tmp_path: Path
) -> None:
    sheet = tmp_path / "grants.csv"
    sheet.write_text("partner,workstream,amount,reference\nBlack Thrive,Who,10,RACE-1\n"
                     "Black Thrive,Who,20,RACE-2\n", encoding="utf-8")  # fmt: skip
    with db.read_session(demo_factory) as session:
        plan = imports.check(session, "grants", imports.read_rows(sheet), on=stamp().on)
    with db.unit_of_work(demo_factory) as session:  # someone else, meanwhile
        add_grant(session, stamp(), partner="Black Thrive", workstream="Who",
                  amount=Decimal("5"), reference="RACE-2")  # fmt: skip
    refused = pytest.raises(imports.BadRows, match="row 3: the reference 'RACE-2' is already used")
    with refused, db.unit_of_work(demo_factory) as session:
        imports.apply(session, stamp(), plan)
    with db.read_session(demo_factory) as session:
        refs = session.exec(select(Grant.reference).where(Grant.reference.startswith("RACE"))).all()  # type: ignore[attr-defined]
    assert refs == ["RACE-2"]


def test_a_dry_run_works_while_another_program_holds_the_write_lock(
    demo_cli: Any, tmp_path: Path
) -> None:
    sheet = tmp_path / "grants.csv"
    sheet.write_text("partner,workstream,amount\nBlack Thrive,Who,10\n", encoding="utf-8")
    other = sqlite3.connect(demo_cli.db_file, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        out = demo_cli.ok("import", "grants", str(sheet), "--dry-run")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert "1 grants would be imported" in out


def test_a_partner_import_writes_in_a_fixed_number_of_statements(
    demo_factory: Any, tmp_path: Path
) -> None:
    def statements(rows: int) -> int:
        sheet = tmp_path / f"partners-{rows}.csv"
        names = "".join(f"Partner {rows}-{n}\n" for n in range(rows))
        sheet.write_text("name\n" + names, encoding="utf-8")
        count = 0

        def counter(*_args: Any) -> None:
            nonlocal count
            count += 1

        event.listen(demo_factory.kw["bind"], "before_cursor_execute", counter)
        try:
            with db.read_session(demo_factory) as session:
                plan = imports.check(session, "partners", imports.read_rows(sheet), on=stamp().on)
            with db.unit_of_work(demo_factory) as session:
                imports.apply(session, stamp(), plan)
        finally:
            event.remove(demo_factory.kw["bind"], "before_cursor_execute", counter)
        return count

    assert statements(3_000) <= statements(20) + 4
    with db.read_session(demo_factory) as session:
        names = session.exec(
            select(Partner.name_key).where(Partner.name.startswith("Partner 3000-"))
        ).all()  # type: ignore[attr-defined]
        added = session.exec(select(Event).where(Event.action == "partner-add")).all()
    assert len(names) == 3_000 and "partner 3000-7" in names
    assert len(added) >= 3_020 and all(e.partner_id == e.subject_id for e in added)
