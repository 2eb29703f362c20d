"""Automatic backups: made with SQLite's backup API, checked, the newest ten kept (see
test_backup_rotation for ages, and for no backup when nothing changed)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from observe_app.errors import StorageError
from observe_app.services import notes, people
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


def _changed_then_backed_up(db: Database, reason: str) -> Path:
    with db.transaction() as s:
        people.add_person(s, f"Teacher for {reason}")
    return autobackup.backup_now(db.path.parent, reason)


def test_only_the_newest_ten_are_kept(db: Database) -> None:
    """All taken today: the newest ten (today's newest is among them)."""
    made = [_changed_then_backed_up(db, f"run {i}") for i in range(13)]
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


def test_the_backup_command_will_not_write_over_the_database(demo_dir: Path) -> None:
    import subprocess
    import sys

    target = demo_dir / "observe.db"
    before = target.read_bytes()
    result = subprocess.run([sys.executable, "-m", "observe_app", "--data-dir", str(demo_dir),
                             "backup", "--out", str(target)], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 2 and "is one of Observe's own files" in result.stderr
    assert target.read_bytes() == before


@pytest.mark.slow
def test_restore_is_refused_while_observe_has_the_data_folder_open(demo_dir: Path) -> None:
    import subprocess
    import sys

    from observe_app.storage.instance_lock import InstanceLock

    copy = autobackup.backup_now(demo_dir, "manual")
    before = (demo_dir / "observe.db").read_bytes()
    with InstanceLock(demo_dir):
        result = subprocess.run([sys.executable, "-m", "observe_app", "--data-dir",
                                 str(demo_dir), "restore", str(copy)], capture_output=True,
                                text=True, timeout=60)
    assert result.returncode == 5, result.stdout  # in use: the window has the folder
    assert result.stderr.startswith("error: Observe is already open")
    assert (demo_dir / "observe.db").read_bytes() == before
    result = subprocess.run([sys.executable, "-m", "observe_app", "--data-dir", str(demo_dir),
                             "restore", str(copy)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_a_backup_of_a_database_in_use_is_one_file(db) -> None:  # type: ignore[no-untyped-def]
    """The open database is in WAL mode; its backup is a single self-contained file."""
    with db.transaction() as s:  # the engine holds a WAL connection while the copy is made
        s.connection()
        made = autobackup.backup_now(db.path.parent, "startup")
    assert [p.name for p in made.parent.iterdir()] == [made.name]


def test_restoring_the_oldest_of_ten_backups_works(db: Database,
                                                   observation: tuple[str, list[str]]) -> None:
    """Keeping the current database first prunes the oldest backup: it must still restore."""
    from observe_app.storage import migrate

    obs_id, _ = observation
    with db.transaction() as s:
        notes.add_note(s, obs_id, "only in the oldest backup", wall_time=dt.datetime.now(dt.UTC),
                       elapsed_ms=0)
    made = [_changed_then_backed_up(db, f"run {i}") for i in range(10)]
    oldest = made[0]
    with db.transaction() as s:
        notes.add_note(s, obs_id, "after the backups", wall_time=dt.datetime.now(dt.UTC),
                       elapsed_ms=1)
    db.close()
    backup.restore_from(oldest, db.path, db.path.parent / "backups", migrate.known_revisions())
    assert _note_count(db.path) == 1
    assert len(autobackup.list_backups(db.path.parent)) == 10
