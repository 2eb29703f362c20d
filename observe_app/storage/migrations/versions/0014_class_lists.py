"""class lists: student names kept on this laptop, replaced before a PDF or package leaves

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02

A per-class list of student names the observer keeps (issue 19, redaction). Local only: no
change-stamping triggers, and the tables never travel.
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "class_lists",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_class_lists")),
        sa.UniqueConstraint("name", name=op.f("uq_class_lists_name")))
    op.create_table(
        "class_list_names",
        sa.Column("list_id", sa.String(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["list_id"], ["class_lists.id"],
                                name=op.f("fk_class_list_names_list_id_class_lists"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("list_id", "position", name=op.f("pk_class_list_names")))


def downgrade() -> None:
    op.drop_table("class_list_names")
    op.drop_table("class_lists")
