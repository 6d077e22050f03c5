"""Random sequences of lifecycle actions keep the portfolio's invariants.

Each example runs on its own copy of a freshly migrated SQLite file. Targets are
drawn mostly among the partnerships that exist, so most actions meet a state
they might apply to; dates go forward with occasional steps back.
"""

import shutil
import sqlite3
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from portfolio import db
from portfolio.errors import PortfolioError
from portfolio.services.history import Stamp
from portfolio.services.lifecycle import CURRENT, STATES
from portfolio.services.partners import add_partner
from portfolio.services.partnerships import actions, apply
from portfolio.services.people import add_person
from portfolio.services.workstreams import add_workstream
from tests.words import close_workstream

PARTNERS = ("Agenda", "MEAM", "Leeds GATE")
WORKSTREAMS = ("National", "Place", "Who")
CLOSABLE = "Who"  # the one workstream that may get closed
DAY_ZERO = date(2020, 1, 6)
IN = ", ".join(f"'{s}'" for s in CURRENT)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated database with a lead, three open workstreams and three partners."""
    path = tmp_path_factory.mktemp("template") / "portfolio.db"
    factory = db.open_database(f"sqlite:///{path}")
    with db.unit_of_work(factory) as session:
        add_person(session, name="Jess")
        for name in WORKSTREAMS:
            add_workstream(session, Stamp(DAY_ZERO, "setup"), name=name)
        for name in PARTNERS:
            add_partner(session, name=name)
    db.reset_engine(factory)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # so a plain copy holds everything
    conn.close()
    return path


def rows(path: Path, sql: str) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def draw_step(data: st.DataObject, path: Path, on: date) -> tuple[str, dict[str, Any]]:
    """An action and its arguments; reasons are always given (tested row by row elsewhere)."""
    action = data.draw(st.sampled_from((*[a.name for a in actions()], "close")), label="action")
    if action == "close":
        return action, {}
    existing = rows(
        path,
        "SELECT pa.name, w.name FROM partnership p JOIN partner pa ON pa.id = p.partner_id "
        f"JOIN workstream w ON w.id = p.workstream_id WHERE p.state IN ({IN})",
    )
    if existing and action != "start" and data.draw(st.integers(0, 3), label="aim") > 0:
        partner, ws = data.draw(st.sampled_from(existing), label="target")
    else:
        partner = data.draw(st.sampled_from(PARTNERS), label="partner")
        ws = data.draw(st.sampled_from(WORKSTREAMS), label="workstream")
    args: dict[str, Any] = {"partner": partner, "workstream": ws, "reason": "as agreed"}
    if action == "start":
        del args["reason"]
    elif action == "review":
        args["lead"] = "Jess"
    elif action == "end":
        args["by"] = on + timedelta(days=data.draw(st.integers(-5, 200), label="notice"))
        args["exit_type"] = data.draw(st.sampled_from(("down", "out", "over")), label="exit")
    elif action == "tick":
        del args["reason"]
        args["step"] = data.draw(st.sampled_from(("decision", "told", "notice")), label="step")
    elif action == "transfer":
        del args["workstream"]
        args["from_workstream"] = ws
        args["to_workstream"] = data.draw(
            st.sampled_from([w for w in WORKSTREAMS if w != ws]), label="to"
        )
    return action, args


def check_invariants(path: Path) -> None:
    doubled = rows(
        path,
        f"SELECT partner_id, workstream_id FROM partnership WHERE state IN ({IN}) "
        "GROUP BY partner_id, workstream_id HAVING count(*) > 1",
    )
    assert doubled == [], "more than one current partnership for a partner in a workstream"
    orphans = rows(
        path,
        "SELECT p.id FROM partnership p WHERE p.state = 'transferred' AND (SELECT count(*) "
        "FROM partnership q WHERE q.predecessor_id = p.id AND q.workstream_id != p.workstream_id"
        ") != 1",
    )
    assert orphans == [], "a transferred partnership without exactly one successor elsewhere"
    successors = rows(
        path,
        "SELECT q.state, q.started_on = p.changed_on FROM partnership q "
        "JOIN partnership p ON p.id = q.predecessor_id",
    )
    assert all(state in STATES and same_day for state, same_day in successors)
    undecided = rows(
        path,
        "SELECT p.id FROM partnership p JOIN workstream w ON w.id = p.workstream_id "
        "WHERE w.status = 'closed' AND p.state = 'active'",
    )
    assert undecided == [], "a plain active partnership in a closed workstream"


def run_and_check(factory: Any, path: Path, action: str, args: dict[str, Any], on: date) -> None:
    """One action: exactly one new event if it succeeds, none if refused; old ones intact."""
    events_before = rows(path, "SELECT * FROM event ORDER BY id")
    try:
        with db.unit_of_work(factory) as session:
            if action == "close":
                close_workstream(session, Stamp(on, "tester"), name=CLOSABLE)
            else:
                apply(session, Stamp(on, "tester"), action, **args)
    except PortfolioError as exc:
        succeeded = False
        event(f"{action} refused: {type(exc).__name__}")
    else:
        succeeded = True
        event(f"{action} done")
    events_after = rows(path, "SELECT * FROM event ORDER BY id")
    assert len(events_after) == len(events_before) + int(succeeded)
    assert events_after[: len(events_before)] == events_before
    check_invariants(path)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_random_action_sequences_keep_the_invariants(template: Path, data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "portfolio.db"
        shutil.copyfile(template, path)
        factory = db.open_database(f"sqlite:///{path}")
        try:
            on = DAY_ZERO
            for _ in range(data.draw(st.integers(5, 25), label="length")):
                on += timedelta(days=data.draw(st.integers(-10, 40), label="days later"))
                action, args = draw_step(data, path, on)
                run_and_check(factory, path, action, args, on)
        finally:
            db.reset_engine(factory)
