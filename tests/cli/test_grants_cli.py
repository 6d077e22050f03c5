"""Grants: amounts the storage and the sums can hold, and a grant recorded in error withdrawn."""

import json
import sqlite3
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from portfolio import db
from portfolio.errors import InvalidInput
from portfolio.models.money import MAX_AMOUNT
from portfolio.services import grants
from portfolio.services.history import Stamp
from tests.conftest import Cli

HUGE = 5_000_000_000_000_000_000  # pence: two of these overflow a 64-bit sum


def north(cli: Cli) -> None:
    cli.ok("workstream", "add", "North", "--on", "2020-01-01")
    cli.ok("partner", "add", "Ada")
    cli.ok("partnership", "start", "Ada", "-w", "North", "--on", "2020-02-01")


def listed(cli: Cli) -> dict[str, dict[str, object]]:
    return {w["name"]: w for w in json.loads(cli.ok("workstream", "list", "--json"))}


def counts(path: Path) -> tuple[int, int]:
    conn = sqlite3.connect(path)
    try:
        grants_n = conn.execute('SELECT COUNT(*) FROM "grant"').fetchone()[0]
        events_n = conn.execute("SELECT COUNT(*) FROM event").fetchone()[0]
        return grants_n, events_n
    finally:
        conn.close()


@pytest.mark.parametrize("currency", ["GBP", "EUR", "JPY"])
def test_the_service_refuses_a_grant_of_ten_trillion_or_more_in_any_currency(
    cli: Cli, factory: sessionmaker[Session], db_path: Path, currency: str
) -> None:
    north(cli)
    before = counts(db_path)
    for amount in (MAX_AMOUNT, Decimal("50000000000000000")):
        with (
            pytest.raises(InvalidInput, match="at most") as refused,
            db.unit_of_work(factory) as session,
        ):
            grants.add_grant(
                session, Stamp(date(2020, 3, 1), "tester"), partner="Ada",
                workstream="North", amount=amount, currency=currency,
            )  # fmt: skip
        assert "\n" not in str(refused.value) and refused.value.field == "amount"
    assert counts(db_path) == before
    with db.unit_of_work(factory) as session:
        grants.add_grant(
            session, Stamp(date(2020, 3, 1), "tester"), partner="Ada", workstream="North",
            amount=MAX_AMOUNT - Decimal("0.01"), currency=currency,
        )  # fmt: skip
    assert Decimal(10**13) == MAX_AMOUNT


def test_grant_add_refuses_fifty_quadrillion_with_one_line_and_writes_nothing(
    cli: Cli, db_path: Path
) -> None:
    north(cli)
    before = counts(db_path)
    code, _out, err = cli("grant", "add", "Ada", "-w", "North", "--amount", "50000000000000000")
    assert code == 2 and err.startswith("portfolio: ") and err.count("\n") == 1
    assert "unexpected" not in err
    assert counts(db_path) == before


def insert_huge_grants(path: Path, n: int = 2) -> None:
    """Grants as an older version let them in: written straight into the file."""
    conn = sqlite3.connect(path)
    try:
        for i in range(n):
            conn.execute(
                'INSERT INTO "grant" (partnership_id, amount_minor, currency, title, awarded_on, '
                "reference, recorded_at) VALUES (1, ?, 'GBP', ?, '2020-03-01', '', "
                "'2020-03-01 00:00:00')",
                (HUGE, f"huge {i}"),
            )
        conn.commit()
    finally:
        conn.close()


def test_oversized_grants_already_recorded_leave_lists_and_reports_working(
    cli: Cli, db_path: Path
) -> None:
    north(cli)
    insert_huge_grants(db_path)
    # Any change in North rewrites its summary: it used to fail with "integer overflow".
    cli.ok("grant", "add", "Ada", "-w", "North", "--amount", "10", "--awarded", "2020-03-02")
    assert listed(cli)["North"]["committed"] == "100000000000000010.00"
    assert "£100,000,000,000,000,010.00" in cli.ok("workstream", "list")
    assert "100000000000000010.00" in json.dumps(
        json.loads(cli.ok("workstream", "show", "North", "--json"))
    )
    board = cli.ok("report", "board", "--from", "2020-01-01", "--to", "2020-12-31")
    assert "GBP 100,000,000,000,000,010.00" in board
    assert "Ada" in cli.ok("partner", "show", "Ada")


def grant_ids(cli: Cli, partner: str = "Ada") -> list[int]:
    return [g["id"] for g in json.loads(cli.ok("partner", "show", partner, "--json"))["grants"]]


def test_a_grant_withdrawn_no_longer_counts_and_shows_as_withdrawn(cli: Cli) -> None:
    north(cli)
    cli.ok("grant", "add", "Ada", "-w", "North", "--amount", "100", "--awarded", "2020-03-01")
    cli.ok("grant", "add", "Ada", "-w", "North", "--amount", "25", "--awarded", "2020-03-01")
    wrong = grant_ids(cli)[1]
    assert listed(cli)["North"]["committed"] == "125.00"
    said = cli.ok("grant", "withdraw", str(wrong), "--reason", "typed twice", "--on", "2020-04-01")
    assert f"grant {wrong} withdrawn" in said
    assert listed(cli)["North"]["committed"] == "100.00"
    shown = json.loads(cli.ok("partner", "show", "Ada", "--json"))
    by_id = {g["id"]: g for g in shown["grants"]}
    assert by_id[wrong]["withdrawn_on"] == "2020-04-01"  # the grant stays, marked
    assert by_id[grant_ids(cli)[0]]["withdrawn_on"] is None
    [event] = [e for e in shown["timeline"] if e["action"] == "grant-withdraw"]
    assert event["data"]["grant_id"] == wrong and event["reason"] == "typed twice"
    assert event["on"] == "2020-04-01"
    text = cli.ok("partner", "show", "Ada")
    assert "withdrawn 2020-04-01" in text
    # The board update as at a day before the withdrawal still counts it; after, not.
    before = cli.ok("report", "board", "--from", "2020-01-01", "--to", "2020-03-31")
    assert "GBP 125.00" in before
    after = cli.ok("report", "board", "--from", "2020-01-01", "--to", "2020-06-30")
    assert "GBP 100.00" in after and "GBP 125.00" not in after


