"""One Observe per data folder: a live holder is named, a killed holder's lock is recovered."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from observe_app.errors import AlreadyOpenError
from observe_app.storage import instance_lock
from observe_app.storage.instance_lock import InstanceLock
from tests.processes import finish

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="uses SIGKILL")

HOLDER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from observe_app.errors import AlreadyOpenError
    from observe_app.storage.instance_lock import InstanceLock
    try:
        lock = InstanceLock(Path(sys.argv[1])).acquire()
    except AlreadyOpenError as exc:
        print("refused", exc.pid, flush=True)
        sys.exit(0)
    print("held", flush=True)
    sys.stdin.readline()
    lock.release()
""")


def _holder(data_dir: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", HOLDER, str(data_dir)], text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE)


def test_a_second_start_is_refused_with_the_holders_pid(data_dir: Path) -> None:
    proc = _holder(data_dir)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
        with pytest.raises(AlreadyOpenError) as caught:
            InstanceLock(data_dir).acquire()
        assert caught.value.pid == proc.pid
        assert f"process {proc.pid}" in str(caught.value)
        assert "already open" in str(caught.value)
    finally:
        assert proc.stdin is not None
        proc.stdin.write("\n")
        proc.stdin.close()
        finish(proc)
    # Released cleanly: the file is gone and the next start takes the lock.
    assert not (data_dir / instance_lock.LOCK_NAME).exists()
    with InstanceLock(data_dir) as lock:
        assert lock.held and lock.recovered_from is None


def test_a_lock_left_by_a_killed_process_is_recovered(data_dir: Path) -> None:
    proc = _holder(data_dir)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    proc.send_signal(signal.SIGKILL)
    finish(proc)
    assert json.loads((data_dir / "observe.lock").read_text())["pid"] == proc.pid  # left behind
    lock = InstanceLock(data_dir).acquire()
    try:
        assert lock.recovered_from is not None and lock.recovered_from["pid"] == proc.pid
        assert instance_lock.read_owner(data_dir)["pid"] == os.getpid()
    finally:
        lock.release()


def test_the_same_process_cannot_take_it_twice(data_dir: Path) -> None:
    with InstanceLock(data_dir), pytest.raises(AlreadyOpenError):
        InstanceLock(data_dir).acquire()


def test_of_several_starting_together_exactly_one_wins(data_dir: Path) -> None:
    procs = [_holder(data_dir) for _ in range(4)]
    answers = []
    for proc in procs:
        assert proc.stdout is not None
        answers.append(proc.stdout.readline().split()[0])
    for proc in procs:
        assert proc.stdin is not None
        with contextlib.suppress(BrokenPipeError):  # the refused ones have already left
            proc.stdin.write("\n")
            proc.stdin.close()
        finish(proc)
    assert sorted(answers) == ["held", "refused", "refused", "refused"]


def test_without_os_locks_a_dead_pid_is_recovered_and_a_live_one_refused(
        data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(instance_lock, "_try_lock", lambda _fh: None)  # e.g. a network share
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    (data_dir / "observe.lock").write_text(json.dumps({"pid": gone.pid, "host": ""}))
    lock = InstanceLock(data_dir).acquire()
    assert lock.recovered_from == {"pid": gone.pid, "host": ""}
    lock.release()

    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        (data_dir / "observe.lock").write_text(json.dumps({"pid": alive.pid, "host": ""}))
        with pytest.raises(AlreadyOpenError) as caught:
            InstanceLock(data_dir).acquire()
        assert caught.value.pid == alive.pid
    finally:
        alive.kill()
        alive.wait()
