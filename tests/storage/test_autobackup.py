"""Automatic backups: made with SQLite's backup API, checked, the newest ten kept."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from observe_app.errors import StorageError
from observe_app.services import notes
from observe_app.storage import autobackup, backup
from observe_app.storage.engine import Database


def _note_count(path: Path) -> int:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT count(*) FROM notes").fetchone()[0]
    finally:
        conn.close()


def test_a_backup_taken_while_the_database_is_open_holds_every_committed_note(
        db: Database, observation: tuple[str, list[str]]) -> None:
    obs_id, _ = observation
    with db.transaction() as s:
        for n in range(5):
            notes.add_note(s, obs_id, f"note {n}", wall_time=dt.datetime.now(dt.UTC),
                           elapsed_ms=n)
    # The database stays open (WAL with un-checkpointed pages): the copy must still hold all.
    path = autobackup.backup_now(db.path.parent, "after-observation")
    assert path.parent.name == "backups" and path.name.endswith("-after-observation.db")
    assert backup.integrity_problems(path) == []
    assert _note_count(path) == 5
    assert not list(path.parent.glob("*.partial"))


def test_only_the_newest_ten_are_kept(db: Database) -> None:
    made = [autobackup.backup_now(db.path.parent, f"run {i}") for i in range(13)]
    kept = autobackup.list_backups(db.path.parent)
    assert len(kept) == autobackup.KEEP == 10
    assert kept == sorted(made[-10:], reverse=True)


def test_a_copy_that_fails_its_check_is_not_kept(db: Database,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backup, "integrity_problems", lambda _path: ["page 7 is wrong"])
    with pytest.raises(StorageError, match="failed its check"):
        autobackup.backup_now(db.path.parent, "startup")
    assert autobackup.list_backups(db.path.parent) == []
    assert not list((db.path.parent / "backups").glob("*.partial"))


def test_no_database_no_backup(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="no database"):
        autobackup.backup_now(tmp_path, "startup")
