"""Every (state, action) pair of the lifecycle table, driven through the services.

The pairs come from ``lifecycle.TRANSITIONS`` and ``lifecycle.STATES`` themselves,
so a change to the table is tested without touching this file.
"""

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session, col, select

from portfolio import db
from portfolio.errors import InvalidInput, NotFound, PortfolioError, Refused
from portfolio.models import Event, Partnership
from portfolio.services import lookup
from portfolio.services.history import Stamp
from portfolio.services.lifecycle import (
    ACTIVE,
    ENDED,
    ENDING,
    NONE,
    REVIEW,
    STATES,
    TRANSFERRED,
)
from portfolio.services.partners import add_partner, partner_detail
from portfolio.services.partnerships import actions, apply
from portfolio.services.people import add_person
from portfolio.services.themes import add_theme
from portfolio.services.workstreams import add_workstream
from tests.dbstate import count, dump
from tests.words import close_workstream, rehome_theme

Factory = sessionmaker[Session]
BY_ACTION = {a.name: a for a in actions()}  # every declared action, with its rule
TRANSITIONS = tuple(BY_ACTION.values())
PARTNER = "Leeds GATE"
HOME, OTHER, THIRD = "National", "Place", "Who"
OPENED = date(2020, 1, 6)
ACTION_DAY = date(2021, 6, 1)  # after every set-up step below


def on(day: str, actor: str = "tester") -> Stamp:
    return Stamp(on=date.fromisoformat(day), actor=actor)


def write(factory: Factory, action: Callable[[Session], Any]) -> Any:
    with db.unit_of_work(factory) as session:
        return action(session)


@pytest.fixture
def portfolio(factory: Factory) -> Factory:
    """Three open workstreams, a lead and one partner with no partnership yet."""

    def build(session: Session) -> None:
        add_person(session, name="Jess", role="staff lead")
        for name in (HOME, OTHER, THIRD):
            add_workstream(session, Stamp(OPENED, "tester"), name=name)
        add_partner(session, name=PARTNER)

    write(factory, build)
    return factory


# How to bring the partner's partnership in HOME into each state, one action a step.
SET_UP: dict[str, list[tuple[str, str, dict[str, Any]]]] = {
    NONE: [],
    ACTIVE: [("start", "2021-01-04", {"workstream": HOME})],
    REVIEW: [
        ("start", "2021-01-04", {"workstream": HOME}),
        ("review", "2021-02-01", {"workstream": HOME, "lead": "Jess", "reason": "what next?"}),
    ],
    ENDING: [
        ("start", "2021-01-04", {"workstream": HOME}),
        ("end", "2021-02-01", {"workstream": HOME, "by": date(2021, 12, 31), "reason": "closing"}),
    ],
    ENDED: [
        ("start", "2021-01-04", {"workstream": HOME}),
        ("end", "2021-02-01", {"workstream": HOME, "by": date(2021, 3, 31), "reason": "closing"}),
        ("complete", "2021-03-31", {"workstream": HOME, "reason": "ended by agreement"}),
    ],
    TRANSFERRED: [
        ("start", "2021-01-04", {"workstream": HOME}),
        (
            "transfer",
            "2021-02-01",
            {"from_workstream": HOME, "to_workstream": OTHER, "reason": "place work"},
        ),
    ],
}

# Valid arguments for each action on the partnership in HOME, so that only the
# state can make it refused.
ARGUMENTS: dict[str, dict[str, Any]] = {
    "start": {"workstream": HOME, "lead": "Jess"},
    "review": {"workstream": HOME, "lead": "Jess", "reason": "is this still ours?"},
    "resume": {"workstream": HOME, "reason": "we carry on"},
    "end": {"workstream": HOME, "by": date(2021, 12, 31), "reason": "team closing"},
    "tick": {"workstream": HOME, "step": "told"},
    "untick": {"workstream": HOME, "step": "notice", "reason": "not done after all"},
    "complete": {"workstream": HOME, "reason": "steps done elsewhere"},
    "transfer": {"from_workstream": HOME, "to_workstream": THIRD, "reason": "better home"},
}

