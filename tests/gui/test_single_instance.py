"""One window per data folder, end to end: the real app started twice as processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from observe_app.logging_setup import log_file
from observe_app.storage.instance_lock import InstanceLock
from tests.processes import finish

pytestmark = pytest.mark.slow


def _env() -> dict[str, str]:
    return dict(os.environ, QT_QPA_PLATFORM="offscreen")


def _start(data_dir: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "observe_app", "--data-dir", str(data_dir)],
                            env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def _log(data_dir: Path) -> str:
    path = log_file(data_dir)
    return path.read_text(encoding="utf-8") if path.exists() else ""


def _wait_for(data_dir: Path, text: str, count: int = 1, process=None, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while _log(data_dir).count(text) < count:
        if process is not None and process.poll() is not None:
            raise AssertionError(f"the app exited {process.returncode}: {process.stderr.read()}")
        if time.monotonic() > deadline:
            raise AssertionError(f"no {text!r} in the log:\n{_log(data_dir)}")
        time.sleep(0.1)


def _stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.terminate()
    finish(process, 20)


def _sockets(pid: int) -> tuple[set[str], list[str]]:
    """The process's open sockets, and those of them that are not local (Unix) sockets."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    unix = {line.split()[6] for line in Path("/proc/net/unix").read_text().splitlines()[1:]
            if len(line.split()) > 6}
    return inodes, sorted(inodes - unix)


def test_a_second_start_hands_over_to_the_running_window_and_exits(data_dir: Path) -> None:
    first = _start(data_dir)
    try:
        _wait_for(data_dir, "database open", process=first)
        began = time.monotonic()
        second = subprocess.run(
            [sys.executable, "-m", "observe_app", "--data-dir", str(data_dir)],
            env=_env(), capture_output=True, text=True, timeout=60)
        took = time.monotonic() - began
        assert second.returncode == 0, second.stderr
        lines = second.stdout.strip().splitlines()
        assert len(lines) == 1 and "already open" in lines[0] and "switched" in lines[0]
        assert took < 15  # it does not hang around (Python and Qt start-up included)
        _wait_for(data_dir, "handed over; raising the window", process=first, timeout=10)
        assert first.poll() is None  # the first window is still open
        if sys.platform.startswith("linux"):
            sockets, not_local = _sockets(first.pid)
            assert sockets  # the hand-over server is seen...
            assert not_local == []  # ...and it is the only kind of socket open
    finally:
        _stop(first)


def test_a_holder_that_does_not_answer_is_named_with_its_pid(data_dir: Path) -> None:
    with InstanceLock(data_dir):  # a process holding the folder without a window
        second = subprocess.run(
            [sys.executable, "-m", "observe_app", "--data-dir", str(data_dir)],
            env=_env(), capture_output=True, text=True, timeout=60)
    assert second.returncode == 2
    assert f"process {os.getpid()}" in second.stderr and "did not answer" in second.stderr
    assert second.stderr.count("\n") == 1


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_a_lock_left_by_a_killed_window_is_recovered(data_dir: Path) -> None:
    first = _start(data_dir)
    try:
        _wait_for(data_dir, "database open", process=first)
    finally:
        first.send_signal(signal.SIGKILL)
        finish(first, 20)
    second = _start(data_dir)
    try:
        _wait_for(data_dir, "database open", count=2, process=second)
        assert f"recovered the lock left by process {first.pid}" in _log(data_dir)
        assert second.poll() is None
    finally:
        _stop(second)
