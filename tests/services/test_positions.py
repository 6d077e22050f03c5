"""The read model: what is committed where, per currency, and partnerships per state.

The summary the overview reads (``current``) and the position rebuilt from history
(``as_at``) must agree after every kind of write, and both follow one rule: funding
still to run moves with a transferred partnership to its successor.
"""

import sqlite3
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from alembic.script import ScriptDirectory
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session, select

from portfolio import db
from portfolio.models import Workstream
from portfolio.services import positions
from portfolio.services.grants import add_grant
from portfolio.services.history import Stamp
from portfolio.services.overview import workstream_partnerships
from portfolio.services.partners import add_partner
from portfolio.services.people import add_person
from portfolio.services.workstreams import add_workstream
from tests import positions_story as story
from tests.conftest import Cli
from tests.words import make


def named(factory: sessionmaker[Session], by_ws: dict[int, Any]) -> dict[str, Any]:
    with db.read_session(factory) as session:
        names = dict(session.exec(select(Workstream.id, Workstream.name)).all())
    return {names[ws]: value for ws, value in by_ws.items() if value}


def both_paths(factory: sessionmaker[Session]) -> tuple[positions.Position, positions.Position]:
    with db.read_session(factory) as session:
        return positions.current(session), positions.as_at(session, date.max)


def assert_paths_agree(factory: sessionmaker[Session], after: str = "") -> None:
    summary, history = both_paths(factory)
    assert summary.committed == history.committed, after
    assert summary.counts == history.counts, after


def test_funding_still_to_run_moves_with_a_transfer_and_what_ran_out_stays(
    factory: sessionmaker[Session], cli: Cli
) -> None:
    story.build(cli.ok)
    summary, _ = both_paths(factory)
    # Ada's GBP 100 and EUR 50 and Bo's GBP 300 are in South now; Bo's GBP 1,000 ran
    # out before the move and is committed nowhere; Ed went there and came back.
    assert named(factory, summary.committed) == story.COMMITTED
    assert named(factory, summary.counts) == story.COUNTS
    assert summary.committed_in() == {"GBP": Decimal("600.00"), "EUR": Decimal("50.00"),
                                      "USD": Decimal("70.00")}  # fmt: skip
    assert summary.counts_in() == {"active": 3, "ending": 1, "ended": 1, "transferred": 4}


def test_the_summary_and_the_history_agree_after_every_write(
    factory: sessionmaker[Session], cli: Cli
) -> None:
    # Grants added, transfers (one there and back), endings and a completion.
    for step in story.STEPS:
        cli.ok(*step)
        assert_paths_agree(factory, after=" ".join(step))
    with db.read_session(factory) as session:
        today = positions.as_at(session, date.today())
        assert today.committed == positions.current(session).committed


def test_the_position_on_a_date_is_read_from_history(
    factory: sessionmaker[Session], cli: Cli
) -> None:
    story.build(cli.ok)
    with db.read_session(factory) as session:
        before = positions.as_at(session, date(2021, 2, 1))
        between = positions.as_at(session, date(2021, 4, 15), changed_since=date(2021, 4, 1))
    assert named(factory, before.committed) == {
        "North": {"GBP": Decimal("1600.00"), "EUR": Decimal("50.00"), "USD": Decimal("70.00")},
        "South": {"GBP": Decimal("400.00")},
    }
    # Di is ending on 15 April, Ed is in South; the moves of 1 March are before the
    # changes counted (since 1 April), so only current partnerships are.
    assert named(factory, between.committed) == {
        "North": {"GBP": Decimal("200.00")},
        "South": {"GBP": Decimal("800.00"), "EUR": Decimal("50.00"), "USD": Decimal("70.00")},
    }
    assert named(factory, between.counts) == {
        "North": {"ending": 1},
        "South": {"active": 3, "ending": 1},
    }


def test_a_grant_ending_on_the_transfer_day_moves_and_one_ending_the_day_before_stays(
    factory: sessionmaker[Session], cli: Cli
) -> None:
    cli.ok("workstream", "add", "North", "--on", "2020-01-01")
    cli.ok("workstream", "add", "South", "--on", "2020-01-01")
    cli.ok("partner", "add", "Ada")
    cli.ok("partnership", "start", "Ada", "-w", "North", "--on", "2020-02-01")
    for amount, end in (("10", "2021-03-01"), ("1", "2021-02-28")):
        cli.ok("grant", "add", "Ada", "-w", "North", "--amount", amount, "--end", end,
               "--awarded", "2020-03-01")  # fmt: skip
    cli.ok("partnership", "transfer", "Ada", "--from", "North", "--to", "South",
           "--reason", "moves", "--on", "2021-03-01")  # fmt: skip
    summary, history = both_paths(factory)
    assert named(factory, summary.committed) == {"South": {"GBP": Decimal("10.00")}}
    assert history.committed == summary.committed


def test_each_grant_shows_in_the_one_partnership_that_holds_it(
    factory: sessionmaker[Session], cli: Cli
) -> None:
    story.build(cli.ok)
    funding: dict[tuple[str, str, str], dict[str, Decimal]] = {}
    with db.read_session(factory) as session:
        for ws_id, name in session.exec(select(Workstream.id, Workstream.name)).all():
            assert ws_id is not None
            for line in workstream_partnerships(session, workstream_id=ws_id).lines:
                if line.funding:
                    funding[(line.partner, name, line.state)] = line.funding
    assert funding == {
        ("Ada", "South", "active"): {"GBP": Decimal("100.00"), "EUR": Decimal("50.00")},
        ("Bo", "North", "transferred"): {"GBP": Decimal("1000.00")},
        ("Bo", "South", "active"): {"GBP": Decimal("300.00")},
        ("Cy", "North", "ending"): {"GBP": Decimal("200.00")},
        ("Di", "South", "ended"): {"GBP": Decimal("400.00")},
        ("Ed", "North", "active"): {"USD": Decimal("70.00")},
    }


