"""summary of positions: committed funding and partnership counts per workstream

Revision ID: 0006
Revises: 0004
Create Date: 2026-12-02 07:19:08.719021
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate renders sqlmodel.sql.sqltypes.AutoString)
from alembic import op


revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The backfill, copied from services.positions (not imported) so this migration never
# changes: a grant is held by the end of its chain of transfers while it was still to
# run at each (no planned end, or planned end on or after the transfer), and counts
# as committed where that holder is current. Summed in two parts: SUM fails with
# "integer overflow" past 2**63 pence (grants from before amounts were bounded), while
# arithmetic past it only loses exactness, and 0009 rewrites the summary exactly.
BACKFILL = (
    "INSERT INTO partnership_count (workstream_id, state, partnerships) "
    "SELECT workstream_id, state, COUNT(*) FROM partnership GROUP BY workstream_id, state",
    """
    INSERT INTO committed_funding (workstream_id, currency, amount_minor)
    WITH RECURSIVE held(id, predecessor_id, started_on, holder, holder_ws, moved_on) AS (
        SELECT id, predecessor_id, started_on, id, workstream_id, NULL
          FROM partnership WHERE state IN ('active', 'ending', 'review')
        UNION
        SELECT p.id, p.predecessor_id, p.started_on, held.holder, held.holder_ws,
               MAX(COALESCE(held.moved_on, held.started_on), held.started_on)
          FROM held JOIN partnership AS p ON p.id = held.predecessor_id
    )
    SELECT held.holder_ws, g.currency,
           SUM(g.amount_minor / 1000000000) * 1000000000 + SUM(g.amount_minor % 1000000000)
      FROM held JOIN "grant" AS g ON g.partnership_id = held.id
     WHERE held.moved_on IS NULL OR g.planned_end IS NULL OR g.planned_end >= held.moved_on
     GROUP BY held.holder_ws, g.currency
    """,
)


def upgrade() -> None:
    op.create_table('committed_funding',
    sa.Column('workstream_id', sa.Integer(), nullable=False),
    sa.Column('currency', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('amount_minor', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['workstream_id'], ['workstream.id'], name=op.f('fk_committed_funding_workstream_id_workstream')),
    sa.PrimaryKeyConstraint('workstream_id', 'currency', name=op.f('pk_committed_funding'))
    )
    op.create_table('partnership_count',
    sa.Column('workstream_id', sa.Integer(), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('partnerships', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['workstream_id'], ['workstream.id'], name=op.f('fk_partnership_count_workstream_id_workstream')),
    sa.PrimaryKeyConstraint('workstream_id', 'state', name=op.f('pk_partnership_count'))
    )
    # Plain index creation: no batch (which would rebuild the table).
    op.create_index(op.f('ix_partnership_predecessor_id'), 'partnership', ['predecessor_id'], unique=False)
    for sql in BACKFILL:
        op.execute(sql)


def downgrade() -> None:
    op.drop_index(op.f('ix_partnership_predecessor_id'), table_name='partnership')
    op.drop_table('partnership_count')
    op.drop_table('committed_funding')
