"""Partner organisations: add, edit, list (a fixed number of statements), show."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from portfolio.errors import Duplicate, InvalidInput, Refused
from portfolio.models import (
    Event,
    Grant,
    Partner,
    Partnership,
    Person,
    Workstream,
    name_key,
    utcnow,
)
from portfolio.services import bulk, lookup
from portfolio.services.checklist import ending_steps
from portfolio.services.history import EventRow, Stamp, events, record
from portfolio.services.inputs import check_org_id, clean_name, clean_text
from portfolio.services.lifecycle import ENDING, label
from portfolio.services.links import by_id
from portfolio.services.partnerships import ticked_steps
from portfolio.services.query import bulk_rows, iso_date, rows


def checked_partner(
    *, name: str, kind: str = "", place: str = "", org_id: str = "", notes: str = ""
) -> dict[str, str]:
    """A partner's fields by the input rules, as one partner or a bulk import adds them."""
    name = clean_name(name, "partner name", field="name")
    if not name:
        raise InvalidInput("A partner needs a name.")
    return {
        "name": name,
        "kind": clean_name(kind, "kind", field="kind"),
        "place": clean_name(place, "place", field="place"),
        "org_id": check_org_id(org_id, field="org_id"),
        "notes": clean_text(notes),
    }


def add_partner(
    session: Session,
    *,
    name: str,
    kind: str = "",
    place: str = "",
    org_id: str = "",
    notes: str = "",
    stamp: Stamp | None = None,
) -> Partner:
    fields = checked_partner(name=name, kind=kind, place=place, org_id=org_id, notes=notes)
    if (same := lookup.same_name(session, Partner, fields["name"])) is not None:
        raise Duplicate(f"There is already a partner named '{same}'.", field="name")
    partner = Partner(**fields)  # type: ignore[arg-type]  # every field a str
    session.add(partner)
    session.flush()
    if stamp is not None:
        assert partner.id is not None
        record(
            session, stamp, action="partner-add", subject_type="partner",
            subject_id=partner.id, partner_id=partner.id,
        )  # fmt: skip
    return partner


# A partner's details a person may edit, and how an edit names each in words.
EDITABLE = {"name": "name", "kind": "kind", "place": "place", "org_id": "org id", "notes": "notes"}


def edit_partner(
    session: Session,
    stamp: Stamp,
    *,
    partner_id: int,
    name: str | None = None,
    kind: str | None = None,
    place: str | None = None,
    org_id: str | None = None,
    notes: str | None = None,
) -> dict[str, dict[str, str]]:
    """Change a partner's details (None leaves one as it is), checked as :func:`add_partner`
    checks them; one event records each change before and after. Returns those changes."""
    partner = by_id(session, Partner, partner_id, "partner")
    given = {
        attr: value
        for attr, value in
        {"name": name, "kind": kind, "place": place, "org_id": org_id, "notes": notes}.items()
        if value is not None
    }  # fmt: skip
    if "name" in given and not given["name"].strip():
        raise InvalidInput("A partner needs a name.", field="name")
    # Only what is given is checked: a detail recorded before a rule existed may stay.
    checked = checked_partner(**(given | {"name": given.get("name", partner.name)}))
    changed = {
        attr: {"before": getattr(partner, attr), "after": checked[attr]}
        for attr in given
        if checked[attr] != getattr(partner, attr)
    }
    if not changed:
        raise Refused(f"Nothing to change: {partner.name} already has those details.")
    # Its own name in another letter case is not taken: "MEAM" may become "Meam".
    renamed = "name" in changed and name_key(checked["name"]) != partner.name_key
    if renamed and (same := lookup.same_name(session, Partner, checked["name"])) is not None:
        raise Duplicate(f"There is already a partner named '{same}'.", field="name")
    for attr, change in changed.items():
        setattr(partner, attr, change["after"])
    session.add(partner)
    session.flush()
    record(
        session, stamp, action="partner-edit", subject_type="partner", subject_id=partner_id,
        partner_id=partner_id, detail=edit_words(changed), data={"changed": changed},
    )  # fmt: skip
    return changed


