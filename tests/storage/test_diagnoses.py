"""Honest diagnoses: each state of a data folder gets its own message and exit code, only what
SQLite's checks find is called damaged, and only damage offers a restore.

The faults are real where this machine allows: a tmpfs remounted read-only, a tmpfs filled to
ENOSPC, a user without root's rights (setpriv) on a folder that user cannot write or a file it
cannot read, another process holding SQLite's exclusive lock, a folder and a named pipe at the
database's path. Where a fault cannot be made (no root, no mount), that case is skipped with
the reason, and the injected tests at the end still run the same classification code.

SCENARIOS is the table of the closing note: `python -m tests.storage.test_diagnoses` prints it.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from observe_app.errors import ReadOnlyError
from observe_app.storage import autobackup, backup, startup
from observe_app.storage.opening import open_database
from tests.processes import finish

NOBODY = 65534
TIMEOUT_S = 20  # a command that hangs (a named pipe read as a database) fails the test

HOLD_EXCLUSIVE = textwrap.dedent("""
    import sqlite3, sys
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("PRAGMA locking_mode=EXCLUSIVE")
    conn.execute("BEGIN EXCLUSIVE")
    print("held", flush=True)
    sys.stdin.readline()
    conn.execute("ROLLBACK")
""")


# -- making faults -------------------------------------------------------------------------------

def _root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def mount_tmpfs(where: Path, size: str, stack: contextlib.ExitStack) -> None:
    """A small tmpfs at `where`, unmounted when `stack` closes; skips if it cannot be made."""
    if not _root() or shutil.which("mount") is None:
        pytest.skip("a real read-only or full file system needs root and mount(8)")
    where.mkdir(parents=True, exist_ok=True)
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs",
                           str(where)], capture_output=True, text=True, timeout=TIMEOUT_S)
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.strip()}")
    stack.callback(subprocess.run, ["umount", "-l", str(where)], capture_output=True,
                   timeout=TIMEOUT_S)


def remount_read_only(where: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(where)], check=True, capture_output=True,
                   timeout=TIMEOUT_S)


def fill_disk(where: Path) -> None:
    """Write a file on `where`'s file system until it says ENOSPC: a really full disk."""
    with open(where / "filler", "wb", buffering=0) as fh:
        try:
            while True:
                fh.write(b"\0" * 4096)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC, exc


def as_nobody() -> list[str]:
    """The command prefix that runs a process as user nobody (root reads and writes through
    any chmod, so a refusal by permission needs another user); skips where there is none."""
    if not _root() or shutil.which("setpriv") is None:
        pytest.skip("running as another user needs root and setpriv(1)")
    prefix = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
    if subprocess.run([*prefix, "true"], capture_output=True, timeout=TIMEOUT_S).returncode:
        pytest.skip("setpriv cannot change user here")
    # The other user must be able to run this Python and read this checkout (a virtual
    # environment or clone in a folder only root can enter cannot be).
    probe = subprocess.run([*prefix, sys.executable, "-c", "import observe_app.cli, PySide6"],
                           capture_output=True, text=True, timeout=TIMEOUT_S,
                           cwd=tempfile.gettempdir())
    if probe.returncode:
        pytest.skip("user nobody cannot run this Python environment or read this checkout: "
                    f"{(probe.stderr.strip().splitlines() or ['?'])[-1]}")
    return prefix


