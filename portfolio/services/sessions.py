"""Reflective sessions and the templates that give them their prompts.

A session may follow an earlier one (a learning network's next meeting): it
opens with that session's insights and the actions still open on its date.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from portfolio.errors import Duplicate, InvalidInput, Refused
from portfolio.models import FrameworkDimension, ReflectiveSession, SessionTemplate, TemplatePrompt
from portfolio.services import links, lookup
from portfolio.services.actions import list_actions
from portfolio.services.history import Stamp, record
from portfolio.services.inputs import clean_name, clean_text
from portfolio.services.insights import list_insights
from portfolio.services.query import rows

DEFAULT_TEMPLATE = "reflective-practice"


def template(session: Session, name: str) -> SessionTemplate:
    return lookup.by_name(session, SessionTemplate, name, "template")


def prompts_of(session: Session, template_name: str) -> list[dict[str, str]]:
    query = (
        sa.select(col(TemplatePrompt.name), col(TemplatePrompt.text))
        .join(SessionTemplate, col(SessionTemplate.id) == col(TemplatePrompt.template_id))
        .where(col(SessionTemplate.name) == template_name)
        .order_by(col(TemplatePrompt.position))
    )
    return [{"name": n, "text": t} for n, t in rows(session, query)]


@dataclass(frozen=True)
class LearningChoices:
    """What the learning screen's filters and forms offer."""

    tags: list[str]  # framework dimensions, in the framework's order
    templates: list[str]  # session templates, A to Z
    partners: list[str]  # partners some insight concerns, A to Z


def learning_choices(session: Session) -> LearningChoices:
    """Three statements."""
    tags = rows(
        session, sa.select(col(FrameworkDimension.name)).order_by(col(FrameworkDimension.id))
    )
    templates = rows(
        session, sa.select(col(SessionTemplate.name)).order_by(col(SessionTemplate.name))
    )
    return LearningChoices(
        tags=[r[0] for r in tags],
        templates=[r[0] for r in templates],
        partners=links.names_linked(session, "insight", "partner", "concerns"),
    )


def add_template(
    session: Session,
    *,
    name: str,
    prompts: Sequence[tuple[str, str]],
    description: str = "",
    stamp: Stamp | None = None,
) -> SessionTemplate:
    name = clean_name(name, "template name", field="name")
    if not name:
        raise InvalidInput("A template needs a name.")
    prompts = [(clean_name(p, "prompt name", field="prompts"), clean_text(t)) for p, t in prompts]
    description = clean_text(description)
    if not prompts:
        raise InvalidInput("A template needs at least one prompt.", field="prompts")
    names = [p.strip() for p, _ in prompts]
    if any(not n for n in names) or len(set(names)) != len(names):
        raise InvalidInput("Each prompt needs its own short name.", field="prompts")
    if (same := lookup.same_name(session, SessionTemplate, name)) is not None:
        raise Duplicate(f"There is already a template named '{same}'.")
    made = SessionTemplate(name=name, description=description)
    session.add(made)
    session.flush()
    assert made.id is not None
    for pos, (p_name, text) in enumerate(prompts, start=1):
        session.add(
            TemplatePrompt(template_id=made.id, position=pos, name=p_name.strip(), text=text)
        )
    session.flush()
    if stamp is not None:
        record(session, stamp, action="template-add", subject_type="template",
               subject_id=made.id, detail=name)  # fmt: skip
    return made


def list_templates(session: Session) -> list[dict[str, Any]]:
    """Every template with its prompts; two statements."""
    found = {
        i: {"id": i, "name": n, "description": d, "prompts": []}
        for i, n, d in rows(
            session,
            sa.select(
                col(SessionTemplate.id), col(SessionTemplate.name), col(SessionTemplate.description)
            ).order_by(col(SessionTemplate.name)),
        )
    }
    for t_id, p_name, text in rows(
        session,
        sa.select(
            col(TemplatePrompt.template_id), col(TemplatePrompt.name), col(TemplatePrompt.text)
        ).order_by(col(TemplatePrompt.position)),
    ):
        found[t_id]["prompts"].append({"name": p_name, "text": text})
    return list(found.values())


