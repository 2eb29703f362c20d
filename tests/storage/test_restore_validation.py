"""Restore checks a backup as an import would, and swaps it in whole or not at all.

Issue 11 found backups that passed SQLite's integrity check and were restored although the
app could not use them; with one (a trigger that deletes every other note when a note is
saved) saving one note left 1 of 1,122. Each is now refused with one sentence naming the
problem, and the database in use stays byte for byte as it was.
"""

from __future__ import annotations

import contextlib
import hashlib
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from observe_app import cli
from observe_app.storage import backup, migrate
from observe_app.storage.engine import Database
from observe_app.storage.opening import open_database
from tests.storage.db_files import changed_copy, dropping_column

WIPE = ("CREATE TRIGGER keep_tidy AFTER INSERT ON notes BEGIN "
        "DELETE FROM notes WHERE rowid % 2 = 0 AND id <> new.id; END")


def _state(data_dir: Path) -> tuple[str, ...]:
    """The bytes of the database and of its write-ahead log, if any."""
    return tuple(hashlib.sha256(p.read_bytes()).hexdigest() if p.exists() else ""
                 for p in (data_dir / "observe.db", data_dir / "observe.db-wal"))


def _dump(path: Path) -> list[str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture
def good_backup(demo_dir: Path, tmp_path: Path) -> Path:
    """A checked backup of the demo school, kept outside the data folder."""
    folder = tmp_path / "usb-stick"
    folder.mkdir()
    return backup.backup_to(demo_dir / "observe.db", folder / "observe-backup.db")


def _changed(good: Path, name: str, *statements: str) -> Path:
    return changed_copy(good, good.with_name(name), *statements)


def _restore(data_dir: Path, source: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    capsys.readouterr()
    code = cli.main(["--data-dir", str(data_dir), "restore", str(source)])
    out, err = capsys.readouterr()
    return code, err if code else out


def test_a_backup_whose_trigger_deletes_every_other_note_is_refused(
        demo_dir: Path, good_backup: Path) -> None:
    hostile = _changed(good_backup, "friendly-looking.db", WIPE)
    trial = _changed(hostile, "trial.db")  # what it would do: save one note, lose half
    conn = sqlite3.connect(trial)
    before = conn.execute("SELECT count(*) FROM notes").fetchone()[0]
    conn.execute("INSERT INTO notes (id, observation_id, wall_time, elapsed_ms, text, created_at, "
                 "updated_at) SELECT lower(hex(randomblob(16))), observation_id, wall_time, 0, "
                 "'x', created_at, updated_at FROM notes LIMIT 1")
    assert conn.execute("SELECT count(*) FROM notes").fetchone()[0] < before * 0.6  # half gone
    conn.close()
    trial.unlink()
    live = _state(demo_dir)
    beside = sorted(p.name for p in hostile.parent.iterdir())

    result = subprocess.run([sys.executable, "-m", "observe_app", "--data-dir", str(demo_dir),
                             "restore", str(hostile)], capture_output=True, text=True,
                            timeout=120)

    assert result.returncode == 2, result.stdout
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: "), result.stderr
    assert "friendly-looking.db" in result.stderr and "trigger keep_tidy on notes" in result.stderr
    assert "the database in use was not changed" in result.stderr
    assert _state(demo_dir) == live
    assert sorted(p.name for p in hostile.parent.iterdir()) == beside  # no -wal, no -shm
    assert not list(demo_dir.glob("observe.db.restoring*"))
    assert not (demo_dir / "backups").exists()  # nothing kept, as nothing was replaced


CASES = {
    "dropped-table": (["DROP TABLE goal_cycles"], "the table goal_cycles is missing"),
    "dropped-column": (dropping_column("goals", "updated_at"),
                       "table goals has no column updated_at"),
    "dropped-index": (["DROP INDEX ix_notes_unindexed"], "the index ix_notes_unindexed on notes"),
    "dropped-search-index": (["DROP TABLE notes_fts"],
                             "the search index table notes_fts is missing"),
    "view": (["CREATE VIEW everyone AS SELECT * FROM people"], "it has the view everyone"),
    "extra-table": (["CREATE TABLE notes_copy AS SELECT * FROM notes"],
                    "it has the table notes_copy, which Observe did not make"),
    "unknown-enum": (["UPDATE people SET role = 'wizard' WHERE rowid = 3"],
                     "people.role in row "),
    "invalid-json": (["UPDATE protocol_items SET config = '{oops' WHERE rowid = 2"],
                     "protocol_items.config in row "),
    "blob-name": (["UPDATE people SET name = x'00ff10' WHERE rowid = 2"],
                  "people.name in row "),
    "nul-name": (["UPDATE people SET name = name || char(0) || 'x' WHERE rowid = 4"],
                 "holds text with a NUL character in it"),
    "bad-utf8": (["UPDATE notes SET text = CAST(x'c328' AS TEXT) WHERE rowid = 9"],
                 "notes.text in row "),
    "bad-date": (["UPDATE people SET start_date = '2025-02-30' WHERE rowid = 5"],
                 "holds '2025-02-30', which is not a date"),
    "bad-time": (["UPDATE notes SET wall_time = '2025-10-08 25:00:00.000000' WHERE rowid = 7"],
                 "which is not a time as Observe writes it"),
    "not-an-id": (["UPDATE timer_runs SET id = 'run-1' WHERE rowid = 1"],
                  "timer_runs.id in row number 1 holds 'run-1', which is not an Observe id"),
    "broken-link": (["UPDATE notes SET observation_id = '00000000-0000-4000-8000-00000000000a' "
                     "WHERE rowid = 3"], "of notes points at a missing row of observations"),
    "protocol-document": (["UPDATE protocol_versions SET document = json_remove(document, "
                           "'$.sections') WHERE rowid = 1"], "the protocol document of version"),
    "older-label": (["UPDATE alembic_version SET version_num = '0003'"],
                    "the trigger notes_fts_ai on notes is missing (it is part of Observe's "
                    "schema 0003)"),
    "newer": (["UPDATE alembic_version SET version_num = '0099'"],
              "made by a newer version of Observe (schema 0099)"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_backup_the_app_cannot_use_is_refused_naming_the_problem(
        case: str, demo_dir: Path, good_backup: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    statements, expected = CASES[case]
    hostile = _changed(good_backup, f"{case}.db", *statements)
    live = _state(demo_dir)
    code, err = _restore(demo_dir, hostile, capsys)
    assert code == 2
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {hostile} "), err
    assert expected in lines[0], lines[0]
    assert "the database in use was not changed" in lines[0]
    assert _state(demo_dir) == live


def test_checking_a_backup_writes_nothing_beside_it(demo_dir: Path, tmp_path: Path) -> None:
    """A copy of a live database is in WAL mode: read with `mode=ro` it got a -wal and a -shm
    beside it; now the file is read `immutable` and its folder stays as it was."""
    folder = tmp_path / "copied"
    folder.mkdir()
    copy = folder / "observe.db"
    shutil.copyfile(demo_dir / "observe.db", copy)
    assert copy.read_bytes()[18:20] == b"\x02\x02"  # WAL mode
    stat = copy.stat()
    backup.validate_backup_file(copy, migrate.known_revisions())
    assert [p.name for p in folder.iterdir()] == ["observe.db"]
    assert copy.stat().st_mtime_ns == stat.st_mtime_ns


def test_an_older_backup_is_brought_up_to_date_and_searchable(
        demo_dir: Path, good_backup: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A backup from before the search index (schema 0001) is migrated as a staged copy, its
    index built from its notes, and nothing is indexed twice."""
    from alembic import command

    from observe_app.services import search

    old = _changed(good_backup, "from-last-year.db",
                   "UPDATE notes SET text = 'Quokka counting with the whole class' "
                   "WHERE rowid = 11")
    db = Database(old)
    migrate.run_migrations(db, command.downgrade, "0001")
    db.close()
    conn = sqlite3.connect(old)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()
    assert backup.schema_revision(old) == "0001"

    code, out = _restore(demo_dir, old, capsys)

    assert code == 0 and out.startswith(f"Restored {old}."), out
    with open_database(demo_dir) as restored, restored.transaction() as s:
        hits = search.search(s, "quokka")
        assert [h.kind for h in hits] == ["note"]
        unindexed = s.connection().exec_driver_sql(
            "SELECT count(*) FROM notes WHERE search_indexed = 0").scalar()
        assert unindexed == 0
    assert cli.main(["--data-dir", str(demo_dir), "check"]) == 0
    kept = list((demo_dir / "backups").glob("*-before-restore.db"))
    assert len(kept) == 1
    backup.validate_backup_file(kept[0], migrate.known_revisions())  # the way back is sound


def test_the_search_index_is_rebuilt_from_the_notes_not_taken_from_the_backup(
        demo_dir: Path, good_backup: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An index emptied (or stale) in the backup, and notes not yet indexed: after the restore
    every note is found once, and every note is marked as indexed."""
    from observe_app.services import search

    stale = _changed(good_backup, "stale.db",
                     "UPDATE notes SET text = 'Wombat wait time' WHERE rowid = 20",
                     "UPDATE notes SET text = 'Numbat number talk' WHERE rowid = 21",
                     "INSERT INTO notes_fts(notes_fts) VALUES ('delete-all')",
                     "UPDATE notes SET search_indexed = 0 WHERE rowid % 2 = 0")
    assert _restore(demo_dir, stale, capsys)[0] == 0
    conn = sqlite3.connect(demo_dir / "observe.db")
    assert conn.execute("SELECT count(*) FROM notes WHERE search_indexed = 0").fetchone() == (0,)
    conn.execute("INSERT INTO notes_fts(notes_fts) VALUES ('integrity-check')")
    conn.close()
    with open_database(demo_dir) as restored, restored.transaction() as s:
        assert len(search.search(s, "wombat")) == 1 and len(search.search(s, "numbat")) == 1
        s.connection().exec_driver_sql("UPDATE notes SET text = 'koala' WHERE rowid = 20")
    with open_database(demo_dir) as restored, restored.transaction() as s:
        assert search.search(s, "wombat") == [] and len(search.search(s, "koala")) == 1


def test_restoring_the_database_onto_itself_is_refused(
        demo_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    live = _state(demo_dir)
    code, err = _restore(demo_dir, demo_dir / "observe.db", capsys)
    assert code == 2 and "is the database in use itself" in err and err.count("\n") == 1
    assert _state(demo_dir) == live


class _FailingJournal:
    """The live database's connection, failing as a full or removed disk would."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def execute(self, sql: str) -> sqlite3.Cursor:
        raise sqlite3.OperationalError("disk I/O error")


@pytest.fixture
def failing_swap(monkeypatch: pytest.MonkeyPatch, demo_dir: Path) -> None:
    real = backup.connect
    live = (demo_dir / "observe.db").resolve()

    @contextlib.contextmanager
    def connect(path: Path, *, read_only: bool, immutable: bool = False) -> Iterator[object]:
        with real(path, read_only=read_only, immutable=immutable) as conn:
            failing = not read_only and path.resolve() == live
            yield _FailingJournal(conn) if failing else conn

    monkeypatch.setattr(backup, "connect", connect)


def test_a_swap_that_fails_leaves_the_database_as_it_was(
        demo_dir: Path, good_backup: Path, failing_swap: None,
        capsys: pytest.CaptureFixture[str]) -> None:
    other = _changed(good_backup, "other.db", "UPDATE people SET name = 'Someone Else'")
    before = _dump(demo_dir / "observe.db")
    code, err = _restore(demo_dir, other, capsys)
    assert code == 2 and err.count("\n") == 1
    assert "could not restore" in err and "the database in use is as it was before" in err
    assert _dump(demo_dir / "observe.db") == before
    assert not list(demo_dir.glob("observe.db.restoring*"))


def test_a_swap_found_wrong_after_copying_is_undone(
        demo_dir: Path, good_backup: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    other = _changed(good_backup, "other.db", "UPDATE people SET name = 'Someone Else'")
    before = _dump(demo_dir / "observe.db")
    monkeypatch.setattr(backup, "schema_revision", lambda path: "0000")
    code, err = _restore(demo_dir, other, capsys)
    assert code == 2 and "failed its check" in err and "is as it was before" in err
    assert _dump(demo_dir / "observe.db") == before


def test_a_damaged_database_set_aside_comes_back_if_the_swap_fails(
        demo_dir: Path, good_backup: Path, failing_swap: None,
        capsys: pytest.CaptureFixture[str]) -> None:
    db_path = demo_dir / "observe.db"
    data = db_path.read_bytes()
    page = next(p for p in range(len(data) // 4096 // 2, len(data) // 4096)
                if data[p * 4096] == 13)  # a table leaf page: its cells are now nonsense
    with db_path.open("r+b") as fh:
        fh.seek(page * 4096 + 8)
        fh.write(bytes(range(256)) * 2)
    assert backup.integrity_problems(db_path)
    damaged = db_path.read_bytes()
    code, err = _restore(demo_dir, good_backup, capsys)
    assert code == 2 and "is as it was before" in err
    assert db_path.read_bytes() == damaged
    assert not list((demo_dir / "backups").glob("damaged-*"))


def test_a_protocol_let_in_by_an_older_version_does_not_make_its_backups_unrestorable(
        demo_dir: Path, good_backup: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The importer's rules grow stricter (a label on two lines is refused now); a backup holds
    what the folder's own database held, so it restores all the same."""
    older = _changed(
        good_backup, "older.db",
        "UPDATE protocol_versions SET document = replace(document, "
        "'\"label\": \"Today''s learning goal is visible\"', "
        "'\"label\": \"Today''s learning goal\\nis visible\"')",
        "UPDATE protocol_items SET label = 'Today''s learning goal' || char(10) || 'is visible' "
        "WHERE label = 'Today''s learning goal is visible'")
    conn = sqlite3.connect(older)
    try:
        assert conn.execute("SELECT count(*) FROM protocol_items WHERE label LIKE "
                            "'%' || char(10) || '%'").fetchone()[0] > 0
    finally:
        conn.close()
    code, said = _restore(demo_dir, older, capsys)
    assert code == 0, said


def _old_backups(data_dir: Path, good: Path, count: int, reason: str = "auto") -> list[Path]:
    """`count` copies of `good` in the backups folder, dated a year ago and one day apart."""
    import datetime as dt

    from observe_app.storage import rotation

    folder = data_dir / "backups"
    folder.mkdir(exist_ok=True)
    start = dt.datetime(2025, 1, 1, 9, tzinfo=dt.UTC)
    made = []
    for i in range(count):
        target = folder / rotation.backup_name(start + dt.timedelta(days=i), reason)
        shutil.copyfile(good, target)
        made.append(target)
    return made


def test_a_restore_that_fails_has_pruned_nothing(
        demo_dir: Path, good_backup: Path, failing_swap: None,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Not even the old backup it was asked to restore (the copy of the database as it was
    is pruned by age only once the restore has gone through)."""
    old = _old_backups(demo_dir, good_backup, 12)
    code, err = _restore(demo_dir, old[0], capsys)
    assert code == 2 and "could not restore" in err
    assert all(p.exists() for p in old)


def test_restoring_over_an_emptied_database_keeps_the_last_real_copy(
        demo_dir: Path, good_backup: Path, capsys: pytest.CaptureFixture[str]) -> None:
    [before_restore] = _old_backups(demo_dir, good_backup, 1, reason="before-restore")
    db_path = demo_dir / "observe.db"
    for side in ("-wal", "-shm"):
        db_path.with_name(db_path.name + side).unlink(missing_ok=True)
    db_path.write_bytes(b"")
    code, said = _restore(demo_dir, good_backup, capsys)
    assert code == 0, said
    assert before_restore.exists()  # still the newest copy taken before a restore
    [emptied] = (demo_dir / "backups").glob("damaged-*.db")
    assert emptied.stat().st_size == 0 and str(emptied) in said
    assert not [p for p in (demo_dir / "backups").glob("observe-*-before-restore.db")
                if p != before_restore]


def test_a_restore_into_a_folder_without_a_database_says_so(
        good_backup: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, said = _restore(tmp_path / "new", good_backup, capsys)
    assert code == 0 and "There was no database here before." in said, said


def test_the_staged_copy_is_owner_only(
        demo_dir: Path, good_backup: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from observe_app.storage import restore_check

    modes = []
    real = restore_check.prepare_staged

    def looking(staged: Path, *args: object) -> None:
        modes.append(staged.stat().st_mode & 0o777)
        real(staged, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(restore_check, "prepare_staged", looking)
    code, said = _restore(demo_dir, good_backup, capsys)
    assert code == 0, said
    assert modes == [0o600]
