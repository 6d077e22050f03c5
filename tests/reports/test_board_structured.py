"""The board update reads the facts events recorded, never their wording."""

from datetime import date
from typing import Any

from report_story import PERIOD, board
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session, col, select

from portfolio import db
from portfolio.models import Event

BOARD = ("report", "board", "--from", PERIOD[0], "--to", PERIOD[1])


def test_a_lead_typed_in_lower_case_prints_as_the_person_is_named(story_cli: Any) -> None:
    story_cli.ok("person", "add", "Cathy Smith")
    story_cli.ok("partnership", "review", "Localmotion", "-w", "Place", "--lead", "cathy smith",
                 "--reason", "What next?", "--on", "2021-03-20")  # fmt: skip
    out = story_cli.ok(*BOARD)
    assert "Localmotion put under review with Cathy Smith." in out
    assert "cathy smith" not in out


def test_an_unhomed_theme_led_by_smith_comma_jones_and_another_has_two_leads(
    story_cli: Any, story_factory: sessionmaker[Session]
) -> None:
    story_cli.ok("person", "add", "Smith, Jones")
    story_cli.ok("theme", "add", "Housing", "--home", "Place", "--on", "2021-01-05")
    story_cli.ok("theme", "rehome", "Housing", "--unhomed", "--lead", "Smith, Jones",
                 "--lead", "Jess", "--on", "2021-03-01")  # fmt: skip
    update = board(story_factory, *PERIOD)
    (housing,) = [t for t in update.portfolio.unhomed if t.name == "Housing"]
    assert housing.leads == ("Smith, Jones", "Jess")


def test_an_ending_whose_event_has_no_exit_type_is_not_said_to_be_phasing_out(
    story_cli: Any, story_factory: sessionmaker[Session]
) -> None:
    story_cli.ok("partnership", "end", "Localmotion", "-w", "Place", "--by", "2021-12-31",
                 "--reason", "Winding up", "--on", "2021-03-20")  # fmt: skip
    with db.unit_of_work(story_factory) as session:
        recorded = session.exec(
            select(Event).where(Event.action == "end").order_by(col(Event.id).desc())
        ).first()
        assert recorded is not None and recorded.data["exit_type"] == "out"
        # An ending as an upgrade leaves one whose words named no exit type.
        older = recorded.model_dump(exclude={"id", "recorded_at"})
        session.add(Event(**{**older, "data": {"planned_end": "2021-12-31"},
                             "detail": "winding up by 2021-12-31"}))  # fmt: skip
    update = board(story_factory, *PERIOD)
    (ending,) = [e for s in update.sections for e in s.endings if e.partner == "Localmotion"]
    assert (ending.exit_type, ending.planned_end) == ("", date(2021, 12, 31))
    out = story_cli.ok(*BOARD)
    assert "Localmotion began ending respectfully (by 2021-12-31)." in out
    assert "| Localmotion | phasing" not in out  # its row in the endings table
