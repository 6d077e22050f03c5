"""The responsible-exit checklist: data a funder can edit.

An ending's checklist is the steps on the list when the ending began (by
when it was recorded): removing a step later, or adding one, leaves endings
already under way and past endings as they were. A removed step keeps its
row, marked ``removed_at``, and no longer shows in lists, look-ups or new
endings.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import func
from sqlmodel import Session, col, select

from portfolio.errors import Duplicate, InvalidInput
from portfolio.models import ChecklistStep, Event, name_key, utcnow
from portfolio.services import lookup
from portfolio.services.history import Stamp, record
from portfolio.services.inputs import clean_name, clean_text


def present_steps(session: Session) -> list[ChecklistStep]:
    """The list as it stands: what a new ending is checked against."""
    return list(
        session.exec(
            select(ChecklistStep)
            .where(col(ChecklistStep.removed_at).is_(None))
            .order_by(col(ChecklistStep.position))
        ).all()
    )


def steps_at(steps: Sequence[Any], began_at: datetime | None) -> list[Any]:
    """Of ``steps`` (each with ``recorded_at`` and ``removed_at``), those on the list at
    ``began_at``; all present ones when it is unknown."""
    if began_at is None:
        return [s for s in steps if s.removed_at is None]
    return [
        s
        for s in steps
        if s.recorded_at <= began_at and (s.removed_at is None or s.removed_at > began_at)
    ]


def ending_steps(session: Session, partnership_id: int) -> list[ChecklistStep]:
    """The checklist of the partnership's latest ending: the steps there when it began."""
    began_at = session.scalar(
        sa.select(col(Event.recorded_at))
        .where(
            col(Event.subject_type) == "partnership",
            col(Event.subject_id) == partnership_id,
            col(Event.action) == "end",
        )
        .order_by(col(Event.id).desc())
        .limit(1)
    )
    every = session.exec(select(ChecklistStep).order_by(col(ChecklistStep.position))).all()
    return steps_at(every, began_at)


def list_steps(session: Session) -> list[dict[str, Any]]:
    return [
        {"id": s.id, "name": s.name, "text": s.text, "position": s.position}
        for s in present_steps(session)
    ]


def add_step(
    session: Session, *, name: str, text: str, stamp: Stamp | None = None
) -> ChecklistStep:
    name, text = clean_name(name, "step name", field="name").lower(), clean_text(text)
    if not name or " " in name:
        raise InvalidInput("A checklist step needs a short name without spaces, like 'told'.")
    if not text.strip():
        raise InvalidInput("A checklist step needs a text saying what is done.")
    same = session.exec(
        select(ChecklistStep).where(ChecklistStep.name_key == name_key(name))
    ).first()
    if same is not None and same.removed_at is None:
        raise Duplicate(f"There is already a checklist step named '{same.name}'.")
    if same is not None:
        # The removed step stays on the endings it was part of, under its name.
        raise Duplicate(
            f"A checklist step named '{same.name}' was removed on {same.removed_at:%Y-%m-%d}; "
            "past endings keep it, so give the new step another name."
        )
    last = session.exec(select(func.max(ChecklistStep.position))).one()
    step = ChecklistStep(name=name, text=text.strip(), position=(last or 0) + 1)
    session.add(step)
    session.flush()
    if stamp is not None:
        assert step.id is not None
        record(
            session, stamp, action="checklist-add", subject_type="checklist_step",
            subject_id=step.id, detail=name, data={"step_id": step.id, "step": name},
        )  # fmt: skip
    return step


def remove_step(session: Session, *, name: str, stamp: Stamp | None = None) -> None:
    """Take a step off the list for new endings; endings already begun keep it."""
    step = lookup.checklist_step(session, name)
    step.removed_at = utcnow()
    session.add(step)
    session.flush()
    if stamp is not None:
        assert step.id is not None
        record(
            session, stamp, action="checklist-remove", subject_type="checklist_step",
            subject_id=step.id, detail=step.name, data={"step_id": step.id, "step": step.name},
        )  # fmt: skip
