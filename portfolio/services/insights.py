"""Insights ("what are we learning?"): who may see them, what they concern,
and tags against a framework of system-change dimensions (the Compass)."""

from collections.abc import Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from portfolio.errors import InvalidInput
from portfolio.models import (
    Framework,
    FrameworkDimension,
    Insight,
    ReflectiveSession,
    SessionTemplate,
    TemplatePrompt,
)
from portfolio.services import links, lookup
from portfolio.services.history import Stamp, record
from portfolio.services.inputs import clean_text
from portfolio.services.query import rows

VISIBILITIES = ("internal", "board", "public")
DEFAULT_FRAMEWORK = "Compass"


def dimension(session: Session, name: str, framework: str = DEFAULT_FRAMEWORK) -> int:
    """A dimension of the framework by name; NotFound suggests near matches."""
    fw = lookup.by_name(session, Framework, framework, "framework")
    found = {
        n: i
        for n, i in session.exec(
            select(FrameworkDimension.name, FrameworkDimension.id).where(
                FrameworkDimension.framework_id == fw.id
            )
        ).all()
    }
    chosen = links.nearest(name, list(found), f"{fw.name} dimension", "portfolio insight --help")
    return int(found[chosen])  # type: ignore[arg-type]


def _check_visibility(visibility: str) -> str:
    if visibility not in VISIBILITIES:
        raise InvalidInput(
            f"'{visibility}' is not a visibility; use internal, board or public.",
            field="visibility",
        )
    return visibility


def add_insight(
    session: Session,
    *,
    text: str,
    session_id: int | None = None,
    prompt: str | None = None,
    on: date | None = None,
    workstreams: Sequence[str] = (),
    partners: Sequence[str] = (),
    themes: Sequence[str] = (),
    visibility: str = "internal",
    tags: Sequence[str] = (),
    actor: str | None = None,
) -> Insight:
    """Record an insight. Its date is ``on``, else its session's date, else today."""
    text = clean_text(text).strip()
    if not text:
        raise InvalidInput("An insight needs its text.")
    _check_visibility(visibility)
    held = None
    if session_id is not None:
        held = links.by_id(session, ReflectiveSession, session_id, "session")
    if prompt:
        if held is None:
            raise InvalidInput(
                "A prompt belongs to a session's template; say which session it came from.",
                field="session_id",
            )
        names = [
            r[0]
            for r in rows(
                session,
                sa.select(col(TemplatePrompt.name))
                .join(SessionTemplate, col(SessionTemplate.id) == col(TemplatePrompt.template_id))
                .where(col(SessionTemplate.name) == held.template)
                .order_by(col(TemplatePrompt.position)),
            )
        ]
        prompt = links.nearest(
            prompt, names, f"prompt in the '{held.template}' template",
            f"portfolio template show {held.template}",
        )  # fmt: skip
    concerns = {
        kind: links.resolve(session, kind, names)
        for kind, names in (("workstream", workstreams), ("partner", partners), ("theme", themes))
    }
    tag_ids = list(dict.fromkeys(dimension(session, t) for t in tags))
    when = on or (held.held_on if held else date.today())
    made = Insight(
        text=text, noted_on=when, session_id=session_id, prompt=prompt or "",
        visibility=visibility,
    )  # fmt: skip
    session.add(made)
    session.flush()
    assert made.id is not None
    for kind, ids in concerns.items():
        links.link(session, "insight", made.id, kind, ids)
    links.link(session, "insight", made.id, "dimension", tag_ids, role="tag")
    if actor is not None:
        record(session, Stamp(when, actor), action="insight-add", subject_type="insight",
               subject_id=made.id, to_state=visibility)  # fmt: skip
    return made


def list_insights(
    session: Session,
    *,
    visibility: str | None = None,
    workstream: str | None = None,
    partner: str | None = None,
    theme: str | None = None,
    tag: str | None = None,
    session_ids: Sequence[int] | None = None,
) -> list[dict[str, Any]]:
    """Insights, oldest first; ``internal`` ones are marked so exports can leave them out.

    ``workstream``, ``partner``, ``theme`` and ``tag`` narrow to the insights that
    concern (or are tagged with) each one given. A fixed number of statements
    whatever the number of insights.
    """
    query = sa.select(
        col(Insight.id), col(Insight.text), col(Insight.noted_on), col(Insight.session_id),
        col(Insight.prompt), col(Insight.visibility),
    ).order_by(col(Insight.noted_on), col(Insight.id))  # fmt: skip
    if visibility:
        query = query.where(col(Insight.visibility) == _check_visibility(visibility))
    if session_ids is not None:
        query = query.where(col(Insight.session_id).in_(list(session_ids)))
    wanted: set[int] | None = None
    for kind, name in (("workstream", workstream), ("partner", partner), ("theme", theme)):
        if name:
            target = links.resolve(session, kind, [name])[0]
            linked = links.owners_linked_to(session, "insight", kind, target, "concerns")
            wanted = linked if wanted is None else wanted & linked
    if tag:
        tagged = links.owners_linked_to(
            session, "insight", "dimension", dimension(session, tag), "tag"
        )
        wanted = tagged if wanted is None else wanted & tagged
    found = [r for r in rows(session, query) if wanted is None or r[0] in wanted]
    # Only a session's few insights are worth a narrower link query.
    named = links.names_of(session, "insight", [r[0] for r in found] if session_ids else None)
    out = []
    for i, text, on, ses, prompt, vis in found:
        n = named.get(i, {})
        out.append(
            {
                "id": i,
                "text": text,
                "noted_on": on.isoformat(),
                "session_id": ses,
                "prompt": prompt or None,
                "visibility": vis,
                "internal": vis == "internal",
                "workstreams": n.get("concerns:workstream", []),
                "partners": n.get("concerns:partner", []),
                "themes": n.get("concerns:theme", []),
                "tags": n.get("tag:dimension", []),
            }  # fmt: skip
        )
    return out
