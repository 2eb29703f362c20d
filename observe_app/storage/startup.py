"""The start-up check: what state the database is in, and the way on from it. Never writes to it.

`check_database(data_dir)` asks the file system first: `os.stat` refuses a folder, a named pipe
or a device at the database's path before anything opens it (SQLite would wait forever on a
pipe), and the first bytes tell an SQLite file from anything else. Then SQLite reads the file,
read-only, waiting at most LOCK_WAIT_S for another program's lock, and runs its quick_check.

Each state has its own message (a clause for the command line's `error: ` line that says what
happened, that nothing was changed, and what to do) and its own exit code. Only what SQLite's
checks report is DAMAGED, and only DAMAGED and EMPTIED offer a backup to restore: a database
that is locked, in a read-only folder or on a full disk is sound, and restoring over it would
put an older copy in its place. A folder that cannot be written, or a full disk, still lets the
database be read (`can_open_read_only`): the window opens it read-only and says why.
"""

from __future__ import annotations

import contextlib
import enum
import errno
import os
import sqlite3
import stat
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from observe_app.errors import (
    BadInputError,
    DamagedDatabaseError,
    DatabaseLockedError,
    DiskFullError,
    ReadOnlyError,
    StorageError,
)
from observe_app.storage import faults
from observe_app.storage.paths import backup_dir, database_path, sqlite_uri
from observe_app.storage.pragmas import SQLITE_MAGIC

# How long the check waits for another program's lock before saying the database is locked.
LOCK_WAIT_S = 2.0
# Less free space than this is a full disk: a write-ahead log and its index need about this.
LOW_SPACE_BYTES = 64 * 1024


class DatabaseState(enum.StrEnum):
    MISSING = "missing"  # first start: the database will be created
    OK = "ok"
    LOCKED = "locked"
    READ_ONLY = "read-only"
    DISK_FULL = "disk-full"
    PERMISSION = "permission"
    NOT_A_FILE = "not-a-file"
    EMPTIED = "emptied"
    NOT_SQLITE = "not-sqlite"
    NEWER = "newer"
    UNREADABLE = "unreadable"
    DAMAGED = "damaged"


S = DatabaseState
EXIT_CODES = {S.OK: 0, S.MISSING: 0, S.DAMAGED: 3, S.EMPTIED: 4, S.LOCKED: 5, S.READ_ONLY: 6,
              S.DISK_FULL: 7, S.PERMISSION: 8, S.NOT_A_FILE: 9, S.NOT_SQLITE: 10, S.NEWER: 11,
              S.UNREADABLE: 12}
_ERRORS: dict[DatabaseState, type[StorageError]] = {
    S.DAMAGED: DamagedDatabaseError, S.EMPTIED: DamagedDatabaseError,
    S.LOCKED: DatabaseLockedError, S.READ_ONLY: ReadOnlyError, S.DISK_FULL: DiskFullError}


@dataclass(frozen=True)
class StartupStatus:
    state: DatabaseState
    db_path: Path
    problems: tuple[str, ...] = ()
    newest_good_backup: Path | None = None
    backups_checked: int = 0
    message: str = ""
    can_open_read_only: bool = False
    immutable: bool = False  # read it with SQLite's immutable=1 (no lock, -wal or -shm files)
    revision: str | None = None

    @property
    def ok(self) -> bool:
        """The database can be opened (or made) and written as usual."""
        return self.state in (S.OK, S.MISSING)

    @property
    def offers_restore(self) -> bool:
        return self.state in (S.DAMAGED, S.EMPTIED)

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.state]

    def error(self) -> StorageError:
        """The state as the error a command stops with (its exit code included)."""
        error = _ERRORS.get(self.state, StorageError)(self.message)
        error.exit_code = self.exit_code
        return error


@dataclass(frozen=True)
class _Place:
    """What the file system says about a regular, non-empty file that starts like SQLite."""

    data_dir: Path
    path: Path
    writable: bool  # the file and its folder (for -wal and -shm) can be written
    free: int | None
    wal_bytes: int

    @property
    def full(self) -> bool:
        return self.free is not None and self.free < LOW_SPACE_BYTES

    @property
    def immutable(self) -> bool:
        # Where nothing can be written, a read-only connection cannot make the -shm file it
        # needs: read without it, which is exact while no write-ahead log holds anything.
        return (not self.writable or self.full) and self.wal_bytes == 0


