"""The demo portfolio: the foundation of seed 003 just before National closed."""

from datetime import date
from decimal import Decimal

from sqlmodel import Session, select

from portfolio.errors import Refused
from portfolio.models import Partner, Workstream
from portfolio.services.demo_learning import load_learning_demo
from portfolio.services.grants import add_grant
from portfolio.services.history import Stamp
from portfolio.services.partners import add_partner
from portfolio.services.partnerships import apply
from portfolio.services.people import add_person
from portfolio.services.themes import add_theme
from portfolio.services.workstreams import add_workstream

ACTOR = "demo"
MENTAL_HEALTH = "Ethnic inequality in mental health"
RACE_EQUALITY = "Race equality"

PEOPLE = (
    ("Julian", "staff lead"),
    ("Cathy", "staff lead"),
    ("Jess", "staff lead"),
    ("Carrina", "staff lead"),
    ("Alice", "staff lead"),
    ("Dominic", "staff"),
    ("Ruth", "staff"),
    ("Sam", "staff"),
    ("Priya", "staff"),
    ("Tom", "staff"),
    ("Amara", "staff"),
    ("Owen", "staff"),
    ("Hannah", "trustee"),
)

# name, purpose, lead, opened
WORKSTREAMS = (
    ("How", "How change happens: the practices and cultures of system change.", "Alice",
     date(2019, 4, 1)),
    ("Who", "Who holds power: race, identity and justice in the systems we fund.", "Carrina",
     date(2019, 4, 1)),
    ("Place", "Place-based action inquiries in our six areas, with local partners.", "Jess",
     date(2019, 4, 1)),
    ("National",
     "To create the conditions for an authorising national environment for the change "
     "Lankelly Chase wants to see.", "Julian", date(2020, 1, 6)),
)  # fmt: skip

# name, kind, place, org id, workstream, lead, started, themes, grants [(amount, awarded, years)]
PARTNERS = (
    ("MEAM", "coalition", "England", "GB-CHC-1080601", "National", "Julian",
     date(2020, 1, 20), (), (("150000.00", date(2020, 2, 1), 2),)),
    ("Agenda", "charity", "England and Wales", "GB-CHC-1154208", "National", "Cathy",
     date(2020, 1, 20), (), (("120000.00", date(2020, 2, 1), 2),)),
    ("Our Agency", "social enterprise", "Bristol", "GB-COH-10712452", "National", "Jess",
     date(2020, 2, 3), (), (("60000.00", date(2020, 3, 1), 2),)),
    ("Leeds GATE", "charity", "Leeds", "GB-CHC-1145978", "National", "Jess",
     date(2020, 2, 3), (), (("75000.00", date(2020, 3, 1), 3),)),
    ("Birmingham Pathfinder", "partnership", "Birmingham", "", "National", "Jess",
     date(2020, 2, 17), (), (("90000.00", date(2020, 3, 15), 2),)),
    ("Corra Foundation", "foundation", "Scotland", "GB-SC-SC009481", "National", "Alice",
     date(2020, 3, 2), (), (("200000.00", date(2020, 4, 1), 3),)),
    ("Localmotion", "collaboration", "England and Wales", "", "National", "Alice",
     date(2020, 3, 2), (), (("180000.00", date(2020, 4, 1), 3),)),
    ("Synergi Collaborative Centre", "collaborative", "England", "", "Who", "Julian",
     date(2019, 6, 3), (MENTAL_HEALTH,), (("250000.00", date(2019, 7, 1), 3),)),
    ("Wandsworth Community Empowerment Network", "charity", "London", "GB-CHC-1100958",
     "Who", "Cathy", date(2019, 9, 2), (MENTAL_HEALTH,), (("110000.00", date(2019, 10, 1), 3),)),
    ("Black Thrive", "community interest company", "Lambeth", "GB-COH-11111543", "Who",
     "Carrina", date(2019, 5, 7), (RACE_EQUALITY,), (("95000.00", date(2019, 6, 1), 2),
                                                     ("45000.50", date(2021, 6, 1), 1))),
    ("Funders for Race Equality Alliance", "network", "UK", "", "Who", "Carrina",
     date(2020, 6, 1), (RACE_EQUALITY,), (("30000.00", date(2020, 7, 1), 1),)),
    ("Jam and Justice", "action research", "Greater Manchester", "", "Place", "Jess",
     date(2019, 5, 1), (), (("85000.00", date(2019, 5, 15), 2),)),
    ("GoodLives GM", "programme", "Greater Manchester", "", "Place", "Priya",
     date(2019, 11, 4), (), (("140000.00", date(2019, 12, 1), 3),)),
    ("Leadership Centre", "charity", "London", "GB-CHC-1124476", "How", "Alice",
     date(2019, 4, 15), (), (("70000.00", date(2019, 5, 1), 2),)),
    ("Healthy Hyde", "community group", "Tameside", "", "Place", "Priya",
     date(2020, 9, 7), (), (("25000.00", date(2020, 10, 1), 1),)),
)  # fmt: skip

THEMES = ((RACE_EQUALITY, "Who", date(2020, 6, 1)), (MENTAL_HEALTH, "National", date(2020, 1, 6)))


def load_demo(session: Session) -> str:
    """Fill an empty database with the demo portfolio; refuse if it holds records."""
    if session.exec(select(Partner.id)).first() or session.exec(select(Workstream.id)).first():
        raise Refused(
            "This database already holds a portfolio; the demo loads only into an empty one.",
            field="database",
        )
    for name, role in PEOPLE:
        add_person(session, name=name, role=role)
    for name, purpose, lead, opened in WORKSTREAMS:
        add_workstream(session, Stamp(opened, ACTOR), name=name, purpose=purpose, lead=lead)
    for theme, home, on in THEMES:
        add_theme(session, Stamp(on, ACTOR), name=theme, home=home)
    grants = 0
    for name, kind, place, org_id, ws, lead, started, themes, awards in PARTNERS:
        add_partner(session, name=name, kind=kind, place=place, org_id=org_id)
        apply(
            session, Stamp(started, ACTOR), "start", partner=name, workstream=ws, lead=lead,
            themes=themes, reason="Partnership agreed",
        )  # fmt: skip
        for amount, awarded, years in awards:
            grants += 1
            add_grant(
                session, Stamp(awarded, ACTOR), partner=name, workstream=ws,
                amount=Decimal(amount), title=f"Core support for {name}", awarded=awarded,
                start=awarded, end=date(awarded.year + years, awarded.month, 1),
                reference=f"LC-{awarded.year}-{grants:03d}",
            )  # fmt: skip
    core = f"{len(WORKSTREAMS)} workstreams, {len(PARTNERS)} partners, {grants} grants"
    return f"{core}; {load_learning_demo(session)}"
