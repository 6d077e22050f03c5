"""Demo data from seed 003 beyond the core: the decision to close National
(agreed, planned, not yet enacted), the reflective sessions, the insights
under "What are we learning?", the actions under "What next?" and the
external messaging group. ``portfolio decision enact 1`` then closes National."""

from datetime import date
from typing import Any

from sqlmodel import Session

from portfolio.services.actions import add_action
from portfolio.services.decisions import add_decision
from portfolio.services.groups import add_group
from portfolio.services.history import Stamp
from portfolio.services.insights import add_insight
from portfolio.services.plans import plan_words
from portfolio.services.sessions import add_session

ACTOR = "demo"
NATIONAL = "National"
MENTAL_HEALTH = "Ethnic inequality in mental health"
DECIDED_ON = date(2021, 2, 10)
TEAM = ("Julian", "Cathy", "Jess", "Alice", "Carrina")
ENDING = (
    "A national policy partner: we are ending our funding clearly, respectfully and showing "
    "our value for the work, which we helped to establish."
)
PLACE = (
    "Leads a place approach outside our six areas; holding it in National separated it from "
    "the place partners in an unhelpful way."
)
REVIEW = (
    "Incredible place-based work outside the places we focus on: Jess is thinking through with "
    "the team how best to support it and what the boundaries of our engagement should be."
)

# (action, arguments) in the order they are enacted
PLAN: tuple[tuple[str, dict[str, Any]], ...] = (
    *(("end", {"partner": p, "workstream": NATIONAL, "by": date(2021, 12, 31), "reason": ENDING,
               "exit_type": "out"}) for p in ("MEAM", "Agenda")),
    *(("transfer", {"partner": p, "from_workstream": NATIONAL, "to_workstream": "Place",
                    "reason": PLACE}) for p in ("Corra Foundation", "Localmotion")),
    *(("review", {"partner": p, "workstream": NATIONAL, "lead": "Jess", "reason": REVIEW})
      for p in ("Our Agency", "Leeds GATE", "Birmingham Pathfinder")),
    ("theme-rehome", {"name": MENTAL_HEALTH, "unhomed": True, "leads": ["Julian", "Cathy"],
                      "reason": "Still important to us, but there is no obvious place for it "
                                "in our current inquiry set-up: it is a field and a sector."}),
    ("workstream-close", {"name": NATIONAL,
                          "reason": "'National' is not a useful container for our work."}),
)  # fmt: skip

# (text, Compass dimensions, partners concerned)
INSIGHTS = (
    ("\u201cNational\u201d is not a useful container for our work. Having a separate group, as "
     "though How, Who and Place aren't influencing national policy, is not helpful because they "
     "are, and they should.", ("Redefined Purpose", "System Leadership"), ()),
    ("We did not talk in this group about what is happening on a national level, e.g. Build "
     "Back Better. There are alliances we should be building across the whole of Lankelly "
     "Chase, not only within a workstream: a gap we need to address.",
     ("System Leadership", "Collective Accountability"), ()),
    ("Some place work has been sitting in National (Corra Foundation, Localmotion): partners "
     "leading place approaches outside our six areas. Holding them here separates them from the "
     "place partners in an unhelpful way.", ("Mission-based Teams", "Community Capability"),
     ("Corra Foundation", "Localmotion")),
    ("We want to focus our energies on transformation, not improvement: working with people "
     "fully engaged in questioning, revealing, dismantling, healing and rebuilding systems so "
     "they promote justice, liberation and healing.", ("Redefined Purpose",), ()),
    ("The team is nearly all long-standing senior staff, which suggests only senior leaders can "
     "work with national partners or think about policy. A sense of shared history and loyalty "
     "with long-term partners is valuable and may also limit our decisions.",
     ("Shared Power", "System Leadership"), ()),
    ("National became the \u201cother\u201d portfolio team, where work that does not fit neatly "
     "elsewhere ends up. It is important to keep a space for messiness, and every portfolio "
     "team should feel it can have messy spaces.", ("System Leadership", "Redefined Purpose"),
     ()),
)  # fmt: skip