def check_database(data_dir: Path, *, integrity: str | None = "quick_check",
                   cancel: threading.Event | None = None, opened: bool = False) -> StartupStatus:
    """What state the database in `data_dir` is in, without changing it.

    `integrity` is the check that decides DAMAGED: "quick_check" (start-up), "integrity_check"
    (thorough, with foreign keys: `observe-app check`), "header" (the file's header, its
    length and its schema, at a cost that does not grow with the file: commands that only
    read), or None (no check, just open it).
    Setting `cancel` (the window closing) stops a long check within moments; its answer is
    then UNREADABLE ("interrupted"), for no one to read.
    `opened`: this process has the database open in SQLite already (the window's check
    alongside): its header is then not read with plain file reads. POSIX locks belong to the
    process, so closing any descriptor of the file drops SQLite's locks too, and another
    program's last connection would then delete the -wal and -shm files from under the window.
    """
    path = database_path(data_dir)
    _undo_cut_short(path)
    found = _look(data_dir, path, read_head=not opened)
    if isinstance(found, StartupStatus):
        return found
    return _read(found, integrity, cancel)


def _undo_cut_short(path: Path) -> None:
    """A write killed half-way through its rollback journal is SQLite's to undo (see
    migrate.undo_interrupted_write), not damage. Where it cannot be undone (nothing can be
    written), the check below says why."""
    from observe_app.storage import migrate

    if path.is_file():  # never a pipe or a folder: those are settled by _look
        with contextlib.suppress(sqlite3.Error, OSError):
            migrate.undo_interrupted_write(path)


def look(data_dir: Path) -> StartupStatus | None:
    """What the file system alone settles (no SQLite, so it is quick and cannot wait on a
    lock); None when SQLite has to look at the file."""
    found = _look(data_dir, database_path(data_dir))
    return found if isinstance(found, StartupStatus) else None


def opens_at_once(data_dir: Path) -> bool:
    """True for a writable, up-to-date database that no one holds locked right now: the window
    opens it at once and checks it alongside."""
    from observe_app.storage import migrate

    found = _look(data_dir, database_path(data_dir))
    if isinstance(found, StartupStatus) or not found.writable or found.full:
        return False
    try:
        with _reader(found.path, immutable=False, timeout=0) as conn:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        return False
    return bool(row) and row[0] == migrate.HEAD


def read_only_folder(data_dir: Path) -> bool:
    """True for a data folder that exists and cannot be written (a read-only drive or folder)."""
    return data_dir.is_dir() and not _can_write(data_dir)


def folder_fault(data_dir: Path, exc: OSError, doing: str) -> StorageError:
    """An OSError met while `doing` something in the data folder, as the state it shows."""
    code = exc.errno
    reason = exc.strerror or str(exc)
    if code in (errno.ENOSPC, errno.EDQUOT):
        state = S.DISK_FULL
        message = (f"the disk holding {data_dir} is full, so Observe could not {doing}; "
                   "nothing was changed. Free some space on that disk, then try again")
    elif code == errno.EROFS:
        state = S.READ_ONLY
        message = (f"the data folder {data_dir} is on a read-only drive, so Observe could not "
                   f"{doing}; nothing was changed. Choose a writable folder with --data-dir")
    elif code in (errno.EACCES, errno.EPERM):
        state = S.PERMISSION
        message = (f"Observe is not allowed to {doing} ({reason}); nothing was changed. Ask "
                   "whoever looks after this computer for access, or choose another data "
                   "folder with --data-dir")
    elif code in (errno.ENOTDIR, errno.EEXIST):
        state = S.NOT_A_FILE
        message = (f"Observe could not {doing}: a file stands where a folder should be "
                   f"({reason}); nothing was changed. Choose another data folder with "
                   "--data-dir")
    else:
        state = S.UNREADABLE
        message = (f"Observe could not {doing} ({reason}); nothing was changed. If the "
                   "folder is on a USB drive or network folder, reconnect it, then try again")
    return StartupStatus(state, database_path(data_dir), message=message).error()


# -- the file system -----------------------------------------------------------------------------

def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def _can_write(path: Path) -> bool:
    return os.access(path, os.W_OK)


def _free_bytes(folder: Path) -> int | None:
    try:
        import shutil

        return shutil.disk_usage(folder).free
    except OSError:
        return None


