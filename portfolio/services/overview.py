"""Read services for the terminal app: what needs attention, paged partnership
lists, names to jump to and the choices a form offers.

Each function issues a fixed number of statements whatever the data size.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy import func
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.selectable import Join
from sqlmodel import Session, col, select

from portfolio.models import (
    ActionItem,
    ChecklistStep,
    Decision,
    Event,
    Partner,
    Partnership,
    Person,
    Theme,
    Workstream,
)
from portfolio.services import lookup, positions
from portfolio.services.lifecycle import ENDING, REVIEW
from portfolio.services.query import rows
from portfolio.services.themes import list_themes
from portfolio.services.workstreams import WorkstreamRow, fill, themes_of

PAGE_SIZE = 200


@dataclass(frozen=True, slots=True)
class AttentionItem:
    """One thing someone should look at, and where to go to act on it."""

    kind: str  # ending | review | theme | action | decision
    subject: str
    detail: str
    partner: str | None = None
    workstream: str | None = None
    action_id: int | None = None  # an overdue action: the one to open


KINDS = ("ending", "review", "theme", "action", "decision")


@dataclass(frozen=True)
class Attention:
    """The most pressing items of each kind (at most ``per_kind``), and how many there are."""

    items: list[AttentionItem]
    totals: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.totals.values())


def needs_attention(session: Session, today: date, per_kind: int = 20) -> Attention:
    """Endings past their planned date or with checklist steps open, reviews, unhomed
    themes, overdue actions and agreed decisions not yet enacted; most pressing first."""
    endings, ending_total = _endings(session, today, per_kind)
    found: dict[str, list[AttentionItem]] = {"ending": endings}
    reviews = (
        sa.select(
            col(Partner.name), col(Workstream.name), col(Person.name), col(Partnership.changed_on)
        )
        .join(Partner, Partner.id == Partnership.partner_id)  # type: ignore[arg-type]
        .join(Workstream, Workstream.id == Partnership.workstream_id)  # type: ignore[arg-type]
        .outerjoin(Person, Person.id == Partnership.lead_id)  # type: ignore[arg-type]
        .where(col(Partnership.state) == REVIEW)
    )  # fmt: skip
    found["review"] = [
        AttentionItem(
            "review",
            partner,
            f"under review in {ws} since {since}, lead {lead or 'none'}",
            partner,
            ws,
        )  # fmt: skip
        for partner, ws, lead, since in rows(
            session,
            reviews.order_by(col(Partnership.changed_on), col(Partner.name)).limit(per_kind),
        )
    ]
    totals = {"ending": ending_total, "review": _count(session, reviews)}
    themes = [t for t in list_themes(session) if t["unhomed"]]
    found["theme"] = [
        AttentionItem("theme", t["name"], f"unhomed, leads: {', '.join(t['leads']) or 'none'}")
        for t in themes
    ]
    totals["theme"] = len(themes)
    overdue = (
        sa.select(
            col(ActionItem.text), col(Person.name), col(ActionItem.due_on), col(ActionItem.id)
        )
        .join(Person, Person.id == ActionItem.owner_id)  # type: ignore[arg-type]
        .where(col(ActionItem.status) == "open", col(ActionItem.due_on) < today)
    )
    found["action"] = [
        AttentionItem("action", text, f"{owner}, due {due}", action_id=action_id)
        for text, owner, due, action_id in rows(
            session, overdue.order_by(col(ActionItem.due_on)).limit(per_kind)
        )
    ]
    totals["action"] = _count(session, overdue)
    agreed = sa.select(col(Decision.title), col(Decision.decided_on)).where(
        col(Decision.status) == "agreed"
    )
    found["decision"] = [
        AttentionItem("decision", title, f"agreed {decided}, not yet enacted")
        for title, decided in rows(
            session, agreed.order_by(col(Decision.decided_on)).limit(per_kind)
        )
    ]
    totals["decision"] = _count(session, agreed)
    return Attention([i for kind in KINDS for i in found[kind][:per_kind]], totals)


def _count(session: Session, query: Any) -> int:
    return int(
        session.connection()
        .execute(sa.select(func.count()).select_from(query.subquery()))
        .scalar_one()
    )


def _open_steps() -> Any:
    """SQL, in a query of partnerships: how many checklist steps each has not ticked
    since its latest "end" event (a new ending starts its checklist afresh), a tick
    unticked later not counting."""
    partnership_id = Partnership.id
    ev = sa.alias(Event.__table__, "ev")  # type: ignore[attr-defined]
    last = sa.alias(Event.__table__, "last")  # type: ignore[attr-defined]
    latest_end = (
        sa.select(func.max(last.c.id))
        .where(last.c.subject_type == "partnership", last.c.subject_id == partnership_id,
               last.c.action == "end")
        .correlate(Partnership)  # type: ignore[arg-type]
        .scalar_subquery()
    )  # fmt: skip
    step = func.json_extract(ev.c.data, "$.step_id")  # the step a tick recorded
    # Ticks less unticks: the services let a step's ticks and unticks only alternate
    # (tick, untick, tick ...), so each step ticked now has one tick more than unticks.
    ticked = (
        sa.select(func.coalesce(func.sum(sa.case((ev.c.action == "tick", 1), else_=-1)), 0))
        .where(ev.c.subject_type == "partnership", ev.c.subject_id == partnership_id,
               ev.c.action.in_(("tick", "untick")), ev.c.id > func.coalesce(latest_end, 0),
               step.in_(sa.select(col(ChecklistStep.id))))
        .correlate(Partnership)  # type: ignore[arg-type]
        .scalar_subquery()
    )  # fmt: skip
    return sa.select(func.count()).select_from(ChecklistStep).scalar_subquery() - ticked


def _endings(session: Session, today: date, limit: int) -> tuple[list[AttentionItem], int]:
    """The first ``limit`` endings past their planned date or with checklist steps still
    open, and how many there are (two statements).

    Only the shown rows and the endings not yet past their date have their ticks
    counted (SQLite tries "late" first): reading every ending's events took 0.4 s at
    two million events.
    """
    late = sa.and_(col(Partnership.planned_end).is_not(None), col(Partnership.planned_end) < today)
    needing = sa.and_(col(Partnership.state) == ENDING, sa.or_(late, _open_steps() > 0))
    order = (col(Partnership.planned_end), col(Partner.name))
    shown = (
        sa.select(col(Partnership.id))
        .join(Partner, Partner.id == Partnership.partner_id)  # type: ignore[arg-type]
        .where(needing)
        .order_by(*order)
        .limit(limit)
    )  # fmt: skip
    found = rows(
        session,
        sa.select(
            col(Partner.name), col(Workstream.name), col(Partnership.planned_end),
            _open_steps(),
        )
        .join(Partner, Partner.id == Partnership.partner_id)  # type: ignore[arg-type]
        .join(Workstream, Workstream.id == Partnership.workstream_id)  # type: ignore[arg-type]
        .where(col(Partnership.id).in_(shown))
        .order_by(*order),
    )  # fmt: skip
    total = int(
        session.connection()
        .execute(sa.select(func.count()).select_from(Partnership).where(needing))
        .scalar_one()
    )
    items = []
    for partner, ws, planned_end, open_count in found:
        parts = [f"ending in {ws}"]
        passed = planned_end is not None and planned_end < today
        parts.append(
            f"planned end {planned_end} passed" if passed else f"planned end {planned_end}"
        )
        if open_count:
            parts.append(f"{open_count} checklist step{'s' if open_count > 1 else ''} open")
        items.append(AttentionItem("ending", partner, ", ".join(parts), partner, ws))
    return items, total


class _InOrder(Join):
    """A join whose left side SQLite must loop over outermost (its CROSS JOIN)."""

    inherit_cache = True


@compiles(_InOrder, "sqlite")
def _cross_join(join: _InOrder, compiler: Any, **kw: Any) -> str:
    return str(compiler.visit_join(join, **kw)).replace(" JOIN ", " CROSS JOIN ", 1)


@dataclass(frozen=True, slots=True)
class PartnershipLine:
    id: int
    partner: str
    state: str
    lead: str | None
    since: date
    planned_end: date | None
    funding: dict[str, Decimal]  # per currency: the grants it holds (services.positions)


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
    """One page of a workstream's partnerships by partner name, with funding.

    Four statements: the count, the number of partners (to choose how to read the
    page), the page, and the funding of that page's rows only.
    """
    needle = search.strip().lower()
    where = [col(Partnership.workstream_id) == workstream_id]
    if state:
        where.append(col(Partnership.state) == state)
    if needle:
        where.append(func.lower(Partner.name).contains(needle))
    counted = sa.select(col(Partnership.id))
    if needle:  # joined only to match names: counting from the index is 10x faster
        counted = counted.join(Partner, Partner.id == Partnership.partner_id)  # type: ignore[arg-type]
    total = _count(session, counted.where(*where))
    columns = (
        col(Partnership.id), col(Partner.name), col(Partnership.state), col(Person.name),
        col(Partnership.started_on), col(Partnership.planned_end),
    )  # fmt: skip
    partners = session.connection().execute(sa.select(func.max(Partner.id))).scalar_one() or 0
    if total and (offset + limit) * partners < total * total:
        # An early page of many rows: walk partners in name order and stop once the
        # page is full, rather than sort every row of the workstream (2 ms, not 20,
        # at 17,000 rows). Deep pages and rare matches sort instead: the walk would
        # pass over most partners to find them.
        walk = _InOrder(Partner, Partnership, col(Partner.id) == col(Partnership.partner_id))
        query = (
            sa.select(*columns)
            .select_from(walk)
            .where(
                # Disguised so that SQLite looks a partner's partnerships up by partner.
                col(Partnership.workstream_id) + 0 == workstream_id,
                *([col(Partnership.state).concat("") == state] if state else []),
                *([func.lower(Partner.name).contains(needle)] if needle else []),
            )
        )
    else:
        query = (
            sa.select(*columns)
            .join(Partner, Partner.id == Partnership.partner_id)  # type: ignore[arg-type]
            .where(*where)
        )
    page = rows(
        session,
        query.outerjoin(Person, Person.id == Partnership.lead_id)  # type: ignore[arg-type]
        .order_by(col(Partner.name), col(Partnership.started_on), col(Partnership.id))
        .offset(offset)
        .limit(limit),
    ) if total else []  # fmt: skip
    funding = positions.holdings(session, [r[0] for r in page])
    lines = [
        PartnershipLine(i, p, s, lead, since, end, funding.get(i, {}))
        for i, p, s, lead, since, end in page
    ]
    return Page(lines, total, offset, limit)


@dataclass(frozen=True)
class WorkstreamHeader:
    row: WorkstreamRow
    themes: list[str]


def workstream_header(session: Session, name: str, *, currency: str = "GBP") -> WorkstreamHeader:
    """One workstream with its counts, committed funding and themes (five statements)."""
    ws = lookup.workstream(session, name)
    assert ws.id is not None
    lead = session.get(Person, ws.lead_id) if ws.lead_id else None
    row = WorkstreamRow(
        ws.id, ws.name, ws.purpose, lead.name if lead else None, ws.status, ws.opened_on,
        ws.closed_on, currency=currency,
    )  # fmt: skip
    fill(positions.current(session, [ws.id]), [row])
    return WorkstreamHeader(row, themes_of(session, ws.id))


@dataclass(frozen=True)
class Directory:
    """Names to jump to, and the choices forms offer; ``ids`` maps each kind's names
    (partner, workstream, person, theme, step) to their ids, for the form that picked one."""

    partners: list[str] = field(default_factory=list)
    workstreams: list[str] = field(default_factory=list)
    open_workstreams: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)
    ids: dict[str, dict[str, int]] = field(default_factory=dict)

    def id_of(self, kind: str, name: str) -> int | None:
        return self.ids.get(kind, {}).get(name)


def directory(session: Session) -> Directory:
    """Every name a person may pick from, with its id; six statements."""
    ws = list(
        session.exec(
            select(Workstream.id, Workstream.name, Workstream.status).order_by(Workstream.name)
        )
    )
    partners = list(session.exec(select(Partner.id, Partner.name).order_by(Partner.name)))
    people = list(session.exec(select(Person.id, Person.name).order_by(Person.name)))
    themes = list(session.exec(select(Theme.id, Theme.name).order_by(Theme.name)))
    steps = list(
        session.exec(
            select(ChecklistStep.id, ChecklistStep.name).order_by(col(ChecklistStep.position))
        )
    )
    return Directory(
        partners=[n for _, n in partners],
        workstreams=[n for _, n, _ in ws],
        open_workstreams=[n for _, n, status in ws if status == "open"],
        people=[n for _, n in people],
        themes=[n for _, n in themes],
        steps=[n for _, n in steps],
        ids={
            "partner": {n: i for i, n in partners if i is not None},
            "workstream": {n: i for i, n, _ in ws if i is not None},
            "person": {n: i for i, n in people if i is not None},
            "theme": {n: i for i, n in themes if i is not None},
            "step": {n: i for i, n in steps if i is not None},
        },
    )


def partners_matching(session: Session, typed: str, prefix: str, limit: int = 100) -> list[str]:
    """Partners whose ``prefix + name`` holds the typed letters in order (as the command
    palette's fuzzy match does), those holding them side by side first, then shortest.

    Matched in SQL so that a key press costs a few milliseconds whatever the number of
    partners: matching 50,000 names in Python took 0.3 to 0.5 s a key.
    """
    letters = [c for c in typed.lower() if not c.isspace()]
    if not letters:
        return []
    escape = "\\"
    pattern = "%" + "%".join(
        escape + c if c in "%_" + escape else c for c in letters
    ) + "%"  # fmt: skip
    text = func.lower(prefix + Partner.name)
    together = func.instr(func.lower(Partner.name), "".join(letters))
    return [
        name
        for (name,) in rows(
            session,
            sa.select(col(Partner.name))
            .where(text.like(pattern, escape=escape))
            .order_by((together == 0), func.length(Partner.name), col(Partner.name))
            .limit(limit),
        )
    ]


def warm_up(session: Session, today: date, *, workstream: str | None, partner: str | None) -> None:
    """Run once each read the app's other screens make, and throw the results away.

    SQLAlchemy compiles a statement the first time it runs (and SQLite reads the
    pages it needs): done while the person reads the overview, the first visit to
    each screen costs what a later one does.
    """
    # Imported here, not at the top: the overview, which starts the app, needs none of them.
    from portfolio.services.actions import list_actions
    from portfolio.services.decisions import list_decisions
    from portfolio.services.insights import list_insights
    from portfolio.services.partners import partner_detail
    from portfolio.services.sessions import learning_choices, list_sessions

    if workstream:
        header = workstream_header(session, workstream)
        workstream_partnerships(session, workstream_id=header.row.id)
    if partner:
        partner_detail(session, partner)
    list_decisions(session)
    list_insights(session)
    list_sessions(session, today)
    list_actions(session)
    learning_choices(session)
