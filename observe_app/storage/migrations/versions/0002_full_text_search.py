"""full-text search over notes, feedback and cycle texts (FTS5)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22

External-content FTS5 tables keyed by the source rows' rowids, kept in step by triggers.
`unicode61 remove_diacritics 2` lets "Makela" find "Mäkelä" and "hoc sinh" find "học sinh";
the prefix index makes two- and three-letter prefix queries cheap.
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TOKENIZE = "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'"

# (fts table, source table, indexed columns)
INDEXES = [
    ("notes_fts", "notes", ["text"]),
    ("feedback_fts", "feedback_items", ["text"]),
    ("cycles_fts", "cycles", ["focus", "post_conference_notes", "reflection"]),
]


def upgrade() -> None:
    for fts, source, columns in INDEXES:
        cols = ", ".join(columns)
        new = ", ".join(f"new.{c}" for c in columns)
        old = ", ".join(f"old.{c}" for c in columns)
        op.execute(f"CREATE VIRTUAL TABLE {fts} USING fts5({cols}, content='{source}', "
                   f"content_rowid='rowid', {TOKENIZE})")
        op.execute(f"INSERT INTO {fts}(rowid, {cols}) SELECT rowid, {cols} FROM {source}")
        op.execute(f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {source} BEGIN "
                   f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.rowid, {new}); END")
        op.execute(f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {source} BEGIN "
                   f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.rowid, {old}); "
                   "END")
        op.execute(f"CREATE TRIGGER {fts}_au AFTER UPDATE OF {cols} ON {source} BEGIN "
                   f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.rowid, {old}); "
                   f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.rowid, {new}); END")


def downgrade() -> None:
    for fts, _source, _columns in INDEXES:
        for suffix in ("ai", "ad", "au"):
            op.execute(f"DROP TRIGGER IF EXISTS {fts}_{suffix}")
        op.execute(f"DROP TABLE IF EXISTS {fts}")
