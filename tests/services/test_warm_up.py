"""The app's warm-up reads what its screens read, and changes nothing."""

from datetime import date
from pathlib import Path

from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from portfolio import db
from portfolio.services.overview import warm_up
from tests.dbstate import dump


def test_warming_up_reads_every_screen_and_writes_nothing(
    demo_factory: sessionmaker[Session], db_path: Path
) -> None:
    before = dump(db_path)
    with db.read_session(demo_factory) as session:
        warm_up(session, date(2021, 6, 1), workstream="National", partner="MEAM")
        warm_up(session, date(2021, 6, 1), workstream=None, partner=None)  # an empty portfolio's
    assert dump(db_path) == before
