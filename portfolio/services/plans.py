"""A decision's planned changes: checked by name when planned, described, listed.

Each change is a lifecycle action on a partnership (the arguments of
``partnership ACTION``), ``theme-rehome`` or ``workstream-close``. States are
checked only when the decision is enacted (see ``services.enactment``).
"""

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from portfolio.errors import Refused
from portfolio.models import Decision, PlannedChange
from portfolio.services import themes, workstreams  # noqa: F401  (declare their changes)
from portfolio.services.changes import REFERENCES, Change, Names, from_words, named, params
from portfolio.services.history import EventRow, Stamp, record
from portfolio.services.lifecycle import label
from portfolio.services.links import by_id


def settled_reason(session: Session, d: Decision) -> str | None:
    """Why a decision can no longer change, if it cannot: enacted, or superseded by what."""
    if d.status == "enacted":
        return f"decision {d.id} was enacted on {d.enacted_on}"
    if d.status == "superseded":
        later = session.get(Decision, d.superseded_by_id) if d.superseded_by_id else None
        by = f"decision {later.id} '{later.title}'" if later else "a later decision"
        return f"decision {d.id} was superseded by {by}"
    return None


def editable(session: Session, decision_id: int) -> Decision:
    d = by_id(session, Decision, decision_id, "decision")
    why = settled_reason(session, d)
    if why:
        raise Refused(f"Cannot change the plan: {why}; record a new decision instead.")
    return d


def check_references(session: Session, change: Change) -> None:
    """Every record a change names still exists (ids come from the edge, which checked them)."""
    for attr, p in params(change):
        value = getattr(change, attr)
        if p.kind in REFERENCES and value not in (None, ()):
            model, noun = REFERENCES[p.kind]
            for record_id in value if isinstance(value, tuple) else (value,):
                by_id(session, model, record_id, noun)


def plan_change(
    session: Session,
    *,
    decision_id: int,
    change: Change,
    on: date | None = None,
    stamp: Stamp | None = None,
) -> PlannedChange:
    """Add a change to the end of a decision's plan; what it names is checked now,
    states when the decision is enacted."""
    editable(session, decision_id)
    change.check()
    check_references(session, change)
    count = len(_changes(session, decision_id))
    planned = PlannedChange(
        decision_id=decision_id, position=count + 1, action=change.name,
        arguments=json.dumps(change.arguments(), sort_keys=True), effective_on=on,
    )  # fmt: skip
    session.add(planned)
    session.flush()
    if stamp is not None:
        what = change.describe(Names(session))
        _record_plan(session, stamp, decision_id, "plan", f"{planned.position}. {what}",
                     {"position": planned.position, "action": change.name,
                      "arguments": change.arguments()})  # fmt: skip
    return planned


def plan_words(
    session: Session,
    *,
    decision_id: int,
    action: str,
    words: dict[str, Any],
    on: date | None = None,
    stamp: Stamp | None = None,
) -> PlannedChange:
    """Plan a change given in a person's words (names): the edge for scripts and the demo."""
    change = from_words(session, named(action), words)
    return plan_change(session, decision_id=decision_id, change=change, on=on, stamp=stamp)


def _record_plan(
    session: Session, stamp: Stamp, decision_id: int, what: str, detail: str,
    data: dict[str, Any],
) -> None:  # fmt: skip
    record(session, Stamp(stamp.on, stamp.actor, decision_id), action=f"decision-{what}",
           subject_type="decision", subject_id=decision_id, detail=detail,
           data=data)  # fmt: skip


def unplan(session: Session, *, decision_id: int, position: int, stamp: Stamp | None = None) -> str:
    """Remove change N; later changes move up one. Returns what was removed."""
    editable(session, decision_id)
    changes = _changes(session, decision_id)
    if not 1 <= position <= len(changes):
        raise Refused(
            f"Decision {decision_id} has no planned change {position} "
            f"(it has {len(changes)}); see `portfolio decision show {decision_id}`."
        )
    removed = changes[position - 1]
    what = describe(Names(session), removed.action, json.loads(removed.arguments))
    session.delete(removed)
    session.flush()
    for n, change in enumerate(changes[position:], start=position):
        change.position = n
        session.add(change)
    session.flush()
    if stamp is not None:
        _record_plan(session, stamp, decision_id, "unplan", f"{position}. {what}",
                     {"position": position, "action": removed.action,
                      "arguments": json.loads(removed.arguments)})  # fmt: skip
    return what


def _changes(session: Session, decision_id: int) -> list[PlannedChange]:
    return list(
        session.exec(
            select(PlannedChange)
            .where(PlannedChange.decision_id == decision_id)
            .order_by(col(PlannedChange.position))
        ).all()
    )


def describe(names: Names, action: str, arguments: dict[str, Any]) -> str:
    """A planned change in words, naming its partner, workstream or theme."""
    return named(action).from_arguments(arguments).describe(names)


@dataclass(frozen=True, slots=True)
class ChangeRow:
    n: int
    action: str
    arguments: dict[str, Any]
    on: date  # its own date, else the decision's
    description: str
    change: Change

    def as_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "action": self.action,
            "arguments": self.arguments,
            "on": self.on.isoformat(),
            "description": self.description,
        }


def planned_changes(session: Session, d: Decision) -> list[ChangeRow]:
    """The plan in a person's words: each change's arguments by name (as `decision show
    --json` has always printed them) and its description."""
    assert d.id is not None
    names = Names(session)
    out = []
    for c in _changes(session, d.id):
        change = named(c.action).from_arguments(json.loads(c.arguments))
        out.append(
            ChangeRow(c.position, c.action, names.words(change), c.effective_on or d.decided_on,
                      change.describe(names), change)
        )  # fmt: skip
    return out


def run_change(session: Session, stamp: Stamp, change: Change) -> None:
    """Apply one planned change through the same services the CLI uses."""
    change.run(session, stamp)


def outcome_text(ev: EventRow) -> str:
    """One resulting event in words: what moved from which state to which."""
    detail = f" ({ev.detail})" if ev.detail else ""
    if ev.subject_type == "theme":
        return f"theme: {ev.from_state} -> {ev.to_state}{detail}"
    if ev.subject_type == "workstream":
        return f"workstream {ev.workstream}: {ev.from_state} -> {ev.to_state}"
    return (
        f"{ev.partner} in {ev.workstream}: {label(ev.from_state)} -> {label(ev.to_state)}{detail}"
    )
