"""Who may use a data folder now: its users share it; a restore or a schema change has it alone.

Every user of the database holds a SHARED lock on `observe.use` in the data folder for as long
as it uses the database: the window from opening the database until it closes it, every
`observe-app` command that opens it for the whole command. An operation that replaces or
rewrites the file (a restore, a schema migration) holds it EXCLUSIVELY, together with the
window's instance lock (`observe.lock`, so it refuses while a window is open, even one showing
the damaged page), and first takes SQLite's own exclusive lock on the database for a moment,
which finds a program that is not Observe writing to it (a database browser, a sync tool).

Nothing waits long: a shared lock waits a few seconds for a restore to finish, an exclusive one
does not wait; then each refuses with one sentence naming the holder ("`observe-app people
import` (process 1234)").

The locks are the kernel's, dropped the moment their process dies, even by SIGKILL: flock on
POSIX; on Windows, whose msvcrt has only exclusive byte locks, byte i of a range is shared
"slot" i: a shared holder locks one free byte, an exclusive holder the whole range in one call.
`observe.use` is never deleted (a newcomer could lock a new file while an old holder still holds
the deleted one). It also says who holds it, for those sentences: a 256-byte record per holder
(record 0 for the exclusive holder, then one per shared holder). Records are words for
messages, never the lock: one left by a killed process names a dead PID and is ignored.

    lock = FolderLock(data_dir, "observe-app people import")
    with open_database(data_dir, lock=lock) as db:  # shared from here on
        ...
    lock.release()

    with lock.exclusive(RESTORE):  # or begin_exclusive() / end_exclusive(), across threads
        backup.restore_from(...)
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from observe_app.errors import DatabaseLockedError, FolderInUseError, ObserveError, StorageError
from observe_app.storage import instance_lock
from observe_app.storage.instance_lock import InstanceLock
from observe_app.storage.paths import USE_NAME, database_path, private_dir

log = logging.getLogger(__name__)

WINDOW = "the Observe window"  # the window's `command`
RESTORE, UPGRADE = "restore", "upgrade"
_DOING = {RESTORE: "restored", UPGRADE: "upgraded to this version of Observe"}
_NEEDS = {RESTORE: "restore", UPGRADE: "upgrading the database to this version of Observe"}
SHARED_WAIT_S = 5.0  # a command that finds a restore running waits this long for it
SQLITE_WAIT_S = 2.0  # and a restore waits this long for another program's write lock
_POLL_S = 0.05
_RECORD = 256
_SLOTS = 64
_LOCK_AT = 1 << 16  # Windows: the slot bytes lie past the records (its byte locks are mandatory)
SHARED, EXCLUSIVE = "shared", "exclusive"


if sys.platform == "win32":
    import msvcrt

    def _lock(fd: int, exclusive: bool) -> int | None:
        """The slot taken (exclusive: all of them, at once), or None if another holds it."""
        spans = [(0, _SLOTS)] if exclusive else [(i, 1) for i in range(_SLOTS)]
        for start, length in spans:
            os.lseek(fd, _LOCK_AT + start, os.SEEK_SET)
            try:
                msvcrt.locking(fd, msvcrt.LK_NBLCK, length)  # type: ignore[attr-defined]
            except OSError:
                continue
            return start
        return None

    def _unlock(fd: int, exclusive: bool, slot: int) -> None:
        os.lseek(fd, _LOCK_AT + slot, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, _SLOTS if exclusive else 1)  # type: ignore[attr-defined]

else:
    import fcntl

    def _lock(fd: int, exclusive: bool) -> int | None:
        try:
            fcntl.flock(fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
        except BlockingIOError:
            return None
        return 0

    def _unlock(fd: int, exclusive: bool, slot: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


def _read_records(path: Path) -> dict[int, dict[str, Any]]:
    """The holder records in `path` by index (blank, torn or unreadable ones left out)."""
    try:
        data = path.read_bytes()[:_RECORD * (_SLOTS + 1)]
    except OSError:
        return {}
    records = {}
    for index in range(0, len(data) // _RECORD):
        with contextlib.suppress(ValueError):
            record = json.loads(data[index * _RECORD:(index + 1) * _RECORD])
            if isinstance(record, dict) and isinstance(record.get("pid"), int):
                records[index] = record
    return records


def _alive(record: dict[str, Any]) -> bool:
    if record.get("host") not in (None, "", socket.gethostname()):
        return True  # another computer's process: we cannot tell
    return instance_lock.pid_alive(record["pid"])


def holders(data_dir: Path) -> list[dict[str, Any]]:
    """Who says it holds the folder (live processes only), the exclusive holder first."""
    records = _read_records(data_dir / USE_NAME)
    return [r | {"exclusive": i == 0} for i, r in sorted(records.items()) if _alive(r)]


def _who(record: dict[str, Any] | None) -> str:
    if not record:
        return "another process"
    pid, host = record["pid"], str(record.get("host") or "")
    command = " ".join(str(record.get("command") or "").split())[:80]
    if command == WINDOW:
        who = f"the Observe window (process {pid}"
    elif command:
        who = f"`{command}` (process {pid}"
    else:
        who = f"another process ({pid}"
    return who + (f" on {host})" if host and host != socket.gethostname() else ")")


def check_database_free(db_path: Path, wait_s: float = SQLITE_WAIT_S) -> None:
    """Take and drop SQLite's exclusive lock on the database: a program writing to it (not
    Observe: Observe's users hold the folder lock) is waited for `wait_s`, then refused.

    Dropped again before the caller works: SQLite's locks are per connection even within one
    process, so holding it would lock out the restore's own connection."""
    if not db_path.is_file() or db_path.stat().st_size == 0:
        return
    conn = sqlite3.connect(db_path, timeout=wait_s, isolation_level=None)
    try:
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("ROLLBACK")
    except sqlite3.OperationalError as exc:
        if getattr(exc, "sqlite_errorcode", 0) & 0xFF not in (5, 6):  # BUSY, LOCKED
            return  # a damaged file: the operation itself reports it
        raise DatabaseLockedError(
            f"the database {db_path} is locked by another program (a database browser, a backup "
            f"or sync tool?) and stayed locked for {wait_s:g} seconds; close that program and "
            "try again. Nothing was changed") from exc
    except sqlite3.DatabaseError:
        return
    finally:
        conn.close()