def test_a_decision_refused_or_dry_run_leaves_the_summary_as_it_was_and_enacting_moves_it(
    factory: sessionmaker[Session], cli: Cli
) -> None:
    cli.ok("demo")
    cli.ok("decision", "add", "Move Corra", "--decision", "move it", "--status", "agreed",
           "--on", "2021-02-10")  # fmt: skip
    cli.ok("decision", "plan", "2", "transfer", "Corra Foundation", "--from", "National",
           "--to", "Place", "--reason", "place work")  # fmt: skip
    cli.ok("decision", "plan", "2", "complete", "MEAM", "--workstream", "National",
           "--reason", "cannot: MEAM is not ending")  # fmt: skip
    before = both_paths(factory)[0]
    assert cli("decision", "enact", "2")[0] == 1  # refused: the transfer is rolled back
    assert cli("decision", "enact", "1", "--dry-run")[0] == 0
    assert both_paths(factory)[0] == before
    assert_paths_agree(factory)
    cli.ok("decision", "enact", "1")
    summary, _ = both_paths(factory)
    assert named(factory, summary.committed)["Place"] == {"GBP": Decimal("630000.00")}
    assert named(factory, summary.committed)["National"] == {"GBP": Decimal("495000.00")}
    assert_paths_agree(factory)


def test_a_write_is_seen_by_reads_in_its_own_transaction_and_gone_when_rolled_back(
    demo_factory: sessionmaker[Session],
) -> None:
    with db.read_session(demo_factory) as session:
        before = positions.current(session)
    with demo_factory() as session:
        add_grant(session, Stamp(date(2021, 3, 1), "tester"), partner="MEAM",
                  workstream="National", amount=Decimal("5"), currency="EUR")  # fmt: skip
        national = session.exec(select(Workstream.id).where(Workstream.name == "National")).one()
        assert positions.current(session).committed[national]["EUR"] == Decimal("5.00")
        session.rollback()
    with db.read_session(demo_factory) as session:
        assert positions.current(session) == before


def test_upgrading_a_populated_database_fills_the_summary(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    engine = db.make_engine(f"sqlite:///{path}")
    db.migrate(engine)  # written by today's services, then taken down to before the summary
    factory = sessionmaker(engine, class_=Session, expire_on_commit=False)
    s = Stamp(date(2020, 1, 6), "tester")
    with db.unit_of_work(factory) as session:
        add_person(session, name="Jo")
        for ws in ("National", "Place"):
            add_workstream(session, s, name=ws, lead="Jo")
        for partner, currency in (("MEAM", "GBP"), ("Localmotion", "EUR")):
            add_partner(session, name=partner)
            make(session, s, "start", partner=partner, workstream="National", lead="Jo")
            add_grant(session, s, partner=partner, workstream="National",
                      amount=Decimal("45000.50"), currency=currency)  # fmt: skip
        make(session, Stamp(date(2021, 2, 10), "tester"), "transfer", partner="Localmotion",
             from_workstream="National", to_workstream="Place", reason="place")  # fmt: skip
    before_summary = ScriptDirectory.from_config(db.alembic_config()).get_revision("0006")
    db.downgrade(engine, str(before_summary.down_revision))
    assert "committed_funding" not in rows_of(path)
    db.migrate(engine)
    assert_paths_agree(factory)
    summary, _ = both_paths(factory)
    assert named(factory, summary.committed) == {
        "National": {"GBP": Decimal("45000.50")},
        "Place": {"EUR": Decimal("45000.50")},
    }
    engine.dispose()
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("SELECT COUNT(*) FROM partnership_count").fetchone() == (3,)
    finally:
        conn.close()


def rows_of(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        conn.close()


def test_rebuild_recomputes_a_summary_written_around_the_services(
    demo_factory: sessionmaker[Session],
) -> None:
    with db.read_session(demo_factory) as session:
        before = positions.current(session)
    engine = demo_factory.kw["bind"]
    with engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM committed_funding")
    with db.unit_of_work(demo_factory) as session:
        assert positions.current(session).committed == {}
        positions.rebuild(session)
    with db.read_session(demo_factory) as session:
        assert positions.current(session) == before


def test_imported_grants_count_once_written_and_not_after_a_dry_run(
    factory: sessionmaker[Session], cli: Cli, tmp_path: Path
) -> None:
    story.build(cli.ok)
    before = both_paths(factory)[0]
    sheet = tmp_path / "grants.csv"
    # Ada is in South now: a grant added to her old North partnership is still to run,
    # so it is held (and committed) by her successor in South.
    sheet.write_text(
        "partner,workstream,amount,currency,awarded\nAda,North,25,EUR,2021-04-01\n"
        "Cy,North,5,GBP,2021-04-01\n",
        encoding="utf-8",
    )
    cli.ok("import", "grants", str(sheet), "--dry-run")
    assert both_paths(factory)[0] == before
    cli.ok("import", "grants", str(sheet))
    assert_paths_agree(factory)
    committed = named(factory, both_paths(factory)[0].committed)
    assert committed["South"]["EUR"] == Decimal("75.00")
    assert committed["North"]["GBP"] == Decimal("205.00")
