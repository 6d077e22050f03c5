"""A decision's planned changes: checked by name when planned, described, listed.

Each change is a lifecycle action on a partnership (the arguments of
``partnership ACTION``), ``theme-rehome`` or ``workstream-close``. States are
checked only when the decision is enacted (see ``services.enactment``).
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from portfolio.errors import InvalidInput, Refused
from portfolio.models import Decision, PlannedChange
from portfolio.services import lookup, partnerships, themes, workstreams
from portfolio.services.history import EventRow, Stamp, record
from portfolio.services.lifecycle import ACTIONS, EXIT_TYPES, label
from portfolio.services.links import by_id

CHANGE_ACTIONS = (*ACTIONS, "theme-rehome", "workstream-close")
NEEDS_REASON = frozenset({"review", "resume", "end", "transfer"})
_PW = ("partner", "workstream")
REQUIRED: dict[str, tuple[str, ...]] = {
    "start": _PW,
    "review": _PW,
    "resume": _PW,
    "end": (*_PW, "by"),
    "tick": (*_PW, "step"),
    "complete": _PW,
    "transfer": ("partner", "from_workstream", "to_workstream"),
    "theme-rehome": ("name",),
    "workstream-close": ("name",),
}


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


def _name(session: Session, kind: str, value: Any) -> str:
    finder: Callable[[Session, str], Any] = getattr(lookup, kind)
    return str(finder(session, str(value)).name)


def _checked(session: Session, action: str, args: dict[str, Any]) -> dict[str, Any]:
    """The arguments with every name resolved to its exact spelling; JSON-ready."""
    if action not in CHANGE_ACTIONS:
        raise InvalidInput(f"'{action}' cannot be planned; use one of {', '.join(CHANGE_ACTIONS)}.")
    out = {k: v for k, v in args.items() if v not in (None, "", [], ())}
    missing = [k for k in REQUIRED[action] if k not in out]
    if missing:
        raise InvalidInput(f"{action} needs {', '.join(missing)}.")
    if action in NEEDS_REASON and not out.get("reason", "").strip():
        raise InvalidInput(f"{action} needs a reason (--reason).")
    if action == "review" and not out.get("lead"):
        raise InvalidInput("review needs a lead (--lead) who holds the review.")
    if action == "theme-rehome":
        if bool(out.get("to")) == bool(out.get("unhomed")):
            raise InvalidInput("Rehome a theme either --to a workstream or --unhomed with --lead.")
        if out.get("unhomed") and not out.get("leads"):
            raise InvalidInput("An unhomed theme needs at least one lead (--lead P).")
        out["name"] = _name(session, "theme", out["name"])
    if action == "workstream-close":
        out["name"] = _name(session, "workstream", out["name"])
    for key in ("workstream", "from_workstream", "to_workstream", "to"):
        if key in out:
            out[key] = _name(session, "workstream", out[key])
    if "partner" in out:
        out["partner"] = _name(session, "partner", out["partner"])
    if "lead" in out:
        out["lead"] = _name(session, "person", out["lead"])
    if "leads" in out:
        out["leads"] = [_name(session, "person", p) for p in out["leads"]]
    if "themes" in out:
        out["themes"] = [_name(session, "theme", t) for t in out["themes"]]
    if "step" in out:
        out["step"] = _name(session, "checklist_step", out["step"])
    if "exit_type" in out and out["exit_type"] not in EXIT_TYPES:
        raise InvalidInput(f"'{out['exit_type']}' is not an exit type; use down, out or over.")
    if isinstance(out.get("by"), date):
        out["by"] = out["by"].isoformat()
    return out


def plan_change(
    session: Session,
    *,
    decision_id: int,
    action: str,
    arguments: dict[str, Any],
    on: date | None = None,
    stamp: Stamp | None = None,
) -> PlannedChange:
    """Add a change to the end of a decision's plan; names are checked now."""
    editable(session, decision_id)
    checked = _checked(session, action, arguments)
    count = len(_changes(session, decision_id))
    change = PlannedChange(
        decision_id=decision_id, position=count + 1, action=action,
        arguments=json.dumps(checked, sort_keys=True), effective_on=on,
    )  # fmt: skip
    session.add(change)
    session.flush()
    if stamp is not None:
        _record_plan(session, stamp, decision_id, "plan", f"{change.position}. "
                     f"{describe(action, checked)}")  # fmt: skip
    return change


def _record_plan(session: Session, stamp: Stamp, decision_id: int, what: str, detail: str) -> None:
    record(session, Stamp(stamp.on, stamp.actor, decision_id), action=f"decision-{what}",
           subject_type="decision", subject_id=decision_id, detail=detail)  # fmt: skip


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
    what = describe(removed.action, json.loads(removed.arguments))
    session.delete(removed)
    session.flush()
    for n, change in enumerate(changes[position:], start=position):
        change.position = n
        session.add(change)
    session.flush()
    if stamp is not None:
        _record_plan(session, stamp, decision_id, "unplan", f"{position}. {what}")
    return what


def _changes(session: Session, decision_id: int) -> list[PlannedChange]:
    return list(
        session.exec(
            select(PlannedChange)
            .where(PlannedChange.decision_id == decision_id)
            .order_by(col(PlannedChange.position))
        ).all()
    )


def describe(action: str, a: dict[str, Any]) -> str:
    """A planned change in words, naming its partner, workstream or theme."""
    where = f"{a.get('partner')} in {a.get('workstream')}"
    match action:
        case "start":
            lead = f" with lead {a['lead']}" if a.get("lead") else ""
            return f"start {where}{lead}"
        case "review":
            return f"review {where} with {a.get('lead')}"
        case "resume":
            return f"resume {where}"
        case "end":
            kind = EXIT_TYPES.get(a.get("exit_type", "out"), "")
            return f"end {where} respectfully by {a.get('by')} ({kind})"
        case "tick":
            return f"tick '{a.get('step')}' for {where}"
        case "complete":
            return f"complete the ending of {where}"
        case "transfer":
            return f"transfer {a.get('partner')} from {a.get('from_workstream')} to " + str(
                a.get("to_workstream")
            )
        case "theme-rehome":
            if a.get("to"):
                return f"rehome theme '{a.get('name')}' to {a['to']}"
            return f"leave theme '{a.get('name')}' unhomed, led by {' and '.join(a['leads'])}"
        case _:
            return f"close workstream {a.get('name')}"


@dataclass(frozen=True, slots=True)
class ChangeRow:
    n: int
    action: str
    arguments: dict[str, Any]
    on: date  # its own date, else the decision's
    description: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "action": self.action,
            "arguments": self.arguments,
            "on": self.on.isoformat(),
            "description": self.description,
        }


def planned_changes(session: Session, d: Decision) -> list[ChangeRow]:
    assert d.id is not None
    out = []
    for c in _changes(session, d.id):
        args = json.loads(c.arguments)
        out.append(
            ChangeRow(c.position, c.action, args, c.effective_on or d.decided_on,
                      describe(c.action, args))
        )  # fmt: skip
    return out


def run_change(session: Session, stamp: Stamp, action: str, arguments: dict[str, Any]) -> None:
    """Apply one planned change through the same services the CLI uses."""
    args = dict(arguments)
    if action == "theme-rehome":
        themes.rehome_theme(session, stamp, **args)
    elif action == "workstream-close":
        workstreams.close_workstream(session, stamp, **args)
    else:
        if "by" in args:
            args["by"] = date.fromisoformat(args["by"])
        partnerships.apply(session, stamp, action, **args)


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
