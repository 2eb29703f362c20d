"""the school's picture: calendar events as last exported, this laptop's settings, visits by date

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02

A calendar exported again after a date change must update the events a colleague imported,
not add new ones: each event keeps its UID (from the cycle's UUID) and the SEQUENCE it was
last exported with, raised when what the event says changes. The School page's anonymity
minimum is a setting the window and the command line share, so it lives with the data. Both
are this laptop's own (no change-stamping triggers). The School page reads visits by date
across the whole school, and the cycles planned in a period that have no visit yet, hence the
indexes (without the second, programme coverage read every cycle ever planned: 0.2-0.5 s
at 100,000 cycles, benchmarks/school.py).
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "calendar_events",
        sa.Column("uid", sa.String(length=100), nullable=False),
        sa.Column("cycle_id", sa.String(length=36), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("cancelled", sa.Boolean(), nullable=False),
        sa.Column("exported_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["cycle_id"], ["cycles.id"],
                                name=op.f("fk_calendar_events_cycle_id_cycles"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("uid", name=op.f("pk_calendar_events")))
    op.create_index("ix_calendar_events_cycle_id", "calendar_events", ["cycle_id"])
    op.create_table(
        "local_settings",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_local_settings")))
    op.create_index("ix_observations_started_at", "observations", ["started_at"])
    op.create_index("ix_cycles_planned_date", "cycles", ["planned_date"])


def downgrade() -> None:
    op.drop_index("ix_cycles_planned_date", table_name="cycles")
    op.drop_index("ix_observations_started_at", table_name="observations")
    op.drop_table("local_settings")
    op.drop_index("ix_calendar_events_cycle_id", table_name="calendar_events")
    op.drop_table("calendar_events")
