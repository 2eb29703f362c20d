"""note tags by visit: each tag with the visit its note belongs to, kept by triggers

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02

The School page counts a look-for as seen in a visit when it was ticked or a note was tagged
to it. A tag knows only its note, so finding a term's tagged look-fors read every note of
every visit (20 per visit: about 0.3 s for a school year and the one before at 100,000
observations, benchmarks/school.py). `visit_note_tags` keeps each tag beside its note's visit,
indexed by visit. It is this laptop's own, derived by triggers so that every writer (the
window, the merge of a package, plain SQL) keeps it right; it never travels. A later migration
that rebuilds `notes` or `note_tags` must create their triggers here again.
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_ADD = ("INSERT OR IGNORE INTO visit_note_tags (observation_id, item_id, note_id) "
        "SELECT n.observation_id, {item}, n.id FROM notes n WHERE n.id = {note}")
_REMOVE = "DELETE FROM visit_note_tags WHERE note_id = {note} AND item_id = {item}"
TRIGGERS = {
    "visit_note_tags_ai": ("AFTER INSERT ON note_tags BEGIN "
                           + _ADD.format(item="new.item_id", note="new.note_id") + "; END"),
    "visit_note_tags_ad": ("AFTER DELETE ON note_tags BEGIN "
                           + _REMOVE.format(item="old.item_id", note="old.note_id") + "; END"),
    "visit_note_tags_au": ("AFTER UPDATE ON note_tags BEGIN "
                           + _REMOVE.format(item="old.item_id", note="old.note_id") + "; "
                           + _ADD.format(item="new.item_id", note="new.note_id") + "; END"),
    # A merge may write a note's tags before the note (its foreign keys checked at commit).
    "visit_note_tags_note_ai": ("AFTER INSERT ON notes BEGIN INSERT OR IGNORE INTO "
                                "visit_note_tags (observation_id, item_id, note_id) "
                                "SELECT new.observation_id, t.item_id, new.id FROM note_tags t "
                                "WHERE t.note_id = new.id; END"),
    "visit_note_tags_note_au": ("AFTER UPDATE OF observation_id ON notes BEGIN "
                                "UPDATE visit_note_tags SET observation_id = new.observation_id "
                                "WHERE note_id = new.id; END"),
}


def upgrade() -> None:
    op.create_table(
        "visit_note_tags",
        sa.Column("observation_id", sa.String(length=36), nullable=False),
        sa.Column("item_id", sa.String(length=36), nullable=False),
        sa.Column("note_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(["note_id"], ["notes.id"],
                                name=op.f("fk_visit_note_tags_note_id_notes"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("observation_id", "item_id", "note_id",
                                name=op.f("pk_visit_note_tags")))
    op.create_index("ix_visit_note_tags_note", "visit_note_tags", ["note_id", "item_id"])
    op.execute("INSERT INTO visit_note_tags (observation_id, item_id, note_id) "
               "SELECT n.observation_id, t.item_id, t.note_id FROM note_tags t "
               "JOIN notes n ON n.id = t.note_id")
    for name, body in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")


def downgrade() -> None:
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_index("ix_visit_note_tags_note", table_name="visit_note_tags")
    op.drop_table("visit_note_tags")
