"""Open the database in a data folder, creating and migrating it as needed."""

from __future__ import annotations

from pathlib import Path

from observe_app.errors import DamagedDatabaseError, StorageError
from observe_app.storage import faults, migrate, startup
from observe_app.storage.engine import Database
from observe_app.storage.paths import backup_dir, database_path, private_dir


def open_database(data_dir: Path, *, read_only: bool = False, check: bool = True) -> Database:
    """Open (and if needed create and migrate) the database in `data_dir`.

    With `check` (the default) a quick integrity check runs first and a damaged database is
    refused with a DamagedDatabaseError naming the way back; it is never written to. A
    damaged database can still be opened read-only. Pass check=False when
    `startup.check_database` has just been run.
    """
    path = database_path(data_dir)
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
        private_dir(data_dir)
    except OSError as exc:
        raise StorageError(
            f"cannot create the data folder {data_dir} ({exc.strerror}); "
            "choose another with --data-dir"
        ) from exc
    revision = migrate.check_can_open(path)
    db = Database(path)
    try:
        with faults.storage_faults(what=None):
            migrate.upgrade(db, backup_dir(data_dir), revision)
    except BaseException:
        db.close()
        raise
    return db
