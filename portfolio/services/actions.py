"""Actions: next steps with an owner and a due date, from a decision or a session."""

from collections.abc import Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy import and_, or_
from sqlmodel import Session, col

from portfolio.errors import InvalidInput, Refused
from portfolio.models import ActionItem, Decision, Person, ReflectiveSession
from portfolio.services import lookup
from portfolio.services.history import Stamp, record
from portfolio.services.inputs import clean_text
from portfolio.services.links import by_id
from portfolio.services.query import rows

STATUSES = ("open", "done", "dropped")


def add_action(
    session: Session,
    *,
    text: str,
    owner: str,
    actor: str,
    on: date | None = None,
    due: date | None = None,
    decision_id: int | None = None,
    session_id: int | None = None,
) -> ActionItem:
    """Set an action. It is dated ``on``, else by the session it comes from (when
    held), else by its decision (when decided), else today: a pledge made in a
    session keeps that session's date, as its insights do."""
    text = clean_text(text).strip()
    if not text:
        raise InvalidInput("An action needs a text saying what is to be done.")
    person = lookup.person(session, owner)
    decided = None if decision_id is None else by_id(session, Decision, decision_id, "decision")
    held = None if session_id is None else by_id(session, ReflectiveSession, session_id, "session")
    when = on or (held.held_on if held else decided.decided_on if decided else date.today())
    if due is not None and due < when:
        raise Refused(f"The due date {due} is before the action is set on {when}.", field="due")
    assert person.id is not None
    item = ActionItem(
        text=text, owner_id=person.id, due_on=due, created_on=when,
        decision_id=decision_id, session_id=session_id,
    )  # fmt: skip
    session.add(item)
    session.flush()
    assert item.id is not None
    record(
        session, Stamp(when, actor, decision_id), action="action-add",
        subject_type="action", subject_id=item.id, to_state="open", reason=text,
    )  # fmt: skip
    return item


def _close(
    session: Session, stamp: Stamp, action_id: int, status: str, why: str = ""
) -> ActionItem:
    item = by_id(session, ActionItem, action_id, "action")
    assert item.id is not None
    if item.status != "open":
        raise Refused(f"Action {item.id} is already {item.status} (on {item.closed_on}).")
    if stamp.on < item.created_on:
        raise Refused(
            f"Action {item.id} was set on {item.created_on}; date this then or later.", field="on"
        )
    item.status = status
    item.closed_on = stamp.on
    closing = record(
        session, Stamp(stamp.on, stamp.actor, item.decision_id), action=f"action-{status}",
        subject_type="action", subject_id=item.id, from_state="open", to_state=status,
        # The why when given, with the action's text beside it; else the text, as ever.
        reason=why or item.text, detail=item.text if why else "",
    )  # fmt: skip
    item.closed_recorded_at = closing.recorded_at
    session.add(item)
    return item


def mark_done(session: Session, stamp: Stamp, *, action_id: int) -> ActionItem:
    return _close(session, stamp, action_id, "done")


def drop(session: Session, stamp: Stamp, *, action_id: int, reason: str = "") -> ActionItem:
    """Drop an action that will not be done; ``reason``, why, is kept in its event."""
    return _close(session, stamp, action_id, "dropped", clean_text(reason).strip())


def list_actions(
    session: Session,
    *,
    owner: str | None = None,
    overdue_on: date | None = None,
    open_on: date | None = None,
    status: str | None = None,
    session_ids: Sequence[int] | None = None,
    decision_id: int | None = None,
) -> list[dict[str, Any]]:
    """Actions, soonest due first; one statement.

    ``overdue_on``: open and due before that date. ``open_on``: set by then and
    not yet done or dropped on that date (what a later session carries forward).
    """
    query = (
        sa.select(
            col(ActionItem.id),
            col(ActionItem.text),
            col(Person.name),
            col(ActionItem.due_on),
            col(ActionItem.status),
            col(ActionItem.created_on),
            col(ActionItem.closed_on),
            col(ActionItem.decision_id),
            col(ActionItem.session_id),
        )  # fmt: skip
        .join(Person, col(Person.id) == col(ActionItem.owner_id))
        .order_by(col(ActionItem.due_on).is_(None), col(ActionItem.due_on), col(ActionItem.id))
    )
    if owner:
        query = query.where(col(ActionItem.owner_id) == lookup.person(session, owner).id)
    if status:
        if status not in STATUSES:
            raise InvalidInput(f"'{status}' is not an action status; use open, done or dropped.")
        query = query.where(col(ActionItem.status) == status)
    if overdue_on is not None:
        query = query.where(col(ActionItem.status) == "open", col(ActionItem.due_on) < overdue_on)
    if open_on is not None:
        query = query.where(
            col(ActionItem.created_on) <= open_on,
            or_(
                col(ActionItem.status) == "open",
                and_(col(ActionItem.closed_on).is_not(None), col(ActionItem.closed_on) > open_on),
            ),
        )
    if session_ids is not None:
        query = query.where(col(ActionItem.session_id).in_(list(session_ids)))
    if decision_id is not None:
        query = query.where(col(ActionItem.decision_id) == decision_id)
    today = overdue_on or date.today()
    return [
        {
            "id": i,
            "text": text,
            "owner": who,
            "due_on": due.isoformat() if due else None,
            "status": st,
            "created_on": made.isoformat(),
            "closed_on": closed.isoformat() if closed else None,
            "decision_id": dec,
            "session_id": ses,
            "overdue": st == "open" and due is not None and due < today,
        }  # fmt: skip
        for i, text, who, due, st, made, closed, dec, ses in rows(session, query)
    ]
