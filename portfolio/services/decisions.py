"""Decisions: why things change. proposed -> agreed -> enacted, or superseded.

Status changes are events (subject_type ``decision``) carrying the decision's id.
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy import func
from sqlmodel import Session, col, select

from portfolio.errors import InvalidInput, Refused
from portfolio.models import ActionItem, Decision, PlannedChange
from portfolio.services import links
from portfolio.services.history import Stamp, events, record
from portfolio.services.inputs import clean_name, clean_text
from portfolio.services.links import by_id
from portfolio.services.plans import planned_changes, settled_reason
from portfolio.services.query import rows

STATUSES = ("proposed", "agreed", "enacted", "superseded")


def record_status(
    session: Session, stamp: Stamp, d: Decision, action: str, before: str | None, detail: str = ""
) -> None:
    assert d.id is not None
    record(
        session, Stamp(stamp.on, stamp.actor, d.id), action=f"decision-{action}",
        subject_type="decision", subject_id=d.id, from_state=before, to_state=d.status,
        reason=d.title, detail=detail,
    )  # fmt: skip


def add_decision(
    session: Session,
    stamp: Stamp,
    *,
    title: str,
    decision: str,
    context: str = "",
    rationale: str = "",
    options: str = "",
    by: Sequence[str] = (),
    workstreams: Sequence[str] = (),
    partners: Sequence[str] = (),
    themes: Sequence[str] = (),
    status: str = "proposed",
) -> Decision:
    title = clean_name(title, "decision's title", field="title")
    decision, context = clean_text(decision), clean_text(context)
    rationale, options = clean_text(rationale), clean_text(options)
    if not title or not decision.strip():
        raise InvalidInput(
            "A decision needs a title and what was decided.",
            field="title" if not title else "decision",
        )
    if status not in ("proposed", "agreed"):
        raise InvalidInput(f"A new decision is proposed or agreed, not '{status}'.", field="status")
    deciders = [links.person_or_group(session, name) for name in by]
    concerns = {
        kind: links.resolve(session, kind, names)
        for kind, names in (("workstream", workstreams), ("partner", partners), ("theme", themes))
    }
    d = Decision(
        title=title, decided_on=stamp.on, context=context, decision=decision.strip(),
        rationale=rationale, options=options, status=status,
    )  # fmt: skip
    session.add(d)
    session.flush()
    assert d.id is not None
    for kind, target_id in dict.fromkeys(deciders):
        links.link(session, "decision", d.id, kind, [target_id], role="decided_by")
    for kind, ids in concerns.items():
        links.link(session, "decision", d.id, kind, ids)
    record_status(session, stamp, d, "add", None)
    return d


def agree(session: Session, stamp: Stamp, *, decision_id: int) -> Decision:
    d = by_id(session, Decision, decision_id, "decision")
    if d.status != "proposed":
        why = settled_reason(session, d) or f"decision {d.id} is already agreed"
        raise Refused(f"Cannot agree decision {d.id}: {why}; only a proposed decision is agreed.")
    d.status = "agreed"
    session.add(d)
    record_status(session, stamp, d, "agree", "proposed")
    return d


def supersede(session: Session, stamp: Stamp, *, decision_id: int, with_id: int) -> Decision:
    """Mark a decision superseded by a later one. An enacted one's effects stand."""
    old = by_id(session, Decision, decision_id, "decision")
    new = by_id(session, Decision, with_id, "decision")
    if old.id == new.id:
        raise Refused(f"Decision {old.id} cannot supersede itself; name a later decision.")
    if old.status == "superseded":
        raise Refused(f"Cannot supersede: {settled_reason(session, old)}.")
    if new.status == "superseded":
        raise Refused(
            f"Decision {new.id} cannot supersede another: {settled_reason(session, new)}."
        )
    if new.decided_on < old.decided_on:
        raise Refused(
            f"Decision {new.id} ({new.decided_on}) is older than decision {old.id} "
            f"({old.decided_on}); only a later decision can supersede it."
        )
    before = old.status
    old.status = "superseded"
    old.superseded_by_id = new.id
    session.add(old)
    record_status(
        session, stamp, old, "supersede", before, detail=f"by decision {new.id}: {new.title}"
    )
    return old


def list_decisions(session: Session, status: str | None = None) -> list[dict[str, Any]]:
    """Every decision with its number of planned changes; two statements."""
    query = sa.select(
        col(Decision.id), col(Decision.title), col(Decision.status), col(Decision.decided_on),
        col(Decision.enacted_on), col(Decision.superseded_by_id),
    ).order_by(col(Decision.decided_on), col(Decision.id))  # fmt: skip
    if status:
        query = query.where(col(Decision.status) == status)
    counts = dict(
        rows(
            session,
            sa.select(col(PlannedChange.decision_id), func.count()).group_by(
                col(PlannedChange.decision_id)
            ),
        )
    )
    return [
        {
            "id": i,
            "title": t,
            "status": s,
            "decided_on": on.isoformat(),
            "enacted_on": en.isoformat() if en else None,
            "superseded_by_id": sup,
            "changes": counts.get(i, 0),
        }  # fmt: skip
        for i, t, s, on, en, sup in rows(session, query)
    ]


def _ref(d: Decision | None) -> dict[str, Any] | None:
    return {"id": d.id, "title": d.title, "status": d.status} if d else None


def show_decision(session: Session, decision_id: int) -> dict[str, Any]:
    """A decision with who decided, what it concerns, its plan, actions and events."""
    d = by_id(session, Decision, decision_id, "decision")
    assert d.id is not None
    named = links.names_of(session, "decision", [d.id]).get(d.id, {})
    later = session.get(Decision, d.superseded_by_id) if d.superseded_by_id else None
    earlier = session.exec(select(Decision).where(Decision.superseded_by_id == d.id)).all()
    actions = rows(
        session,
        sa.select(col(ActionItem.id), col(ActionItem.text), col(ActionItem.status)).where(
            col(ActionItem.decision_id) == d.id
        ),
    )
    return {
        "id": d.id,
        "title": d.title,
        "status": d.status,
        "decided_on": d.decided_on.isoformat(),
        "context": d.context,
        "decision": d.decision,
        "rationale": d.rationale,
        "options": d.options,
        "decided_by": named.get("decided_by:person", []) + named.get("decided_by:group", []),
        "workstreams": named.get("concerns:workstream", []),
        "partners": named.get("concerns:partner", []),
        "themes": named.get("concerns:theme", []),
        "enacted_on": d.enacted_on.isoformat() if d.enacted_on else None,
        "superseded_by_id": d.superseded_by_id,
        "superseded_by": _ref(later),
        "supersedes": [_ref(e) for e in earlier],
        "changes": [c.as_dict() for c in planned_changes(session, d)],
        "actions": [{"id": i, "text": t, "status": s} for i, t, s in actions],
        "events": [e.as_dict() for e in events(session, decision_id=d.id)],
    }


def status_line(d: dict[str, Any]) -> str:
    """The status in words, saying by what a superseded decision was replaced."""
    if d["status"] == "superseded" and d.get("superseded_by"):
        later = d["superseded_by"]
        return f"superseded by decision {later['id']} '{later['title']}'"
    if d["status"] == "enacted":
        return f"enacted on {d['enacted_on']}"
    return str(d["status"])
