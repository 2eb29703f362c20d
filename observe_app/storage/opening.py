"""Open the database in a data folder, creating and migrating it as needed."""

from __future__ import annotations

import logging
import random
import time
from pathlib import Path

from observe_app.errors import FolderInUseError, StorageError
from observe_app.storage import faults, folder_lock, migrate, startup
from observe_app.storage.engine import Database
from observe_app.storage.folder_lock import FolderLock
from observe_app.storage.paths import backup_dir, database_path, private_dir

log = logging.getLogger(__name__)


def open_database(data_dir: Path, *, read_only: bool = False, check: bool = True,
                  integrity: str = "quick_check", lock: FolderLock | None = None) -> Database:
    """Open (and if needed create and migrate) the database in `data_dir`.

    `startup.check_database` looks first (with `check`, its `integrity` check too: SQLite's
    quick_check, or "header" for a command that only reads, whose cost does not grow with the
    file; pass check=False when it has just been run): whatever stops the database being
    used is refused with its own StorageError (damaged, emptied, locked, not a file, not
    Observe's, newer, no permission), before anything opens or writes it. A sound database
    in a folder that cannot be written or on a full disk is opened read-only: reading works,
    and a write raises the reason. A damaged database can still be opened read-only.

    With `lock` (the window and every command pass theirs) the folder is held shared from
    here on, and exclusively while a schema change runs (see storage.folder_lock); the
    caller releases it when done with the database. A read-only open takes no lock: it never
    writes, and its only user, the window, holds the instance lock that everything replacing
    the file needs too.
    """
    path = database_path(data_dir)
    unlocked: StorageError | None = None
    if lock is not None and not read_only:
        try:
            lock.share()  # before the check: a restore may be replacing the file right now
        except FolderInUseError:
            raise
        except StorageError as exc:  # a folder that cannot be written: the check says so
            unlocked = exc
    status = startup.check_database(data_dir,
                                    integrity=integrity if check and not read_only else None)
    if read_only:
        if status.can_open_read_only:
            return _read_only(path, status)
        if status.state is startup.DatabaseState.MISSING:
            raise StorageError(f"there is no Observe database in {data_dir}")
        raise status.error()
    if status.state in (startup.DatabaseState.READ_ONLY, startup.DatabaseState.DISK_FULL) \
            and status.can_open_read_only:
        log.info("opening the database read-only: %s", status.state.value)
        return _read_only(path, status)
    if not status.ok:
        raise status.error()
    try:
        private_dir(data_dir)
    except OSError as exc:
        raise startup.folder_fault(data_dir, exc, f"create the data folder {data_dir}") from exc
    if unlocked is not None:
        raise unlocked
    if lock is None:
        return _migrated(data_dir, migrate.check_can_open(path))
    deadline = time.monotonic() + lock.wait_s
    refused: FolderInUseError | None = None
    while True:  # held shared here: a failed exclusive attempt takes the shared hold back
        # Looked at again after a refusal: two first starts at once, one migrates while the
        # other waits, and the waiter finds it done (and goes on shared) even when its wait
        # for the exclusive hold used up the deadline. A user holding it for longer is named.
        revision = migrate.check_can_open(path)
        if revision == migrate.HEAD:
            return _migrated(data_dir, revision)  # the usual case: no exclusive hold
        if refused is not None and time.monotonic() >= deadline:
            raise refused
        try:
            with lock.exclusive(folder_lock.UPGRADE):
                # Another command may have made or upgraded it while we waited.
                return _migrated(data_dir, migrate.check_can_open(path))
        except FolderInUseError as exc:
            refused = exc
        # Two first starts at once each hold the folder shared and each needs it alone: each
        # refused the other, in step, until both gave up. The one refused lets go while it
        # waits, for a while of its own, so the other can have it alone and upgrade.
        lock.release()
        time.sleep(random.uniform(0.05, 0.3))
        lock.share()


def _migrated(data_dir: Path, revision: str | None) -> Database:
    db = Database(database_path(data_dir))
    try:
        with faults.storage_faults(what=None):
            migrate.upgrade(db, backup_dir(data_dir), revision)
    except BaseException:
        db.close()
        raise
    return db


def _read_only(path: Path, status: startup.StartupStatus) -> Database:
    why = status.state in (startup.DatabaseState.READ_ONLY, startup.DatabaseState.DISK_FULL)
    return Database(path, read_only=True, immutable=status.immutable,
                    refusal=status.error if why else None)
