"""Migration 0003: every older event gets its facts as data, read once from its text."""

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from portfolio import db
from tests.dbstate import dump

# A 0002 database as older versions wrote it: facts only in the events' text.
PEOPLE = ("Jess", "Cathy Smith", "Smith, Jones")
EVENTS: list[tuple[str, str, int | None, dict[str, Any]]] = [
    # (action, detail, to_workstream_id, the data 0003 must find in it)
    ("start", "", None, {}),
    ("review", "lead: cathy smith", None, {"lead_id": 2, "lead": "Cathy Smith"}),
    ("review", "lead: Nobody Known", None, {"lead_id": None, "lead": "Nobody Known"}),
    ("end", "phasing over by 2021-12-31", None, {"planned_end": "2021-12-31", "exit_type": "over"}),
    ("end", "wound down as agreed", None, {}),  # no invented "phasing out"
    ("tick", "told", None, {"step_id": 2, "step": "told"}),  # the second shipped step
    ("complete", "open steps: notice, tie-off", None, {"open_steps": ["notice", "tie-off"]}),
    ("complete", "", None, {"open_steps": []}),
    (
        "transfer",
        "to Place",
        2,
        {
            "from_workstream_id": 1,
            "from_workstream": "National",
            "to_workstream_id": 2,
            "to_workstream": "Place",
        },
    ),
    (
        "theme-rehome",
        "leads: Smith, Jones, Cathy Smith",
        None,
        {"leads": ["Smith, Jones", "Cathy Smith"], "lead_ids": [3, 2]},
    ),
    ("grant", "GBP 150000.00", None, {"grant_id": 7, "currency": "GBP", "amount": "150000.00"}),
]
PLAN = {
    "partner": "MEAM",
    "from_workstream": "National",
    "to_workstream": "Place",
    "lead": "Jess",
    "reason": "place work",
}


def make_0002(path: Path) -> None:
    engine = db.make_engine(f"sqlite:///{path}")
    try:
        db.migrate(engine, "0002")
    finally:
        engine.dispose()
    conn = sqlite3.connect(path)
    with conn:
        for name in PEOPLE:
            conn.execute("INSERT INTO person (name, role) VALUES (?, '')", (name,))
        for name in ("National", "Place"):
            conn.execute(
                "INSERT INTO workstream (name, purpose, status, opened_on) "
                "VALUES (?, '', 'open', '2020-01-06')",
                (name,),
            )
        conn.execute("INSERT INTO partner (name, kind, place, org_id, notes) "
                     "VALUES ('MEAM', '', '', '', '')")  # fmt: skip
        for n, (action, detail, to_ws, _) in enumerate(EVENTS, start=1):
            subject = "theme" if action.startswith("theme") else "partnership"
            conn.execute(
                "INSERT INTO event (occurred_on, recorded_at, actor, action, subject_type, "
                "subject_id, partner_id, workstream_id, to_workstream_id, reason, detail) "
                "VALUES ('2021-01-11', '2021-01-11 10:00:00', 'Julian', ?, ?, ?, 1, 1, ?, '', ?)",
                (action, subject, 7 if action == "grant" else n, to_ws, detail),
            )
        conn.execute(
            "INSERT INTO decision (title, decided_on, context, decision, rationale, options, "
            "status, created_at) VALUES ('Close National', '2021-02-10', '', 'close', '', '', "
            "'agreed', '2021-02-10 10:00:00')"
        )
        conn.execute(
            "INSERT INTO planned_change (decision_id, position, action, arguments) "
            "VALUES (1, 1, 'transfer', ?)",
            (json.dumps(PLAN, sort_keys=True),),
        )
    conn.close()


def test_0003_fills_every_event_from_its_text_and_downgrades(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    make_0002(path)
    before = dump(path)
    engine = db.make_engine(f"sqlite:///{path}")
    try:
        backup = db.migrate(engine, "0003")
        assert backup is not None and dump(backup) == before  # backed up first
        conn = sqlite3.connect(path)
        found = [json.loads(d) for (d,) in conn.execute("SELECT data FROM event ORDER BY id")]
        plan = json.loads(conn.execute("SELECT arguments FROM planned_change").fetchone()[0])
        # Everything else is as it was.
        old_events = conn.execute(
            "SELECT id, occurred_on, recorded_at, actor, action, subject_type, subject_id, "
            "partner_id, workstream_id, to_workstream_id, from_state, to_state, reason, "
            "detail, decision_id FROM event ORDER BY id"
        ).fetchall()
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute("UPDATE event SET reason = 'rewritten'")
        conn.close()
        for (action, detail, _, wanted), data in zip(EVENTS, found, strict=True):
            assert data == wanted, f"{action} '{detail}'"
        assert plan == {
            "partner_id": 1,
            "workstream_id": 1,
            "to_workstream_id": 2,
            "lead_id": 1,
            "reason": "place work",
        }
        assert old_events == before["event"]
        db.downgrade(engine, "0002")
    finally:
        engine.dispose()
    after = dump(path)
    assert {t: r for t, r in after.items() if t != "alembic_version"} == {
        t: r for t, r in before.items() if t != "alembic_version"
    }
    conn = sqlite3.connect(path)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("DELETE FROM event")
    conn.close()