def edit_words(changed: dict[str, dict[str, str]]) -> str:
    """An edit in words, as the timeline shows it: "name 'Ada' → 'Ada Trust'; notes changed"
    (notes may run to paragraphs: the event's data keeps them whole)."""

    def shown(text: str) -> str:
        return f"'{text}'" if text else "(none)"

    return "; ".join(
        f"{EDITABLE[attr]} changed"
        if attr == "notes"
        else f"{EDITABLE[attr]} {shown(c['before'])} → {shown(c['after'])}"
        for attr, c in changed.items()
    )


@dataclass(slots=True)
class PartnershipRow:
    id: int
    partner_id: int
    partner: str
    workstream: str
    state: str
    lead: str | None
    started_on: date
    changed_on: date
    planned_end: date | None
    exit_type: str | None
    predecessor_id: int | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "partner": self.partner,
            "workstream": self.workstream,
            "state": self.state,
            "state_label": label(self.state),
            "lead": self.lead,
            "started_on": self.started_on.isoformat(),
            "changed_on": self.changed_on.isoformat(),
            "planned_end": self.planned_end.isoformat() if self.planned_end else None,
            "exit_type": self.exit_type,
            "predecessor_id": self.predecessor_id,
        }


@dataclass(slots=True)
class PartnerRow:
    id: int
    name: str
    kind: str
    place: str
    org_id: str
    partnerships: list[PartnershipRow] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "place": self.place,
            "org_id": self.org_id,
            "partnerships": [p.as_dict() for p in self.partnerships],
        }


_PARTNERSHIP_COLUMNS = (
    col(Partnership.id),
    col(Partnership.partner_id),
    col(Partner.name),
    col(Workstream.name),
    col(Partnership.state),
    col(Person.name),
    iso_date(col(Partnership.started_on)),
    iso_date(col(Partnership.changed_on)),
    iso_date(col(Partnership.planned_end)),
    col(Partnership.exit_type),
    col(Partnership.predecessor_id),
)


def partnership_rows_query() -> Any:
    """Partnerships with partner, workstream and lead names, as plain columns."""
    return (
        sa.select(*_PARTNERSHIP_COLUMNS)
        .join(Partner, Partner.id == Partnership.partner_id)  # type: ignore[arg-type]
        .join(Workstream, Workstream.id == Partnership.workstream_id)  # type: ignore[arg-type]
        .outerjoin(Person, Person.id == Partnership.lead_id)  # type: ignore[arg-type]
    )


def list_partners(
    session: Session, *, workstream: str | None = None, state: str | None = None
) -> list[PartnerRow]:
    """Partners, each with all its partnerships; two statements whatever the size.

    ``workstream``/``state`` keep partners having a partnership that matches.
    """
    # Partners with a matching partnership, computed once (IN, not a correlated EXISTS:
    # SQLite then probed the state index for every row, 200 to 700 times slower).
    match = sa.select(col(Partnership.partner_id))
    if workstream is not None:
        ws = lookup.workstream(session, workstream)
        match = match.where(col(Partnership.workstream_id) == ws.id)
    if state is not None:
        match = match.where(col(Partnership.state) == state)
    partners_q = sa.select(
        col(Partner.id),
        col(Partner.name),
        col(Partner.kind),
        col(Partner.place),
        col(Partner.org_id),
    )
    ps_q = partnership_rows_query()
    if workstream is not None or state is not None:
        partners_q = partners_q.where(col(Partner.id).in_(match))
        ps_q = ps_q.where(col(Partnership.partner_id).in_(match))
    found = rows(session, partners_q.order_by(col(Partner.name)))
    partnerships = rows(session, ps_q.order_by(col(Partnership.started_on), col(Partnership.id)))
    with bulk_rows():
        by_id = {r[0]: PartnerRow(*r) for r in found}
        for r in partnerships:
            ps = PartnershipRow(*tuple(r))  # unpacking a plain tuple is faster than a Row
            by_id[ps.partner_id].partnerships.append(ps)
    return list(by_id.values())


