"""The change stamps under every writer: triggers stamp edits, keep deletes, bring rows back;
a copied database takes its own replica id; every column that travels has its trigger."""

from __future__ import annotations

import importlib
import shutil
import sqlite3
from pathlib import Path

from observe_app.exchange.tables import synced_tables
from observe_app.services import exchange, notes
from observe_app.storage.engine import Database
from observe_app.storage.opening import open_database
from tests.exchange.replicas import now

MIGRATION = importlib.import_module(
    "observe_app.storage.migrations.versions.0010_participation")


def test_every_column_that_travels_is_stamped_by_the_migrations_triggers() -> None:
    """A column added to a synced table needs its triggers made again by its migration."""
    for name, spec in synced_tables().items():
        key, fields, owners = MIGRATION.TABLES[name]
        assert (key, fields) == (spec.key, spec.fields), name
        assert owners == tuple((r.column, r.table) for r in spec.owners), name


def _rows(path: Path, sql: str, *args: object) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.execute(sql, args))
    finally:
        conn.close()


def test_plain_sql_edits_are_stamped_deletes_kept_and_a_row_made_again_wins(
        observation: tuple[str, list[str]], db: Database) -> None:
    visit, _items = observation
    with db.transaction() as s:
        note = notes.add_note(s, visit, "first words", wall_time=now(), elapsed_ms=5)
    assert _rows(db.path, "SELECT * FROM sync_stamps WHERE row_id = ?", note.id) == []

    conn = sqlite3.connect(db.path)  # another program, plain SQL: stamped all the same
    conn.execute("UPDATE notes SET text = 'second words' WHERE id = ?", (note.id,))
    conn.commit()
    [(field, stamp, base)] = _rows(
        db.path, "SELECT field, stamp, base FROM sync_stamps WHERE row_id = ?", note.id)
    replica = _rows(db.path, "SELECT replica_id FROM sync_replica")[0][0]
    assert field == "text" and stamp.endswith(replica) and base == ""

    conn.execute("DELETE FROM notes WHERE id = ?", (note.id,))
    conn.commit()
    [(alive, deleted_at)] = _rows(
        db.path, "SELECT alive, stamp FROM sync_deleted WHERE row_id = ?", note.id)
    assert alive == 0 and deleted_at > stamp
    [(kept,)] = _rows(db.path, "SELECT row_json FROM sync_archive WHERE row_id = ?", note.id)
    assert "second words" in kept

    with db.transaction() as s:  # undo: the same note made again beats its delete
        notes.restore_note(s, notes.NoteView(note.id, visit, note.wall_time, 5,
                                             "second words", ()))
    [(alive, revived_at)] = _rows(
        db.path, "SELECT alive, stamp FROM sync_deleted WHERE row_id = ?", note.id)
    assert alive == 1 and revived_at > deleted_at
    assert _rows(db.path, "SELECT 1 FROM sync_archive WHERE row_id = ?", note.id) == []
    conn.close()


def test_a_cycles_own_rows_go_with_it_without_deletes_of_their_own(
        observation: tuple[str, list[str]], db: Database) -> None:
    visit, _items = observation
    with db.transaction() as s:
        notes.add_note(s, visit, "evidence", wall_time=now(), elapsed_ms=5)
    conn = sqlite3.connect(db.path)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("DELETE FROM cycles")
    conn.commit()
    conn.close()
    deleted = _rows(db.path, "SELECT tbl FROM sync_deleted ORDER BY tbl")
    assert deleted == [("cycles",)]  # the visit and its note went with it: archived only
    archived = {t for t, in _rows(db.path, "SELECT DISTINCT tbl FROM sync_archive")}
    assert archived == {"cycles", "observations", "notes"}


def test_a_database_copied_elsewhere_sends_under_a_new_replica_id(
        observation: tuple[str, list[str]], db: Database, tmp_path: Path) -> None:
    with db.transaction() as s:
        exchange.send_everything(s, tmp_path / "first.observe", sender="me")
    first = exchange.open_package(tmp_path / "first.observe").replica
    with db.transaction() as s:
        exchange.send_everything(s, tmp_path / "again.observe", sender="me")
    assert exchange.open_package(tmp_path / "again.observe").replica == first

    db.checkpoint()
    copy = tmp_path / "copied"
    shutil.copytree(db.path.parent, copy)
    with open_database(copy) as other, other.transaction() as s:
        exchange.send_everything(s, tmp_path / "copy.observe", sender="me")
    assert exchange.open_package(tmp_path / "copy.observe").replica != first
