"""co-observation: co-observers of a cycle, who recorded each visit, each observer's own ratings

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02

For calibration two or more observers record one lesson, each on their own laptop. A cycle
lists its co-observers; a visit says who recorded it, when it was handed in (sent, and from
then on unchanged) and whether it was recorded on this laptop (never sent); each observer's
ratings from their own visit are kept apart from the cycle's ratings. The stamping triggers
of `observations` are made again with its new fields (migration 0006), and the two new tables
get their own, so all of it travels in observation packages.
"""

import importlib

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_0006 = importlib.import_module(
    "observe_app.storage.migrations.versions.0006_observation_packages")
_0007 = importlib.import_module("observe_app.storage.migrations.versions.0007_feedback_in_full")

# Frozen here, as in 0006: the tables whose triggers this migration makes.
_CHANGED = {
    "observations": (("id",), _0007.TABLES["observations"][1] + ("observer_id", "handed_in_at"),
                     (("cycle_id", "cycles"),)),
    "cycle_co_observers": (("cycle_id", "person_id"), (), (("cycle_id", "cycles"),)),
    "visit_ratings": (("id",), ("observation_id", "item_id", "level", "not_observed",
                                "updated_at"), (("observation_id", "observations"),)),
}
TABLES = {**_0007.TABLES, **_CHANGED}


def triggers(name: str) -> dict[str, str]:
    return _0006.triggers(name, TABLES)


def _set_aside_triggers_naming_observations() -> list[str]:
    """Rebuilding the table renames a copy to `observations`, which SQLite refuses while a
    trigger names the table that is gone (cycles' filing triggers, the stamping triggers that
    check a visit still exists): they are dropped here and made again, as they were, after."""
    conn = op.get_bind()
    rows = conn.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
        "AND sql LIKE '%observations%' ORDER BY name").all()
    for name, _sql in rows:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    return [sql for name, sql in rows if name not in _0006.triggers("observations")]


_OLD_COLUMNS = ("id", "cycle_id", "subject", "grade", "room", "students", "started_at",
                "ended_at", "duration_ms")
# Every visit so far counts as recorded here (DEFAULT 1): all are shown as before.
_CO_OBSERVED_COLUMNS = """
    observer_id VARCHAR(36),
    handed_in_at DATETIME,
    recorded_here BOOLEAN DEFAULT 1 NOT NULL,"""
_CO_OBSERVED_REFERENCE = """,
    CONSTRAINT fk_observations_observer_id_people FOREIGN KEY(observer_id)
        REFERENCES people (id) ON DELETE SET NULL"""


def _rebuild_observations(new_columns: str, kept: tuple[str, ...]) -> None:
    """SQLite's own way to change a table's references: a new table, the rows copied, the
    old one dropped and the new one renamed. Done by hand, not by Alembic's batch mode, whose
    clean-up after a failed statement would write once more inside the undone run."""
    reference = _CO_OBSERVED_REFERENCE if new_columns else ""
    op.execute(f"""CREATE TABLE _observations_new (
    id VARCHAR(36) NOT NULL,
    cycle_id VARCHAR(36) NOT NULL,
    subject VARCHAR(200) NOT NULL,
    grade VARCHAR(50) NOT NULL,
    room VARCHAR(50) NOT NULL,
    students INTEGER,
    started_at DATETIME NOT NULL,
    ended_at DATETIME,
    duration_ms INTEGER,{new_columns}
    CONSTRAINT pk_observations PRIMARY KEY (id),
    CONSTRAINT fk_observations_cycle_id_cycles FOREIGN KEY(cycle_id)
        REFERENCES cycles (id) ON DELETE CASCADE{reference}
)""")
    columns = ", ".join(kept)
    op.execute(f"INSERT INTO _observations_new ({columns}) SELECT {columns} FROM observations")
    op.execute("DROP TABLE observations")
    op.execute("ALTER TABLE _observations_new RENAME TO observations")
    op.execute("CREATE INDEX ix_observations_cycle_started "
               "ON observations (cycle_id, started_at)")


def upgrade() -> None:
    set_aside = _set_aside_triggers_naming_observations()
    _rebuild_observations(_CO_OBSERVED_COLUMNS, _OLD_COLUMNS)
    op.create_table(
        "cycle_co_observers",
        sa.Column("cycle_id", sa.String(length=36), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(["cycle_id"], ["cycles.id"],
                                name=op.f("fk_cycle_co_observers_cycle_id_cycles"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"],
                                name=op.f("fk_cycle_co_observers_person_id_people"),
                                ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("cycle_id", "person_id", name=op.f("pk_cycle_co_observers")))
    op.create_index(op.f("ix_cycle_co_observers_person_id"), "cycle_co_observers",
                    ["person_id"])
    op.create_table(
        "visit_ratings",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("observation_id", sa.String(length=36), nullable=False),
        sa.Column("item_id", sa.String(length=36), nullable=False),
        sa.Column("level", sa.Integer(), nullable=True),
        sa.Column("not_observed", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["protocol_items.id"],
                                name=op.f("fk_visit_ratings_item_id_protocol_items"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["observation_id"], ["observations.id"],
                                name=op.f("fk_visit_ratings_observation_id_observations"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit_ratings")),
        sa.UniqueConstraint("observation_id", "item_id",
                            name=op.f("uq_visit_ratings_observation_id")))
    for sql in set_aside:
        op.execute(sql)
    for name in _CHANGED:
        for trigger, body in triggers(name).items():
            op.execute(f"CREATE TRIGGER {trigger} {body}")


def downgrade() -> None:
    for name in _CHANGED:
        for trigger in triggers(name):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    set_aside = _set_aside_triggers_naming_observations()
    # The bookkeeping of what goes away, so a later upgrade starts from clean stamps.
    op.execute("DELETE FROM sync_stamps WHERE tbl IN ('cycle_co_observers', 'visit_ratings') "
               "OR (tbl = 'observations' AND field IN ('observer_id', 'handed_in_at'))")
    for table in ("sync_deleted", "sync_archive"):
        op.execute(f"DELETE FROM {table} WHERE tbl IN ('cycle_co_observers', 'visit_ratings')")
    op.drop_table("visit_ratings")
    op.drop_index(op.f("ix_cycle_co_observers_person_id"), table_name="cycle_co_observers")
    op.drop_table("cycle_co_observers")
    _rebuild_observations("", _OLD_COLUMNS)
    for sql in set_aside:
        op.execute(sql)
    for trigger, body in _0007.triggers("observations").items():
        op.execute(f"CREATE TRIGGER {trigger} {body}")
