"""indexes for reads that must not grow with the portfolio

Revision ID: 0007
Revises: 0004
Create Date: 2026-12-02 07:40:00.000000
"""
from collections.abc import Sequence

from alembic import op


revision: str = '0007'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Only indexes: no table is batch-altered (the event table would lose its triggers).
    op.create_index('ix_event_subject', 'event', ['subject_type', 'subject_id'], unique=False)
    op.create_index('ix_partnership_state_planned_end', 'partnership', ['state', 'planned_end'],
                    unique=False)
    op.create_index('ix_partnership_state_changed_on', 'partnership', ['state', 'changed_on'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_partnership_state_changed_on', table_name='partnership')
    op.drop_index('ix_partnership_state_planned_end', table_name='partnership')
    op.drop_index('ix_event_subject', table_name='event')
