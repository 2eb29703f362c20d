"""Open the database in a data folder, creating and migrating it as needed."""

from __future__ import annotations

from pathlib import Path

from observe_app.errors import StorageError
from observe_app.storage import migrate
from observe_app.storage.engine import Database
from observe_app.storage.paths import backup_dir, database_path


def open_database(data_dir: Path, *, read_only: bool = False) -> Database:
    """Open (and if needed create and migrate) the database in `data_dir`."""
    path = database_path(data_dir)
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
    revision = migrate.check_can_open(path)
    db = Database(path)
    try:
        migrate.upgrade(db, backup_dir(data_dir), revision)
    except BaseException:
        db.close()
        raise
    return db