# What an action needs done first, where the state allows it: a step to untick.
BEFORE: dict[str, tuple[str, dict[str, Any]]] = {
    "untick": ("tick", {"workstream": HOME, "step": "notice"}),
}

ALL_STATES = (NONE, *STATES)
PAIRS = [(state, t.name) for state in ALL_STATES for t in TRANSITIONS]


def drive(factory: Factory, state: str) -> None:
    for action, day, arguments in SET_UP[state]:
        write(
            factory,
            lambda s, a=action, d=day, k=arguments: apply(s, on(d), a, partner=PARTNER, **k),
        )


def latest_in(factory: Factory, workstream: str) -> Partnership | None:
    with db.read_session(factory) as session:
        ws = lookup.workstream(session, workstream)
        return session.exec(
            select(Partnership)
            .where(Partnership.workstream_id == ws.id)
            .order_by(col(Partnership.id).desc())
        ).first()


def assert_refused(
    factory: Factory,
    db_path: Path,
    error: type[PortfolioError],
    action: Callable[[Session], Any],
) -> PortfolioError:
    """The action raises ``error`` and every table keeps exactly its rows."""
    before = dump(db_path)
    with pytest.raises(error) as caught:
        write(factory, action)
    assert dump(db_path) == before
    return caught.value


def test_the_pairs_cover_every_state_and_action() -> None:
    assert set(SET_UP) == set(ALL_STATES)
    assert set(ARGUMENTS) == set(BY_ACTION)
    assert len(PAIRS) == 6 * 8


@pytest.mark.parametrize(("state", "action"), PAIRS)
def test_each_state_and_action_follows_the_table(
    portfolio: Factory, db_path: Path, state: str, action: str
) -> None:
    drive(portfolio, state)
    current = latest_in(portfolio, HOME)
    assert (current.state if current else NONE) == state
    rule = BY_ACTION[action]
    if action in BEFORE and state in BY_ACTION[BEFORE[action][0]].from_states:
        first, arguments = BEFORE[action]
        write(portfolio, lambda s: apply(s, on("2021-05-01"), first, partner=PARTNER, **arguments))

    def act(session: Session) -> Partnership:
        return apply(
            session, Stamp(ACTION_DAY, "tester"), action, partner=PARTNER, **ARGUMENTS[action]
        )

    if state in rule.from_states:
        events_before = count(db_path, "event")
        write(portfolio, act)
        after = latest_in(portfolio, HOME)
        assert after is not None and after.state == rule.to_state
        assert count(db_path, "event") == events_before + 1
        with db.read_session(portfolio) as session:
            last = session.exec(select(Event).order_by(col(Event.id).desc())).first()
        assert last is not None
        assert (last.action, last.from_state, last.to_state) == (
            action,
            None if state in (NONE, ENDED, TRANSFERRED) else state,
            rule.to_state,
        )
        assert last.occurred_on == ACTION_DAY
    else:
        message = str(assert_refused(portfolio, db_path, Refused, act))
        assert PARTNER in message and action in message


# --- what each row of the table requires -------------------------------------------


def test_review_needs_a_reason_and_a_lead_who_exists(portfolio: Factory, db_path: Path) -> None:
    drive(portfolio, ACTIVE)
    base = {"partner": PARTNER, "workstream": HOME}
    stamp = on("2021-03-01")
    assert_refused(
        portfolio,
        db_path,
        InvalidInput,
        lambda s: apply(s, stamp, "review", lead="Jess", reason=" ", **base),
    )
    assert_refused(
        portfolio,
        db_path,
        InvalidInput,
        lambda s: apply(s, stamp, "review", lead="", reason="why", **base),
    )
    err = assert_refused(
        portfolio,
        db_path,
        NotFound,
        lambda s: apply(s, stamp, "review", lead="Jes", reason="why", **base),
    )
    assert "Jess" in str(err)
    ps = write(portfolio, lambda s: apply(s, stamp, "review", lead="Jess", reason="why", **base))
    assert ps.state == REVIEW


