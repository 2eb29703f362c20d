"""SQLite and file-system faults (disk full, read-only, locked) as messages saying what to do.

The window saves a note like this, and on a StorageError keeps the text in the box and tries
again later (on the next Enter, or on a timer)::

    try:
        view = faults.write(db, lambda s: notes.add_note(s, obs_id, text, ...))
    except StorageError as exc:
        show(str(exc))  # "the disk is full: free some space; your note is kept ..."

Anything that is not a known fault is re-raised unchanged, for the crash dialog.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import sqlite3
import sys
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, TypeVar

from observe_app.errors import (
    DamagedDatabaseError,
    DatabaseLockedError,
    DiskFullError,
    ReadOnlyError,
    StorageError,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from observe_app.storage.engine import Database

log = logging.getLogger(__name__)

T = TypeVar("T")

# SQLite's primary result codes (extended codes carry them in the low byte).
SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY = 5, 6, 8
SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOTADB = 10, 11, 13, 14, 26


def _dbapi_error() -> tuple[type[BaseException], ...]:
    """SQLAlchemy's wrapper of driver errors, if SQLAlchemy is loaded: a command that reads
    with plain sqlite3 never imports it (a third of its time), and then none can be raised."""
    sa_exc = sys.modules.get("sqlalchemy.exc")
    return (sa_exc.DBAPIError,) if sa_exc is not None else ()


def _sqlite_error(exc: BaseException) -> sqlite3.Error | None:
    wrapped = _dbapi_error()
    orig = getattr(exc, "orig", None) if wrapped and isinstance(exc, wrapped) else None
    if isinstance(orig, sqlite3.Error):
        return orig
    if isinstance(exc, sqlite3.Error):
        return exc
    return None


def sqlite_code(error: sqlite3.Error) -> int | None:
    """SQLite's primary result code behind `error` (SQLITE_BUSY, SQLITE_FULL, ...), if known."""
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return int(code) & 0xFF
    text = str(error).lower()  # older Pythons: fall back on SQLite's fixed messages
    for needle, value in (("disk is full", SQLITE_FULL), ("readonly", SQLITE_READONLY),
                          ("database is locked", SQLITE_BUSY), ("disk i/o", SQLITE_IOERR),
                          ("malformed", SQLITE_CORRUPT), ("not a database", SQLITE_NOTADB),
                          ("unable to open", SQLITE_CANTOPEN)):
        if needle in text:
            return value
    return None


def translate(exc: BaseException, what: str | None = "your note") -> StorageError | None:
    """The known fault behind `exc` as a StorageError with advice, or None for a bug."""
    if isinstance(exc, StorageError):
        return exc

    def kept(when: str) -> str:
        return f"; {what} is kept and will be saved when {when}" if what else ""

    if isinstance(exc, OSError) and not isinstance(exc, sqlite3.Error):
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return DiskFullError(f"the disk is full: free some space{kept('there is room')}")
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return ReadOnlyError(f"cannot write {exc.filename or 'the data folder'} "
                                 f"({exc.strerror}); make it writable or choose another data "
                                 f"folder{kept('it can be written')}")
        return None
    error = _sqlite_error(exc)
    if error is None:
        return None
    code = sqlite_code(error)
    if code == SQLITE_FULL:
        return DiskFullError(f"the disk is full: free some space{kept('there is room')}")
    if code == SQLITE_READONLY:
        return ReadOnlyError("the database is read-only (the data folder or file cannot be "
                             "written, or it was opened read-only); make the data folder "
                             f"writable or choose another{kept('it can be written')}")
    if code in (SQLITE_BUSY, SQLITE_LOCKED):
        return DatabaseLockedError("the database is locked by another program (another copy "
                                   "of Observe, a backup or sync tool); close it"
                                   f"{kept('the database is free')}")
    if code == SQLITE_CANTOPEN:
        return ReadOnlyError("the database file cannot be opened (missing, moved, or the data "
                             f"folder cannot be written); check the data folder"
                             f"{kept('it can be opened')}")
    if code == SQLITE_IOERR:
        return StorageError("the disk reported an error reading or writing the database "
                            "(was a USB drive or network folder removed?); reconnect it"
                            f"{kept('the disk answers')}")
    if code in (SQLITE_CORRUPT, SQLITE_NOTADB):
        saved = f"; {what} is kept on screen: copy it somewhere safe" if what else ""
        return DamagedDatabaseError("the database is damaged; close Observe and restore the "
                                    f"newest backup (observe-app restore FILE){saved}")
    return None


@contextlib.contextmanager
def storage_faults(what: str | None = "your note") -> Iterator[None]:
    """Re-raise known SQLite/OS faults inside the block as StorageError subclasses."""
    try:
        yield
    except Exception as exc:
        if not isinstance(exc, (sqlite3.Error, OSError, *_dbapi_error())):
            raise
        known = translate(exc, what)
        if known is None:
            raise
        # The exception text never holds note text: the engine hides bound parameters.
        log.warning("storage fault: %s (%s)", type(known).__name__, type(exc).__name__)
        raise known from exc


def write(db: Database, work: Callable[[Session], T], *, what: str | None = "your note") -> T:
    """Run `work` in one transaction; a known fault rolls it back and raises a StorageError."""
    with storage_faults(what), db.transaction() as session:
        return work(session)


def probe_write(db: Database, *, timeout_s: float = 0.2, what: str | None = "your note") -> None:
    """Take and drop the write lock without writing: raises the fault that stops a save now.

    Cheap enough for a worker to run every few seconds while a fault is shown; it waits at
    most `timeout_s` for a lock held elsewhere (the engine itself waits five seconds).
    """
    if db.read_only:
        raise ReadOnlyError("the database was opened read-only; nothing can be saved until it "
                            "is opened normally")
    with storage_faults(what):
        conn = sqlite3.connect(db.path, timeout=timeout_s, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
        finally:
            conn.close()
