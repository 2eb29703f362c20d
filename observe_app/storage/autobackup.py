"""Automatic backups: at start-up and after an observation ends, each checked, kept by age.

The window calls `backup_now(data_dir, "startup")` once the database is open and
`backup_now(data_dir, "after-observation")` when an observation ends (both in a worker; a
StorageError is shown, never fatal). When nothing changed since the newest backup, no new one
is made and that one is returned. Which are kept is decided in storage.rotation (the newest
ten, one a day for a week, one a week for eight weeks, and the newest taken before a restore,
a migration or an import). `observe-app backup` and `restore` go through the same
`storage.backup` functions.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from observe_app.errors import StorageError
from observe_app.storage import backup
from observe_app.storage.paths import backup_dir, database_path

log = logging.getLogger(__name__)

KEEP = backup.KEEP_BACKUPS


def _slug(reason: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", reason.lower()).strip("-")[:40] or "auto"


def backup_now(data_dir: Path, reason: str = "auto") -> Path:
    """Copy the database with SQLite's backup API, check the copy, prune by age; or, when
    nothing changed since the newest backup, return that one (no new file)."""
    return backup_if_changed(data_dir, reason)[0]


def backup_if_changed(data_dir: Path, reason: str = "auto") -> tuple[Path, bool]:
    """As backup_now, and whether a new backup was written (False: the newest one holds
    exactly what the database holds, so it was kept instead)."""
    db_path = database_path(data_dir)
    if not db_path.exists():
        raise StorageError(f"there is no database in {data_dir} to back up")
    folder = backup_dir(data_dir)
    before = set(backup.list_backups(folder)) if folder.is_dir() else set()
    path = backup.take_backup(db_path, folder, reason=_slug(reason))
    written = path not in before
    if written:
        log.info("automatic backup (%s) written to %s", _slug(reason), path.name)
    else:
        log.info("automatic backup (%s) not needed: nothing changed since %s", _slug(reason),
                 path.name)
    return path, written


def list_backups(data_dir: Path) -> list[Path]:
    """The automatic backups, newest first."""
    return backup.list_backups(backup_dir(data_dir))
