"""index grant references: every import and every new grant looks them up

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 13:20:00.000000
"""
from collections.abc import Sequence

from alembic import op


revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Only an index: the table is not batch-altered.
    op.create_index('ix_grant_reference', 'grant', ['reference'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_grant_reference', table_name='grant')
