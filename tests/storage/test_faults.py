"""Disk full, read-only and locked databases give clear errors, lose nothing, and recover."""

from __future__ import annotations

import datetime as dt
import errno
import os
import subprocess
import sys
import textwrap

import pytest
from sqlalchemy import event
from sqlalchemy.exc import IntegrityError

from observe_app.errors import DatabaseLockedError, DiskFullError, ReadOnlyError, StorageError
from observe_app.services import notes
from observe_app.storage import engine as engine_module
from observe_app.storage import faults
from observe_app.storage.engine import Database
from tests.processes import finish

NOTE = "Amira explained why the fraction grew smaller; three others built on it. " * 200
WHEN = dt.datetime(2026, 3, 2, 9, 15, tzinfo=dt.UTC)


def _save(db: Database, obs_id: str, tags: list[str]) -> notes.NoteView:
    return faults.write(db, lambda s: notes.add_note(s, obs_id, NOTE, wall_time=WHEN,
                                                     elapsed_ms=61_000, item_ids=tags))


def _saved(db: Database, obs_id: str) -> list[notes.NoteView]:
    with db.transaction() as s:
        return notes.list_notes(s, obs_id)


def test_disk_full_says_so_keeps_nothing_half_done_and_saves_once_there_is_room(
        db: Database, observation: tuple[str, list[str]]) -> None:
    obs_id, items = observation

    def no_room(conn, _record) -> None:  # type: ignore[no-untyped-def]
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count={pages}")

    db.engine.dispose()
    event.listen(db.engine, "connect", no_room)
    with pytest.raises(DiskFullError) as caught:
        _save(db, obs_id, items[:2])
    message = str(caught.value)
    assert message.startswith("the disk is full: free some space; your note is kept")
    assert "\n" not in message
    # The low-level error never carries the note's text (it might reach a log).
    assert "Amira" not in str(caught.value.__cause__)

    event.remove(db.engine, "connect", no_room)
    db.engine.dispose()
    assert _saved(db, obs_id) == []  # nothing half-written by the failed attempt
    view = _save(db, obs_id, items[:2])
    assert [(n.id, n.text, n.item_ids) for n in _saved(db, obs_id)] == [
        (view.id, NOTE.strip(), tuple(sorted(items[:2])))]


def test_a_read_only_database_says_so_and_the_note_saves_once_writable(
        db: Database, observation: tuple[str, list[str]]) -> None:
    obs_id, items = observation
    db.close()
    read_only = Database(db.path, read_only=True)
    with pytest.raises(ReadOnlyError) as caught:
        _save(read_only, obs_id, items[:1])
    read_only.close()
    assert "read-only" in str(caught.value) and "your note is kept" in str(caught.value)
    writable = Database(db.path)
    try:
        _save(writable, obs_id, items[:1])
        assert len(_saved(writable, obs_id)) == 1
    finally:
        writable.close()


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="root writes through chmod; the mode=ro test above covers root")
def test_a_read_only_data_folder_says_so(db: Database,
                                         observation: tuple[str, list[str]]) -> None:
    obs_id, items = observation
    db.close()
    folder = db.path.parent
    modes = {p: p.stat().st_mode for p in [folder, *folder.iterdir()]}
    try:
        for path in modes:
            path.chmod(0o555 if path.is_dir() else 0o444)
        blocked = Database(db.path)
        with pytest.raises(StorageError):
            _save(blocked, obs_id, items[:1])
        blocked.close()
    finally:
        for path, mode in modes.items():
            path.chmod(mode)
    again = Database(db.path)
    _save(again, obs_id, items[:1])
    assert len(_saved(again, obs_id)) == 1
    again.close()


HOLD_LOCK = textwrap.dedent("""
    import sqlite3, sys
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO note_drafts (observation_id, text, wall_time, elapsed_ms, "
                 "item_ids, saved_at) VALUES ('x', 'x', '2026-01-01', 0, '[]', '2026-01-01')")
    print("held", flush=True)
    sys.stdin.readline()
    conn.execute("ROLLBACK")
""")


def test_a_database_locked_by_another_process_says_so_and_saves_once_free(
        db: Database, observation: tuple[str, list[str]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    obs_id, items = observation
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 100)
    db.engine.dispose()  # new connections pick up the short timeout
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(db.path)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(DatabaseLockedError) as caught:
            _save(db, obs_id, items)
        assert "locked by another program" in str(caught.value)
        assert "your note is kept" in str(caught.value)
    finally:
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.stdin.close()
        finish(holder)
    view = _save(db, obs_id, items)
    assert [n.id for n in _saved(db, obs_id)] == [view.id]


def test_os_errors_are_translated_and_bugs_pass_through() -> None:
    full = faults.translate(OSError(errno.ENOSPC, "No space left on device"))
    assert isinstance(full, DiskFullError)
    assert isinstance(faults.translate(OSError(errno.EROFS, "Read-only file system", "/x")),
                      ReadOnlyError)
    assert faults.translate(ValueError("a bug")) is None
    with pytest.raises(IntegrityError), faults.storage_faults():
        raise IntegrityError("INSERT", {}, Exception("UNIQUE constraint failed"))
    with pytest.raises(KeyError), faults.storage_faults():
        raise KeyError("a bug reaches the crash dialog unchanged")


def test_the_cli_reports_a_locked_database_in_one_line(
        demo_dir, tmp_path, monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
        capsys: pytest.CaptureFixture[str]) -> None:
    from observe_app import cli

    roster = tmp_path / "staff.csv"
    roster.write_text("name,email,role,subject,start_date\n"
                      "Ana Lima,ana.lima@school.example,teacher,Maths,2024-09-01\n", "utf-8")
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 100)
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(demo_dir / "observe.db")],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        code = cli.main(["--data-dir", str(demo_dir), "people", "import", str(roster)])
    finally:
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.stdin.close()
        finish(holder)
    err = capsys.readouterr().err
    assert code == 5  # a lock has its own exit status, whether met at the start or a write
    assert err.startswith("error: the database is locked by another program") and \
        err.count("\n") == 1
    assert cli.main(["--data-dir", str(demo_dir), "people", "import", str(roster)]) == 0