def test_a_grant_cannot_be_withdrawn_twice_and_a_refusal_writes_nothing(
    cli: Cli, db_path: Path
) -> None:
    north(cli)
    cli.ok("grant", "add", "Ada", "-w", "North", "--amount", "100", "--awarded", "2020-03-01")
    [gid] = grant_ids(cli)
    cli.ok("grant", "withdraw", str(gid), "--reason", "in error", "--on", "2020-04-01")
    before = counts(db_path)
    code, _out, err = cli("grant", "withdraw", str(gid), "--reason", "again")
    assert code == 1 and "already withdrawn on 2020-04-01" in err and err.count("\n") == 1
    code, _out, err = cli("grant", "withdraw", "99", "--reason", "no such")
    assert code == 1 and "no grant 99" in err
    code, _out, err = cli("grant", "withdraw", str(gid))
    assert code == 2  # a reason is needed
    assert counts(db_path) == before


def test_a_grant_is_not_withdrawn_before_it_was_awarded(cli: Cli, db_path: Path) -> None:
    north(cli)
    cli.ok("grant", "add", "Ada", "-w", "North", "--amount", "100", "--awarded", "2020-03-01")
    [gid] = grant_ids(cli)
    before = counts(db_path)
    code, _out, err = cli("grant", "withdraw", str(gid), "--reason", "x", "--on", "2020-02-01")
    assert code == 1 and "awarded on 2020-03-01" in err and "(--on)" in err
    assert counts(db_path) == before


def test_an_oversized_grant_already_recorded_can_be_withdrawn(cli: Cli, db_path: Path) -> None:
    north(cli)
    insert_huge_grants(db_path, n=1)
    cli.ok("grant", "add", "Ada", "-w", "North", "--amount", "10", "--awarded", "2020-03-02")
    huge = grant_ids(cli)[0]
    cli.ok("grant", "withdraw", str(huge), "--reason", "typo: far too many zeros")
    assert listed(cli)["North"]["committed"] == "10.00"


def test_a_withdrawn_grant_is_not_reported_as_awarded_nor_published(cli: Cli) -> None:
    north(cli)
    cli.ok("grant", "add", "Ada", "-w", "North", "--amount", "100", "--awarded", "2020-03-01")
    cli.ok("grant", "add", "Ada", "-w", "North", "--amount", "25", "--awarded", "2020-03-01",
           "--ref", "WRONG-1")  # fmt: skip
    wrong = grant_ids(cli)[1]
    cli.ok("grant", "withdraw", str(wrong), "--reason", "typed twice", "--on", "2020-04-01")
    board = cli.ok("report", "board", "--from", "2020-01-01", "--to", "2020-06-30")
    assert "| Ada | GBP 100.00 |" in board and "| Ada | GBP 25.00 |" not in board
    assert "2020-04-01: A grant of GBP 25.00 to Ada was withdrawn as recorded in error" in board
    published = json.loads(cli.ok(
        "export", "360giving", "--format", "json", "--funder-id", "GB-CHC-1234567",
        "--funder-name", "Fund", "--prefix", "360G-fund",
    ))["grants"]  # fmt: skip
    assert [g["id"] for g in published] == [f"360G-fund-{grant_ids(cli)[0]}"]
    table = cli.ok("export", "table", "grants", "--format", "csv").splitlines()
    assert table[0].endswith(",withdrawn")
    assert table[2].startswith(f"{wrong},WRONG-1,") and table[2].endswith(",2020-04-01")


def test_a_file_from_before_the_summary_with_oversized_grants_still_opens_exact(
    cli: Cli, factory: sessionmaker[Session], db_path: Path
) -> None:
    from alembic.script import ScriptDirectory

    north(cli)
    insert_huge_grants(db_path)
    engine = factory.kw["bind"]
    before_summary = ScriptDirectory.from_config(db.alembic_config()).get_revision("0006")
    db.downgrade(engine, str(before_summary.down_revision))
    engine.dispose()
    # Upgrading summed every workstream's grants: it failed with "integer overflow".
    assert listed(cli)["North"]["committed"] == "100000000000000000.00"


def test_an_import_of_an_oversized_grant_is_refused_and_writes_nothing(
    cli: Cli, db_path: Path, tmp_path: Path
) -> None:
    north(cli)
    sheet = tmp_path / "grants.csv"
    sheet.write_text(
        "partner,workstream,amount,awarded\nAda,North,10,2020-03-01\n"
        "Ada,North,50000000000000000,2020-03-01\n",
        encoding="utf-8",
    )
    before = counts(db_path)
    code, _out, err = cli("import", "grants", str(sheet))
    # A bad row refuses the file whole (exit 1), naming the row and the parser's bound.
    assert code == 1 and "row 3: " in err and "too large" in err and err.count("\n") == 1
    assert counts(db_path) == before
