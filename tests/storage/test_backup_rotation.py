"""Backups you can count on: none when nothing changed, kept by age, and the copy taken before
a restore, a migration or an import never rotated away (storage.rotation)."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from observe_app.services import people
from observe_app.storage import autobackup, backup, migrate, rotation
from observe_app.storage.engine import Database
from observe_app.storage.opening import open_database
from observe_app.storage.paths import backup_dir, database_path

NOW = dt.datetime(2026, 3, 18, 15, 0, tzinfo=dt.UTC)  # a Wednesday


def _names(times_and_reasons: list[tuple[dt.datetime, str]]) -> list[tuple[str, dt.datetime]]:
    return [(rotation.backup_name(t, r), t) for t, r in times_and_reasons]


def _people(path: Path) -> list[str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [r[0] for r in conn.execute("SELECT name FROM people ORDER BY name")]
    finally:
        conn.close()


def _add(db: Database, name: str) -> None:
    with db.transaction() as s:
        people.add_person(s, name)


# -- the rotation rule, over names and fake times -----------------------------------------------

def test_the_newest_ten_are_kept_whatever_their_age() -> None:
    made = _names([(NOW - dt.timedelta(minutes=m), "startup") for m in range(15)])
    kept = rotation.backups_to_keep(made, NOW, dt.UTC)
    assert kept == {name for name, _ in made[:10]}


def test_one_a_day_for_a_week_and_one_a_week_for_eight_weeks() -> None:
    made = _names([(NOW - dt.timedelta(hours=6 * k), "startup") for k in range(4 * 120)])
    kept = rotation.backups_to_keep(made, NOW, dt.UTC)
    times = [t for name, t in made if name in kept]
    days = {t.date() for t in times}
    assert {NOW.date() - dt.timedelta(days=k) for k in range(7)} <= days
    weeks = {t.isocalendar()[:2] for t in times}
    this_monday = NOW.date() - dt.timedelta(days=NOW.weekday())
    assert {(this_monday - dt.timedelta(weeks=k)).isocalendar()[:2] for k in range(8)} <= weeks
    oldest_week = this_monday - dt.timedelta(weeks=7)
    assert min(times).date() >= oldest_week  # nothing older than eight weeks
    # Each day's and each week's newest, not just any: the newest is what a teacher wants back.
    for day in days:
        assert max(t for t in times if t.date() == day) == max(
            t for _, t in made if t.date() == day)
    assert len(kept) <= 10 + 7 + 8


def test_the_newest_backup_before_each_step_is_kept_for_ever() -> None:
    old = NOW - dt.timedelta(days=200)
    made = _names([
        (old, "before-restore"),
        (old - dt.timedelta(days=1), "before-restore"),
        (old - dt.timedelta(days=2), "before-migration-0003"),
        (old - dt.timedelta(days=3), "before-migration-0002"),
        (old - dt.timedelta(days=4), "before-import-roster"),
        (old - dt.timedelta(days=5), "startup"),
        *[(NOW - dt.timedelta(minutes=m), "startup") for m in range(12)],
    ])
    kept = rotation.backups_to_keep(made, NOW, dt.UTC)
    old_kept = sorted(name.split("Z-")[1] for name, t in made if name in kept and t < NOW -
                      dt.timedelta(days=100))
    assert old_kept == ["before-import-roster.db", "before-migration-0003.db",
                        "before-restore.db"]
    assert made[0][0] in kept  # the newest before-restore, not the older one


def test_only_automatic_backups_are_ever_pruned(tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    others = ["damaged-20200101T000000000000Z.db", "observe-by-hand.db", "notes.txt"]
    for name in others:
        (folder / name).write_bytes(b"x")
    for name, _ in _names([(NOW - dt.timedelta(days=400 + k), "startup") for k in range(30)]):
        (folder / name).write_bytes(b"x")
    gone = backup.prune(folder, now=NOW, tz=dt.UTC)
    assert len(gone) == 20  # the newest ten of the old ones stay; nothing else is touched
    assert sorted(p.name for p in folder.iterdir() if not p.name.endswith("-startup.db")) == \
        sorted(others)


# -- no backup when nothing changed ---------------------------------------------------------------

def test_no_new_backup_when_nothing_changed(db: Database) -> None:
    data = db.path.parent
    first = autobackup.backup_now(data, "startup")
    assert autobackup.backup_now(data, "startup") == first
    db.checkpoint()  # the pages move from the log into the file: the content is the same
    assert autobackup.backup_now(data, "after-observation") == first
    database_path(data).touch()  # a newer file time is not a change
    assert autobackup.backup_now(data, "startup") == first
    assert autobackup.list_backups(data) == [first]
    assert not list(backup_dir(data).glob("*.partial"))

    _add(db, "Someone new")
    second = autobackup.backup_now(data, "startup")
    assert second != first and autobackup.list_backups(data) == [second, first]
    assert "Someone new" in _people(second)


def test_a_backup_leaves_the_database_locked_for_its_window(db: Database) -> None:
    """Closing any descriptor of a file drops every lock the process holds on it: had the
    backup read the live file itself, another program's last connection would take the
    database for unused and delete the -wal and -shm files the window still writes to."""
    first = autobackup.backup_now(db.path.parent, "startup")
    _add(db, "Someone new")  # the window's connection stays open, its pages in the log
    assert autobackup.backup_now(db.path.parent, "startup") != first
    assert autobackup.backup_now(db.path.parent, "startup") != first  # compared: unchanged
    wal = db.path.with_name(db.path.name + "-wal")
    assert wal.exists()
    subprocess.run([sys.executable, "-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]);"
                    " c.execute('SELECT count(*) FROM people').fetchone(); c.close()",
                    str(db.path)], check=True, timeout=60)
    assert wal.exists() and db.path.with_name(db.path.name + "-shm").exists()
    _add(db, "Someone after")
    assert "Someone after" in _people(autobackup.backup_now(db.path.parent, "startup"))


def test_a_change_of_one_letter_is_a_change(db: Database) -> None:
    _add(db, "Ann Lee")
    first = autobackup.backup_now(db.path.parent, "startup")
    with db.engine.begin() as conn:  # same length, same pages but one byte
        conn.exec_driver_sql("UPDATE people SET name = 'Ann Lea' WHERE name = 'Ann Lee'")
    second = autobackup.backup_now(db.path.parent, "startup")
    assert second != first and _people(second) != _people(first)


def test_the_copy_before_a_restore_is_taken_even_when_an_ordinary_one_holds_the_same(
        db: Database) -> None:
    """Skipping it would leave what was there before the restore only in a backup the
    rotation may prune; a second restore of the same state does not take another."""
    data = db.path.parent
    _add(db, "Before the restore")
    startup_copy = autobackup.backup_now(data, "startup")
    db.close()
    kept = backup.restore_from(startup_copy, db.path, backup_dir(data), migrate.known_revisions())
    assert kept != startup_copy and kept.name.endswith("-before-restore.db")
    # A restore rebuilds the search index, so the restored file's pages differ from the
    # incrementally indexed one it replaced (the same rows): the next restore keeps it too.
    second = backup.restore_from(startup_copy, db.path, backup_dir(data),
                                 migrate.known_revisions())
    assert second not in (kept, startup_copy) and second.name.endswith("-before-restore.db")
    # From then on the state before each restore is the one the last restore made: kept once.
    third = backup.restore_from(startup_copy, db.path, backup_dir(data),
                                migrate.known_revisions())
    assert third == second
    assert len(autobackup.list_backups(data)) == 3


FAILING_REVISION = """
revision = "0999_fails"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade():
    raise RuntimeError("this migration always fails")


