"""A database made at the core's revision keeps every row when upgraded."""

import sqlite3
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from portfolio import db
from portfolio.services.grants import add_grant
from portfolio.services.history import Stamp
from portfolio.services.partners import add_partner
from portfolio.services.people import add_person
from portfolio.services.themes import add_theme
from portfolio.services.workstreams import add_workstream
from tests.words import make


def rows_by_table(path: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(path)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: conn.execute(f'SELECT * FROM "{t}" ORDER BY rowid').fetchall() for t in names}
    finally:
        conn.close()


def test_a_populated_core_database_keeps_all_its_rows_when_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "core.db"
    engine = db.make_engine(f"sqlite:///{path}")
    db.migrate(engine)  # written by today's services, then taken down to the core's revision
    factory = sessionmaker(engine, class_=Session, expire_on_commit=False)
    s = Stamp(date(2020, 1, 6), "tester")
    with db.unit_of_work(factory) as session:
        for name in ("Julian", "Jess"):
            add_person(session, name=name)
        for ws in ("National", "Place"):
            add_workstream(session, s, name=ws, lead="Julian")
        add_theme(session, s, name="Mental health", home="National")
        for partner in ("MEAM", "Localmotion"):
            add_partner(session, name=partner)
            make(session, s, "start", partner=partner, workstream="National", lead="Jess")
            add_grant(session, s, partner=partner, workstream="National",
                      amount=Decimal("45000.50"), awarded=s.on)  # fmt: skip
        later = Stamp(date(2021, 2, 10), "tester")
        make(session, later, "end", partner="MEAM", workstream="National", by=date(2021, 12, 31),
            reason="ending")  # fmt: skip
        make(session, later, "transfer", partner="Localmotion", from_workstream="National",
                 to_workstream="Place", reason="place")  # fmt: skip
    db.downgrade(engine, "0001")
    before = rows_by_table(path)
    assert len(before["event"]) == 9 and "decision" not in before

    db.migrate(engine)
    engine.dispose()

    after = rows_by_table(path)
    for table, found in before.items():
        if table != "alembic_version":
            width = len(found[0]) if found else 0  # later migrations add columns at the end
            assert [row[:width] for row in after[table]] == found, table
    assert after["alembic_version"] == [(db.head_revision(),)]
    assert len(after["session_template"]) == 3 and len(after["framework_dimension"]) == 6
    assert len(after["framework_enabler"]) == 36
    assert list(tmp_path.glob("core.db.*.bak")), "the upgrade backs the file up first"
