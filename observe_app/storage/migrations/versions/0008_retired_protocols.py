"""retired protocols: hidden from planning, kept for the cycles that used them

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01

A school retires a protocol it no longer plans with; old cycles keep showing theirs. Protocols
travel by their documents, not as rows (exchange/tables.py), so this is this laptop's choice
and needs no change-stamping triggers.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("protocols", sa.Column("retired_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    op.execute("ALTER TABLE protocols DROP COLUMN retired_at")