def test_ending_needs_a_planned_date_not_before_it_begins(
    portfolio: Factory, db_path: Path
) -> None:
    drive(portfolio, ACTIVE)
    base = {"partner": PARTNER, "workstream": HOME}
    stamp = on("2021-03-01")
    err = assert_refused(
        portfolio,
        db_path,
        Refused,
        lambda s: apply(s, stamp, "end", by=date(2021, 2, 28), reason="closing", **base),
    )
    assert "2021-02-28" in str(err) and "2021-03-01" in str(err)
    assert_refused(
        portfolio,
        db_path,
        InvalidInput,
        lambda s: apply(s, stamp, "end", by=date(2021, 9, 1), reason="", **base),
    )
    err = assert_refused(
        portfolio,
        db_path,
        InvalidInput,
        lambda s: apply(s, stamp, "end", by=date(2021, 9, 1), reason="x", exit_type="away", **base),
    )
    assert "down, out or over" in str(err)
    # The same day is allowed: an ending may be planned to finish the day it begins.
    ps = write(portfolio, lambda s: apply(s, stamp, "end", by=stamp.on, reason="closing", **base))
    assert (ps.state, ps.planned_end, ps.exit_type) == (ENDING, stamp.on, "out")


@pytest.mark.parametrize("exit_type", ["down", "out", "over"])
def test_every_exit_type_is_kept_on_the_ending(portfolio: Factory, exit_type: str) -> None:
    drive(portfolio, ACTIVE)
    ps = write(
        portfolio,
        lambda s: apply(
            s,
            on("2021-03-01"),
            "end",
            partner=PARTNER,
            workstream=HOME,
            by=date(2021, 9, 1),
            reason="closing",
            exit_type=exit_type,
        ),
    )
    assert ps.exit_type == exit_type


def test_a_step_can_be_ticked_only_once_and_must_exist(portfolio: Factory, db_path: Path) -> None:
    drive(portfolio, ENDING)
    base = {"partner": PARTNER, "workstream": HOME}
    write(portfolio, lambda s: apply(s, on("2021-03-01"), "tick", step="told", **base))
    err = assert_refused(
        portfolio,
        db_path,
        Refused,
        lambda s: apply(s, on("2021-03-02"), "tick", step="told", **base),
    )
    assert "already ticked" in str(err) and "2021-03-01" in str(err)
    err = assert_refused(
        portfolio,
        db_path,
        NotFound,
        lambda s: apply(s, on("2021-03-02"), "tick", step="notise", **base),
    )
    assert "notice" in str(err)


def test_completing_with_open_steps_needs_a_reason_which_is_recorded(
    portfolio: Factory, db_path: Path
) -> None:
    drive(portfolio, ENDING)
    base = {"partner": PARTNER, "workstream": HOME}
    write(portfolio, lambda s: apply(s, on("2021-03-01"), "tick", step="told", **base))
    err = assert_refused(
        portfolio, db_path, Refused, lambda s: apply(s, on("2021-04-01"), "complete", **base)
    )
    assert "notice" in str(err) and "told," not in str(err) and err.field == "reason"
    write(
        portfolio,
        lambda s: apply(s, on("2021-04-01"), "complete", reason="partner wound up", **base),
    )
    with db.read_session(portfolio) as session:
        last = session.exec(select(Event).order_by(col(Event.id).desc())).first()
    assert last is not None and last.action == "complete"
    assert last.reason == "partner wound up"
    assert "notice" in last.detail and "told" not in last.detail


