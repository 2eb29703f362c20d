"""One Observe per data folder: a lock file holding the owner's PID and host.

The lock is an OS file lock (flock on POSIX, msvcrt on Windows) on `observe.lock` in the data
folder, so taking it is atomic and the kernel drops it the moment its process dies, even by
SIGKILL or a power cut: a lock left behind by a killed process is recovered by the next start
without guessing from PIDs. The PID and host written inside are for the message a second
start shows ("already open in process 1234 on host lab-3").

The window takes it before opening the database::

    try:
        lock = InstanceLock(data_dir).acquire()
    except AlreadyOpenError as exc:
        hand over to exc.pid's window (QLocalServer), or show str(exc)
    ...
    lock.release()  # on quit
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sys
import time
from pathlib import Path
from typing import IO, Any

from observe_app.errors import AlreadyOpenError, StorageError
from observe_app.storage.paths import private_dir, private_opener

LOCK_NAME = "observe.lock"


def _try_lock(fh: IO[str]) -> bool | None:
    """True if locked, False if another process holds it, None if the file system cannot lock."""
    if sys.platform == "win32":
        import msvcrt

        try:
            fh.seek(0)
            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
            return True
        except OSError:
            return False
    import fcntl

    try:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
    except OSError:  # e.g. some network shares: fall back on the PID written in the file
        return None


def _unlock(fh: IO[str]) -> None:
    if sys.platform == "win32":
        import msvcrt

        with contextlib.suppress(OSError):
            fh.seek(0)
            msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
        return
    import fcntl

    fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if sys.platform == "win32":  # os.kill(pid, 0) would terminate the process on Windows
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def read_owner(data_dir: Path) -> dict[str, Any]:
    """What the lock file says about its holder (empty if nothing readable)."""
    try:
        owner = json.loads((data_dir / LOCK_NAME).read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return {}
    return owner if isinstance(owner, dict) else {}


def already_open_error(data_dir: Path) -> AlreadyOpenError:
    """The refusal a second start (or a restore) meets while the lock's holder is running."""
    owner = read_owner(data_dir)
    pid = owner.get("pid") if isinstance(owner.get("pid"), int) else None
    host = str(owner.get("host") or "")
    who = f"process {pid}" if pid else "another process"
    if host and host != socket.gethostname():
        who += f" on {host}"
    return AlreadyOpenError(
        f"Observe is already open on the data folder {data_dir} ({who}); switch to that "
        "window, or close it and start again", pid=pid, host=host)


class InstanceLock:
    """Held while this process uses `data_dir`; acquire() raises AlreadyOpenError otherwise."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.path = data_dir / LOCK_NAME
        self._fh: IO[str] | None = None
        self.recovered_from: dict[str, Any] | None = None

    @property
    def held(self) -> bool:
        return self._fh is not None

    def acquire(self) -> InstanceLock:
        if self._fh is not None:
            return self
        try:
            private_dir(self.data_dir)
        except OSError as exc:
            raise StorageError(f"cannot create the data folder {self.data_dir} "
                               f"({exc.strerror}); choose another with --data-dir") from exc
        for _ in range(20):
            try:
                fh = open(self.path, "a+", encoding="utf-8",  # noqa: SIM115 (kept open)
                          opener=private_opener)
            except OSError as exc:
                raise StorageError(f"cannot write the lock file in {self.data_dir} "
                                   f"({exc.strerror}); the data folder must be writable, or "
                                   "choose another with --data-dir") from exc
            locked = _try_lock(fh)
            if locked is False:
                fh.close()
                raise self._busy()
            if locked is None and self._owner_alive():
                fh.close()
                raise self._busy()
            # Someone may have removed or replaced the file between our open and our lock
            # (a holder releasing it): then our lock is on a dead inode; try again.
            try:
                same = os.path.samestat(os.fstat(fh.fileno()), os.stat(self.path))
            except FileNotFoundError:
                same = False
            if not same:
                if locked:
                    _unlock(fh)
                fh.close()
                continue
            previous = read_owner(self.data_dir)
            if previous.get("pid") and previous.get("pid") != os.getpid():
                self.recovered_from = previous  # left by a process that died holding it
            fh.seek(0)
            fh.truncate()
            fh.write(json.dumps({"pid": os.getpid(), "host": socket.gethostname(),
                                 "since": time.strftime("%Y-%m-%dT%H:%M:%S%z")}))
            fh.flush()
            os.fsync(fh.fileno())
            self._fh = fh
            return self
        raise StorageError(f"could not take the lock file {self.path}; try again")

    def _owner_alive(self) -> bool:
        owner = read_owner(self.data_dir)
        pid = owner.get("pid")
        if not isinstance(pid, int) or pid == os.getpid():
            return False
        if owner.get("host") not in (None, "", socket.gethostname()):
            return True  # another computer's process: we cannot tell, so do not take it
        return pid_alive(pid)

    def _busy(self) -> AlreadyOpenError:
        return already_open_error(self.data_dir)

    def release(self) -> None:
        fh, self._fh = self._fh, None
        if fh is None:
            return
        # Remove the file while still holding the lock, so no one locks a file we then delete.
        with contextlib.suppress(OSError):
            self.path.unlink()
        with contextlib.suppress(OSError):
            _unlock(fh)
        fh.close()

    def __enter__(self) -> InstanceLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()
