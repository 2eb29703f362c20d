"""The database opened for a read with plain sqlite3, behind the checks open_database makes.

A list read this way never imports SQLAlchemy, which costs more than a read command's whole
budget (150-400 ms, then ~60 ms to set up the mappers) and is most of what the window waits
for between its first paint and its first rows. Only the usual case goes this way: a sound
database at the newest schema in a folder this process holds shared. Anything else (a first
start, a migration to run, a read-only folder or full disk, damage, a lock) answers None, and
the caller takes the normal path, which says or does what that case needs.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from observe_app.errors import FolderInUseError, StorageError
from observe_app.storage import migrate, startup
from observe_app.storage.folder_lock import FolderLock
from observe_app.storage.paths import database_path, secure_data_folder, sqlite_uri
from observe_app.storage.pragmas import BUSY_TIMEOUT_MS

log = logging.getLogger(__name__)


def open_for_reading(data_dir: Path, lock: FolderLock, *, integrity: str | None = "header",
                     wait_s: float = BUSY_TIMEOUT_MS / 1000) -> sqlite3.Connection | None:
    """A connection that can only read, or None where the normal path must decide.

    The folder is held shared first (as open_database holds it: no restore or schema change
    replaces the file while it is read); the caller releases `lock` when done. `integrity`
    is the start-up check to run ("header" for a command: its cost does not grow with the
    file); None when the caller has just looked (the window: `startup.opens_at_once`).
    `wait_s`: how long a read waits for another program's write lock."""
    try:
        lock.share()
    except FolderInUseError:
        raise
    except StorageError:
        return None  # a folder that cannot be written: the normal path says what it means
    if integrity is not None:
        status = startup.check_database(data_dir, integrity=integrity)
        if status.state is not startup.DatabaseState.OK or status.revision != migrate.HEAD:
            return None
    path = database_path(data_dir)
    try:  # as the normal open does: a folder an older version made is tightened here too
        secure_data_folder(path)
    except OSError:
        return None  # the normal path says what stops it
    # mode=rw: never makes a file (a missing one was settled above); query_only: never writes.
    conn = sqlite3.connect(f"{sqlite_uri(path)}?mode=rw", uri=True, timeout=wait_s,
                           isolation_level=None, check_same_thread=False)
    try:
        conn.execute("PRAGMA query_only=1")
    except BaseException:
        conn.close()
        raise
    return conn
