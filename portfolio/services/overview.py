"""Read services for the terminal app: what needs attention, paged partnership
lists, names to jump to and the choices a form offers.

Each function issues a fixed number of statements whatever the data size.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy import func
from sqlmodel import Session, col, select

from portfolio.models import (
    ActionItem,
    ChecklistStep,
    Decision,
    Event,
    Grant,
    Partner,
    Partnership,
    Person,
    Theme,
    Workstream,
)
from portfolio.services.lifecycle import ENDING, REVIEW
from portfolio.services.query import rows
from portfolio.services.themes import list_themes
from portfolio.services.workstreams import WorkstreamRow, get_workstream_row, themes_of

PAGE_SIZE = 200


@dataclass(frozen=True, slots=True)
class AttentionItem:
    """One thing someone should look at, and where to go to act on it."""

    kind: str  # ending | review | theme | action | decision
    subject: str
    detail: str
    partner: str | None = None
    workstream: str | None = None


def needs_attention(session: Session, today: date) -> list[AttentionItem]:
    """Overdue or unfinished endings, reviews, unhomed themes, overdue actions and
    agreed decisions not yet enacted, most pressing kinds first."""
    items = _endings(session, today)
    for partner, ws, lead, since in rows(
        session,
        sa.select(
            col(Partner.name), col(Workstream.name), col(Person.name), col(Partnership.changed_on)
        )
        .join(Partner, Partner.id == Partnership.partner_id)  # type: ignore[arg-type]
        .join(Workstream, Workstream.id == Partnership.workstream_id)  # type: ignore[arg-type]
        .outerjoin(Person, Person.id == Partnership.lead_id)  # type: ignore[arg-type]
        .where(col(Partnership.state) == REVIEW)
        .order_by(col(Partnership.changed_on), col(Partner.name)),
    ):
        why = f"under review in {ws} since {since}, lead {lead or 'none'}"
        items.append(AttentionItem("review", partner, why, partner, ws))
    for theme in list_themes(session):
        if theme["unhomed"]:
            leads = ", ".join(theme["leads"]) or "no lead"
            items.append(AttentionItem("theme", theme["name"], f"unhomed, leads: {leads}"))
    for text, owner, due in rows(
        session,
        sa.select(col(ActionItem.text), col(Person.name), col(ActionItem.due_on))
        .join(Person, Person.id == ActionItem.owner_id)  # type: ignore[arg-type]
        .where(col(ActionItem.status) == "open", col(ActionItem.due_on) < today)
        .order_by(col(ActionItem.due_on)),
    ):
        items.append(AttentionItem("action", text, f"{owner}, due {due}"))
    for title, decided in rows(
        session,
        sa.select(col(Decision.title), col(Decision.decided_on))
        .where(col(Decision.status) == "agreed")
        .order_by(col(Decision.decided_on)),
    ):
        items.append(AttentionItem("decision", title, f"agreed {decided}, not yet enacted"))
    return items


def _endings(session: Session, today: date) -> list[AttentionItem]:
    """Endings past their planned date or with checklist steps still open (three statements)."""
    endings = rows(
        session,
        sa.select(
            col(Partnership.id), col(Partner.name), col(Workstream.name),
            col(Partnership.planned_end),
        )
        .join(Partner, Partner.id == Partnership.partner_id)  # type: ignore[arg-type]
        .join(Workstream, Workstream.id == Partnership.workstream_id)  # type: ignore[arg-type]
        .where(col(Partnership.state) == ENDING)
        .order_by(col(Partnership.planned_end), col(Partner.name)),
    )  # fmt: skip
    steps = list(session.exec(select(ChecklistStep.name).order_by(col(ChecklistStep.position))))
    ticked: dict[int, set[str]] = {}
    for subject_id, action, detail in rows(
        session,
        sa.select(col(Event.subject_id), col(Event.action), col(Event.detail))
        .where(
            col(Event.subject_type) == "partnership",
            col(Event.action).in_(("end", "tick")),
            col(Event.subject_id).in_([e[0] for e in endings]),
        )
        .order_by(col(Event.id)),
    ):
        # A new ending starts its checklist afresh.
        done = ticked.setdefault(subject_id, set())
        if action == "end":
            done.clear()
        else:
            done.add(detail)
    items = []
    for ps_id, partner, ws, planned_end in endings:
        open_count = len([s for s in steps if s not in ticked.get(ps_id, set())])
        late = planned_end is not None and planned_end < today
        if not (late or open_count):
            continue
        parts = [f"ending in {ws}"]
        parts.append(f"planned end {planned_end} passed" if late else f"planned end {planned_end}")
        if open_count:
            parts.append(f"{open_count} checklist step{'s' if open_count > 1 else ''} open")
        items.append(AttentionItem("ending", partner, ", ".join(parts), partner, ws))
    return items


@dataclass(frozen=True, slots=True)
class PartnershipLine:
    id: int
    partner: str
    state: str
    lead: str | None
    since: date
    planned_end: date | None
    funding: Decimal


@dataclass(frozen=True)
class Page:
    lines: list[PartnershipLine]
    total: int
    offset: int
    limit: int

    @property
    def last_offset(self) -> int:
        return max(0, (self.total - 1) // self.limit * self.limit)


def workstream_partnerships(
    session: Session,
    *,
    workstream_id: int,
    state: str | None = None,
    search: str = "",
    offset: int = 0,
    limit: int = PAGE_SIZE,
) -> Page:
    """One page of a workstream's partnerships by partner name, with funding; two statements."""
    totals = (
        sa.select(col(Grant.partnership_id).label("ps_id"), func.sum(Grant.amount).label("total"))
        .group_by(col(Grant.partnership_id))
        .subquery()
    )
    where = [col(Partnership.workstream_id) == workstream_id]
    if state:
        where.append(col(Partnership.state) == state)
    if search.strip():
        where.append(func.lower(Partner.name).contains(search.strip().lower()))
    joined = sa.select(col(Partnership.id)).join(
        Partner,
        Partner.id == Partnership.partner_id,  # type: ignore[arg-type]
    )
    total = (
        session.connection()
        .execute(sa.select(func.count()).select_from(joined.where(*where).subquery()))
        .scalar_one()
    )
    query = (
        sa.select(
            col(Partnership.id),
            col(Partner.name),
            col(Partnership.state),
            col(Person.name),
            col(Partnership.started_on),
            col(Partnership.planned_end),
            totals.c.total,
        )
        .join(Partner, Partner.id == Partnership.partner_id)  # type: ignore[arg-type]
        .outerjoin(Person, Person.id == Partnership.lead_id)  # type: ignore[arg-type]
        .outerjoin(totals, totals.c.ps_id == Partnership.id)
        .where(*where)
        .order_by(col(Partner.name), col(Partnership.started_on))
        .offset(offset)
        .limit(limit)
    )
    lines = [
        PartnershipLine(i, p, s, lead, since, end, Decimal(total or 0).quantize(Decimal("0.01")))
        for i, p, s, lead, since, end, total in rows(session, query)
    ]
    return Page(lines, total, offset, limit)


@dataclass(frozen=True)
class WorkstreamHeader:
    row: WorkstreamRow
    themes: list[str]


def workstream_header(session: Session, name: str) -> WorkstreamHeader:
    row = get_workstream_row(session, name)
    return WorkstreamHeader(row, themes_of(session, row.id))


@dataclass(frozen=True)
class Directory:
    """Names to jump to, and the choices forms offer."""

    partners: list[str] = field(default_factory=list)
    workstreams: list[str] = field(default_factory=list)
    open_workstreams: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)


def directory(session: Session) -> Directory:
    """Every name a person may pick from; six statements."""
    ws = list(session.exec(select(Workstream.name, Workstream.status).order_by(Workstream.name)))
    return Directory(
        partners=list(session.exec(select(Partner.name).order_by(Partner.name))),
        workstreams=[n for n, _ in ws],
        open_workstreams=[n for n, status in ws if status == "open"],
        people=list(session.exec(select(Person.name).order_by(Person.name))),
        themes=list(session.exec(select(Theme.name).order_by(Theme.name))),
        steps=list(session.exec(select(ChecklistStep.name).order_by(col(ChecklistStep.position)))),
    )
