"""A small portfolio written as the first revision's plain SQL, for upgrade tests.

Today's services write today's columns, so a database at revision 0001 is
filled here with the rows those services wrote then (events included).
"""

import sqlite3
from pathlib import Path
from typing import Any


def _event(
    on: str,
    action: str,
    subject_type: str,
    subject_id: int,
    partner_id: int | None = None,
    workstream_id: int | None = None,
    *,
    to_ws: int | None = None,
    was: str | None = None,
    now: str | None = None,
    reason: str = "",
    detail: str = "",
) -> tuple[Any, ...]:
    actor = "tester" if on < "2021" else "Julian"
    return (on, actor, action, subject_type, subject_id, partner_id, workstream_id, to_ws,
            was, now, reason, detail)  # fmt: skip


_EVENTS = (
    _event("2020-01-06", "person-add", "person", 1),
    _event("2020-01-06", "open", "workstream", 1, None, 1, now="open"),
    _event("2020-01-06", "open", "workstream", 2, None, 2, now="open"),
    _event("2020-01-06", "theme-add", "theme", 1, None, 1),
    _event("2020-01-06", "start", "partnership", 1, 1, 1, now="active"),
    _event("2020-01-06", "grant", "grant", 1, 1, 1, detail="GBP 45000.50"),
    _event("2020-01-06", "start", "partnership", 2, 2, 1, now="active"),
    _event("2020-01-06", "grant", "grant", 2, 2, 1, detail="GBP 45000.50"),
    _event("2020-01-06", "start", "partnership", 3, 3, 1, now="active"),
    _event("2021-01-11", "end", "partnership", 1, 1, 1, was="active", now="ending",
           reason="closing", detail="phasing out by 2021-12-31"),
    _event("2021-01-11", "tick", "partnership", 1, 1, 1, was="ending", now="ending",
           detail="told"),
    _event("2021-01-11", "transfer", "partnership", 2, 2, 1, to_ws=2, was="active",
           now="transferred", reason="place work", detail="to Place"),
    _event("2021-01-11", "review", "partnership", 3, 3, 1, was="active", now="review",
           reason="what next?", detail="lead: Jess"),
)  # fmt: skip
# Each recorded a second after the one before, on the day it is dated.
EVENTS = tuple((e[0], f"{e[0]} 09:00:{i:02d}.000000", *e[1:]) for i, e in enumerate(_EVENTS))

EARLIEST_RECORDED = EVENTS[0][1]


def fill_core_tables(path: Path) -> None:
    """People, two workstreams, a theme, three partners: an ending, a transfer, a review.

    The third grant has no event (as an import could once leave one).
    """
    conn = sqlite3.connect(path)
    try:
        with conn:
            conn.execute("INSERT INTO person (id, name, role) VALUES (1, 'Jess', 'staff lead')")
            conn.executemany(
                "INSERT INTO workstream (id, name, purpose, lead_id, status, opened_on) "
                "VALUES (?, ?, '', 1, 'open', '2020-01-06')",
                [(1, "National"), (2, "Place")],
            )
            conn.execute(
                "INSERT INTO theme (id, name, workstream_id) VALUES (1, 'Mental health', 1)"
            )
            conn.executemany(
                "INSERT INTO partner (id, name, kind, place, org_id, notes) "
                "VALUES (?, ?, '', '', ?, '')",
                [(1, "MEAM", "GB-CHC-1080601"), (2, "Corra Foundation", ""), (3, "Leeds GATE", "")],
            )
            conn.executemany(
                "INSERT INTO partnership (id, partner_id, workstream_id, state, lead_id, "
                "started_on, changed_on, planned_end, exit_type, predecessor_id) "
                "VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?)",
                [
                    (1, 1, 1, "ending", "2020-01-06", "2021-01-11", "2021-12-31", "out", None),
                    (2, 2, 1, "transferred", "2020-01-06", "2021-01-11", None, None, None),
                    (3, 3, 1, "review", "2020-01-06", "2021-01-11", None, None, None),
                    (4, 2, 2, "active", "2021-01-11", "2021-01-11", None, None, 2),
                ],
            )
            conn.executemany(
                "INSERT INTO partnership_theme (partnership_id, theme_id) VALUES (?, 1)",
                [(1,), (2,), (3,), (4,)],
            )
            conn.executemany(
                'INSERT INTO "grant" (id, partnership_id, amount_minor, currency, title, '
                "awarded_on, reference) VALUES (?, ?, 4500050, 'GBP', '', '2020-01-06', '')",
                [(1, 1), (2, 2), (3, 3)],
            )
            conn.executemany(
                "INSERT INTO event (occurred_on, recorded_at, actor, action, subject_type, "
                "subject_id, partner_id, workstream_id, to_workstream_id, from_state, to_state, "
                "reason, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                EVENTS,
            )
    finally:
        conn.close()


def kept(before: list[tuple[Any, ...]], after: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The rows after an upgrade cut to the columns they had before (new ones come last)."""
    width = len(before[0]) if before else 0
    return [row[:width] for row in after]