def test_completing_with_every_step_ticked_needs_no_reason(portfolio: Factory) -> None:
    drive(portfolio, ENDING)
    base = {"partner": PARTNER, "workstream": HOME}
    with db.read_session(portfolio) as session:
        from portfolio.services.checklist import list_steps

        steps = [s["name"] for s in list_steps(session)]
    for step in steps:
        write(portfolio, lambda s, step=step: apply(s, on("2021-03-01"), "tick", step=step, **base))
    ps = write(portfolio, lambda s: apply(s, on("2021-04-01"), "complete", **base))
    assert ps.state == ENDED


def test_transfer_starts_an_active_partnership_in_another_open_workstream(
    portfolio: Factory,
) -> None:
    drive(portfolio, REVIEW)
    successor = write(
        portfolio,
        lambda s: apply(
            s,
            on("2021-03-01"),
            "transfer",
            partner=PARTNER,
            from_workstream=HOME,
            to_workstream=OTHER,
            reason="place work belongs with Place",
        ),
    )
    old = latest_in(portfolio, HOME)
    assert old is not None and old.state == TRANSFERRED
    assert successor.state == ACTIVE and successor.predecessor_id == old.id
    assert successor.started_on == date(2021, 3, 1)
    assert successor.lead_id == old.lead_id  # the review's lead carries over
    with db.read_session(portfolio) as session:
        detail = partner_detail(session, PARTNER)
    timeline = [(e.action, e.workstream) for e in detail.timeline]
    assert timeline == [("start", HOME), ("review", HOME), ("transfer", HOME)]
    assert [e.on for e in detail.timeline] == sorted(e.on for e in detail.timeline)
    assert [(p.workstream, p.state) for p in detail.partnerships] == [
        (HOME, TRANSFERRED),
        (OTHER, ACTIVE),
    ]
    # The timeline goes on in the new workstream.
    write(
        portfolio,
        lambda s: apply(
            s,
            on("2021-05-01"),
            "review",
            partner=PARTNER,
            workstream=OTHER,
            lead="Jess",
            reason="settling in",
        ),
    )
    with db.read_session(portfolio) as session:
        detail = partner_detail(session, PARTNER)
    assert [(e.action, e.workstream) for e in detail.timeline][-1] == ("review", OTHER)


def test_transfer_is_refused_to_the_same_a_closed_or_an_occupied_workstream(
    portfolio: Factory, db_path: Path
) -> None:
    drive(portfolio, ACTIVE)

    def transfer(to: str) -> Callable[[Session], Any]:
        return lambda s: apply(
            s,
            on("2021-03-01"),
            "transfer",
            partner=PARTNER,
            from_workstream=HOME,
            to_workstream=to,
            reason="moving",
        )

    assert "already its workstream" in str(
        assert_refused(portfolio, db_path, Refused, transfer(HOME))
    )
    assert_refused(
        portfolio,
        db_path,
        InvalidInput,
        lambda s: apply(
            s,
            on("2021-03-01"),
            "transfer",
            partner=PARTNER,
            from_workstream=HOME,
            to_workstream=OTHER,
            reason="",
        ),
    )
    write(portfolio, lambda s: close_workstream(s, on("2021-02-01"), name=THIRD))
    assert "closed" in str(assert_refused(portfolio, db_path, Refused, transfer(THIRD)))
    write(
        portfolio, lambda s: apply(s, on("2021-02-01"), "start", partner=PARTNER, workstream=OTHER)
    )
    err = assert_refused(portfolio, db_path, Refused, transfer(OTHER))
    assert "already has a current partnership" in str(err)
    err = assert_refused(portfolio, db_path, NotFound, transfer("Plaice"))
    assert "Place" in str(err)


# --- back-dating ---------------------------------------------------------------


