"""grants withdrawn in error; committed funding summed so it cannot overflow

Revision ID: 0009
Revises: 0006
Create Date: 2026-12-02 13:05:00

A grant recorded in error is withdrawn, never deleted: ``withdrawn_on`` (the
effective date) and ``withdrawn_event_id`` (its ``grant-withdraw`` event, which
says when it was recorded) mark it, and it no longer counts as committed.

SQLite's SUM fails with "integer overflow" past 2**63 pence, which a file holding
grants from before amounts were bounded can reach. The summary now holds each
total in two parts that cannot overflow: ``amount_billions`` (the sum of each
grant's whole billions of pence) and ``amount_minor`` (the sum of the rest). A row
written before keeps its whole total in ``amount_minor`` with no billions, which
reads the same; the summary is rewritten anyway, as 0006 may have stored an inexact
total for such a file.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate renders sqlmodel.sql.sqltypes.AutoString)
from alembic import op

revision: str = "0009"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Copied from services.positions (not imported) so this migration never changes.
REWRITE = (
    "DELETE FROM committed_funding",
    """
    INSERT INTO committed_funding (workstream_id, currency, amount_billions, amount_minor)
    WITH RECURSIVE held(id, predecessor_id, started_on, holder, holder_ws, moved_on) AS (
        SELECT id, predecessor_id, started_on, id, workstream_id, NULL
          FROM partnership WHERE state IN ('active', 'ending', 'review')
        UNION
        SELECT p.id, p.predecessor_id, p.started_on, held.holder, held.holder_ws,
               MAX(COALESCE(held.moved_on, held.started_on), held.started_on)
          FROM held JOIN partnership AS p ON p.id = held.predecessor_id
    )
    SELECT held.holder_ws, g.currency, SUM(g.amount_minor / 1000000000),
           SUM(g.amount_minor % 1000000000)
      FROM held JOIN "grant" AS g ON g.partnership_id = held.id
     WHERE (held.moved_on IS NULL OR g.planned_end IS NULL OR g.planned_end >= held.moved_on)
       AND g.withdrawn_on IS NULL
     GROUP BY held.holder_ws, g.currency
    """,
)


def upgrade() -> None:
    op.add_column("grant", sa.Column("withdrawn_on", sa.Date(), nullable=True))
    op.add_column("grant", sa.Column("withdrawn_event_id", sa.Integer(), nullable=True))
    op.add_column(
        "committed_funding",
        sa.Column("amount_billions", sa.BigInteger(), nullable=False, server_default="0"),
    )
    for sql in REWRITE:
        op.execute(sql)


def downgrade() -> None:
    with op.batch_alter_table("committed_funding") as batch_op:
        batch_op.drop_column("amount_billions")
    with op.batch_alter_table("grant") as batch_op:
        batch_op.drop_column("withdrawn_event_id")
        batch_op.drop_column("withdrawn_on")
    # Before this revision every grant counted and a total was one number (past 2**63
    # pence SQLite's arithmetic makes it inexact rather than fail): rewritten so.
    one_number = (
        REWRITE[1]
        .replace("amount_billions, amount_minor", "amount_minor")
        .replace(
            "SUM(g.amount_minor / 1000000000),\n           SUM(g.amount_minor % 1000000000)",
            "SUM(g.amount_minor / 1000000000) * 1000000000 + SUM(g.amount_minor % 1000000000)",
        )
        .replace("AND g.withdrawn_on IS NULL", "")
    )
    assert "withdrawn" not in one_number and "billions" not in one_number
    op.execute(REWRITE[0])
    op.execute(one_number)