def downgrade():
    pass
"""


def test_a_migration_that_keeps_failing_takes_one_backup(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    with open_database(data) as db:
        _add(db, "Aino Mäkelä")
    scripts = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS, scripts)
    head = migrate.head_revision()
    (scripts / "versions" / "0999_fails.py").write_text(FAILING_REVISION.format(head=head))
    monkeypatch.setattr(migrate, "MIGRATIONS", scripts)
    monkeypatch.setattr(migrate, "HEAD", "0999_fails")
    for _ in range(4):  # the teacher tries again, and again
        with pytest.raises(RuntimeError, match="always fails"):
            open_database(data)
    saved = autobackup.list_backups(data)
    assert [p.name.split("Z-")[1] for p in saved] == [f"before-migration-{head}.db"]
    assert _people(saved[0]) == ["Aino Mäkelä"]


# -- a hundred starts over simulated weeks --------------------------------------------------------

@pytest.mark.slow
def test_a_hundred_starts_keep_the_last_copy_before_a_restore_and_every_recent_day(
        data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    clock = [dt.datetime(2026, 1, 5, 7, 30, tzinfo=dt.UTC)]
    monkeypatch.setattr(backup, "utc_now", lambda: clock[0])
    db_path = database_path(data_dir)
    folder = backup_dir(data_dir)
    before_restore: Path | None = None
    for start in range(100):
        clock[0] += dt.timedelta(hours=13)  # twice a day or so, some days once
        with open_database(data_dir) as db:
            _add(db, f"Teacher {start:03}")
        autobackup.backup_now(data_dir, "startup")
        if start == 20:  # the file is damaged: restored, the damaged one set aside
            db_path.write_bytes(b"not a database any more" * 200)
            backup.restore_from(autobackup.list_backups(data_dir)[0], db_path, folder,
                                migrate.known_revisions())
        if start == 60:  # the teacher goes back ten starts, on purpose
            older = autobackup.list_backups(data_dir)[10]
            before_restore = backup.restore_from(older, db_path, folder,
                                                 migrate.known_revisions())

    assert before_restore is not None and before_restore.exists()
    assert "Teacher 060" in _people(before_restore)  # what was there before going back
    assert len(list(folder.glob("damaged-*.db"))) == 1
    kept = autobackup.list_backups(data_dir)
    assert kept[0].name == rotation.backup_name(clock[0], "startup")
    local_days = {rotation.parse_name(p.name)[0].astimezone().date()  # type: ignore[index]
                  for p in kept}
    today = clock[0].astimezone().date()
    assert {today - dt.timedelta(days=k) for k in range(7)} <= local_days
    assert len(kept) <= 10 + 7 + 8 + 1
    assert all(backup.integrity_problems(p) == [] for p in kept[:3])