def add_session(
    session: Session,
    *,
    title: str,
    on: date,
    template_name: str = DEFAULT_TEMPLATE,
    attendees: Sequence[str] = (),
    dilemma: str = "",
    notes: str = "",
    follows: int | None = None,
    actor: str | None = None,
) -> ReflectiveSession:
    title = clean_name(title, "session's title", field="title")
    dilemma, notes = clean_text(dilemma), clean_text(notes)
    if not title:
        raise InvalidInput("A session needs a title.")
    shape = template(session, template_name)
    people = links.resolve(session, "person", attendees)
    if follows is not None:
        earlier = links.by_id(session, ReflectiveSession, follows, "session")
        if earlier.held_on > on:
            raise Refused(
                f"Session {earlier.id} was held on {earlier.held_on}, after {on}; a session "
                "can only follow an earlier one."
            )
    made = ReflectiveSession(
        title=title, held_on=on, template=shape.name, dilemma=dilemma, notes=notes,
        follows_id=follows,
    )  # fmt: skip
    session.add(made)
    session.flush()
    assert made.id is not None
    links.link(session, "session", made.id, "person", people, role="attendee")
    if actor is not None:
        record(session, Stamp(on, actor), action="session-add", subject_type="session",
               subject_id=made.id, detail=title)  # fmt: skip
    return made


def _summary_query() -> Any:
    return sa.select(
        col(ReflectiveSession.id), col(ReflectiveSession.title), col(ReflectiveSession.held_on),
        col(ReflectiveSession.template), col(ReflectiveSession.follows_id),
    )  # fmt: skip


def _summary(row: Any, attendees: list[str], today: date) -> dict[str, Any]:
    i, title, held_on, shape, follows = row
    return {
        "id": i, "title": title, "held_on": held_on.isoformat(), "template": shape,
        "follows_id": follows, "attendees": attendees,
        "status": "held" if held_on <= today else "planned",
    }  # fmt: skip


def list_sessions(session: Session, today: date | None = None) -> list[dict[str, Any]]:
    """Every session, oldest first; a fixed number of statements."""
    today = today or date.today()
    named = links.names_of(session, "session")
    query = _summary_query().order_by(col(ReflectiveSession.held_on), col(ReflectiveSession.id))
    return [
        _summary(r, named.get(r[0], {}).get("attendee:person", []), today)
        for r in rows(session, query)
    ]


def _chain(session: Session, first: int | None) -> list[int]:
    """The earlier sessions this one follows, nearest first (cycles cannot occur:
    a session only follows one already recorded)."""
    found: list[int] = []
    while first is not None and first not in found:
        found.append(first)
        first = session.exec(
            select(ReflectiveSession.follows_id).where(ReflectiveSession.id == first)
        ).first()
    return found


def show_session(session: Session, session_id: int, today: date | None = None) -> dict[str, Any]:
    """Prompts with their insights, the session's actions, and what is carried forward."""
    s = links.by_id(session, ReflectiveSession, session_id, "session")
    assert s.id is not None
    row = rows(session, _summary_query().where(col(ReflectiveSession.id) == s.id))[0]
    attendees = links.names_of(session, "session", [s.id]).get(s.id, {})
    data = _summary(row, attendees.get("attendee:person", []), today or date.today())
    data.update(dilemma=s.dilemma, notes=s.notes)
    insights = list_insights(session, session_ids=[s.id])
    prompts = prompts_of(session, s.template)
    known = {p["name"] for p in prompts}
    data["prompts"] = [
        {**p, "insights": [i for i in insights if i["prompt"] == p["name"]]} for p in prompts
    ]
    data["other_insights"] = [i for i in insights if i["prompt"] not in known]
    data["actions"] = list_actions(session, session_ids=[s.id])
    chain = _chain(session, s.follows_id)
    carried: dict[str, Any] | None = None
    if chain:
        earlier = links.by_id(session, ReflectiveSession, chain[0], "session")
        carried = {
            "from": {"id": earlier.id, "title": earlier.title,
                     "held_on": earlier.held_on.isoformat()},
            "insights": list_insights(session, session_ids=[chain[0]]),
            "actions": list_actions(session, session_ids=chain, open_on=s.held_on),
        }  # fmt: skip
    data["carried_forward"] = carried
    return data