@pytest.mark.parametrize("state", [ACTIVE, REVIEW, ENDING])
def test_an_action_dated_before_the_last_change_is_refused(
    portfolio: Factory, db_path: Path, state: str
) -> None:
    drive(portfolio, state)
    last_change = SET_UP[state][-1][1]
    for t in TRANSITIONS:
        if state not in t.from_states:
            continue
        err = assert_refused(
            portfolio,
            db_path,
            Refused,
            lambda s, a=t.name: apply(s, on("2021-01-03"), a, partner=PARTNER, **ARGUMENTS[a]),
        )
        assert last_change in str(err) and err.field == "on"  # the CLI says --on, the app its field


def test_an_action_dated_on_the_day_of_the_last_change_is_allowed(portfolio: Factory) -> None:
    drive(portfolio, REVIEW)
    ps = write(
        portfolio,
        lambda s: apply(
            s, on("2021-02-01"), "resume", partner=PARTNER, workstream=HOME, reason="same day"
        ),
    )
    assert ps.state == ACTIVE


def test_start_and_transfer_before_the_workstream_opened_are_refused(
    factory: Factory, db_path: Path
) -> None:
    def build(session: Session) -> None:
        add_workstream(session, on("2019-04-01"), name=HOME)
        add_workstream(session, on("2021-04-01"), name=OTHER)
        add_partner(session, name=PARTNER)

    write(factory, build)
    err = assert_refused(
        factory,
        db_path,
        Refused,
        lambda s: apply(s, on("2021-03-01"), "start", partner=PARTNER, workstream=OTHER),
    )
    assert "2021-04-01" in str(err) and err.field == "on"
    write(factory, lambda s: apply(s, on("2021-03-01"), "start", partner=PARTNER, workstream=HOME))
    err = assert_refused(
        factory,
        db_path,
        Refused,
        lambda s: apply(
            s,
            on("2021-03-15"),
            "transfer",
            partner=PARTNER,
            from_workstream=HOME,
            to_workstream=OTHER,
            reason="moving",
        ),
    )
    assert "opened on 2021-04-01" in str(err)


def test_a_new_start_cannot_be_dated_before_the_previous_partnership_changed(
    portfolio: Factory, db_path: Path
) -> None:
    drive(portfolio, ENDED)  # completed on 2021-03-31
    err = assert_refused(
        portfolio,
        db_path,
        Refused,
        lambda s: apply(s, on("2021-03-01"), "start", partner=PARTNER, workstream=HOME),
    )
    assert "2021-03-31" in str(err)
    ps = write(
        portfolio, lambda s: apply(s, on("2021-03-31"), "start", partner=PARTNER, workstream=HOME)
    )
    assert ps.state == ACTIVE


# --- resuming an ending -----------------------------------------------------------


def test_resuming_an_ending_clears_its_plan_and_keeps_the_ticks_in_history(
    portfolio: Factory,
) -> None:
    drive(portfolio, ENDING)
    base = {"partner": PARTNER, "workstream": HOME}
    write(portfolio, lambda s: apply(s, on("2021-03-01"), "tick", step="told", **base))
    ps = write(
        portfolio, lambda s: apply(s, on("2021-04-01"), "resume", reason="new money", **base)
    )
    assert (ps.state, ps.planned_end, ps.exit_type) == (ACTIVE, None, None)
    with db.read_session(portfolio) as session:
        detail = partner_detail(session, PARTNER)
    assert [e.action for e in detail.timeline] == ["start", "end", "tick", "resume"]
    assert detail.checklists == {}
    # A later ending starts with a fresh checklist.
    write(
        portfolio,
        lambda s: apply(
            s, on("2021-05-01"), "end", by=date(2021, 9, 1), reason="after all", **base
        ),
    )
    with db.read_session(portfolio) as session:
        detail = partner_detail(session, PARTNER)
    (steps,) = detail.checklists.values()
    assert not any(step["done"] for step in steps)


# --- closing a workstream ---------------------------------------------------------


