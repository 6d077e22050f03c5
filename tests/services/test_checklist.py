"""Removing a checklist step: gone from the list, kept by endings already begun."""

import pytest
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session, select

from portfolio import db
from portfolio.errors import Duplicate, NotFound
from portfolio.models import ChecklistStep
from portfolio.services import checklist, lookup
from tests.conftest import stamp


def test_a_removed_step_is_not_listed_found_or_reused_but_its_row_stays(
    factory: sessionmaker[Session],
) -> None:
    with db.unit_of_work(factory) as session:
        checklist.remove_step(session, name="learning", stamp=stamp())
    with db.read_session(factory) as session:
        assert "learning" not in [s["name"] for s in checklist.list_steps(session)]
        assert "learning" not in [s.name for s in checklist.present_steps(session)]
        with pytest.raises(NotFound, match="No checklist step named 'learning'"):
            lookup.checklist_step(session, "learning")
        with pytest.raises(Duplicate, match="was removed on .*give the new step another name"):
            checklist.add_step(session, name="Learning", text="Learning held again")
        kept = session.exec(select(ChecklistStep).where(ChecklistStep.name == "learning")).one()
        assert kept.removed_at is not None and kept.removed_at >= kept.recorded_at