def load_learning_demo(session: Session) -> str:
    """Add the seed-003 decision, sessions, insights, actions and group; return a summary."""
    learned = add_session(
        session, title="National team: what have we learned in 2020?", on=date(2021, 1, 20),
        attendees=TEAM,
        dilemma="Lockdowns stopped new partnerships with governments and policy organisations, "
        "and race as a system of oppression is now everyone's work. What next for National?",
    )  # fmt: skip
    assert learned.id is not None
    for text, tags, partners in INSIGHTS:
        add_insight(
            session, text=text, session_id=learned.id, prompt="noticed", workstreams=[NATIONAL],
            partners=partners, visibility="board", tags=tags,
        )  # fmt: skip
    held = add_session(
        session, title="Where should ethnic inequality in mental health be held?",
        on=date(2021, 2, 3), attendees=(*TEAM, "Dominic", "Ruth", "Priya"),
        follows=learned.id,
        dilemma="Ethnic inequality in mental health is still important to us (Synergi, "
        "Wandsworth Community Empowerment Network and others), but there is no obvious place "
        "for it in our inquiry set-up. It is a field and a sector: how do we relate to it?",
        notes="Julian and Cathy brought the dilemma to the whole team.",
    )  # fmt: skip
    assert held.id is not None
    add_insight(
        session, session_id=held.id, prompt="noticed", themes=[MENTAL_HEALTH],
        text="We relate to ethnic inequality in mental health as a field and a sector, not as "
        "one workstream's inquiry.", tags=["Redefined Purpose"],
    )  # fmt: skip
    decision = add_decision(
        session, Stamp(DECIDED_ON, ACTOR), title="Close the National portfolio team",
        decision="Close the National portfolio team, closing some of the ongoing work and "
        "moving the work that remains.",
        context="Set up in January 2020 to create the conditions for an authorising national "
        "environment; its work plan was deeply affected by lockdowns, and race as a system of "
        "oppression is now part of everyone's work.",
        rationale="\u201cNational\u201d is not a useful container: How, Who and Place influence "
        "national policy too, and place work held in National is cut off from Place.",
        options="Keep National with a narrower remit; close it and move all its work; close "
        "it, end some partnerships respectfully and move the rest.",
        by=TEAM, workstreams=[NATIONAL], themes=[MENTAL_HEALTH], status="agreed",
        partners=[str(args["partner"]) for action, args in PLAN if "partner" in args],
    )  # fmt: skip
    assert decision.id is not None
    for action, args in PLAN:
        plan_words(session, decision_id=decision.id, action=action, words=args)
    actions = (
        ("Think through with the team how best to support Our Agency, Leeds GATE and "
         "Birmingham Pathfinder, how it ties into other work, and the boundaries of our "
         "engagement.", "Jess", date(2021, 6, 30), decision.id, None),
        ("Keep meeting over 2021 to hold the endings with MEAM and Agenda well.", "Julian",
         date(2021, 12, 31), decision.id, None),
        ("Ask whether partners and trustees should join the messaging group's rotating "
         "membership.", "Alice", date(2021, 4, 30), decision.id, None),
        ("Bring next steps on ethnic inequality in mental health back to the National team "
         "as it winds down (with Cathy).", "Julian", date(2021, 3, 31), None, held.id),
        ("Build the alliances on what is politically possible now (e.g. Build Back Better) "
         "across the whole of Lankelly Chase.", "Carrina", date(2021, 6, 30), None, learned.id),
    )  # fmt: skip
    for text, owner, due, from_decision, from_session in actions:  # dated by where they come from
        add_action(
            session, text=text, owner=owner, actor=ACTOR, due=due, decision_id=from_decision,
            session_id=from_session,
        )  # fmt: skip
    add_group(
        session, name="External messaging group", every="2 months",
        first_meeting=date(2021, 3, 3), members=("Julian", "Carrina", "Alice"),
        rotating=("Dominic", "Ruth", "Sam", "Priya", "Tom", "Amara", "Owen", "Jess", "Cathy"),
        purpose="Look across the whole portfolio and the insights emerging: so what do we think "
        "now? If we bumped into a minister, what would we say?",
    )  # fmt: skip
    return (
        f"1 decision with {len(PLAN)} planned changes (not yet enacted), 2 reflective sessions, "
        f"{len(INSIGHTS) + 1} insights, {len(actions)} actions, 1 group"
    )
