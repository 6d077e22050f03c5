"""Themes: fields of work held by a workstream, or unhomed with named leads."""

from collections.abc import Sequence
from typing import Any

from sqlmodel import Session, col, select

from portfolio.errors import Duplicate, InvalidInput, Refused
from portfolio.models import Person, Theme, ThemeLead, Workstream
from portfolio.services import lookup
from portfolio.services.history import Stamp, record


def _check_home(ws: Workstream, stamp: Stamp) -> None:
    if ws.status != "open":
        raise Refused(f"{ws.name} is closed (since {ws.closed_on}); choose an open workstream.")
    if stamp.on < ws.opened_on:
        raise Refused(f"{ws.name} opened on {ws.opened_on}; date this then or later (--on).")


def _resolve_leads(session: Session, leads: Sequence[str]) -> list[int]:
    ids = [lookup.person(session, name).id for name in leads]
    return list(dict.fromkeys(i for i in ids if i is not None))


def add_theme(
    session: Session,
    stamp: Stamp,
    *,
    name: str,
    home: str | None = None,
    leads: Sequence[str] = (),
) -> Theme:
    name = name.strip()
    if not name:
        raise InvalidInput("A theme needs a name.")
    if bool(home) == bool(leads):
        raise InvalidInput(
            "Give a theme either a home (--home W) or, unhomed, its leads (--lead P)."
        )
    if (same := lookup.same_name(session, Theme, name)) is not None:
        raise Duplicate(f"There is already a theme named '{same}'.")
    ws = lookup.workstream(session, home) if home else None
    if ws is not None:
        _check_home(ws, stamp)
    lead_ids = _resolve_leads(session, leads)
    theme = Theme(name=name, workstream_id=ws.id if ws else None)
    session.add(theme)
    session.flush()
    assert theme.id is not None
    for person_id in lead_ids:
        session.add(ThemeLead(theme_id=theme.id, person_id=person_id))
    record(
        session, stamp, action="theme-add", subject_type="theme", subject_id=theme.id,
        workstream_id=ws.id if ws else None, to_state=ws.name if ws else "unhomed",
        detail=_leads_detail(leads),
    )  # fmt: skip
    return theme


def _leads_detail(leads: Sequence[str]) -> str:
    return f"leads: {', '.join(leads)}" if leads else ""


def rehome_theme(
    session: Session,
    stamp: Stamp,
    *,
    name: str,
    to: str | None = None,
    unhomed: bool = False,
    leads: Sequence[str] = (),
    reason: str = "",
) -> Theme:
    """Move a theme to another open workstream, or leave it unhomed with its leads."""
    if bool(to) == bool(unhomed):
        raise InvalidInput("Rehome a theme either --to a workstream or --unhomed with --lead.")
    if unhomed and not leads:
        raise InvalidInput("An unhomed theme needs at least one lead (--lead P).")
    theme = lookup.theme(session, name)
    assert theme.id is not None
    before = session.get(Workstream, theme.workstream_id) if theme.workstream_id else None
    dest = lookup.workstream(session, to) if to else None
    if dest is not None:
        _check_home(dest, stamp)
        if dest.id == theme.workstream_id:
            raise Refused(f"Theme '{theme.name}' is already held by {dest.name}.")
    lead_ids = _resolve_leads(session, leads)
    for link in session.exec(select(ThemeLead).where(ThemeLead.theme_id == theme.id)).all():
        session.delete(link)
    session.flush()
    for person_id in lead_ids:
        session.add(ThemeLead(theme_id=theme.id, person_id=person_id))
    theme.workstream_id = dest.id if dest else None
    session.add(theme)
    record(
        session, stamp, action="theme-rehome", subject_type="theme", subject_id=theme.id,
        workstream_id=before.id if before else None,
        to_workstream_id=dest.id if dest else None,
        from_state=before.name if before else "unhomed",
        to_state=dest.name if dest else "unhomed", reason=reason, detail=_leads_detail(leads),
    )  # fmt: skip
    return theme


def list_themes(session: Session) -> list[dict[str, Any]]:
    """Every theme with its home (or None when unhomed) and leads; two statements."""
    rows = session.exec(
        select(Theme.id, Theme.name, Workstream.name)
        .outerjoin(Workstream, Workstream.id == Theme.workstream_id)  # type: ignore[arg-type]
        .order_by(Theme.name)
    ).all()
    leads: dict[int, list[str]] = {}
    for theme_id, person in session.exec(
        select(ThemeLead.theme_id, Person.name)
        .join(Person, Person.id == ThemeLead.person_id)  # type: ignore[arg-type]
        .order_by(col(Person.name))
    ).all():
        leads.setdefault(theme_id, []).append(person)
    return [
        {"id": i, "name": n, "home": ws, "unhomed": ws is None, "leads": leads.get(i, [])}
        for i, n, ws in rows
        if i is not None
    ]