def _os_status(path: Path, what: Path, exc: OSError) -> StartupStatus:
    reason = exc.strerror or str(exc)
    if exc.errno in (errno.EACCES, errno.EPERM):
        return StartupStatus(S.PERMISSION, path, message=(
            f"Observe is not allowed to read {what} ({reason}); nothing was changed. Ask "
            "whoever looks after this computer for access to it, or choose another data "
            "folder with --data-dir"))
    if exc.errno in (errno.ENOTDIR, errno.ELOOP):
        return StartupStatus(S.NOT_A_FILE, path, message=(
            f"{what} cannot be reached ({reason}): a file stands where a folder should be; "
            "nothing was changed. Choose another data folder with --data-dir"))
    return StartupStatus(S.UNREADABLE, path, message=(
        f"the disk reported an error reading {what} ({reason}); nothing was changed. If it "
        "is on a USB drive or network folder, reconnect it, then try again"))


def _look(data_dir: Path, path: Path, *, read_head: bool = True) -> StartupStatus | _Place:
    """Settle what the file system can; never opens anything but a regular file, and the
    database file itself only with `read_head` (see check_database's `opened`)."""
    try:
        folder_mode = os.stat(data_dir).st_mode
    except FileNotFoundError:
        return StartupStatus(S.MISSING, path, message="a new database will be created")
    except OSError as exc:
        return _os_status(path, data_dir, exc)
    if not stat.S_ISDIR(folder_mode):
        return StartupStatus(S.NOT_A_FILE, path, message=(
            f"the data folder {data_dir} is a file, not a folder; nothing was changed. Choose "
            "another data folder with --data-dir"))
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        if not _can_write(data_dir):
            return StartupStatus(S.READ_ONLY, path, message=(
                f"the data folder {data_dir} cannot be written, so no database can be made in "
                "it; nothing was changed. Make it writable, or choose another with --data-dir"))
        gone = _gone(data_dir, path)
        return gone or StartupStatus(S.MISSING, path, message="a new database will be created")
    except OSError as exc:
        return _os_status(path, path, exc)
    # SQLite opening a named pipe would wait for a writer forever; a folder or device is no
    # database either. Its -wal and -shm files are opened too: the same holds for them.
    for candidate in (path, path.with_name(path.name + "-wal"),
                      path.with_name(path.name + "-shm")):
        try:
            mode = os.stat(candidate).st_mode
        except OSError:
            continue
        if not stat.S_ISREG(mode):
            return StartupStatus(S.NOT_A_FILE, path, message=(
                f"{candidate} is {_kind(mode)}, not a database file, so Observe cannot use "
                "this data folder; nothing was changed. Move it away, or choose another data "
                "folder with --data-dir"))
    try:
        if read_head:
            with open(path, "rb") as fh:
                head = fh.read(100)
        else:  # SQLite has it open here: an SQLite file, and not empty
            head = SQLITE_MAGIC
    except OSError as exc:
        return _os_status(path, path, exc)
    writable = _can_write(path) and _can_write(data_dir)
    if not head:
        return _empty(data_dir, path, writable)
    if not head.startswith(SQLITE_MAGIC):
        return StartupStatus(S.NOT_SQLITE, path, message=(
            f"{path} is not an Observe database (it is not an SQLite file at all); it was left "
            "untouched and nothing was written over it. Move it out of the data folder, or "
            "choose another data folder with --data-dir"))
    wal = path.with_name(path.name + "-wal")
    try:
        wal_bytes = wal.stat().st_size
    except OSError:
        wal_bytes = 0
    return _Place(data_dir, path, writable, _free_bytes(data_dir), wal_bytes)


def _gone(data_dir: Path, path: Path) -> StartupStatus | None:
    """No database, but backups (or a database set aside) are here: it was deleted, moved by a
    sync tool, or a restore was cut short. Starting afresh would hide that, so it is reported
    with the way back, as an emptied one is; None for a first start."""
    from observe_app.storage import backup  # not needed by every check

    folder = backup_dir(data_dir)
    if not (backup.list_backups(folder) or any(folder.glob("damaged-*.db"))):
        return None
    good, checked = newest_good_backup(data_dir)
    way = (f"Restore the newest good backup with `observe-app restore {good}` (or Data ▸ "
           "Restore from backup…)" if good is not None else
           "Restore a backup with `observe-app restore FILE`")
    return StartupStatus(
        S.EMPTIED, path, ("it is missing, but backups are here",), good, checked,
        (f"there is no database in {data_dir} although this folder has backups: it may have "
         f"been deleted or moved; nothing was changed. {way}, or move the backups folder away "
         "to start afresh"))


