"""A workstream's partnerships page by page, whichever way the database reads them."""

from pathlib import Path

import pytest
from sqlmodel import col, select

from bench.generate import generate
from portfolio import db
from portfolio.models import Partner, Partnership
from portfolio.services.overview import workstream_partnerships


@pytest.mark.parametrize("state,search", [(None, ""), ("active", ""), (None, "partner 00")])
def test_pages_follow_partner_names_and_together_hold_every_match(
    tmp_path: Path, state: str | None, search: str
) -> None:
    path = tmp_path / "g.db"
    generate(path, partners=1_000, partnerships=3_000, grants=600, events=6_000)
    factory = db.open_database(f"sqlite:///{path}")
    with db.read_session(factory) as session:
        query = (
            select(Partnership.id, Partner.name, Partnership.started_on)
            .join(Partner, col(Partner.id) == Partnership.partner_id)
            .where(Partnership.workstream_id == 3)
        )
        if state:
            query = query.where(Partnership.state == state)
        every = [(n, on, i) for i, n, on in session.exec(query) if search in n.lower()]
        expected = [i for _, _, i in sorted(every)]
        # Small pages: the first are read walking partners by name, the last by sorting.
        pages = [
            workstream_partnerships(
                session, workstream_id=3, state=state, search=search, offset=o, limit=5
            )
            for o in range(0, len(expected) + 5, 5)
        ]
    db.reset_engine(factory)
    assert len(expected) > 30
    assert {p.total for p in pages} == {len(expected)}
    assert [line.id for p in pages for line in p.lines] == expected
