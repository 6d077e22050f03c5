"""structured history: every event's facts as data

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 07:40:00

Events gain a JSON ``data`` column holding their facts (ids, and names as
recorded). Existing events are filled once, here, from the text that was all
older versions wrote (``lead: ...``, ``phasing out by ...``, ``leads: a, b``):
wording that does not parse leaves the fact out rather than inventing one.
Planned changes store ids instead of names from now on.
"""
import json
import re
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Copied here (not imported) so this migration never changes.
EXIT_WORDS = {"phasing down": "down", "phasing out": "out", "phasing over": "over"}
PLANNED = re.compile(r"^(?P<exit>phasing (?:down|out|over)) by (?P<by>\d{4}-\d{2}-\d{2})$")
MONEY = re.compile(r"^(?P<cur>[A-Z]{3}) (?P<amount>\d+\.\d{2})$")
TRIGGER = (
    "CREATE TRIGGER event_append_only_update BEFORE UPDATE ON event "
    "BEGIN SELECT RAISE(ABORT, 'history is append-only: events cannot be "
    "changed or deleted'); END"
)
# Planned-change arguments by name (before) and by id (after), per action:
# (name argument, id field, table). Lists are marked with a trailing "[]".
_PW = [("partner", "partner_id", "partner"), ("workstream", "workstream_id", "workstream")]
PLAN_FIELDS: dict[str, list[tuple[str, str, str]]] = {
    "start": [*_PW, ("lead", "lead_id", "person"), ("themes[]", "theme_ids", "theme")],
    "review": [*_PW, ("lead", "lead_id", "person")],
    "resume": _PW,
    "end": _PW,
    "tick": [*_PW, ("step", "step_id", "checklist_step")],
    "complete": _PW,
    "transfer": [
        ("partner", "partner_id", "partner"),
        ("from_workstream", "workstream_id", "workstream"),
        ("to_workstream", "to_workstream_id", "workstream"),
        ("lead", "lead_id", "person"),
    ],
    "theme-rehome": [
        ("name", "theme_id", "theme"),
        ("to", "to_workstream_id", "workstream"),
        ("leads[]", "lead_ids", "person"),
    ],
    "workstream-close": [("name", "workstream_id", "workstream")],
}


def _names(bind: Any, table: str) -> dict[str, int]:
    return {n: i for i, n in bind.execute(sa.text(f'SELECT id, name FROM "{table}"'))}


def _find(names: dict[str, int], name: str) -> tuple[int | None, str]:
    """A name as typed, matched exactly, else in any letter case; the recorded spelling."""
    if name in names:
        return names[name], name
    folded = [n for n in names if n.casefold() == name.casefold()]
    if len(folded) == 1:
        return names[folded[0]], folded[0]
    return None, name


def _split_names(text: str, names: dict[str, int]) -> list[str]:
    """``a, b`` split into people, keeping a known name that itself has a comma whole."""
    parts = [p for p in text.split(", ")]
    out: list[str] = []
    i = 0
    while i < len(parts):
        for j in range(len(parts), i, -1):  # the longest known name first
            candidate = ", ".join(parts[i:j])
            if _find(names, candidate)[0] is not None or j == i + 1:
                out.append(candidate)
                i = j
                break
    return out


def _person(people: dict[str, int], name: str) -> dict[str, Any]:
    pid, spelt = _find(people, name)
    return {"id": pid, "name": spelt}


