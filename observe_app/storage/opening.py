"""Open the database in a data folder, creating and migrating it as needed."""

from __future__ import annotations

import time
from pathlib import Path

from observe_app.errors import DamagedDatabaseError, FolderInUseError, StorageError
from observe_app.storage import faults, folder_lock, migrate, startup
from observe_app.storage.engine import Database
from observe_app.storage.folder_lock import FolderLock
from observe_app.storage.paths import backup_dir, database_path


def open_database(data_dir: Path, *, read_only: bool = False, check: bool = True,
                  lock: FolderLock | None = None) -> Database:
    """Open (and if needed create and migrate) the database in `data_dir`.

    With `check` (the default) a quick integrity check runs first and a damaged database is
    refused with a DamagedDatabaseError naming the way back; it is never written to. A
    damaged database can still be opened read-only. Pass check=False when
    `startup.check_database` has just been run.

    With `lock` (the window and every command pass theirs) the folder is held shared from
    here on, and exclusively while a schema change runs (see storage.folder_lock); the
    caller releases it when done with the database. A read-only open takes no lock: it never
    writes, and its only user, the window, holds the instance lock that everything replacing
    the file needs too.
    """
    path = database_path(data_dir)
    if lock is not None and not read_only:
        lock.share()  # before the check: a restore may be replacing the file right now
    if check and not read_only and path.exists():
        problems = startup.quick_problems(path)
        if problems:
            good, _ = startup.newest_good_backup(data_dir)
            raise DamagedDatabaseError(startup.damage_message(path, problems, good, True))
    if read_only:
        if not path.exists():
            raise StorageError(f"there is no Observe database in {data_dir}")
        return Database(path, read_only=True)
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(
            f"cannot create the data folder {data_dir} ({exc.strerror}); "
            "choose another with --data-dir"
        ) from exc
    if lock is None:
        return _migrated(data_dir, migrate.check_can_open(path))
    deadline = time.monotonic() + lock.wait_s
    while True:  # held shared here: a failed exclusive attempt takes the shared hold back
        revision = migrate.check_can_open(path)
        if revision == migrate.HEAD:
            return _migrated(data_dir, revision)  # the usual case: no exclusive hold
        try:
            with lock.exclusive(folder_lock.UPGRADE):
                # Another command may have made or upgraded it while we waited.
                return _migrated(data_dir, migrate.check_can_open(path))
        except FolderInUseError:
            # Two first starts at once: one migrates, the other waits to find it done (and
            # goes on shared); a user holding the folder for longer is named.
            if time.monotonic() >= deadline:
                raise
        time.sleep(0.1)


def _migrated(data_dir: Path, revision: str | None) -> Database:
    db = Database(database_path(data_dir))
    try:
        with faults.storage_faults(what=None):
            migrate.upgrade(db, backup_dir(data_dir), revision)
    except BaseException:
        db.close()
        raise
    return db
