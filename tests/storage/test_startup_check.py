"""The start-up check finds a damaged database, names the way back, and never writes to it."""

from __future__ import annotations

import hashlib
import random
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from observe_app.errors import DamagedDatabaseError
from observe_app.services import people
from observe_app.storage import autobackup, backup, migrate, startup
from observe_app.storage.opening import open_database
from observe_app.storage.paths import backup_dir, database_path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# Read after the damage (the read-only check counts notes; tests count people): a page of
# theirs is left whole, or whether the file still reads would depend on where a new table's
# pages happen to fall.
STILL_READ = ("notes", "people")


def _btree_page_near_middle(path: Path) -> int:
    """A table or index page near the middle of the file (its first byte says so), not one
    of the tables in STILL_READ or their indexes."""
    conn = sqlite3.connect(path)
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    marks = ", ".join("?" * len(STILL_READ))
    # dbstat numbers pages from 1; the offsets here count from 0.
    kept = {n - 1 for n, in conn.execute(
        f"SELECT pageno FROM dbstat WHERE name IN (SELECT name FROM sqlite_master WHERE "
        f"tbl_name IN ({marks}))", STILL_READ)}
    conn.close()
    data = path.read_bytes()
    pages = len(data) // size
    for distance in range(pages):
        for page in (pages // 2 + distance, pages // 2 - distance):
            if 1 < page < pages and page not in kept and data[page * size] in (2, 5, 10, 13):
                return page * size
    raise AssertionError("no b-tree page found")


def corrupt_middle_page(path: Path, seed: int = 1) -> None:
    offset = _btree_page_near_middle(path)
    rng = random.Random(seed)
    with path.open("r+b") as fh:
        fh.seek(offset)
        fh.write(bytes(rng.randrange(256) for _ in range(64)))


def test_a_sound_database_passes(demo_dir: Path) -> None:
    status = startup.check_database(demo_dir)
    assert status.ok and status.state is startup.DatabaseState.OK


def test_a_missing_database_is_not_damage(tmp_path: Path) -> None:
    assert startup.check_database(tmp_path).state is startup.DatabaseState.MISSING


def test_a_flipped_page_is_reported_with_the_newest_good_backup_and_left_untouched(
        demo_dir: Path) -> None:
    good = autobackup.backup_now(demo_dir, "startup")
    db_path = database_path(demo_dir)
    corrupt_middle_page(db_path)
    before = _digest(db_path)

    status = startup.check_database(demo_dir)
    assert status.state is startup.DatabaseState.DAMAGED
    assert status.problems
    assert status.newest_good_backup == good
    assert "left untouched" in status.message and str(good) in status.message
    assert "\n" not in status.message
    with pytest.raises(DamagedDatabaseError) as caught:
        open_database(demo_dir)
    assert "observe-app restore" in str(caught.value)
    assert _digest(db_path) == before  # never overwritten, not even "repaired"

    # The way back: restore the good backup; the damaged file is kept aside as it was.
    backup.restore_from(good, db_path, backup_dir(demo_dir), migrate.known_revisions())
    assert startup.check_database(demo_dir).ok
    kept = list(backup_dir(demo_dir).glob("damaged-*.db"))
    assert len(kept) == 1 and _digest(kept[0]) == before
    open_database(demo_dir).close()


def test_a_damaged_database_can_still_be_opened_read_only(demo_dir: Path) -> None:
    db_path = database_path(demo_dir)
    corrupt_middle_page(db_path, seed=3)
    status = startup.check_database(demo_dir)
    assert not status.ok
    assert status.can_open_read_only
    with open_database(demo_dir, read_only=True) as db, db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM people").scalar() > 0


def test_a_damaged_header_is_reported_too(demo_dir: Path) -> None:
    db_path = database_path(demo_dir)
    with db_path.open("r+b") as fh:  # SQLite's name survives; the page size and the rest do not
        fh.seek(16)
        fh.write(b"\xff" * 84)
    status = startup.check_database(demo_dir)
    assert status.state is startup.DatabaseState.DAMAGED
    assert status.newest_good_backup is None
    assert "restore a backup you keep elsewhere" in status.message


def test_a_damaged_backup_is_passed_over_for_an_older_good_one(demo_dir: Path) -> None:
    older = autobackup.backup_now(demo_dir, "startup")
    with open_database(demo_dir) as db, db.transaction() as s:  # a change to back up
        people.add_person(s, "New colleague")
    newer = autobackup.backup_now(demo_dir, "after observation")
    assert newer.name > older.name and "after-observation" in newer.name
    corrupt_middle_page(newer)
    corrupt_middle_page(database_path(demo_dir))
    status = startup.check_database(demo_dir)
    assert status.newest_good_backup == older
    assert status.backups_checked == 2


def test_the_check_command_reports_damage_and_exits_non_zero(demo_dir: Path) -> None:
    corrupt_middle_page(database_path(demo_dir))
    before = _digest(database_path(demo_dir))
    result = subprocess.run([sys.executable, "-m", "observe_app", "--data-dir", str(demo_dir),
                             "check"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 3
    assert result.stderr.startswith("error: the database") and "damaged" in result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert _digest(database_path(demo_dir)) == before


def test_a_database_gone_from_a_folder_with_backups_is_reported_not_made_afresh(
        demo_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from observe_app import cli

    good = autobackup.backup_now(demo_dir, "startup")
    for name in ("observe.db", "observe.db-wal", "observe.db-shm"):
        (demo_dir / name).unlink(missing_ok=True)
    status = startup.check_database(demo_dir)
    assert status.state is startup.DatabaseState.EMPTIED and status.offers_restore
    assert status.newest_good_backup == good
    assert cli.main(["--data-dir", str(demo_dir), "people", "list"]) == 4
    err = capsys.readouterr().err
    assert "there is no database" in err and str(good) in err
    assert not (demo_dir / "observe.db").exists()  # nothing made in its place
    assert cli.main(["--data-dir", str(demo_dir), "restore", str(good)]) == 0
    assert cli.main(["--data-dir", str(demo_dir), "check"]) == 0


def test_the_check_alongside_an_open_database_keeps_its_locks(tmp_path: Path) -> None:
    """The window checks its database while it has it open: a plain read of the file's header
    then would drop SQLite's locks (POSIX locks are the process's), and another program's
    last connection would delete the -wal and -shm files from under the window."""
    from observe_app.storage.opening import open_database

    db = open_database(tmp_path)
    try:
        with db.transaction() as s:
            people.add_person(s, "Someone")
        wal = db.path.with_name(db.path.name + "-wal")
        assert wal.exists()
        assert startup.check_database(tmp_path, opened=True).ok
        subprocess.run([sys.executable, "-c", "import sqlite3, sys; c = sqlite3.connect("
                        "sys.argv[1]); c.execute('SELECT count(*) FROM people').fetchone(); "
                        "c.close()", str(db.path)], check=True, timeout=60)
        assert wal.exists() and db.path.with_name(db.path.name + "-shm").exists()
    finally:
        db.close()
