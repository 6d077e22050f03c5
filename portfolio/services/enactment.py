"""Enact a decision: apply its whole plan in one transaction, all or nothing.

Each change runs, in order, against the state the earlier ones left, inside
its own SAVEPOINT so that a refused change can be reported and the rest still
checked. If any change is refused (or on ``dry_run``) everything is rolled
back; otherwise the decision becomes ``enacted``. Every resulting event
carries the decision's id.
"""

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy import func
from sqlmodel import Session, col

from portfolio.errors import PortfolioError, Refused
from portfolio.models import Decision, Event
from portfolio.services.decisions import record_status
from portfolio.services.history import Stamp, events
from portfolio.services.links import by_id
from portfolio.services.plans import outcome_text, planned_changes, run_change, settled_reason
from portfolio.services.query import rows

# Test hook for fault injection: called with the change's number after each
# change is applied. Whatever it raises propagates, and nothing stays applied.
after_change: Callable[[int], None] | None = None

# Changes whose reason is optional; the decision is the reason when none is given.
UNREASONED = frozenset({"theme-rehome", "workstream-close"})


@dataclass(slots=True)
class Outcome:
    n: int
    description: str
    on: str
    effects: list[str] = field(default_factory=list)
    problem: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "description": self.description,
            "on": self.on,
            "ok": self.problem is None,
            "effects": self.effects,
            "problem": self.problem,
        }


@dataclass(slots=True)
class Enactment:
    decision_id: int
    title: str
    dry_run: bool
    outcomes: list[Outcome]
    problems: list[str]

    @property
    def applied(self) -> bool:
        return not self.dry_run and not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {
            "decision_id": self.decision_id,
            "title": self.title,
            "dry_run": self.dry_run,
            "ok": not self.problems,
            "status": "enacted" if self.applied else "agreed",
            "changes": [o.as_dict() for o in self.outcomes],
            "problems": self.problems,
        }


def _last_event_id(session: Session) -> int:
    return int(rows(session, sa.select(func.coalesce(func.max(col(Event.id)), 0)))[0][0])


def enact(session: Session, stamp: Stamp, *, decision_id: int, dry_run: bool = False) -> Enactment:
    """Apply every planned change (or, with ``dry_run``, show what would happen).

    Raises Refused listing every problem, each naming its change, partner or
    workstream, when any change cannot be made; the records are then unchanged.
    """
    d = by_id(session, Decision, decision_id, "decision")
    assert d.id is not None
    if d.status != "agreed":
        why = settled_reason(session, d) or f"decision {d.id} is still proposed"
        raise Refused(f"Cannot enact decision {d.id}: {why}; only an agreed decision is enacted.")
    changes = planned_changes(session, d)
    outcomes: list[Outcome] = []
    outer = session.begin_nested()
    try:
        for change in changes:
            mark = _last_event_id(session)
            outcome = Outcome(change.n, change.description, change.on.isoformat())
            planned = change.change
            if change.action in UNREASONED and not getattr(planned, "reason", ""):
                planned = dataclasses.replace(planned, reason=f"decision {d.id}: {d.title}")  # type: ignore[call-arg]
            try:
                with session.begin_nested():
                    run_change(session, Stamp(change.on, stamp.actor, d.id), planned)
            except PortfolioError as exc:
                outcome.problem = str(exc)
            else:
                outcome.effects = [
                    outcome_text(e) for e in events(session, decision_id=d.id) if e.id > mark
                ]
            outcomes.append(outcome)
            if after_change is not None:
                after_change(change.n)
        problems = [f"change {o.n} ({o.description}): {o.problem}" for o in outcomes if o.problem]
        if not problems and not dry_run:
            d.status = "enacted"
            d.enacted_on = stamp.on
            session.add(d)
            record_status(session, stamp, d, "enact", "agreed", detail=f"{len(changes)} changes")
    except BaseException:
        outer.rollback()
        raise
    if problems or dry_run:
        outer.rollback()
    else:
        outer.commit()
    result = Enactment(d.id, d.title, dry_run, outcomes, problems)
    if problems and not dry_run:
        raise Refused(
            f"Decision {d.id} was not enacted and nothing changed: {problems[0]}", *problems[1:]
        )
    return result
