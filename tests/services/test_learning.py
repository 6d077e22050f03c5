"""Reflective sessions, insights, actions and standing groups."""

from datetime import date

import pytest
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from portfolio import db
from portfolio.errors import Duplicate, InvalidInput, NotFound, Refused
from portfolio.services import actions, groups, insights, sessions
from portfolio.services.history import Stamp
from portfolio.services.people import add_person

Factory = sessionmaker[Session]
POOL = ("Dominic", "Ruth", "Sam", "Priya", "Tom", "Amara", "Owen", "Jess", "Cathy")


def on(text: str) -> Stamp:
    return Stamp(date.fromisoformat(text), "tester")


@pytest.mark.parametrize("start", ["2021-03-01", "2021-08-15", "2024-02-29", "2030-12-31"])
def test_every_pool_member_of_nine_joins_within_twelve_months_of_two_monthly_meetings(
    demo_factory: Factory, start: str
) -> None:
    with db.read_session(demo_factory) as session:
        plan = groups.schedule(
            session, name="External messaging group", start=date.fromisoformat(start), months=12
        )
    assert len(plan["pool"]) == 9 and set(plan["pool"]) == set(POOL)
    assert len(plan["meetings"]) == 6
    joined = {name for m in plan["meetings"] for name in m["rotating"]}
    assert joined == set(POOL)
    assert all(m["members"] == ["Julian", "Carrina", "Alice"] for m in plan["meetings"])


def test_a_weekly_group_rotates_everyone_within_a_year(factory: Factory) -> None:
    with db.unit_of_work(factory) as session:
        names = [f"P{i}" for i in range(40)]
        for name in names:
            add_person(session, name=name)
        groups.add_group(session, name="Stand-up", every="3 weeks",
                         first_meeting=date(2021, 1, 4), rotating=names)  # fmt: skip
        plan = groups.schedule(session, name="stand-up", start=date(2021, 5, 5))
    assert {n for m in plan["meetings"] for n in m["rotating"]} == set(names)


@pytest.mark.parametrize("text", ["two months", "0 weeks", "3 years", ""])
def test_a_cadence_that_cannot_be_read_is_refused(text: str) -> None:
    with pytest.raises(InvalidInput, match="not a cadence"):
        groups.parse_cadence(text)


def test_insights_are_listed_by_visibility_and_internal_ones_are_marked(
    demo_factory: Factory,
) -> None:
    with db.unit_of_work(demo_factory) as session:
        insights.add_insight(session, text="Public lesson", visibility="public")
        insights.add_insight(session, text="Between us")
    with db.read_session(demo_factory) as session:
        board = insights.list_insights(session, visibility="board")
        internal = insights.list_insights(session, visibility="internal")
        public = insights.list_insights(session, visibility="public")
        everything = insights.list_insights(session)
    assert len(board) == 6 and all(i["workstreams"] == ["National"] for i in board)
    assert [i["text"] for i in public] == ["Public lesson"]
    assert "Between us" in [i["text"] for i in internal]
    assert all(i["internal"] for i in internal) and not any(i["internal"] for i in board + public)
    assert len(everything) == len(board) + len(internal) + len(public)


def test_insights_filter_by_the_partner_and_theme_they_concern(demo_factory: Factory) -> None:
    with db.unit_of_work(demo_factory) as session:
        insights.add_insight(
            session, text="Corra leads with the community", partners=["Corra Foundation"],
            themes=["Ethnic inequality in mental health"],
        )  # fmt: skip
    with db.read_session(demo_factory) as session:
        corra = insights.list_insights(session, partner="Corra Foundation")
        corra_in_theme = insights.list_insights(
            session, partner="Corra Foundation", theme="Ethnic inequality in mental health"
        )
        local = insights.list_insights(session, partner="Localmotion", workstream="National")
        choices = sessions.learning_choices(session)
        with pytest.raises(NotFound, match="Did you mean: Localmotion"):
            insights.list_insights(session, partner="Localmotoin")
    assert len(corra) == 2 and all("Corra Foundation" in i["partners"] for i in corra)
    assert [i["text"] for i in corra_in_theme] == ["Corra leads with the community"]
    assert [i["partners"] for i in local] == [["Corra Foundation", "Localmotion"]]
    assert choices.partners == ["Corra Foundation", "Localmotion"]
    assert "reflective-practice" in choices.templates and "Shared Power" in choices.tags


