"""events cannot be replaced: an insert that reuses an event's id is refused

Revision ID: 0008
Revises: 0006
Create Date: 2026-12-02 13:20:00.000000

``REPLACE INTO event`` (and ``INSERT OR REPLACE``) deletes the old row without firing
the delete trigger (unless recursive_triggers is on, which a bare sqlite3 is not), so
the history could be rewritten. A BEFORE INSERT trigger refuses any insert whose id is
already taken, before the conflict is resolved.
"""
from collections.abc import Sequence

from alembic import op


revision: str = '0008'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TRIGGER = (
    "CREATE TRIGGER event_append_only_insert BEFORE INSERT ON event "
    "WHEN EXISTS (SELECT 1 FROM event WHERE id = NEW.id) "
    "BEGIN SELECT RAISE(ABORT, 'history is append-only: an event cannot be replaced'); END"
)


def upgrade() -> None:
    # SQLite only: PostgreSQL's guard is its own (a rule or permissions), elsewhere.
    if op.get_bind().dialect.name == "sqlite":
        op.execute(TRIGGER)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS event_append_only_insert")