def hold_exclusive_lock(db_path: Path, stack: contextlib.ExitStack) -> None:
    """Another program holding SQLite's exclusive lock until `stack` closes."""
    holder = subprocess.Popen([sys.executable, "-c", HOLD_EXCLUSIVE, str(db_path)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def release() -> None:
        assert holder.stdin is not None
        with contextlib.suppress(OSError):
            holder.stdin.write("\n")
            holder.stdin.close()
        finish(holder, TIMEOUT_S)

    stack.callback(release)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"


def shared_folder(stack: contextlib.ExitStack) -> Path:
    """A folder every user can reach (pytest's own tmp folders are root's alone)."""
    folder = Path(tempfile.mkdtemp(prefix="observe-diagnoses-"))
    folder.chmod(0o755)
    stack.callback(shutil.rmtree, folder, ignore_errors=True)
    return folder


def copy_school(template: Path, target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(template / "observe.db", target / "observe.db")
    return target


def snapshot(data_dir: Path) -> dict[str, object]:
    """The database's bytes (and its write-ahead log's, an absent one counting as empty), or
    what kind of thing stands at its path."""
    out: dict[str, object] = {}
    for name in ("observe.db", "observe.db-wal"):
        path = data_dir / name
        try:
            mode = path.stat().st_mode
        except FileNotFoundError:
            out[name] = b""
            continue
        except PermissionError:
            out[name] = "unreadable"
            continue
        out[name] = path.read_bytes() if stat.S_ISREG(mode) else stat.S_IFMT(mode)
    return out


def run_cli(data_dir: Path, *args: str | Path, user: list[str] | None = None,
            ) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "OBSERVE_APP_DATA_DIR"}
    return subprocess.run([*(user or []), sys.executable, "-m", "observe_app", "--data-dir",
                           str(data_dir), *map(str, args)],
                          capture_output=True, text=True, encoding="utf-8", env=env,
                          timeout=TIMEOUT_S)


# -- the scenarios ---------------------------------------------------------------------------------

Build = Callable[[Path, Path, contextlib.ExitStack], "list[str] | None"]


def _sound(folder: Path, template: Path, stack: contextlib.ExitStack) -> None:
    copy_school(template, folder)


def _locked(folder: Path, template: Path, stack: contextlib.ExitStack) -> None:
    copy_school(template, folder)
    hold_exclusive_lock(folder / "observe.db", stack)


def _read_only_mount(folder: Path, template: Path, stack: contextlib.ExitStack) -> None:
    mount_tmpfs(folder, "16m", stack)
    copy_school(template, folder)
    remount_read_only(folder)


def _read_only_for_the_user(folder: Path, template: Path,
                            stack: contextlib.ExitStack) -> list[str]:
    user = as_nobody()
    copy_school(template, folder).chmod(0o555)
    (folder / "observe.db").chmod(0o644)
    return user


def _disk_full(folder: Path, template: Path, stack: contextlib.ExitStack) -> None:
    mount_tmpfs(folder, "8m", stack)
    copy_school(template, folder)
    fill_disk(folder)


def _no_permission(folder: Path, template: Path, stack: contextlib.ExitStack) -> list[str]:
    user = as_nobody()
    copy_school(template, folder).chmod(0o777)
    (folder / "observe.db").chmod(0o600)  # root's alone
    return user


def _a_folder(folder: Path, template: Path, stack: contextlib.ExitStack) -> None:
    (folder / "observe.db").mkdir(parents=True)


def _a_fifo(folder: Path, template: Path, stack: contextlib.ExitStack) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes here")
    folder.mkdir()
    os.mkfifo(folder / "observe.db")


def _emptied(folder: Path, template: Path, stack: contextlib.ExitStack) -> None:
    copy_school(template, folder)
    autobackup.backup_now(folder, "startup")
    (folder / "observe.db").write_bytes(b"")


def _random_bytes(folder: Path, template: Path, stack: contextlib.ExitStack) -> None:
    folder.mkdir()
    (folder / "observe.db").write_bytes(os.urandom(64 * 1024))


def _another_sqlite(folder: Path, template: Path, stack: contextlib.ExitStack) -> None:
    folder.mkdir()
    conn = sqlite3.connect(folder / "observe.db")
    conn.execute("CREATE TABLE lessons (id INTEGER PRIMARY KEY, title TEXT)")
    conn.commit()
    conn.close()


def _truncated(folder: Path, template: Path, stack: contextlib.ExitStack) -> None:
    folder.mkdir()
    data = (template / "observe.db").read_bytes()
    (folder / "observe.db").write_bytes(data[: len(data) * 6 // 10])


def _newer(folder: Path, template: Path, stack: contextlib.ExitStack) -> None:
    copy_school(template, folder)
    conn = sqlite3.connect(folder / "observe.db")
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()


@dataclass(frozen=True)
class Scenario:
    name: str
    build: Build
    state: str  # what startup.check_database says
    check_exit: int  # `observe-app check`
    fragment: str  # in its one `error:` line (or its output when sound)
    list_exit: int  # `observe-app people list`: reading works where it can


SCENARIOS = [
    Scenario("sound", _sound, "ok", 0, "integrity ok", 0),
    Scenario("locked by another program", _locked, "locked", 5,
             "is locked by another program", 5),
    Scenario("read-only mount", _read_only_mount, "read-only", 6, "cannot be written", 0),
    Scenario("folder the user cannot write", _read_only_for_the_user, "read-only", 6,
             "cannot be written", 0),
    Scenario("disk full", _disk_full, "disk-full", 7, "is full (", 0),
    Scenario("file the user cannot read", _no_permission, "permission", 8,
             "not allowed to read", 8),
    Scenario("a folder at the database's path", _a_folder, "not-a-file", 9,
             "is a folder, not a database file", 9),
    Scenario("a named pipe at the database's path", _a_fifo, "not-a-file", 9,
             "is a named pipe (FIFO), not a database file", 9),
    Scenario("emptied (0 bytes, backups here)", _emptied, "emptied", 4, "is empty (0 bytes)", 4),
    Scenario("random bytes", _random_bytes, "not-sqlite", 10, "not an SQLite file at all", 10),
    Scenario("another program's SQLite file", _another_sqlite, "not-sqlite", 10,
             "an SQLite database with other tables", 10),
    Scenario("truncated SQLite file", _truncated, "damaged", 3, "is damaged", 3),
    Scenario("newer schema", _newer, "newer", 11, "written by a newer version of Observe", 11),
]
RESTORE_OFFERED = {"damaged", "emptied"}


@pytest.fixture
def stack() -> Iterator[contextlib.ExitStack]:
    with contextlib.ExitStack() as s:
        yield s


@pytest.mark.slow
@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_each_state_has_its_own_message_and_exit_code_and_changes_nothing(
        scenario: Scenario, demo_template: Path, stack: contextlib.ExitStack) -> None:
    folder = shared_folder(stack) / "data"
    user = scenario.build(folder, demo_template, stack)
    before = snapshot(folder)

    check = run_cli(folder, "check", user=user)
    assert check.returncode == scenario.check_exit, check.stderr
    assert "Traceback" not in check.stderr + check.stdout
    if scenario.check_exit == 0:
        assert scenario.fragment in check.stdout and check.stderr == ""
    else:
        [line] = check.stderr.splitlines()  # one line, nothing before it (logging, tracebacks)
        assert line.startswith("error: ") and scenario.fragment in line, line
        assert "damaged" not in line or scenario.state == "damaged"
        offers = "observe-app restore" in line or "Restore from backup" in line
        assert offers == (scenario.state in RESTORE_OFFERED), line
        assert "nothing was changed" in line or "untouched" in line or "not changed" in line

    listed = run_cli(folder, "people", "list", user=user)
    assert listed.returncode == scenario.list_exit, listed.stderr
    if scenario.list_exit == 0:
        assert "Aino Mäkelä" in listed.stdout and listed.stderr == ""
    else:
        [line] = listed.stderr.splitlines()
        assert line.startswith("error: ") and scenario.fragment in line, line
    assert snapshot(folder) == before  # byte for byte


@pytest.mark.slow
@pytest.mark.parametrize(("build", "code", "fragment"), [
    (_read_only_mount, 6, "cannot be written"),
    (_disk_full, 7, "is full"),
], ids=["read-only mount", "disk full"])
def test_a_write_where_nothing_can_be_written_says_why_and_changes_nothing(
        build: Build, code: int, fragment: str, demo_template: Path,
        stack: contextlib.ExitStack) -> None:
    folder = shared_folder(stack) / "data"
    build(folder, demo_template, stack)
    roster = folder.parent / "staff.csv"
    roster.write_text("name,email,role,subject,start_date\n"
                      "Ana Lima,ana@school.example,teacher,Maths,2024-09-01\n", "utf-8")
    before = snapshot(folder)
    result = run_cli(folder, "people", "import", roster)
    assert result.returncode == code, result.stderr
    [line] = result.stderr.splitlines()
    assert line.startswith("error: ") and fragment in line and "restore" not in line.lower()
    assert snapshot(folder) == before


@pytest.mark.slow
def test_a_backup_out_of_a_read_only_folder_is_written_and_checked(
        demo_template: Path, stack: contextlib.ExitStack, tmp_path: Path) -> None:
    """Reading is what a read-only folder still allows: copying the data out of it is the way
    to go on elsewhere."""
    folder = shared_folder(stack) / "data"
    _read_only_mount(folder, demo_template, stack)
    before = snapshot(folder)
    out = tmp_path / "copy.db"
    result = run_cli(folder, "backup", "--out", out)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copy.db"]
    assert backup.integrity_problems(out) == []
    assert run_cli(tmp_path / "elsewhere", "restore", out).returncode == 0
    assert "Aino Mäkelä" in run_cli(tmp_path / "elsewhere", "people", "list").stdout
    assert snapshot(folder) == before


# -- the same classification, with the fault injected (runs anywhere) ------------------------------

def test_a_folder_that_cannot_be_written_opens_read_only_and_a_write_says_why(
        demo_dir: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from observe_app import cli
    from observe_app.services import people

    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, *a, **k: False if mode & os.W_OK and
                        Path(p).resolve().is_relative_to(demo_dir.resolve())
                        else real_access(p, mode, *a, **k))
    before = snapshot(demo_dir)
    status = startup.check_database(demo_dir)
    assert status.state is startup.DatabaseState.READ_ONLY and status.can_open_read_only
    assert status.immutable and not status.offers_restore
    with open_database(demo_dir) as db:
        assert db.read_only
        with db.transaction() as s:
            assert people.list_people(s)
        with pytest.raises(ReadOnlyError, match="cannot be written"), db.transaction() as s:
            people.add_person(s, "Ana Lima")
    assert cli.main(["--data-dir", str(demo_dir), "check"]) == 6
    assert capsys.readouterr().err.count("\n") == 1
    assert snapshot(demo_dir) == before


def test_a_full_disk_is_read_and_not_called_damaged(
        demo_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = shutil.disk_usage
    monkeypatch.setattr(shutil, "disk_usage",
                        lambda p: real(p)._replace(free=100))  # type: ignore[attr-defined]
    status = startup.check_database(demo_dir)
    assert status.state is startup.DatabaseState.DISK_FULL and status.can_open_read_only
    assert "100 bytes free" in status.message and "restore" not in status.message
    assert status.exit_code == 7 and status.error().exit_code == 7


def test_the_log_file_that_cannot_be_written_drops_records_without_a_word(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from observe_app.logging_setup import setup_logging

    log_path = setup_logging(tmp_path)
    assert log_path is not None
    [handler] = [h for h in logging.getLogger().handlers
                 if getattr(h, "baseFilename", None) == str(log_path)]

    class FullDisk:
        def write(self, _text: str) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

        flush = close = lambda self: None  # noqa: E731
        seek = tell = lambda self, *a: 0  # noqa: E731

    try:
        handler.stream.close()  # the real file, replaced by a full disk
        handler.stream = FullDisk()  # type: ignore[attr-defined]
        logging.getLogger("observe_app.test").warning("lost quietly")
        assert capsys.readouterr().err == ""
        logging.getLogger("observe_app.test").warning("written again")  # the file reopens
        handler.flush()
        assert "written again" in log_path.read_text("utf-8")
        assert "lost quietly" not in log_path.read_text("utf-8")
    finally:
        setup_logging(None)
        for h in [h for h in logging.getLogger().handlers
                  if getattr(h, "_observe_handler", False)]:
            logging.getLogger().removeHandler(h)


def test_a_log_folder_that_cannot_be_made_means_no_file_log_and_nothing_on_stderr(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from observe_app import cli

    folder = tmp_path
    (folder / "logs").write_text("a file where the log folder would go", "utf-8")
    assert cli.main(["--data-dir", str(folder), "people", "list"]) == 0
    assert capsys.readouterr().err == ""
    for h in [h for h in logging.getLogger().handlers
              if getattr(h, "_observe_handler", False)]:
        logging.getLogger().removeHandler(h)


if __name__ == "__main__":
    print("| scenario | state | `check` exit | message says | `people list` exit |")
    print("|---|---|---|---|---|")
    for s in SCENARIOS:
        print(f"| {s.name} | {s.state} | {s.check_exit} | {s.fragment} | {s.list_exit} |")