def test_closing_lists_every_blocker_and_changes_nothing(portfolio: Factory, db_path: Path) -> None:
    def build(session: Session) -> None:
        add_partner(session, name="MEAM")
        add_theme(session, on("2020-02-01"), name="Mental health", home=HOME)
        apply(session, on("2021-01-04"), "start", partner=PARTNER, workstream=HOME)
        apply(session, on("2021-01-04"), "start", partner="MEAM", workstream=HOME)

    write(portfolio, build)
    err = assert_refused(
        portfolio, db_path, Refused, lambda s: close_workstream(s, on("2021-03-01"), name=HOME)
    )
    message = str(err)
    assert "\n" not in message
    parts = message.split("; ")
    assert len(parts) == 3
    assert "Leeds GATE is still active" in parts[0] or "Leeds GATE is still active" in message
    assert "MEAM is still active" in message
    assert "theme 'Mental health'" in message


def test_a_workstream_closes_with_endings_and_reviews_still_running(
    portfolio: Factory, db_path: Path
) -> None:
    def build(session: Session) -> None:
        add_partner(session, name="MEAM")
        add_theme(session, on("2020-02-01"), name="Mental health", home=HOME)
        apply(session, on("2021-01-04"), "start", partner=PARTNER, workstream=HOME)
        apply(session, on("2021-01-04"), "start", partner="MEAM", workstream=HOME)
        apply(
            session,
            on("2021-02-01"),
            "review",
            partner=PARTNER,
            workstream=HOME,
            lead="Jess",
            reason="what next?",
        )
        apply(
            session,
            on("2021-02-01"),
            "end",
            partner="MEAM",
            workstream=HOME,
            by=date(2021, 12, 31),
            reason="closing",
        )

    write(portfolio, build)
    write(portfolio, lambda s: add_partner(s, name="Agenda"))
    err = assert_refused(
        portfolio, db_path, Refused, lambda s: close_workstream(s, on("2021-03-01"), name=HOME)
    )
    assert "theme 'Mental health'" in str(err) and "still active" not in str(err)
    write(
        portfolio,
        lambda s: rehome_theme(
            s, on("2021-02-15"), name="Mental health", unhomed=True, leads=["Jess"]
        ),
    )
    ws = write(
        portfolio, lambda s: close_workstream(s, on("2021-03-01"), name=HOME, reason="team closing")
    )
    assert (ws.status, ws.closed_on) == ("closed", date(2021, 3, 1))
    assert "already closed" in str(
        assert_refused(
            portfolio, db_path, Refused, lambda s: close_workstream(s, on("2021-04-01"), name=HOME)
        )
    )
    # Nothing new starts in a closed workstream; its ending goes on.
    assert "closed" in str(
        assert_refused(
            portfolio,
            db_path,
            Refused,
            lambda s: apply(s, on("2021-04-01"), "start", partner="Agenda", workstream=HOME),
        )
    )
    ps = write(
        portfolio,
        lambda s: apply(
            s, on("2021-04-01"), "complete", partner="MEAM", workstream=HOME, reason="wound down"
        ),
    )
    assert ps.state == ENDED


def test_a_review_in_a_closed_workstream_cannot_resume_there(
    portfolio: Factory, db_path: Path
) -> None:
    drive(portfolio, REVIEW)
    write(portfolio, lambda s: close_workstream(s, on("2021-03-01"), name=HOME))
    err = assert_refused(
        portfolio,
        db_path,
        Refused,
        lambda s: apply(
            s, on("2021-04-01"), "resume", partner=PARTNER, workstream=HOME, reason="keep it"
        ),
    )
    assert "closed on 2021-03-01" in str(err) and "transfer" in str(err)
    successor = write(
        portfolio,
        lambda s: apply(
            s,
            on("2021-04-01"),
            "transfer",
            partner=PARTNER,
            from_workstream=HOME,
            to_workstream=OTHER,
            reason="tied into place work",
        ),
    )
    assert successor.state == ACTIVE
