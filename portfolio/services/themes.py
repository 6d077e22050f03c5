"""Themes: fields of work held by a workstream, or unhomed with named leads."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from portfolio.errors import Duplicate, InvalidInput, Refused
from portfolio.models import Person, Theme, ThemeLead, Workstream
from portfolio.services import lookup
from portfolio.services.changes import Change, Kind, Names, declare, param
from portfolio.services.history import Stamp, record
from portfolio.services.inputs import clean_name
from portfolio.services.links import by_id


def _check_home(ws: Workstream, stamp: Stamp) -> None:
    if ws.status != "open":
        raise Refused(f"{ws.name} is closed (since {ws.closed_on}); choose an open workstream.")
    if stamp.on < ws.opened_on:
        raise Refused(f"{ws.name} opened on {ws.opened_on}; date this then or later.", field="on")


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
    name = clean_name(name, "theme name", field="name")
    if not name:
        raise InvalidInput("A theme needs a name.")
    if bool(home) == bool(leads):
        raise InvalidInput(
            "Give a theme either a home workstream or, unhomed, its leads.", field="home"
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
    named_leads = [by_id(session, Person, i, "person") for i in lead_ids]
    record(
        session, stamp, action="theme-add", subject_type="theme", subject_id=theme.id,
        workstream_id=ws.id if ws else None, to_state=ws.name if ws else "unhomed",
        detail=_leads_detail([p.name for p in named_leads]),
        data=_leads_data(named_leads) | _homes_data(None, ws),
    )  # fmt: skip
    return theme


def _leads_detail(leads: Sequence[str]) -> str:
    return f"leads: {', '.join(leads)}" if leads else ""


def rehome_theme(
    session: Session,
    stamp: Stamp,
    *,
    theme_id: int,
    to_workstream_id: int | None = None,
    unhomed: bool = False,
    lead_ids: Sequence[int] = (),
    reason: str = "",
) -> Theme:
    """Move a theme to another open workstream, or leave it unhomed with its leads."""
    if (to_workstream_id is not None) == bool(unhomed):
        raise InvalidInput(
            "Rehome a theme either to a workstream or unhomed with its leads.",
            field="to_workstream_id",
        )
    if unhomed and not lead_ids:
        raise InvalidInput("An unhomed theme needs at least one lead.", field="lead_ids")
    theme = by_id(session, Theme, theme_id, "theme")
    assert theme.id is not None
    before = session.get(Workstream, theme.workstream_id) if theme.workstream_id else None
    dest = by_id(session, Workstream, to_workstream_id, "workstream") if to_workstream_id else None
    if dest is not None:
        _check_home(dest, stamp)
        if dest.id == theme.workstream_id:
            raise Refused(f"Theme '{theme.name}' is already held by {dest.name}.")
    leads = [by_id(session, Person, i, "person") for i in dict.fromkeys(lead_ids)]
    for link in session.exec(select(ThemeLead).where(ThemeLead.theme_id == theme.id)).all():
        session.delete(link)
    session.flush()
    for person in leads:
        session.add(ThemeLead(theme_id=theme.id, person_id=person.id))  # type: ignore[arg-type]
    theme.workstream_id = dest.id if dest else None
    session.add(theme)
    record(
        session, stamp, action="theme-rehome", subject_type="theme", subject_id=theme.id,
        workstream_id=before.id if before else None,
        to_workstream_id=dest.id if dest else None,
        from_state=before.name if before else "unhomed",
        to_state=dest.name if dest else "unhomed", reason=reason,
        detail=_leads_detail([p.name for p in leads]),
        data=_leads_data(leads) | _homes_data(before, dest),
    )  # fmt: skip
    return theme


def _leads_data(leads: Sequence[Person]) -> dict[str, Any]:
    return {"leads": [p.name for p in leads], "lead_ids": [p.id for p in leads]}


def _homes_data(before: Workstream | None, after: Workstream | None) -> dict[str, Any]:
    return {
        "from_workstream_id": before.id if before else None,
        "from_workstream": before.name if before else None,
        "to_workstream_id": after.id if after else None,
        "to_workstream": after.name if after else None,
    }


@declare
@dataclass(frozen=True, kw_only=True)
class ThemeRehome(Change):
    """Rehome a theme to another open workstream, or leave it unhomed with its leads."""

    name = "theme-rehome"
    title = "Rehome a theme"
    summary = "Plan to rehome a theme to a workstream, or leave it unhomed with leads."

    theme_id: int | None = param(Kind.THEME, "Theme", "", "The theme.", arg="name", required=True)
    to_workstream_id: int | None = param(
        Kind.OPEN_WORKSTREAM, "Rehome to", "--to", "Open workstream to hold it.", arg="to"
    )
    unhomed: bool = param(
        Kind.FLAG, "Unhomed", "--unhomed", "Leave it with no workstream.", arg="unhomed"
    )
    lead_ids: tuple[int, ...] = param(
        Kind.PEOPLE, "Leads", "--lead", "Who decides its future (repeatable).", arg="leads"
    )
    reason: str = param(Kind.TEXT, "Reason", "--reason", "Why: recorded in the history.",
                        arg="reason")  # fmt: skip

    def run(self, session: Session, stamp: Stamp) -> Theme:
        self.check()
        assert self.theme_id is not None
        return rehome_theme(
            session, stamp, theme_id=self.theme_id, to_workstream_id=self.to_workstream_id,
            unhomed=self.unhomed, lead_ids=self.lead_ids, reason=self.reason,
        )  # fmt: skip

    def describe(self, names: Names) -> str:
        theme = names(Kind.THEME, self.theme_id)
        if self.to_workstream_id:
            return f"rehome theme '{theme}' to {names(Kind.WORKSTREAM, self.to_workstream_id)}"
        leads = " and ".join(names(Kind.PERSON, p) for p in self.lead_ids)
        return f"leave theme '{theme}' unhomed, led by {leads}"


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