@dataclass
class PartnerDetail:
    partner: Partner
    partnerships: list[PartnershipRow]
    grants: list[dict[str, Any]]
    checklists: dict[int, list[dict[str, Any]]]  # partnership id -> steps, while ending
    timeline: list[EventRow]

    def as_dict(self) -> dict[str, Any]:
        p = self.partner
        return {
            "id": p.id,
            "name": p.name,
            "kind": p.kind,
            "place": p.place,
            "org_id": p.org_id,
            "notes": p.notes,
            "partnerships": [
                {**ps.as_dict(), "checklist": self.checklists.get(ps.id)}
                for ps in self.partnerships
            ],
            "grants": self.grants,
            "timeline": [e.as_dict() for e in self.timeline],
        }


def partner_detail(session: Session, name: str, *, partner_id: int | None = None) -> PartnerDetail:
    """Everything about one partner: partnerships, grants, checklists, one timeline;
    found by ``partner_id`` when given (it holds across a rename), else by name."""
    if partner_id is not None:
        partner = by_id(session, Partner, partner_id, "partner")
    else:
        partner = lookup.partner(session, name)
    partnerships = [
        PartnershipRow(*r)
        for r in rows(
            session,
            partnership_rows_query()
            .where(col(Partnership.partner_id) == partner.id)
            .order_by(col(Partnership.started_on), col(Partnership.id)),
        )
    ]
    grant_rows = session.exec(
        select(Grant, Workstream.name)
        .join(Partnership, Partnership.id == Grant.partnership_id)  # type: ignore[arg-type]
        .join(Workstream, Workstream.id == Partnership.workstream_id)  # type: ignore[arg-type]
        .where(Partnership.partner_id == partner.id)
        .order_by(col(Grant.awarded_on), col(Grant.id))
    ).all()
    grants = [grant_as_dict(g, ws_name) for g, ws_name in grant_rows]
    checklists = {}
    for ps in partnerships:
        if ps.state == ENDING:
            done = ticked_steps(session, ps.id)
            steps = ending_steps(session, ps.id)
            checklists[ps.id] = [
                {
                    "step": s.name,
                    "text": s.text,
                    "done": s.id in done,
                    "on": done[s.id].occurred_on.isoformat() if s.id in done else None,
                    "by": done[s.id].actor if s.id in done else None,
                }
                for s in steps
            ]
    assert partner.id is not None
    return PartnerDetail(
        partner, partnerships, grants, checklists, events(session, partner_id=partner.id)
    )


def grant_as_dict(g: Grant, workstream: str) -> dict[str, Any]:
    return {
        "id": g.id,
        "partnership_id": g.partnership_id,
        "workstream": workstream,
        "amount": f"{Decimal(g.amount):.2f}",
        "currency": g.currency,
        "title": g.title,
        "awarded_on": g.awarded_on.isoformat(),
        "planned_start": g.planned_start.isoformat() if g.planned_start else None,
        "planned_end": g.planned_end.isoformat() if g.planned_end else None,
        "reference": g.reference,
        # Withdrawn as recorded in error (services.grants): kept, and no longer counted.
        "withdrawn_on": g.withdrawn_on.isoformat() if g.withdrawn_on else None,
    }


def add_partners(session: Session, stamp: Stamp, partners: list[dict[str, str]]) -> list[int]:
    """Add many partners (name, kind, place, org_id, notes) and their history in a few
    statements, whatever their number; names are checked against the database and
    each other whatever their case, as :func:`add_partner` checks one."""
    found: dict[str, str] = {}
    partners = [checked_partner(**given) for given in partners]
    for given in partners:
        name = given["name"]
        if (key := name_key(name)) in found:
            raise Duplicate(f"'{name}' and '{found[key]}' are the same name.")
        found[key] = name
    if (same := bulk.first_taken(session, Partner.name, Partner.name_key, set(found))) is not None:
        raise Duplicate(f"There is already a partner named '{same}'.")
    ids = bulk.insert_many(
        session,
        Partner,
        [
            {**p, "name_key": name_key(p["name"])}
            for p in partners
        ],
    )  # fmt: skip
    now = utcnow()
    bulk.insert_many(
        session,
        Event,
        [
            {"occurred_on": stamp.on, "recorded_at": now, "actor": stamp.actor,
             "action": "partner-add", "subject_type": "partner", "subject_id": pid,
             "partner_id": pid, "decision_id": stamp.decision_id, "reason": "", "detail": "",
             "data": {}}
            for pid in ids
        ],
    )  # fmt: skip
    return ids
