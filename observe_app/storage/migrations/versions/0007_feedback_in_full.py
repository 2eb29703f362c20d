"""feedback in full: next steps with who, support and success; evidence behind feedback; next visit

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01

A next step says who does what, the support offered and how success will be seen; a glow,
grow or next step can point at the notes it is grounded in (`feedback_evidence`, like a
rating's evidence); a cycle keeps the date agreed for the next visit. The change-stamping
triggers of the two tables that gain columns are made again with them (migration 0006), and
the new table gets its own, so the new fields travel in observation packages.
"""

import importlib

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_0006 = importlib.import_module(
    "observe_app.storage.migrations.versions.0006_observation_packages")

# Frozen here, as in 0006: the tables whose triggers this migration makes.
_CHANGED = {
    "cycles": (("id",), _0006.TABLES["cycles"][1] + ("next_visit_date",), ()),
    "feedback_items": (("id",), _0006.TABLES["feedback_items"][1]
                       + ("owner", "support", "success_measure"), (("cycle_id", "cycles"),)),
    "feedback_evidence": (("feedback_id", "note_id"), (),
                          (("feedback_id", "feedback_items"), ("note_id", "notes"))),
}
TABLES = {**_0006.TABLES, **_CHANGED}


def triggers(name: str) -> dict[str, str]:
    return _0006.triggers(name, TABLES)


def upgrade() -> None:
    for name in ("cycles", "feedback_items"):
        for trigger in _0006.triggers(name):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.add_column("cycles", sa.Column("next_visit_date", sa.Date(), nullable=True))
    for column, size in (("owner", 200), ("support", None), ("success_measure", None)):
        kind = sa.String(length=size) if size else sa.Text()
        op.add_column("feedback_items",
                      sa.Column(column, kind, nullable=False, server_default=""))
    op.create_table(
        "feedback_evidence",
        sa.Column("feedback_id", sa.String(length=36), nullable=False),
        sa.Column("note_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(["feedback_id"], ["feedback_items.id"],
                                name=op.f("fk_feedback_evidence_feedback_id_feedback_items"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["note_id"], ["notes.id"],
                                name=op.f("fk_feedback_evidence_note_id_notes"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("feedback_id", "note_id", name=op.f("pk_feedback_evidence")))
    op.create_index(op.f("ix_feedback_evidence_note_id"), "feedback_evidence", ["note_id"])
    for name in _CHANGED:
        for trigger, body in triggers(name).items():
            op.execute(f"CREATE TRIGGER {trigger} {body}")


def downgrade() -> None:
    for name in _CHANGED:
        for trigger in triggers(name):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    # The bookkeeping of what goes away, so a later upgrade starts from clean stamps.
    op.execute("DELETE FROM sync_stamps WHERE tbl = 'feedback_evidence' OR (tbl = 'cycles' "
               "AND field = 'next_visit_date') OR (tbl = 'feedback_items' AND field IN "
               "('owner', 'support', 'success_measure'))")
    for table in ("sync_deleted", "sync_archive"):
        op.execute(f"DELETE FROM {table} WHERE tbl = 'feedback_evidence'")
    op.drop_index(op.f("ix_feedback_evidence_note_id"), table_name="feedback_evidence")
    op.drop_table("feedback_evidence")
    for column in ("success_measure", "support", "owner"):
        op.execute(f"ALTER TABLE feedback_items DROP COLUMN {column}")
    op.execute("ALTER TABLE cycles DROP COLUMN next_visit_date")
    for name in ("cycles", "feedback_items"):
        for trigger, body in _0006.triggers(name).items():
            op.execute(f"CREATE TRIGGER {trigger} {body}")
