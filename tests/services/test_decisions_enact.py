"""Enacting a decision: the whole plan at once, or nothing."""

import re
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session, select

from portfolio import db
from portfolio.errors import InvalidInput, NotFound, Refused
from portfolio.models import Event, Partner, Partnership, Person, Theme, ThemeLead, Workstream
from portfolio.services import decisions, enactment, plans
from portfolio.services.history import Stamp
from portfolio.services.workstreams import add_workstream
from tests.words import close_workstream

Factory = sessionmaker[Session]
ON = Stamp(date(2021, 2, 15), "tester")
DEMO_DECISION = 1
MENTAL_HEALTH = "Ethnic inequality in mental health"


def dump(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, to prove a refusal changed nothing."""
    conn = sqlite3.connect(path)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: conn.execute(f'SELECT * FROM "{t}" ORDER BY rowid').fetchall() for t in names}
    finally:
        conn.close()


def enact(factory: Factory, decision_id: int = DEMO_DECISION, **kw: Any) -> Any:
    with db.unit_of_work(factory) as session:
        return enactment.enact(session, ON, decision_id=decision_id, **kw)


def plan(factory: Factory, decision_id: int, action: str, **arguments: Any) -> None:
    with db.unit_of_work(factory) as session:
        plans.plan_words(session, decision_id=decision_id, action=action, words=arguments)


def new_decision(factory: Factory, status: str = "agreed") -> int:
    with db.unit_of_work(factory) as session:
        d = decisions.add_decision(
            session, Stamp(date(2021, 2, 10), "tester"), title="Tidy up", decision="tidy",
            status=status,
        )  # fmt: skip
        assert d.id is not None
        return d.id


def states(session: Session, workstream: str) -> dict[str, str]:
    found = session.exec(
        select(Partner.name, Partnership.state)
        .join(Partnership, Partnership.partner_id == Partner.id)  # type: ignore[arg-type]
        .join(Workstream, Workstream.id == Partnership.workstream_id)  # type: ignore[arg-type]
        .where(Workstream.name == workstream)
    ).all()
    return dict(found)


@pytest.fixture
def after_change() -> Iterator[None]:
    yield
    enactment.after_change = None


def test_enacting_the_demo_decision_reaches_the_core_scenario_end_state(
    demo_factory: Factory,
) -> None:
    result = enact(demo_factory)
    assert result.applied and not result.problems
    with db.read_session(demo_factory) as session:
        national = session.exec(select(Workstream).where(Workstream.name == "National")).one()
        assert national.status == "closed"
        assert states(session, "National") == {
            "MEAM": "ending", "Agenda": "ending", "Corra Foundation": "transferred",
            "Localmotion": "transferred", "Our Agency": "review", "Leeds GATE": "review",
            "Birmingham Pathfinder": "review",
        }  # fmt: skip
        place = session.exec(select(Workstream).where(Workstream.name == "Place")).one()
        for name in ("Corra Foundation", "Localmotion"):
            moved = session.exec(
                select(Partnership)
                .join(Partner, Partner.id == Partnership.partner_id)  # type: ignore[arg-type]
                .where(Partner.name == name, Partnership.workstream_id == place.id)
            ).one()
            assert moved.state == "active"
            before = session.get(Partnership, moved.predecessor_id)
            assert before is not None and before.workstream_id == national.id
        jess = session.exec(select(Person).where(Person.name == "Jess")).one()
        reviews = session.exec(select(Partnership).where(Partnership.state == "review")).all()
        assert {p.lead_id for p in reviews} == {jess.id}
        theme = session.exec(select(Theme).where(Theme.name == MENTAL_HEALTH)).one()
        assert theme.workstream_id is None
        leads = session.exec(
            select(Person.name)
            .join(ThemeLead, ThemeLead.person_id == Person.id)  # type: ignore[arg-type]
            .where(ThemeLead.theme_id == theme.id)
        ).all()
        assert sorted(leads) == ["Cathy", "Julian"]
        assert decisions.show_decision(session, DEMO_DECISION)["status"] == "enacted"


def test_every_event_the_enactment_writes_names_the_decision(demo_factory: Factory) -> None:
    with db.read_session(demo_factory) as session:
        last = max(session.exec(select(Event.id)).all())
    enact(demo_factory)
    with db.read_session(demo_factory) as session:
        written = session.exec(select(Event).where(Event.id > last)).all()  # type: ignore[operator]
    assert len(written) == 10  # nine changes and the decision's own status change
    assert {e.decision_id for e in written} == {DEMO_DECISION}
    assert written[-1].subject_type == "decision" and written[-1].to_state == "enacted"
    assert {e.occurred_on for e in written[:-1]} == {date(2021, 2, 10)}  # the changes' own date
    assert written[-1].occurred_on == ON.on  # enact --on dates the enactment


def test_a_dry_run_reports_what_would_happen_and_writes_nothing(
    demo_factory: Factory, db_path: Path
) -> None:
    before = dump(db_path)
    result = enact(demo_factory, dry_run=True)
    assert dump(db_path) == before
    assert not result.problems and not result.applied
    assert result.outcomes[0].effects == [
        "MEAM in National: active -> ending respectfully (phasing out by 2021-12-31)"
    ]
    assert result.outcomes[-1].effects == ["workstream National: open -> closed"]


def test_a_plan_whose_third_change_is_invalid_changes_nothing_and_names_it(
    demo_factory: Factory, db_path: Path
) -> None:
    with db.unit_of_work(demo_factory) as session:
        add_workstream(session, Stamp(date(2020, 1, 1), "tester"), name="Old")
        close_workstream(session, Stamp(date(2020, 6, 1), "tester"), name="Old")
    d = new_decision(demo_factory)
    plan(demo_factory, d, "end", partner="MEAM", workstream="National", by=date(2021, 12, 31),
         reason="ending")  # fmt: skip
    plan(demo_factory, d, "review", partner="Agenda", workstream="National", lead="Jess",
         reason="think")  # fmt: skip
    plan(demo_factory, d, "transfer", partner="Corra Foundation", from_workstream="National",
         to_workstream="Old", reason="move")  # fmt: skip
    before = dump(db_path)
    with pytest.raises(Refused) as refused:
        enact(demo_factory, d)
    assert dump(db_path) == before
    assert len(refused.value.problems) == 1
    assert "change 3 (transfer Corra Foundation from National to Old)" in str(refused.value)
    assert "Old: it closed on 2020-06-01" in str(refused.value)


def test_a_plan_with_several_problems_reports_every_one(
    demo_factory: Factory, db_path: Path
) -> None:
    d = new_decision(demo_factory)
    plan(demo_factory, d, "complete", partner="MEAM", workstream="National")  # not ending
    plan(demo_factory, d, "end", partner="Agenda", workstream="National", by=date(2021, 12, 31),
         reason="ending")  # fmt: skip
    plan(demo_factory, d, "end", partner="Agenda", workstream="National", by=date(2021, 12, 31),
         reason="again")  # fmt: skip
    plan(demo_factory, d, "workstream-close", name="National")
    before = dump(db_path)
    with pytest.raises(Refused) as refused:
        enact(demo_factory, d)
    assert dump(db_path) == before
    problems = refused.value.problems
    assert [re.search(r"change (\d+) \(", p).group(1) for p in problems] == ["1", "3", "4"]  # type: ignore[union-attr]
    assert "MEAM in National" in problems[0]
    assert "Agenda in National" in problems[1]  # the earlier change already ended it
    assert (
        "workstream National" in problems[2] and "Corra Foundation is still active" in (problems[2])
    )


def test_a_dry_run_with_problems_lists_them_without_raising(demo_factory: Factory) -> None:
    d = new_decision(demo_factory)
    plan(demo_factory, d, "workstream-close", name="National")
    result = enact(demo_factory, d, dry_run=True)
    assert len(result.problems) == 1 and "MEAM is still active in National" in result.problems[0]


@pytest.mark.parametrize("fault_after", range(1, 9))
def test_a_fault_between_any_two_changes_leaves_nothing_applied(
    demo_factory: Factory, db_path: Path, after_change: None, fault_after: int
) -> None:
    def fault(n: int) -> None:
        if n == fault_after:
            raise RuntimeError("power cut")

    enactment.after_change = fault
    before = dump(db_path)
    with pytest.raises(RuntimeError):
        enact(demo_factory)
    assert dump(db_path) == before


def test_an_enacted_decision_cannot_be_enacted_again_or_replanned(demo_factory: Factory) -> None:
    enact(demo_factory)
    with pytest.raises(Refused, match="was enacted on 2021-02-15"):
        enact(demo_factory)
    with pytest.raises(Refused, match="Cannot change the plan: decision 1 was enacted"):
        plan(demo_factory, DEMO_DECISION, "workstream-close", name="How")
    with db.unit_of_work(demo_factory) as session, pytest.raises(Refused):
        plans.unplan(session, decision_id=DEMO_DECISION, position=1)


def test_a_superseded_decision_says_by_what_and_its_effects_stand(
    demo_factory: Factory,
) -> None:
    enact(demo_factory)
    later = new_decision(demo_factory, status="proposed")
    with db.unit_of_work(demo_factory) as session:
        decisions.supersede(session, ON, decision_id=DEMO_DECISION, with_id=later)
    with db.read_session(demo_factory) as session:
        shown = decisions.show_decision(session, DEMO_DECISION)
        assert shown["superseded_by"] == {"id": later, "title": "Tidy up", "status": "proposed"}
        assert decisions.status_line(shown) == f"superseded by decision {later} 'Tidy up'"
        assert decisions.show_decision(session, later)["supersedes"][0]["id"] == DEMO_DECISION
        assert states(session, "National")["MEAM"] == "ending"
    with pytest.raises(Refused, match=f"superseded by decision {later} 'Tidy up'"):
        plan(demo_factory, DEMO_DECISION, "workstream-close", name="How")
    with db.unit_of_work(demo_factory) as session, pytest.raises(Refused, match="superseded by"):
        decisions.agree(session, ON, decision_id=DEMO_DECISION)


def test_only_a_later_decision_can_supersede_an_earlier_one(demo_factory: Factory) -> None:
    with db.unit_of_work(demo_factory) as session:
        older = decisions.add_decision(
            session, Stamp(date(2020, 6, 1), "tester"), title="Old plan", decision="old"
        ).id
    assert older is not None
    with db.unit_of_work(demo_factory) as session, pytest.raises(Refused, match="only a later"):
        decisions.supersede(session, ON, decision_id=DEMO_DECISION, with_id=older)
    with db.read_session(demo_factory) as session:
        assert decisions.show_decision(session, DEMO_DECISION)["status"] == "agreed"


def test_agree_is_refused_unless_the_decision_is_proposed(demo_factory: Factory) -> None:
    d = new_decision(demo_factory, status="proposed")
    with pytest.raises(Refused, match="still proposed"):
        enact(demo_factory, d)
    with db.unit_of_work(demo_factory) as session:
        assert decisions.agree(session, ON, decision_id=d).status == "agreed"
    with db.unit_of_work(demo_factory) as session, pytest.raises(Refused, match="already agreed"):
        decisions.agree(session, ON, decision_id=d)


def test_names_in_a_planned_change_are_checked_when_planned(demo_factory: Factory) -> None:
    d = new_decision(demo_factory)
    with pytest.raises(NotFound, match="Did you mean: MEAM"):
        plan(demo_factory, d, "end", partner="MEAMM", workstream="National",
             by=date(2021, 12, 31), reason="x")  # fmt: skip
    with pytest.raises(InvalidInput, match="needs a reason"):
        plan(demo_factory, d, "transfer", partner="MEAM", from_workstream="National",
             to_workstream="Place")  # fmt: skip
    plan(demo_factory, d, "review", partner="meam", workstream="national", lead="jess", reason="r")
    with db.read_session(demo_factory) as session:
        shown = decisions.show_decision(session, d)
    assert shown["changes"][0]["description"] == "review MEAM in National with Jess"


def test_unplan_removes_a_change_and_the_rest_move_up(demo_factory: Factory) -> None:
    d = new_decision(demo_factory)
    for partner in ("MEAM", "Agenda", "Our Agency"):
        plan(demo_factory, d, "review", partner=partner, workstream="National", lead="Jess",
             reason="r")  # fmt: skip
    with db.unit_of_work(demo_factory) as session:
        assert plans.unplan(session, decision_id=d, position=2) == (
            "review Agenda in National with Jess"
        )
        with pytest.raises(Refused, match="has no planned change 3"):
            plans.unplan(session, decision_id=d, position=3)
    with db.read_session(demo_factory) as session:
        changes = decisions.show_decision(session, d)["changes"]
    assert [(c["n"], c["arguments"]["partner"]) for c in changes] == [
        (1, "MEAM"), (2, "Our Agency"),
    ]  # fmt: skip


def test_a_change_takes_effect_on_its_own_date(demo_factory: Factory) -> None:
    d = new_decision(demo_factory)
    with db.unit_of_work(demo_factory) as session:
        plans.plan_words(
            session, decision_id=d, action="review", on=date(2021, 3, 1),
            words={"partner": "MEAM", "workstream": "National", "lead": "Jess", "reason": "r"},
        )  # fmt: skip
    enact(demo_factory, d)
    with db.read_session(demo_factory) as session:
        review = session.exec(select(Event).where(Event.action == "review")).one()
    assert review.occurred_on == date(2021, 3, 1) and review.decision_id == d