def _data_for(row: Any, ctx: dict[str, dict[str, int]]) -> dict[str, Any]:
    action, detail, subject_id = row.action, row.detail or "", row.subject_id
    people, steps, ws_names = ctx["person"], ctx["checklist_step"], ctx["ws_by_id"]
    if action == "review" and detail.startswith("lead: "):
        lead = _person(people, detail[len("lead: "):])
        return {"lead_id": lead["id"], "lead": lead["name"]}
    if action == "end":
        found = PLANNED.match(detail)
        if found:
            return {"planned_end": found["by"], "exit_type": EXIT_WORDS[found["exit"]]}
        return {}
    if action == "tick" and detail:
        sid, spelt = _find(steps, detail)
        return {"step_id": sid, "step": spelt}
    if action == "complete":
        if detail.startswith("open steps: "):
            return {"open_steps": _split_names(detail[len("open steps: "):], steps)}
        return {"open_steps": []}
    if action == "transfer" and row.to_workstream_id is not None:
        return {
            "from_workstream_id": row.workstream_id,
            "from_workstream": ws_names.get(row.workstream_id),
            "to_workstream_id": row.to_workstream_id,
            "to_workstream": ws_names.get(row.to_workstream_id),
        }
    if action in ("theme-add", "theme-rehome"):
        leads = (
            [_person(people, n) for n in _split_names(detail[len("leads: "):], people)]
            if detail.startswith("leads: ")
            else []
        )
        return {"leads": [p["name"] for p in leads], "lead_ids": [p["id"] for p in leads]}
    if action == "grant":
        found = MONEY.match(detail)
        out: dict[str, Any] = {"grant_id": subject_id}
        if found:
            out.update(currency=found["cur"], amount=found["amount"])
        return out
    if action in ("checklist-add", "checklist-remove") and detail:
        return {"step_id": subject_id, "step": detail}
    return {}


def upgrade() -> None:
    bind = op.get_bind()
    op.add_column(
        "event", sa.Column("data", sa.JSON(), server_default=sa.text("'{}'"), nullable=False)
    )
    ctx = {t: _names(bind, t) for t in ("person", "checklist_step", "workstream")}
    ctx["ws_by_id"] = {i: n for n, i in ctx["workstream"].items()}
    sqlite = bind.dialect.name == "sqlite"
    if sqlite:
        op.execute("DROP TRIGGER IF EXISTS event_append_only_update")
    found = bind.execute(
        sa.text(
            "SELECT id, action, detail, subject_id, workstream_id, to_workstream_id FROM event"
        )
    ).fetchall()
    updates = [
        {"id": row.id, "data": json.dumps(data, sort_keys=True)}
        for row in found
        if (data := _data_for(row, ctx))
    ]
    if updates:
        bind.execute(sa.text("UPDATE event SET data = :data WHERE id = :id"), updates)
    if sqlite:
        op.execute(TRIGGER)
    _plans_to(bind, to_ids=True)


def downgrade() -> None:
    bind = op.get_bind()
    _plans_to(bind, to_ids=False)
    sqlite = bind.dialect.name == "sqlite"
    if sqlite:
        op.execute("DROP TRIGGER IF EXISTS event_append_only_update")
        op.execute("DROP TRIGGER IF EXISTS event_append_only_delete")
    # SQLite drops a plain column in place (3.35+), so the table keeps its triggers.
    op.execute("ALTER TABLE event DROP COLUMN data")
    if sqlite:
        op.execute(TRIGGER)
        op.execute(TRIGGER.replace("update", "delete").replace("UPDATE", "DELETE"))


def _plans_to(bind: Any, to_ids: bool) -> None:
    tables = {t: _names(bind, t) for t in ("partner", "workstream", "person", "checklist_step",
                                           "theme")}  # fmt: skip
    by_id = {t: {i: n for n, i in names.items()} for t, names in tables.items()}
    for change_id, action, arguments in bind.execute(
        sa.text("SELECT id, action, arguments FROM planned_change")
    ).fetchall():
        args = json.loads(arguments)
        for word, field, table in PLAN_FIELDS.get(action, []):
            many = word.endswith("[]")
            word = word.removesuffix("[]")
            if to_ids and word in args:
                value = args.pop(word)
                found = [_find(tables[table], n)[0] for n in value] if many else None
                args[field] = found if many else _find(tables[table], value)[0]
            elif not to_ids and field in args:
                value = args.pop(field)
                args[word] = [by_id[table].get(i) for i in value] if many else by_id[table].get(
                    value
                )
        bind.execute(
            sa.text("UPDATE planned_change SET arguments = :a WHERE id = :id"),
            {"a": json.dumps(args, sort_keys=True), "id": change_id},
        )
