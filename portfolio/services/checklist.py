"""The responsible-exit checklist: data a funder can edit."""

from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from portfolio.errors import Duplicate, InvalidInput
from portfolio.models import ChecklistStep
from portfolio.services import lookup
from portfolio.services.history import Stamp, record
from portfolio.services.partnerships import checklist_steps


def list_steps(session: Session) -> list[dict[str, Any]]:
    return [
        {"id": s.id, "name": s.name, "text": s.text, "position": s.position}
        for s in checklist_steps(session)
    ]


def add_step(
    session: Session, *, name: str, text: str, stamp: Stamp | None = None
) -> ChecklistStep:
    name = name.strip().lower()
    if not name or " " in name:
        raise InvalidInput("A checklist step needs a short name without spaces, like 'told'.")
    if not text.strip():
        raise InvalidInput("A checklist step needs a text saying what is done.")
    if (same := lookup.same_name(session, ChecklistStep, name)) is not None:
        raise Duplicate(f"There is already a checklist step named '{same}'.")
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
    """Remove a step from the list; ticks already made stay in the history."""
    step = lookup.checklist_step(session, name)
    session.delete(step)
    session.flush()
    if stamp is not None:
        assert step.id is not None
        record(
            session, stamp, action="checklist-remove", subject_type="checklist_step",
            subject_id=step.id, detail=step.name, data={"step_id": step.id, "step": step.name},
        )  # fmt: skip