class FolderLock:
    """This process's hold on a data folder: none, shared or exclusive (see the module)."""

    def __init__(self, data_dir: Path, command: str, *,
                 instance_lock: InstanceLock | None = None,
                 wait_s: float = SHARED_WAIT_S) -> None:
        self.data_dir = data_dir
        self.path = data_dir / USE_NAME
        self.command = command  # "observe-app people import", or WINDOW
        self.wait_s = wait_s
        self.mode: str | None = None
        self._instance = instance_lock  # the window's own, held for its whole life
        self._own_instance: InstanceLock | None = None  # taken here for an exclusive hold
        self._fd: int | None = None
        self._slot = 0
        self._record: int | None = None
        self._purpose = ""
        self._was_shared = False
        self._id = os.urandom(6).hex()

    @property
    def held(self) -> bool:
        return self.mode is not None

    def share(self) -> FolderLock:
        """Hold the folder shared (unless held already), waiting up to `wait_s` for a restore."""
        if self.mode is None:
            self._take(False, self.wait_s, self._being_replaced)
        return self

    def begin_exclusive(self, purpose: str) -> None:
        """Have the folder alone, without waiting: a shared hold is let go first and taken again
        if this fails. Raises FolderInUseError, or AlreadyOpenError while a window is open."""
        assert self.mode != EXCLUSIVE, "already held exclusively"
        self._purpose, self._was_shared = purpose, self.mode == SHARED
        self._let_go()
        try:
            self._take(True, 0.0, lambda: self._in_use(purpose))
            if not (self._instance is not None and self._instance.held):
                self._own_instance = InstanceLock(self.data_dir).acquire()
        except BaseException:
            self._let_go()
            if self._was_shared:
                self.share()
            raise

    def end_exclusive(self) -> None:
        """Let go of the exclusive hold; back to shared if it was shared before."""
        self._let_go()
        if self._was_shared:
            self.share()

    @contextlib.contextmanager
    def exclusive(self, purpose: str) -> Iterator[None]:
        """The folder alone and the database free of other programs, for the block. Nests."""
        if self.mode == EXCLUSIVE:
            yield
            return
        self.begin_exclusive(purpose)
        try:
            check_database_free(database_path(self.data_dir))
            yield
        finally:
            self.end_exclusive()

    def release(self) -> None:
        self._let_go()
        self._was_shared = False

    def others(self) -> list[dict[str, Any]]:
        """The other live holders, newest first."""
        found = [r for r in holders(self.data_dir) if r.get("id") != self._id]
        return sorted(found, key=lambda r: str(r.get("since", "")), reverse=True)

    # -- the file ------------------------------------------------------------------------------

    def _take(self, exclusive: bool, wait_s: float, busy: Callable[[], ObserveError]) -> None:
        fd = self._open()
        deadline = time.monotonic() + wait_s
        while True:
            try:
                slot = _lock(fd, exclusive)
            except OSError as exc:  # not "held by another": this file system cannot lock
                log.warning("no folder lock: the file system refuses locks (%s)", exc.strerror)
                self.mode = EXCLUSIVE if exclusive else SHARED
                self._close()
                return
            if slot is not None:
                break
            if time.monotonic() >= deadline:
                self._close()
                raise busy()
            time.sleep(_POLL_S)
        self._slot = slot
        self.mode = EXCLUSIVE if exclusive else SHARED
        with contextlib.suppress(OSError):  # a read-only file still locks; it just says less
            self._write_record(exclusive)

    def _open(self) -> int:
        if self._fd is not None:
            return self._fd
        try:
            private_dir(self.data_dir)
            binary = getattr(os, "O_BINARY", 0)  # Windows: no newline translation
            try:
                self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT | binary, 0o600)
            except PermissionError:
                self._fd = os.open(self.path, os.O_RDONLY | binary)  # flock needs no write access
        except OSError as exc:
            raise StorageError(f"cannot use the data folder {self.data_dir} ({exc.strerror}); it "
                               "must be writable, or choose another with --data-dir. Nothing "
                               "was changed") from exc
        return self._fd

    def _close(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)

    def _write_record(self, exclusive: bool) -> None:
        assert self._fd is not None
        mine = {"id": self._id, "pid": os.getpid(), "host": socket.gethostname(),
                "command": self.command[:80], "since": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
        if exclusive:
            self._put(0, mine | {"purpose": self._purpose})
            os.ftruncate(self._fd, _RECORD)  # no one shares the folder now: drop stale records
            self._record = 0
            return
        if 0 in _read_records(self.path):
            self._put(0, None)  # an exclusive holder killed before it could blank its record
        if sys.platform == "win32":  # the slot's byte lock makes its record ours
            self._put(1 + self._slot, mine)
            self._record = 1 + self._slot
            return
        # flock has no slots: take a record that is blank or names a dead process, and read it
        # back, as another newcomer may have taken the same one at the same moment.
        self._record = None
        for index in range(1, _SLOTS + 1):
            record = _read_records(self.path).get(index)
            if record is None or not _alive(record):
                self._put(index, mine)
                if _read_records(self.path).get(index, {}).get("id") == self._id:
                    self._record = index
                    return

    def _put(self, index: int, record: dict[str, Any] | None) -> None:
        assert self._fd is not None
        text = json.dumps(record, ensure_ascii=True).encode() if record else b""
        os.lseek(self._fd, index * _RECORD, os.SEEK_SET)
        os.write(self._fd, text.ljust(_RECORD - 1)[:_RECORD - 1] + b"\n")

    def _let_go(self) -> None:
        """Blank our record, unlock, close; and let go of an instance lock taken here."""
        own, self._own_instance = self._own_instance, None
        if own is not None:
            own.release()
        if self._fd is not None and self.mode is not None:
            if self._record is not None and (
                    _read_records(self.path).get(self._record, {}).get("id") == self._id):
                with contextlib.suppress(OSError):
                    self._put(self._record, None)
            with contextlib.suppress(OSError):
                _unlock(self._fd, self.mode == EXCLUSIVE, self._slot)
        self._record = None
        self.mode = None
        self._close()

    # -- sentences -----------------------------------------------------------------------------

    def _exclusive_holder(self) -> dict[str, Any] | None:
        record = _read_records(self.path).get(0)
        return record if record and record.get("id") != self._id and _alive(record) else None

    def _being_replaced(self) -> FolderInUseError:
        holder = self._exclusive_holder()
        doing = _DOING.get(str(holder.get("purpose")), "restored") if holder else "restored"
        return FolderInUseError(
            f"the data folder {self.data_dir} is being {doing} by {_who(holder)}; try again when "
            "it has finished. Nothing was changed")

    def _in_use(self, purpose: str) -> ObserveError:
        if self._exclusive_holder():
            return self._being_replaced()
        if not (self._instance is not None and self._instance.held):
            owner = instance_lock.read_owner(self.data_dir)
            pid = owner.get("pid")
            if isinstance(pid, int) and pid != os.getpid() and _alive(owner):
                return instance_lock.already_open_error(self.data_dir)
        others = self.others()
        return FolderInUseError(
            f"{_NEEDS.get(purpose, purpose)} needs the data folder {self.data_dir} to itself, but "
            f"{_who(others[0] if others else None)} is using it; try again when it has finished. "
            "Nothing was changed")

    def busy_error(self) -> FolderInUseError | None:
        """Why SQLite said "locked" to this command, if another Observe user holds the folder."""
        others = self.others()
        if not others:
            return None
        return FolderInUseError(
            f"the data folder {self.data_dir} is busy: {_who(others[0])} is using it; try "
            "again when it has finished. Nothing was changed")
