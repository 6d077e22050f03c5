"""when records were recorded; checklist steps removed, not deleted

Revision ID: 0005
Revises: 0007
Create Date: 2026-12-02 07:30:00

Grants, insights, actions (and their closing), reflective sessions, record
links and checklist steps get ``recorded_at`` (UTC), so a board update can be
printed again as the records stood on a past day (``--as-recorded-on``).
Existing rows take the ``recorded_at`` of the event that recorded them, else
the time this migration runs; a checklist step with no event of its own was
shipped with the database, so it takes the earliest recorded time there is
(endings already under way keep it on their checklist). The event table is
never batch-altered: its append-only triggers would be lost.
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0005"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("grant", "insight", "action_item", "reflective_session", "record_link", "checklist_step")

# The recorded_at of the event (by subject) that recorded each kind of row.
FROM_EVENT = {
    "grant": ("grant", "grant"),
    "insight": ("insight", "insight-add"),
    "action_item": ("action", "action-add"),
    "reflective_session": ("session", "session-add"),
    "checklist_step": ("checklist_step", "checklist-add"),
}


def _event_time(table: str, subject_type: str, actions: str) -> str:
    return (
        "(SELECT min(e.recorded_at) FROM event e WHERE e.subject_type = "
        f"'{subject_type}' AND e.action IN ({actions}) AND e.subject_id = \"{table}\".id)"
    )


def upgrade() -> None:
    # SQLite adds a NOT NULL column only with a constant default: the migration's time,
    # stored as SQLAlchemy stores a DateTime there.
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    for table in TABLES:
        op.add_column(
            table,
            sa.Column(
                "recorded_at",
                sqlmodel.sql.sqltypes.UTCDateTime(),
                nullable=False,
                server_default=now,
            ),
        )
    op.add_column(
        "action_item",
        sa.Column("closed_recorded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    )
    op.add_column(
        "checklist_step",
        sa.Column("removed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    )
    for table, (subject_type, action) in FROM_EVENT.items():
        op.execute(
            f'UPDATE "{table}" SET recorded_at = '
            f"coalesce({_event_time(table, subject_type, repr(action))}, recorded_at)"
        )
    op.execute(
        "UPDATE checklist_step SET recorded_at = (SELECT min(recorded_at) FROM event) "
        "WHERE (SELECT min(recorded_at) FROM event) < recorded_at AND NOT EXISTS "
        "(SELECT 1 FROM event e WHERE e.subject_type = 'checklist_step' "
        "AND e.action = 'checklist-add' AND e.subject_id = checklist_step.id)"
    )
    closed = _event_time("action_item", "action", "'action-done', 'action-dropped'")
    op.execute(
        f"UPDATE action_item SET closed_recorded_at = coalesce({closed}, '{now}') "
        "WHERE status <> 'open'"
    )
    # A link is recorded with the record that names it.
    for owner, source in (
        ("decision", "SELECT d.created_at FROM decision d WHERE d.id = record_link.owner_id"),
        ("insight", "SELECT i.recorded_at FROM insight i WHERE i.id = record_link.owner_id"),
        (
            "session",
            "SELECT s.recorded_at FROM reflective_session s WHERE s.id = record_link.owner_id",
        ),
        (
            "group",
            "SELECT min(e.recorded_at) FROM event e WHERE e.subject_type = 'group' "
            "AND e.action = 'group-add' AND e.subject_id = record_link.owner_id",
        ),
    ):
        op.execute(
            f"UPDATE record_link SET recorded_at = coalesce(({source}), recorded_at) "
            f"WHERE owner_type = '{owner}'"
        )


def downgrade() -> None:
    # Before this revision a removed step was deleted.
    op.execute("DELETE FROM checklist_step WHERE removed_at IS NOT NULL")
    with op.batch_alter_table("checklist_step") as batch_op:
        batch_op.drop_column("removed_at")
    with op.batch_alter_table("action_item") as batch_op:
        batch_op.drop_column("closed_recorded_at")
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("recorded_at")
