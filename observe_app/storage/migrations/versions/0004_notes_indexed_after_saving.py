"""notes are added to the search index after they are saved, not in the same transaction

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22

Indexing a note in the transaction that saves it made every Enter write the full-text index
too, and the slowest 1 % of saves about three times slower than a bare commit. Now a note is
saved with search_indexed = 0 and services.search.index_new_notes() adds it to the index
afterwards (every search first catches up, and so does the end of each visit).
Edits and deletes of indexed notes still keep the index in step through triggers; a note not
yet indexed is simply picked up with its current text.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("notes", sa.Column("search_indexed", sa.Boolean(), nullable=False,
                                     server_default=sa.text("0")))
    op.execute("UPDATE notes SET search_indexed = 1")  # 0002's triggers indexed them all
    op.create_index("ix_notes_unindexed", "notes", ["search_indexed"],
                    sqlite_where=sa.text("search_indexed = 0"))
    for suffix in ("ai", "ad", "au"):
        op.execute(f"DROP TRIGGER IF EXISTS notes_fts_{suffix}")
    op.execute("CREATE TRIGGER notes_fts_ad AFTER DELETE ON notes WHEN old.search_indexed = 1 "
               "BEGIN INSERT INTO notes_fts(notes_fts, rowid, text) "
               "VALUES ('delete', old.rowid, old.text); END")
    op.execute("CREATE TRIGGER notes_fts_au AFTER UPDATE OF text ON notes "
               "WHEN old.search_indexed = 1 BEGIN "
               "INSERT INTO notes_fts(notes_fts, rowid, text) "
               "VALUES ('delete', old.rowid, old.text); "
               "INSERT INTO notes_fts(rowid, text) VALUES (new.rowid, new.text); END")


def downgrade() -> None:
    op.execute("INSERT INTO notes_fts(rowid, text) SELECT rowid, text FROM notes "
               "WHERE search_indexed = 0")
    for suffix in ("ad", "au"):
        op.execute(f"DROP TRIGGER IF EXISTS notes_fts_{suffix}")
    op.drop_index("ix_notes_unindexed", "notes")
    with op.batch_alter_table("notes") as batch:  # rebuilds the table: triggers come after
        batch.drop_column("search_indexed")
    op.execute("CREATE TRIGGER notes_fts_ai AFTER INSERT ON notes BEGIN "
               "INSERT INTO notes_fts(rowid, text) VALUES (new.rowid, new.text); END")
    op.execute("CREATE TRIGGER notes_fts_ad AFTER DELETE ON notes BEGIN "
               "INSERT INTO notes_fts(notes_fts, rowid, text) "
               "VALUES ('delete', old.rowid, old.text); END")
    op.execute("CREATE TRIGGER notes_fts_au AFTER UPDATE OF text ON notes BEGIN "
               "INSERT INTO notes_fts(notes_fts, rowid, text) "
               "VALUES ('delete', old.rowid, old.text); "
               "INSERT INTO notes_fts(rowid, text) VALUES (new.rowid, new.text); END")