def _empty(data_dir: Path, path: Path, writable: bool) -> StartupStatus:
    """A zero-byte database: in a folder with backups its data was lost (say so, never start it
    afresh: that would hide the loss, and start-up backups of it would rotate the good ones
    away); without backups it is a first start that was cut short, and it may be made."""
    from observe_app.storage import backup  # not needed by every check

    if backup.list_backups(backup_dir(data_dir)):
        good, checked = newest_good_backup(data_dir)
        if good is not None:
            way = (f"Restore the newest good backup with `observe-app restore {good}` (or Data "
                   "▸ Restore from backup…)")
        else:
            way = ("No backup here passes its check: restore one you keep elsewhere with "
                   "`observe-app restore FILE`")
        return StartupStatus(
            S.EMPTIED, path, ("it is empty (0 bytes): its data is gone, but a backup is here",),
            good, checked, (f"the database {path} is empty (0 bytes) although this folder has "
                            f"backups: its data may have been lost; it was left untouched. "
                            f"{way}, or move the empty file away to start afresh"))
    if not writable:
        return StartupStatus(S.READ_ONLY, path, message=(
            f"the data folder {data_dir} cannot be written, so its empty database cannot be set "
            "up; nothing was changed. Make it writable, or choose another with --data-dir"))
    return StartupStatus(S.MISSING, path, message="the empty database file will be set up")


# -- SQLite --------------------------------------------------------------------------------------

@contextlib.contextmanager
def _reader(path: Path, *, immutable: bool,
            timeout: float = LOCK_WAIT_S) -> Iterator[sqlite3.Connection]:
    uri = f"{sqlite_uri(path)}?mode=ro{'&immutable=1' if immutable else ''}"
    conn = sqlite3.connect(uri, uri=True, timeout=timeout)
    try:
        yield conn
    finally:
        conn.close()