def test_an_insight_takes_its_sessions_date_and_a_prompt_of_its_template(
    factory: Factory,
) -> None:
    with db.unit_of_work(factory) as session:
        held = sessions.add_session(session, title="Co-production", on=date(2019, 7, 1),
                                    template_name="continue-start-stop")  # fmt: skip
        assert held.id is not None
        made = insights.add_insight(
            session, text="Make co-production a mandatory requirement", session_id=held.id,
            prompt="start", tags=["community capability"],
        )  # fmt: skip
        assert made.noted_on == date(2019, 7, 1) and made.visibility == "internal"
        with pytest.raises(NotFound, match="prompt in the 'continue-start-stop' template"):
            insights.add_insight(session, text="x", session_id=held.id, prompt="noticed")
        with pytest.raises(NotFound, match="Did you mean: Shared Power"):
            insights.add_insight(session, text="x", tags=["Shared Powr"])
        with pytest.raises(InvalidInput, match="visibility"):
            insights.add_insight(session, text="x", visibility="secret")
        tagged = insights.list_insights(session, tag="Community Capability")
    assert [i["prompt"] for i in tagged] == ["start"]


def test_a_following_session_opens_with_earlier_insights_and_actions_still_open(
    factory: Factory,
) -> None:
    with db.unit_of_work(factory) as session:
        add_person(session, name="Maddy")
        first = sessions.add_session(session, title="Network, October", on=date(2016, 10, 28))
        assert first.id is not None
        insights.add_insight(session, text="Real change happens on the ground",
                             session_id=first.id)  # fmt: skip
        kept = actions.add_action(session, actor="tester", text="Collate findings",
                                  owner="Maddy", session_id=first.id)  # fmt: skip
        done_late = actions.add_action(session, actor="tester", text="Invite speakers",
                                       owner="Maddy", session_id=first.id)  # fmt: skip
        done_early = actions.add_action(session, actor="tester", text="Book room",
                                        owner="Maddy", session_id=first.id)  # fmt: skip
        assert done_late.id and done_early.id and kept.id
        actions.mark_done(session, on("2016-12-01"), action_id=done_early.id)
        actions.mark_done(session, on("2017-02-01"), action_id=done_late.id)
        nxt = sessions.add_session(session, title="Network, January", on=date(2017, 1, 20),
                                   follows=first.id)  # fmt: skip
        assert nxt.id is not None
        shown = sessions.show_session(session, nxt.id)
        with pytest.raises(Refused, match="can only follow an earlier one"):
            sessions.add_session(session, title="Before", on=date(2016, 1, 1), follows=nxt.id)
    carried = shown["carried_forward"]
    assert carried["from"]["id"] == first.id
    assert [i["text"] for i in carried["insights"]] == ["Real change happens on the ground"]
    assert [a["text"] for a in carried["actions"]] == ["Collate findings", "Invite speakers"]


def test_templates_are_data_a_user_can_add_to(factory: Factory) -> None:
    with db.unit_of_work(factory) as session:
        sessions.add_template(
            session,
            name="calls-to-action",
            prompts=[("ask", "What one thing do we need to ask for?")],
        )
        with pytest.raises(Duplicate):
            sessions.add_template(session, name="calls-to-action", prompts=[("a", "b")])
        names = [t["name"] for t in sessions.list_templates(session)]
        held = sessions.add_session(session, title="Coalitions", on=date(2019, 7, 1),
                                    template_name="calls-to-action")  # fmt: skip
        assert held.id is not None
        shown = sessions.show_session(session, held.id)
    assert names == ["calls-to-action", "continue-start-stop", "minister", "reflective-practice"]
    assert [p["name"] for p in shown["prompts"]] == ["ask"]


def test_overdue_actions_are_open_ones_past_their_due_date(demo_factory: Factory) -> None:
    with db.unit_of_work(demo_factory) as session:
        actions.mark_done(session, on("2021-03-20"), action_id=4)
        with pytest.raises(Refused, match="already done"):
            actions.drop(session, on("2021-03-21"), action_id=4)
        overdue = actions.list_actions(session, overdue_on=date(2021, 7, 1))
        julian = actions.list_actions(session, owner="Julian")
    assert [a["owner"] for a in overdue] == ["Alice", "Jess", "Carrina"]
    assert all(a["overdue"] for a in overdue)
    assert [a["status"] for a in julian] == ["done", "open"]
