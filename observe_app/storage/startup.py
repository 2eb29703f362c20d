"""The start-up check: is the database sound, and if not, what is the way back? Never writes to it.

The window calls `check_database(data_dir)` before `open_database` (in a worker: it reads the
whole file). On a damaged database it shows `status.message` and offers
`status.newest_good_backup` (restore with `backup.restore_from`, which keeps the damaged file
as a backup first) or opening read-only (`open_database(data_dir, read_only=True)`).
"""

from __future__ import annotations

import enum
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from observe_app.errors import BadInputError
from observe_app.storage import backup
from observe_app.storage.paths import backup_dir, database_path


class DatabaseState(enum.StrEnum):
    MISSING = "missing"  # first start: the database will be created
    OK = "ok"
    DAMAGED = "damaged"


@dataclass(frozen=True)
class StartupStatus:
    state: DatabaseState
    db_path: Path
    problems: tuple[str, ...] = ()
    newest_good_backup: Path | None = None
    backups_checked: int = 0
    message: str = ""
    can_open_read_only: bool = field(default=False)

    @property
    def ok(self) -> bool:
        return self.state is not DatabaseState.DAMAGED


def quick_problems(path: Path) -> list[str]:
    """PRAGMA quick_check on a read-only connection; empty means the file looks sound."""
    from observe_app.storage import migrate

    migrate.undo_interrupted_write(path)  # a write cut short is not damage (a hot journal)
    try:
        with backup.connect(path, read_only=True) as conn:
            return backup.check_problems(conn, "quick_check")
    except sqlite3.DatabaseError as exc:
        return [str(exc)]


def _readable(path: Path) -> bool:
    try:
        with backup.connect(path, read_only=True) as conn:
            conn.execute("SELECT count(*) FROM notes").fetchone()
            return True
    except sqlite3.Error:
        return False


def newest_good_backup(data_dir: Path) -> tuple[Path | None, int]:
    """The newest automatic backup that passes its checks, and how many were looked at."""
    from observe_app.storage import migrate

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


def check_database(data_dir: Path) -> StartupStatus:
    """Quick-check the database in `data_dir` without changing it."""
    path = database_path(data_dir)
    if not path.exists():
        return StartupStatus(DatabaseState.MISSING, path, message="a new database will be created")
    problems = quick_problems(path)
    emptied = path.is_file() and path.stat().st_size == 0
    if emptied:
        good, checked = newest_good_backup(data_dir)
        if good is not None:  # it had data once: the window offers the way back
            problems = ["it is empty (0 bytes): its data is gone, but a backup is here"]
    if not problems:
        return StartupStatus(DatabaseState.OK, path, message="ok", can_open_read_only=True)
    good, checked = newest_good_backup(data_dir)
    read_only = _readable(path) and not emptied
    return StartupStatus(DatabaseState.DAMAGED, path, tuple(problems[:20]), good, checked,
                         damage_message(path, problems, good, read_only), read_only)