def header_problems(path: Path) -> list[str]:
    """What the file's 100-byte header and its length show, at a cost that does not grow
    with the file: a page size SQLite never writes, fixed bytes that are not what they must
    be, or a file shorter than the pages its header counts (cut short by a copy or a sync).
    Damage inside a page is found by quick_check, or by the read that meets it."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(100)
            size = os.fstat(fh.fileno()).st_size
    except OSError as exc:
        return [f"its header could not be read ({exc.strerror or exc})"]
    if len(head) < 100:
        return ["its header is cut short"]
    page = int.from_bytes(head[16:18], "big")
    page = 65536 if page == 1 else page
    if page < 512 or page & (page - 1):
        return [f"its header names a page size of {page} bytes, which SQLite never writes"]
    if head[21:24] != b"\x40\x20\x20":
        return ["its header's fixed payload fractions are wrong"]
    pages = int.from_bytes(head[28:32], "big")
    # The page count is valid only when written with the change counter (SQLite's own rule).
    if pages and head[24:28] == head[92:96] and size < pages * page:
        return [f"the file is cut short: {size} bytes, where its header counts "
                f"{pages} pages of {page} bytes"]
    return []


def _problems(conn: sqlite3.Connection, pragma: str) -> list[str]:
    from observe_app.storage import backup  # not needed by every check

    if pragma == "header":  # the schema is read below in any case: a page 1 SQLite can parse
        return []
    problems = backup.check_problems(conn, pragma)
    if pragma == "integrity_check":
        problems += [f"row {r[1]} of {r[0]} points at a missing {r[2]}"
                     for r in conn.execute("PRAGMA foreign_key_check")]
    return problems


def _read(place: _Place, integrity: str | None,
          cancel: threading.Event | None = None) -> StartupStatus:
    from observe_app.storage import migrate

    path = place.path
    if integrity == "header":
        problems = header_problems(path)
        if problems:
            return _damaged(place, problems)
    try:
        with _reader(path, immutable=place.immutable) as conn:
            if cancel is not None:
                conn.set_progress_handler(lambda: int(cancel.is_set()), 10_000)
            tables = {r[0] for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table'")}
            revision = None
            if "alembic_version" in tables:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
            if tables and revision is None:
                return StartupStatus(S.NOT_SQLITE, path, message=(
                    f"{path} is not an Observe database (it is an SQLite database with other "
                    "tables); it was left untouched. Move it out of the data folder, or choose "
                    "another data folder with --data-dir"))
            if revision not in (None, migrate.HEAD) and revision not in migrate.known_revisions():
                return StartupStatus(S.NEWER, path, message=(
                    f"{path} was written by a newer version of Observe (schema {revision}); it "
                    "was left untouched. Install that version to open it"), revision=revision)
            problems = _problems(conn, integrity) if integrity and tables else []
    except sqlite3.Error as exc:
        return _sqlite_status(place, exc)
    if problems:
        return _damaged(place, problems)
    if not place.writable or place.full:
        return _cannot_write(place, revision)
    return StartupStatus(S.OK, path, message="ok", can_open_read_only=True, revision=revision)


def _sqlite_status(place: _Place, exc: sqlite3.Error) -> StartupStatus:
    code = faults.sqlite_code(exc)
    if code in (faults.SQLITE_BUSY, faults.SQLITE_LOCKED):
        return StartupStatus(S.LOCKED, place.path, message=(
            f"the database {place.path} is locked by another program (another copy of "
            "Observe, a backup or sync tool, or a database viewer), so it could not be read; "
            "nothing was changed. Close that program, then try again"))
    if code in (faults.SQLITE_CORRUPT, faults.SQLITE_NOTADB):
        return _damaged(place, [str(exc)])
    unwritten = (faults.SQLITE_IOERR, faults.SQLITE_CANTOPEN, faults.SQLITE_READONLY)
    if code == faults.SQLITE_FULL or (code in unwritten and (place.full or not place.writable)):
        return _cannot_write(place, None, readable=False)
    return StartupStatus(S.UNREADABLE, place.path, message=(
        f"the database {place.path} could not be read ({exc}); nothing was changed. If it is "
        "on a USB drive or network folder, reconnect it, then try again"))


def _cannot_write(place: _Place, revision: str | None, readable: bool = True) -> StartupStatus:
    """A sound database in a folder that cannot be written or on a full disk: it can be read
    (if nothing waits in its write-ahead log and its schema is this version's)."""
    from observe_app.storage import migrate

    folder = place.data_dir
    wal = place.path.name + "-wal"
    if not place.writable:
        state = S.READ_ONLY
        what = f"the data folder {folder} cannot be written (a read-only folder, drive or file)"
        fix = "Make the folder writable, or copy it somewhere writable and use --data-dir"
        needs = "a folder that can be written"
    else:
        state = S.DISK_FULL
        what = f"the disk holding {folder} is full ({_size(place.free or 0)} free)"
        fix = "Free some space on that disk, then try again"
        needs = "some free space"
    if not readable:
        message = (f"{what}, and the newest changes (in {wal}) can only be read with {needs}; "
                   f"nothing was changed. {fix}")
    elif revision != migrate.HEAD:
        message = (f"{what}, and the database must first be brought up to this version of "
                   f"Observe, which needs {needs}; nothing was changed. {fix}")
        readable = False
    else:
        message = (f"{what}, so nothing can be saved; the database was not changed and can "
                   f"still be read. {fix}")
    return StartupStatus(state, place.path, message=message, can_open_read_only=readable,
                         immutable=place.immutable, revision=revision)


def _size(free: int) -> str:
    return f"{free} bytes" if free < 1024 else f"{free // 1024} KB"


def _readable(place: _Place) -> bool:
    try:
        with _reader(place.path, immutable=place.immutable) as conn:
            conn.execute("SELECT count(*) FROM notes").fetchone()
            return True
    except sqlite3.Error:
        return False


def _damaged(place: _Place, problems: list[str]) -> StartupStatus:
    good, checked = newest_good_backup(place.data_dir)
    readable = _readable(place)
    return StartupStatus(S.DAMAGED, place.path, tuple(problems[:20]), good, checked,
                         damage_message(place.path, problems, good, readable), readable,
                         place.immutable)


def newest_good_backup(data_dir: Path) -> tuple[Path | None, int]:
    """The newest automatic backup that passes its checks, and how many were looked at."""
    from observe_app.storage import (
        backup,  # not needed by every check
        migrate,
    )

    known = migrate.known_revisions()
    checked = 0
    for candidate in backup.list_backups(backup_dir(data_dir)):
        checked += 1
        try:
            backup.validate_backup_file(candidate, known)
        except BadInputError:
            continue
        return candidate, checked
    return None, checked


def damage_message(db_path: Path, problems: list[str] | tuple[str, ...],
                   good: Path | None, read_only: bool) -> str:
    what = problems[0] if problems else "it failed its check"
    ways = []
    if good is not None:
        ways.append(f"restore the newest good backup ({good.name}) with "
                    f"`observe-app restore {good}`")
    else:
        ways.append("restore a backup you keep elsewhere with `observe-app restore FILE`")
    if read_only:
        ways.append("open it read-only to copy out what you can")
    return (f"the database {db_path} is damaged ({what}); it was left untouched. "
            f"To go on, {' or '.join(ways)}.")
