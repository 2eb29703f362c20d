"""The data folder's lock: users share it, a restore or a schema change has it alone, a killed
holder lets go, and every refusal is one sentence naming the holder, at once."""

from __future__ import annotations

import hashlib
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from observe_app.errors import AlreadyOpenError, DatabaseLockedError, FolderInUseError
from observe_app.storage import folder_lock, migrate
from observe_app.storage.engine import Database
from observe_app.storage.folder_lock import RESTORE, FolderLock, holders
from observe_app.storage.opening import open_database
from observe_app.storage.paths import database_path
from tests.processes import finish

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="uses SIGKILL")

# Holds the folder as told until a line arrives on stdin (or it is killed).
HOLDER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from observe_app.storage.folder_lock import FolderLock
    from observe_app.storage.instance_lock import InstanceLock
    folder, how, command = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    if how == "window":
        instance = InstanceLock(folder).acquire()
        lock = FolderLock(folder, command, instance_lock=instance).share()
    elif how == "shared":
        lock = FolderLock(folder, command).share()
    else:
        lock = FolderLock(folder, command)
        lock.begin_exclusive(how)
    print("held", flush=True)
    sys.stdin.readline()
    lock.release()
""")


class Holder:
    def __init__(self, folder: Path, how: str, command: str = "observe-app people import"):
        self.proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(folder), how, command],
                                     text=True, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        assert self.proc.stdout is not None
        assert self.proc.stdout.readline().strip() == "held"
        self.pid = self.proc.pid

    def let_go(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write("\n")
        self.proc.stdin.close()
        finish(self.proc)

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        finish(self.proc)


@pytest.fixture
def hold(data_dir: Path) -> Iterator:  # type: ignore[type-arg]
    made: list[Holder] = []

    def start(how: str, command: str = "observe-app people import",
              folder: Path | None = None) -> Holder:
        made.append(Holder(folder or data_dir, how, command))
        return made[-1]

    yield start
    for holder in made:
        if holder.proc.poll() is None:
            holder.kill()


def _one_line(exc: BaseException) -> str:
    text = str(exc)
    assert "\n" not in text and text.endswith("Nothing was changed"), text
    return text


def test_users_share_the_folder(data_dir: Path, hold) -> None:  # type: ignore[no-untyped-def]
    other = hold("shared")
    mine = FolderLock(data_dir, "observe-app cycles list", wait_s=0).share()
    again = FolderLock(data_dir, "observe-app backup", wait_s=0).share()  # same process too
    try:
        assert mine.mode == again.mode == "shared"
        named = {(h["pid"], h["command"]) for h in holders(data_dir)}
        assert named >= {(other.pid, "observe-app people import")}
        assert [h["pid"] for h in mine.others()].count(other.pid) == 1
    finally:
        mine.release()
        again.release()
    other.let_go()
    assert holders(data_dir) == []  # each holder's record is blanked when it lets go
    assert (data_dir / folder_lock.USE_NAME).exists()  # never deleted


def test_a_user_keeps_a_restore_out_at_once_and_is_named(data_dir: Path, hold) -> None:  # type: ignore[no-untyped-def]
    user = hold("shared")
    lock = FolderLock(data_dir, "observe-app restore")
    started = time.monotonic()
    with pytest.raises(FolderInUseError) as caught, lock.exclusive(RESTORE):
        pytest.fail("the restore ran while the folder was in use")
    assert time.monotonic() - started < 1.0  # refused at once, never waits
    assert _one_line(caught.value) == (
        f"restore needs the data folder {data_dir} to itself, but `observe-app people import` "
        f"(process {user.pid}) is using it; try again when it has finished. Nothing was changed")
    assert not lock.held
    user.let_go()
    with lock.exclusive(RESTORE):
        assert lock.mode == "exclusive"
        assert [h["exclusive"] for h in holders(data_dir)] == [True]
    assert not lock.held


def test_a_restore_keeps_users_out_and_a_user_waits_a_little_for_it(
        data_dir: Path, hold) -> None:  # type: ignore[no-untyped-def]
    restore = hold(RESTORE, "observe-app restore")
    started = time.monotonic()
    with pytest.raises(FolderInUseError) as caught:
        FolderLock(data_dir, "observe-app demo", wait_s=0.5).share()
    assert 0.5 <= time.monotonic() - started < 2.0
    assert _one_line(caught.value) == (
        f"the data folder {data_dir} is being restored by `observe-app restore` (process "
        f"{restore.pid}); try again when it has finished. Nothing was changed")
    # A restore that ends while a user waits lets it in.
    user = FolderLock(data_dir, "observe-app demo", wait_s=10)
    ending = threading.Timer(0.5, restore.let_go)
    ending.start()
    started = time.monotonic()
    try:
        user.share()
        assert user.mode == "shared" and 0.3 < time.monotonic() - started < 5
    finally:
        ending.join()
        user.release()


def test_a_restore_keeps_another_restore_out(data_dir: Path, hold) -> None:  # type: ignore[no-untyped-def]
    first = hold(RESTORE, "observe-app restore")
    with pytest.raises(FolderInUseError) as caught:
        FolderLock(data_dir, "observe-app restore").begin_exclusive(RESTORE)
    assert f"is being restored by `observe-app restore` (process {first.pid})" in str(
        caught.value)


@pytest.mark.parametrize("how", ["shared", RESTORE])
def test_a_killed_holder_lets_go(data_dir: Path, hold, how: str) -> None:  # type: ignore[no-untyped-def]
    holder = hold(how)
    holder.kill()
    assert holders(data_dir) == []  # its record names a dead process: ignored
    lock = FolderLock(data_dir, "observe-app restore", wait_s=0)
    with lock.exclusive(RESTORE):
        assert lock.mode == "exclusive"
    assert lock.share().mode == "shared"
    lock.release()


def test_an_open_window_keeps_a_restore_out_with_the_window_s_words(
        data_dir: Path, hold) -> None:  # type: ignore[no-untyped-def]
    window = hold("window", folder_lock.WINDOW)
    with pytest.raises(AlreadyOpenError) as caught:
        FolderLock(data_dir, "observe-app restore").begin_exclusive(RESTORE)
    assert caught.value.pid == window.pid
    assert f"Observe is already open on the data folder {data_dir} (process {window.pid})" \
        in str(caught.value)


def test_a_window_upgrades_its_own_hold_and_gets_it_back(data_dir: Path, hold) -> None:  # type: ignore[no-untyped-def]
    from observe_app.storage.instance_lock import InstanceLock

    with InstanceLock(data_dir) as instance:
        window = FolderLock(data_dir, folder_lock.WINDOW, instance_lock=instance).share()
        with window.exclusive(RESTORE):  # its own instance lock is no obstacle
            assert window.mode == "exclusive"
        assert window.mode == "shared"
        user = hold("shared")
        with pytest.raises(FolderInUseError) as caught:
            window.begin_exclusive(RESTORE)
        assert f"but `observe-app people import` (process {user.pid}) is using it" in str(
            caught.value)
        assert window.mode == "shared"  # taken back after the refusal
        window.release()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else ""


def test_another_program_writing_to_the_database_is_waited_for_then_refused(
        db: Database) -> None:
    db.close()
    hold_write = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent("""
            import sqlite3, sys
            conn = sqlite3.connect(sys.argv[1], isolation_level=None)
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("UPDATE alembic_version SET version_num = version_num")
            print("held", flush=True)
            sys.stdin.readline()
        """), str(db.path)], text=True, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert hold_write.stdout is not None and hold_write.stdout.readline().strip() == "held"
        files = [db.path, db.path.with_name(db.path.name + "-wal")]
        before = [_digest(f) for f in files]
        started = time.monotonic()
        with pytest.raises(DatabaseLockedError) as caught:
            folder_lock.check_database_free(db.path, wait_s=0.5)
        assert 0.5 <= time.monotonic() - started < 3
        assert _one_line(caught.value).startswith(
            f"the database {db.path} is locked by another program")
        assert [_digest(f) for f in files] == before
    finally:
        assert hold_write.stdin is not None
        hold_write.stdin.close()
        finish(hold_write)
    folder_lock.check_database_free(db.path, wait_s=0.5)  # free again


def _old_folder(folder: Path) -> Path:
    """A folder whose database is one schema behind."""
    from alembic import command

    folder.mkdir(exist_ok=True)
    old = Database(database_path(folder))
    migrate.run_migrations(old, command.upgrade, "0003")
    old.close()
    return folder


def test_a_schema_change_takes_the_folder_alone_and_only_when_one_is_needed(
        data_dir: Path, hold, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    open_database(data_dir).close()  # at head
    user = hold("shared")
    lock = FolderLock(data_dir, "observe-app cycles list", wait_s=0)
    open_database(data_dir, lock=lock).close()  # no exclusive hold needed: no refusal
    assert lock.mode == "shared"
    lock.release()
    user.let_go()

    old = _old_folder(tmp_path / "old")
    user = hold("shared", folder=old)
    before = _digest(database_path(old))
    lock = FolderLock(old, "observe-app cycles list", wait_s=0.3)
    with pytest.raises(FolderInUseError) as caught:
        open_database(old, lock=lock)
    assert _one_line(caught.value).startswith(
        f"upgrading the database to this version of Observe needs the data folder {old} to "
        f"itself, but `observe-app people import` (process {user.pid}) is using it")
    assert _digest(database_path(old)) == before
    assert lock.mode == "shared"  # still a user of the folder, as the command was
    lock.release()
    user.let_go()
    with open_database(old, lock=lock):
        assert migrate.schema_state(database_path(old))[0] == migrate.HEAD
        assert lock.mode == "shared"  # exclusive for the migration only
    lock.release()


def test_a_first_start_refused_at_its_deadline_finds_the_other_one_s_upgrade_done(
        data_dir: Path, hold, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # Two first starts at once, the CI race: this one saw the old schema, and by the time its
    # exclusive attempt was refused (its time used up) the other one had upgraded the database
    # and gone back to sharing the folder for its own work.
    old = _old_folder(tmp_path / "old")
    user = hold("shared", folder=old, command="observe-app demo")
    lock = FolderLock(old, "observe-app demo", wait_s=0)
    attempt = lock.begin_exclusive

    def the_other_start_upgrades_first(purpose: str) -> None:
        with Database(database_path(old)) as db:
            migrate.upgrade(db, tmp_path / "backups", migrate.check_can_open(database_path(old)))
        attempt(purpose)  # refused: the other one holds the folder shared

    monkeypatch.setattr(lock, "begin_exclusive", the_other_start_upgrades_first)
    try:
        with open_database(old, lock=lock):
            assert migrate.schema_state(database_path(old))[0] == migrate.HEAD
            assert lock.mode == "shared"
    finally:
        lock.release()
        user.let_go()
