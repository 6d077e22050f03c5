"""What is committed where, in which currency, and how many partnerships in each state.

The one read model behind the overview, ``workstream list/show``, the workstream
screen and the board update, so that no two of them can tell different truths.

The rule, applied the same way on both paths below:

- A grant is *held* by the partnership it was made in until that partnership is
  transferred while the grant is still to run; then it moves to the successor (and
  on along a chain of transfers, following ``predecessor_id``). *Still to run* at a
  transfer means: the grant has no planned end, or its planned end is on or after
  the transfer date (the successor's start). A grant planned to end before the
  transfer stays where it was made. The grant record itself never moves: its
  history stays in the workstream that made it.
- A grant counts as *committed* in its holder's workstream while the holder is
  current (active, under review or ending) as at the date.
- Totals are per currency and never added across currencies.
- A grant withdrawn (recorded in error) no longer counts from the day it was
  withdrawn: not now, nor as at that day or later.
- Sums cannot overflow: SQL sums each grant's whole billions of pence and the rest
  apart (SQLite's SUM fails past 2**63), and Python adds the two exactly.

Two paths, one rule:

- :func:`current` reads the position as the records stand now from two small
  summary tables (``models.position``): two statements whatever the size of the
  portfolio. A session listener rewrites the rows of just the workstreams a change
  touches, in the change's own transaction; migration 0006 and :func:`rebuild`
  fill them for records written some other way.
- :func:`as_at` rebuilds the position on a date from history (each partnership's
  latest event up to then), for the board update.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import SessionTransaction, aliased
from sqlmodel import Session, col

from portfolio.models import Event, Grant, Partnership
from portfolio.services.lifecycle import ACTIVE, CURRENT, TRANSFERRED
from portfolio.services.query import iso_date, rows

Amounts = dict[str, Decimal]  # currency code -> amount


@dataclass(frozen=True)
class Position:
    """Committed funding and partnership counts, per workstream id."""

    committed: dict[int, Amounts] = field(default_factory=dict)
    counts: dict[int, dict[str, int]] = field(default_factory=dict)
    # Of the committed funding, what is planned to end after the date and by ``ends_by``.
    ending: dict[int, Amounts] = field(default_factory=dict)

    def committed_in(self, workstream_ids: Iterable[int] | None = None) -> Amounts:
        """Committed funding per currency, over the workstreams named (default: all)."""
        return _total(self.committed, workstream_ids)

    def ending_in(self, workstream_ids: Iterable[int] | None = None) -> Amounts:
        return _total(self.ending, workstream_ids)

    def counts_in(self, workstream_ids: Iterable[int] | None = None) -> dict[str, int]:
        """Partnerships per state, over the workstreams named (default: the portfolio)."""
        wanted = self.counts.keys() if workstream_ids is None else set(workstream_ids)
        total: dict[str, int] = {}
        for ws in wanted:
            for state, count in self.counts.get(ws, {}).items():
                total[state] = total.get(state, 0) + count
        return total

    def live(self) -> set[int]:
        """Workstreams holding at least one current partnership."""
        return {ws for ws, by_state in self.counts.items() if any(by_state.get(s) for s in CURRENT)}


def _total(by_ws: dict[int, Amounts], workstream_ids: Iterable[int] | None) -> Amounts:
    wanted = by_ws.keys() if workstream_ids is None else set(workstream_ids)
    total: Amounts = {}
    for ws in wanted:
        for currency, amount in by_ws.get(ws, {}).items():
            total[currency] = total.get(currency, Decimal("0.00")) + amount
    return total


def _money(minor: Any, billions: Any = 0) -> Decimal:
    """Pence as an exact amount; ``billions`` of pence and the rest summed apart."""
    return Decimal(int(billions or 0) * BILLION + int(minor or 0)).scaleb(-2)


# Each grant's pence split in two, each part summed apart: neither sum can overflow.
BILLION = 10**9
_SPLIT_SUMS = f"SUM(g.amount_minor / {BILLION}), SUM(g.amount_minor % {BILLION})"


# The current path: summary tables, kept in step with every write.

_SUMMARY_COMMITTED = (
    "SELECT workstream_id, currency, amount_billions, amount_minor FROM committed_funding"
)
_SUMMARY_COUNTS = "SELECT workstream_id, state, partnerships FROM partnership_count"


def current(session: Session, workstream_ids: Iterable[int] | None = None) -> Position:
    """The position as the records stand now (two statements)."""
    _refresh_pending(session)
    where, params = "", {}
    if workstream_ids is not None:
        where, params = " WHERE workstream_id IN :ws", {"ws": list(workstream_ids)}
    position = Position()
    for ws, currency, billions, minor in _run(session, _SUMMARY_COMMITTED + where, params):
        position.committed.setdefault(ws, {})[currency] = _money(minor, billions)
    for ws, state, count in _run(session, _SUMMARY_COUNTS + where, params):
        position.counts.setdefault(ws, {})[state] = count
    return position


def _run(session: Session, sql: str, params: dict[str, Any]) -> list[Any]:
    statement = sa.text(sql)
    if "ws" in params:
        statement = statement.bindparams(sa.bindparam("ws", expanding=True))
    return rows(session, statement.bindparams(**params) if params else statement)


# Each grant with the partnership that holds it (see the module's rule). The seed
# rows are holders; each step walks back to a predecessor, carrying the latest
# transfer date on the way (a grant reaches the holder only if it was still to run
# at every transfer).
_HELD = """
WITH RECURSIVE held(id, predecessor_id, started_on, holder, holder_ws, moved_on) AS (
    SELECT id, predecessor_id, started_on, id, workstream_id, NULL
      FROM partnership WHERE {seed}
    UNION
    SELECT p.id, p.predecessor_id, p.started_on, held.holder, held.holder_ws,
           MAX(COALESCE(held.moved_on, held.started_on), held.started_on)
      FROM held JOIN partnership AS p ON p.id = held.predecessor_id
)
"""
_REACHES = (
    "(held.moved_on IS NULL OR g.planned_end IS NULL OR g.planned_end >= held.moved_on)"
    " AND g.withdrawn_on IS NULL"
)
_STATES = ", ".join(f"'{s}'" for s in sorted(CURRENT))  # fixed names, safe to inline


def _rewrite(connection: sa.Connection, workstream_ids: set[int] | None) -> None:
    """Recompute the summary rows of the workstreams named (None: every workstream)."""
    only = "" if workstream_ids is None else " AND workstream_id IN :ws"
    params: dict[str, Any] = {} if workstream_ids is None else {"ws": sorted(workstream_ids)}
    statements = [
        "DELETE FROM committed_funding WHERE 1 = 1" + only,
        "DELETE FROM partnership_count WHERE 1 = 1" + only,
        "INSERT INTO partnership_count (workstream_id, state, partnerships) "
        "SELECT workstream_id, state, COUNT(*) FROM partnership WHERE 1 = 1"
        + only
        + " GROUP BY workstream_id, state",
        "INSERT INTO committed_funding (workstream_id, currency, amount_billions, amount_minor) "
        + _HELD.format(seed=f"state IN ({_STATES})" + only)
        + f'SELECT held.holder_ws, g.currency, {_SPLIT_SUMS} FROM held JOIN "grant" AS g '
        f"ON g.partnership_id = held.id WHERE {_REACHES} GROUP BY held.holder_ws, g.currency",
    ]
    for sql in statements:
        statement = sa.text(sql)
        if params:
            statement = statement.bindparams(sa.bindparam("ws", expanding=True))
        connection.execute(statement, params)


def rebuild(session: Session) -> None:
    """Recompute the whole summary from the records (after rows were written directly,
    as the benchmark generator does)."""
    _rewrite(session.connection(), None)


def holdings(session: Session, partnership_ids: Iterable[int]) -> dict[int, Amounts]:
    """Per partnership, the funding it holds now, per currency (one statement).

    Each grant shows in exactly one partnership: its own, or the successor it moved
    to. A transferred or ended partnership keeps only what did not move on.
    """
    ids = list(partnership_ids)
    if not ids:
        return {}
    session.flush()  # this transaction's own grants and transfers, visible to plain SQL
    sql = (
        _HELD.format(seed="id IN :ids")
        + f'SELECT held.holder, g.currency, {_SPLIT_SUMS} FROM held JOIN "grant" AS g '
        f"ON g.partnership_id = held.id WHERE {_REACHES} AND NOT EXISTS (SELECT 1 FROM "
        "partnership AS s WHERE s.predecessor_id = held.holder AND (g.planned_end IS NULL "
        "OR g.planned_end >= s.started_on)) GROUP BY held.holder, g.currency"
    )
    statement = sa.text(sql).bindparams(sa.bindparam("ids", expanding=True), ids=ids)
    found: dict[int, Amounts] = {}
    for ps_id, currency, billions, minor in rows(session, statement):
        found.setdefault(ps_id, {})[currency] = _money(minor, billions)
    return found


# Keeping the summary in step: note what each flush touches, rewrite before commit.

_TOUCHED = "portfolio.positions.touched"


@sa_event.listens_for(OrmSession, "after_flush")
def _note_changes(session: OrmSession, _context: Any) -> None:
    workstreams: set[int] = set()
    partnerships: set[int] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Event):
            workstreams.update(w for w in (obj.workstream_id, obj.to_workstream_id) if w)
            if obj.subject_type == "partnership":
                partnerships.add(obj.subject_id)
        elif isinstance(obj, Grant):
            partnerships.add(obj.partnership_id)
        elif isinstance(obj, Partnership) and obj.id is not None:
            partnerships.add(obj.id)
            workstreams.add(obj.workstream_id)
    if workstreams or partnerships:
        pending = session.info.setdefault(_TOUCHED, (set(), set()))
        pending[0].update(workstreams)
        pending[1].update(partnerships)


def note_changed(session: Session, *, partnerships: Iterable[int]) -> None:
    """Note partnerships whose grants were written without ORM objects (a bulk insert,
    which the flush listener cannot see): their summary rows are rewritten before commit."""
    pending = session.info.setdefault(_TOUCHED, (set(), set()))
    pending[1].update(partnerships)


@sa_event.listens_for(OrmSession, "before_commit")
def _refresh_before_commit(session: OrmSession) -> None:
    if not session.in_nested_transaction():
        _refresh_pending(session)


@sa_event.listens_for(OrmSession, "after_transaction_end")
def _forget(session: OrmSession, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(_TOUCHED, None)


_FORWARD = sa.text(
    "WITH RECURSIVE fwd(id, workstream_id) AS ("
    " SELECT id, workstream_id FROM partnership WHERE id IN :ids"
    " UNION SELECT s.id, s.workstream_id FROM fwd JOIN partnership AS s"
    " ON s.predecessor_id = fwd.id"
    ") SELECT DISTINCT workstream_id FROM fwd"
).bindparams(sa.bindparam("ids", expanding=True))


def _refresh_pending(session: OrmSession) -> None:
    """Rewrite the summary for what this transaction changed, so it reads its own writes.

    Inside a savepoint the notes are kept (the savepoint may roll back and the
    commit must then rewrite again); at the top level they are done with.
    """
    session.flush()
    pending = session.info.get(_TOUCHED)
    if not pending:
        return
    workstreams, partnerships = pending
    connection = session.connection()
    # A file written at a revision before the summary existed: migration 0006 fills it.
    if not sa.inspect(connection).has_table("committed_funding"):
        return
    found = set(workstreams)
    if partnerships:
        found.update(connection.execute(_FORWARD, {"ids": sorted(partnerships)}).scalars())
    if found:
        _rewrite(connection, found)
    if not session.in_nested_transaction():
        session.info.pop(_TOUCHED, None)


# The path through history: the position on any date.


def as_at(
    session: Session,
    on: date,
    *,
    changed_since: date | None = None,
    ends_by: date | None = None,
    recorded_by: datetime | None = None,
) -> Position:
    """The position on ``on``, from each partnership's latest event up to that day.

    Counts hold every partnership current on ``on``, and those no longer current
    whose last change was on or after ``changed_since`` (default: all of them).
    ``ending`` holds the committed grants planned to end after ``on`` and by ``ends_by``.
    With ``recorded_by``, only events and grants recorded by then count (a past
    board paper printed again). Two statements.
    """
    events_then = () if recorded_by is None else (col(Event.recorded_at) <= recorded_by,)
    grants_then = () if recorded_by is None else (col(Grant.recorded_at) <= recorded_by,)
    latest = (
        sa.select(col(Event.subject_id), sa.func.max(Event.id).label("event_id"))
        .where(col(Event.subject_type) == "partnership", col(Event.occurred_on) <= on, *events_then)
        .group_by(col(Event.subject_id))
        .subquery()
    )
    found = rows(
        session,
        sa.select(
            col(Partnership.id),
            col(Partnership.workstream_id),
            col(Partnership.predecessor_id),
            iso_date(col(Partnership.started_on)),
            col(Event.to_state),
            iso_date(col(Event.occurred_on)),
        )
        .outerjoin(latest, latest.c.subject_id == Partnership.id)
        .outerjoin(Event, col(Event.id) == latest.c.event_id)
        .where(col(Partnership.started_on) <= on),
    )
    last_state = {ps: state for ps, _ws, _pred, _started, state, _on in found}
    # Funding moves only along a transfer made by then. A transfer's successor has no
    # event of its own until something happens to it; any other partnership without
    # one had not begun.
    moved_from = {pred for pred in {row[2] for row in found} if last_state.get(pred) == TRANSFERRED}
    begun = [
        (ps, ws, pred, started, state or ACTIVE, changed or started)
        for ps, ws, pred, started, state, changed in found
        if state is not None or pred in moved_from
    ]
    held = {ps: (ws, state) for ps, ws, _pred, _started, state, _on in begun}
    successor = {
        pred: (ps, started) for ps, _ws, pred, started, _s, _o in begun if pred in moved_from
    }
    position = Position()
    for _ps, ws, _pred, _started, state, changed in begun:
        if state in CURRENT or changed_since is None or changed >= changed_since:
            by_state = position.counts.setdefault(ws, {})
            by_state[state] = by_state.get(state, 0) + 1
    minor = sa.type_coerce(col(Grant.amount), sa.BigInteger)  # whole pence: sums stay exact
    planned_end = col(Grant.planned_end)
    is_soon = sa.and_(planned_end > on, planned_end <= (ends_by or on))
    # Only a grant whose partnership was transferred by then needs its planned end
    # (to see whether it moved): the others are summed per partnership and currency.
    moved = aliased(Partnership)
    may_move = sa.case((col(moved.id).is_not(None), planned_end))
    grants = rows(
        session,
        sa.select(
            col(Grant.partnership_id), col(Grant.currency), iso_date(may_move.label("planned_end")),
            *_split_sums(minor), *_split_sums(sa.case((is_soon, minor), else_=0)),
        )
        .outerjoin(moved, sa.and_(
            col(moved.predecessor_id) == Grant.partnership_id, col(moved.started_on) <= on,
        ))
        .where(col(Grant.awarded_on) <= on, still_granted(on, recorded_by), *grants_then)
        .group_by(col(Grant.partnership_id), col(Grant.currency), may_move),
    )  # fmt: skip
    for ps, currency, ends, total_b, total, ending_b, ending in grants:
        holder, seen = ps, {ps}
        while holder in successor:
            nxt, moved_on = successor[holder]
            if (ends is not None and ends < moved_on) or nxt in seen:
                break
            holder = nxt
            seen.add(holder)
        ws, state = held.get(holder, (None, None))
        if ws is None or state not in CURRENT:
            continue
        _add(position.committed, ws, currency, _money(total, total_b))
        if ending or ending_b:
            _add(position.ending, ws, currency, _money(ending, ending_b))
    return position


def still_granted(on: date, recorded_by: datetime | None = None) -> Any:
    """SQL: the grant was not withdrawn by ``on`` (with ``recorded_by``: not by a withdrawal
    recorded by then, for a paper printed again as it was)."""
    withdrawn = sa.and_(col(Grant.withdrawn_on).is_not(None), col(Grant.withdrawn_on) <= on)
    if recorded_by is not None:
        withdrawal = aliased(Event)
        withdrawn = sa.and_(withdrawn, sa.exists().where(
            col(withdrawal.id) == col(Grant.withdrawn_event_id),
            col(withdrawal.recorded_at) <= recorded_by,
        ))  # fmt: skip
    return sa.not_(withdrawn)


def _split_sums(minor: Any) -> tuple[Any, Any]:
    """The sums of whole billions of pence and of the rest (see ``_SPLIT_SUMS``)."""
    return sa.func.sum(minor // BILLION), sa.func.sum(minor % BILLION)


def _add(by_ws: dict[int, Amounts], ws: int, currency: str, amount: Decimal) -> None:
    amounts = by_ws.setdefault(ws, {})
    amounts[currency] = amounts.get(currency, Decimal("0.00")) + amount


@dataclass(frozen=True)
class Quarter:
    """A calendar quarter and the committed funding planned to end in it, per currency."""

    first: date
    last: date
    ending: Amounts = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"{self.first.year} Q{(self.first.month - 1) // 3 + 1}"


def quarters_from(today: date, count: int) -> list[Quarter]:
    """``count`` calendar quarters, the first holding ``today`` (from today on)."""
    found, year, month = [], today.year, 3 * ((today.month - 1) // 3) + 1
    for _ in range(count):
        after = (year + 1, 1) if month == 10 else (year, month + 3)
        found.append(Quarter(date(year, month, 1), date(*after, 1) - timedelta(days=1)))
        year, month = after
    return [Quarter(max(q.first, today), q.last) if i == 0 else q for i, q in enumerate(found)]


# Grants planned to end in a window, each walked forward to the partnership holding it
# now: along each transfer made while it was still to run (the module's rule).
_ENDING = f"""
WITH RECURSIVE chain(grant_id, ps, ends) AS (
    SELECT g.id, g.partnership_id, g.planned_end FROM "grant" AS g
     WHERE g.planned_end >= :first AND g.planned_end <= :last AND g.withdrawn_on IS NULL
    UNION ALL
    SELECT chain.grant_id, s.id, chain.ends
      FROM chain JOIN partnership AS s ON s.predecessor_id = chain.ps AND chain.ends >= s.started_on
)
SELECT g.planned_end, g.currency, {_SPLIT_SUMS}
  FROM chain JOIN partnership AS p ON p.id = chain.ps JOIN "grant" AS g ON g.id = chain.grant_id
 WHERE p.state IN ({_STATES}) AND NOT EXISTS (SELECT 1 FROM partnership AS s
       WHERE s.predecessor_id = chain.ps AND chain.ends >= s.started_on)
 GROUP BY g.planned_end, g.currency
"""


def ending_by_quarter(session: Session, today: date, count: int = 8) -> list[Quarter]:
    """Committed funding (as :func:`current` counts it) planned to end in each of the
    ``count`` quarters from ``today``, per currency (one statement).

    A grant's planned end places it; grants with none, or planned to end before
    today, are in no quarter. Walked from the grants in the window, not from every
    current partnership as the summary is: 50 ms, not 500, on generated data.
    """
    session.flush()  # this transaction's own grants, visible to plain SQL
    quarters = quarters_from(today, count)
    # Grouped by day, not quarter: a few hundred rows at most, and no date functions
    # that differ between SQLite and PostgreSQL.
    statement = sa.text(_ENDING).bindparams(
        sa.bindparam("first", quarters[0].first, type_=sa.Date),
        sa.bindparam("last", quarters[-1].last, type_=sa.Date),
    )
    for ends, currency, billions, minor in rows(session, statement):
        day = ends if isinstance(ends, date) else date.fromisoformat(str(ends))
        quarter = next(q for q in quarters if q.first <= day <= q.last)
        quarter.ending[currency] = quarter.ending.get(currency, Decimal("0.00")) + _money(
            minor, billions
        )
    return quarters
