"""Who may read Observe's files: on POSIX every file it writes is 0600 and every folder it
makes 0700, whatever the umask (storage.paths)."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from observe_app import cli
from observe_app.logging_setup import setup_logging
from observe_app.services import people
from observe_app.storage.instance_lock import InstanceLock
from observe_app.storage.opening import open_database
from observe_app.storage.paths import database_path

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    """The common umask (022 gives 0644 files): Observe must not rely on a stricter one."""
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)
        setup_logging(None)  # cli.main logged into the test's data folder


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def _modes(folder: Path) -> dict[str, int]:
    """Every file and folder under `folder` (and itself), relative name -> mode."""
    found = {".": _mode(folder)}
    for path in folder.rglob("*"):
        found[str(path.relative_to(folder))] = _mode(path)
    return found


def _wrong(modes: dict[str, int], folder: Path) -> dict[str, str]:
    return {name: oct(mode) for name, mode in modes.items()
            if mode != (0o700 if (folder / name).is_dir() else 0o600)}


def test_a_new_data_folder_is_owner_only(tmp_path: Path) -> None:
    data = tmp_path / "school" / "data"  # made by the app, parents too
    assert cli.main(["--data-dir", str(data), "people", "list"]) == 0
    modes = _modes(data)
    assert {"observe.db", "logs", "logs/observe.log"} <= set(modes)
    assert _wrong(modes, data) == {}


@pytest.mark.slow
def test_every_file_observe_writes_is_owner_only(demo_dir: Path, tmp_path: Path) -> None:
    """The demo school (built by the app: the session's demo_template), then a backup,
    every PDF, a protocol and a restore from the command line."""
    data = demo_dir
    out = tmp_path / "out"
    out.mkdir()
    run = [["backup", "--out", str(out / "copy.db")],
           ["export-pdf", "--all", "--out", str(out / "pdfs")],
           ["protocols", "export", "peer-observation", str(out / "peer.json")],
           ["restore", str(out / "copy.db")]]
    for args in run:
        assert cli.main(["--data-dir", str(data), *args]) == 0, args

    modes = _modes(data)
    assert {"observe.db", "backups", "logs", "logs/observe.log"} <= set(modes)
    assert any(name.endswith("-before-restore.db") for name in modes)
    assert _wrong(modes, data) == {}
    exported = _modes(out)
    assert len([n for n in exported if n.endswith(".pdf")]) > 5
    assert _wrong({n: m for n, m in exported.items() if n not in (".", "pdfs")}, out) == {}

    # While the window has it open: the write-ahead log, its index and the lock file too.
    with InstanceLock(data), open_database(data) as db:
        with db.transaction() as s:
            people.add_person(s, "Someone new")
        live = _modes(data)
        assert {"observe.db-wal", "observe.db-shm", "observe.lock"} <= set(live)
        assert _wrong(live, data) == {}


def test_a_data_folder_made_by_an_older_version_is_tightened_on_open(
        demo_dir: Path) -> None:
    for path in [demo_dir, *demo_dir.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    (demo_dir / "backups").mkdir(mode=0o755)
    (demo_dir / "backups" / "observe-20260101T000000000000Z-startup.db").write_bytes(b"")
    assert cli.main(["--data-dir", str(demo_dir), "cycles", "list"]) == 0
    assert _wrong(_modes(demo_dir), demo_dir) == {}


def test_a_folder_that_holds_more_than_observe_keeps_its_mode(tmp_path: Path) -> None:
    """--data-dir pointed at the teacher's Documents: Observe's files are 0600, the folder
    itself is theirs to set."""
    documents = tmp_path / "Documents"
    documents.mkdir(mode=0o755)
    (documents / "timetable.txt").write_text("Monday")
    assert cli.main(["--data-dir", str(documents), "people", "list"]) == 0
    assert _mode(documents) == 0o755 and _mode(documents / "timetable.txt") == 0o644
    assert _mode(database_path(documents)) == 0o600
    assert _mode(documents / "logs") == 0o700


def test_a_backup_to_a_chosen_file_is_that_one_owner_only_file(demo_dir: Path,
                                                                tmp_path: Path) -> None:
    """`observe-app backup --out X` as a user runs it: X and nothing beside it (no -wal,
    -shm, -journal or .partial), readable by its owner only."""
    import subprocess

    out = tmp_path / "usb"
    out.mkdir()
    target = out / "observe backup.db"
    result = subprocess.run([sys.executable, "-m", "observe_app", "--data-dir", str(demo_dir),
                             "backup", "--out", str(target)], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert [p.name for p in out.iterdir()] == [target.name]
    assert _mode(target) == 0o600
    with open_database(demo_dir) as db, db.engine.connect() as conn:
        notes = conn.exec_driver_sql("SELECT count(*) FROM notes").scalar()
    import sqlite3

    copy = sqlite3.connect(f"file:{target}?mode=ro", uri=True)
    try:
        assert copy.execute("SELECT count(*) FROM notes").fetchone()[0] == notes
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    finally:
        copy.close()
