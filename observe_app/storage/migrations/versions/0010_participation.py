"""participation: seating charts, each visit's seats and the contributions heard from them

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02

The participation capture kind logs who speaks, how often and from which seat. A class's
seating chart is kept on this laptop (its seat labels never travel); a visit keeps its own
copy of the seats as they were that lesson, and each contribution (seat, talk type, called on
or volunteered, time). The visit's seats and its contributions get stamping triggers
(migration 0006), so they travel in observation packages with the visit; the chart the seats
came from, and its seats' labels that lesson, are this laptop's own columns.
"""

import importlib

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_0006 = importlib.import_module(
    "observe_app.storage.migrations.versions.0006_observation_packages")
_0009 = importlib.import_module("observe_app.storage.migrations.versions.0009_co_observation")

# Frozen here, as in 0006: the tables whose triggers this migration makes.
_NEW = {
    "visit_seatings": (("id",), ("observation_id", "item_id", "seats", "updated_at"),
                       (("observation_id", "observations"),)),
    "contributions": (("id",), ("observation_id", "item_id", "seat", "talk_type", "called_on",
                                "wall_time", "elapsed_ms", "duration_ms", "lookfor_id"),
                      (("observation_id", "observations"),)),
}
TABLES = {**_0009.TABLES, **_NEW}


def triggers(name: str) -> dict[str, str]:
    return _0006.triggers(name, TABLES)


def upgrade() -> None:
    op.create_table(
        "seating_charts",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("teacher_id", sa.String(length=36), nullable=False),
        sa.Column("class_name", sa.String(length=200), nullable=False),
        sa.Column("room", sa.String(length=50), nullable=False),
        sa.Column("seats", sa.JSON(), nullable=False),
        sa.Column("labels", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["teacher_id"], ["people.id"],
                                name=op.f("fk_seating_charts_teacher_id_people"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seating_charts")),
        sa.UniqueConstraint("teacher_id", "class_name", "room",
                            name=op.f("uq_seating_charts_teacher_id")))
    op.create_table(
        "visit_seatings",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("observation_id", sa.String(length=36), nullable=False),
        sa.Column("item_id", sa.String(length=36), nullable=False),
        sa.Column("chart_id", sa.String(length=36), nullable=True),
        sa.Column("seats", sa.JSON(), nullable=False),
        sa.Column("labels", sa.JSON(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["protocol_items.id"],
                                name=op.f("fk_visit_seatings_item_id_protocol_items"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["observation_id"], ["observations.id"],
                                name=op.f("fk_visit_seatings_observation_id_observations"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit_seatings")),
        sa.UniqueConstraint("observation_id", "item_id",
                            name=op.f("uq_visit_seatings_observation_id")))
    op.create_table(
        "contributions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("observation_id", sa.String(length=36), nullable=False),
        sa.Column("item_id", sa.String(length=36), nullable=False),
        sa.Column("seat", sa.Integer(), nullable=False),
        sa.Column("talk_type", sa.String(length=64), nullable=False),
        sa.Column("called_on", sa.Boolean(), nullable=False),
        sa.Column("wall_time", sa.DateTime(), nullable=False),
        sa.Column("elapsed_ms", sa.Integer(), nullable=False),
        sa.Column("duration_ms", sa.Integer(), nullable=True),
        sa.Column("lookfor_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(["item_id"], ["protocol_items.id"],
                                name=op.f("fk_contributions_item_id_protocol_items"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["lookfor_id"], ["protocol_items.id"],
                                name=op.f("fk_contributions_lookfor_id_protocol_items"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["observation_id"], ["observations.id"],
                                name=op.f("fk_contributions_observation_id_observations"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contributions")))
    op.create_index("ix_contributions_visit", "contributions", ["observation_id", "elapsed_ms"])
    for name in _NEW:
        for trigger, body in triggers(name).items():
            op.execute(f"CREATE TRIGGER {trigger} {body}")


def downgrade() -> None:
    for name in _NEW:
        for trigger in triggers(name):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    # The bookkeeping of what goes away, so a later upgrade starts from clean stamps.
    for table in ("sync_stamps", "sync_deleted", "sync_archive"):
        op.execute(f"DELETE FROM {table} WHERE tbl IN ('visit_seatings', 'contributions')")
    op.drop_index("ix_contributions_visit", table_name="contributions")
    op.drop_table("contributions")
    op.drop_table("visit_seatings")
    op.drop_table("seating_charts")
