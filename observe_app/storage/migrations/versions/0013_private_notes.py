"""private notes: the notes this laptop keeps to itself, never in a PDF or a package

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03

An observer can mark a note private during the visit (issue 19). The mark is this laptop's
own: no change-stamping triggers, and the table never travels. It has no foreign key to
`notes` on purpose: a deleted note still travels in packages as an archived row (its text in
`sync_archive`), and undo of a delete brings the note back with the same id; in both cases
the note must stay private, so the mark outlives the note's row.
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "private_notes",
        sa.Column("note_id", sa.String(length=36), nullable=False),
        sa.Column("marked_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("note_id", name=op.f("pk_private_notes")))


def downgrade() -> None:
    op.drop_table("private_notes")
