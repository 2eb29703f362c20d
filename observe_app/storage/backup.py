"""Backups with SQLite's online backup API, restore, and integrity checks.

Every backup is one owner-only file (0600, in a 0700 backups folder), checked before it takes
its name. Which automatic backups are kept, and when none is needed because nothing changed,
is decided in storage.rotation.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from observe_app.errors import BadInputError, StorageError
from observe_app.storage import rotation
from observe_app.storage.paths import create_private_file, private_dir, refuse_own_file

SQLITE_MAGIC = b"SQLite format 3\x00"
KEEP_BACKUPS = rotation.KEEP_NEWEST
# Tables every Observe schema so far has; a file without them is not an Observe database.
CORE_TABLES = frozenset({"people", "protocols", "protocol_versions", "protocol_items", "cycles",
                         "observations", "notes", "note_tags"})


@contextlib.contextmanager
def connect(path: Path, *, read_only: bool) -> Iterator[sqlite3.Connection]:
    """A plain sqlite3 connection, read-only (`mode=ro`: never writes a byte) if asked."""
    uri = f"file:{path.as_posix()}{'?mode=ro' if read_only else ''}"
    conn = sqlite3.connect(uri, uri=True)
    try:
        yield conn
    finally:
        conn.close()


def check_problems(conn: sqlite3.Connection, pragma: str) -> list[str]:
    """The problems an integrity_check or quick_check reports; empty means sound."""
    rows = [r[0] for r in conn.execute(f"PRAGMA {pragma}")]
    # One row may hold several lines, headed "*** in database main ***".
    lines = [line.strip() for r in rows for line in str(r).splitlines()]
    return [line for line in lines if line and line != "ok" and not line.startswith("***")]


def integrity_problems(path: Path) -> list[str]:
    """What SQLite's integrity and foreign-key checks report; empty means the file is sound."""
    try:
        with connect(path, read_only=True) as conn:
            problems = check_problems(conn, "integrity_check")
            fk = conn.execute("PRAGMA foreign_key_check").fetchall()
            problems += [f"row {r[1]} of {r[0]} points at a missing {r[2]}" for r in fk]
            return problems
    except sqlite3.DatabaseError as exc:
        return [str(exc)]


def schema_revision(path: Path) -> str | None:
    with connect(path, read_only=True) as conn:
        try:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.OperationalError:
            return None
        return row[0] if row else None


def table_names(path: Path) -> set[str]:
    with connect(path, read_only=True) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def _copy(source: Path, target: Path) -> None:
    with connect(source, read_only=True) as src, connect(target, read_only=False) as dst:
        src.backup(dst)


def utc_now() -> dt.datetime:
    """The clock that names and ages automatic backups (a test may replace it)."""
    return dt.datetime.now(dt.UTC)


def take_backup(db_path: Path, folder: Path, *, reason: str = "auto",
                now: dt.datetime | None = None) -> Path:
    """Copy the live database into `folder` with a timestamped name, check it, and prune the
    folder by age (storage.rotation).

    When the database holds exactly what the newest backup holds, no copy is kept and that
    backup is returned: a path that was there before tells the caller no backup was needed.
    So repeated starts, or a migration tried again after a failure, do not fill the rotation
    with copies of one state."""
    private_dir(folder)
    now = now or utc_now()
    target = folder / rotation.backup_name(now, reason)
    same_as = rotation.newest_serving(list_backups(folder), reason)
    # Compare the live file first (no copy written); if that cannot tell, compare a copy.
    unchanged = rotation.unchanged_since(db_path, same_as) if same_as else False
    if same_as is not None and unchanged:
        return same_as
    partial = _partial_copy(db_path, target)
    if same_as is not None and unchanged is None and rotation.same_content(partial, same_as):
        partial.unlink(missing_ok=True)
        return same_as
    _keep_checked(partial, target)
    prune(folder, now=now, just_taken=target)
    return target


def backup_to(db_path: Path, target: Path, *, into_backups: bool = False) -> Path:
    """Write a consistent copy of the database to `target` and check the copy. A target the
    user chose never lands on the data folder's own files; only the automatic backups
    (`into_backups`) write into its backups folder."""
    if target.exists() and target.is_dir():
        raise BadInputError(f"{target} is a folder; give a file name for the backup")
    if not into_backups:
        refuse_own_file(db_path, target, "backup")
    if not target.parent.is_dir():
        raise BadInputError(f"folder {target.parent} does not exist; create it or choose another")
    _keep_checked(_partial_copy(db_path, target), target)
    return target


def _partial_copy(db_path: Path, target: Path) -> Path:
    """A consistent, single-file, owner-only copy of the database beside `target`."""
    partial = target.with_name(target.name + ".partial")
    try:
        partial.unlink(missing_ok=True)
        # Made owner-only before SQLite writes a page into it (an empty file is an empty
        # database to SQLite); its journal files take the same mode.
        create_private_file(partial)
        _copy(db_path, partial)
        # A copy of a WAL database is in WAL mode too: checking it would leave -wal and -shm
        # files beside it (a read-only check cannot remove them). A backup is one file.
        with connect(partial, read_only=False) as conn:
            conn.execute("PRAGMA journal_mode=DELETE")
    except (sqlite3.Error, OSError) as exc:
        partial.unlink(missing_ok=True)
        from observe_app.storage.faults import translate

        known = translate(exc, what=None)
        raise StorageError(f"could not write backup {target}: {known or exc}") from exc
    return partial


def _keep_checked(partial: Path, target: Path) -> None:
    problems = integrity_problems(partial)
    if problems:
        partial.unlink(missing_ok=True)
        raise StorageError(f"the backup copy failed its check ({problems[0]}); nothing was kept")
    partial.replace(target)


def prune(folder: Path, keep: int = KEEP_BACKUPS, *, now: dt.datetime | None = None,
          tz: dt.tzinfo | None = None, just_taken: Path | None = None) -> list[Path]:
    """Delete the automatic backups the rotation does not keep (storage.rotation); returns
    them. Files that are not automatic backups (damaged-*.db, anything else) stay."""
    dated = []
    for path in folder.glob("observe-*.db"):
        parsed = rotation.parse_name(path.name)
        if parsed is not None:
            dated.append((path.name, parsed[0]))
    keep_names = rotation.backups_to_keep(dated, now or utc_now(), tz, newest=keep)
    if just_taken is not None:  # even if the clock was set back since older ones were taken
        keep_names.add(just_taken.name)
    gone = [folder / name for name, _ in dated if name not in keep_names]
    for old in gone:
        old.unlink(missing_ok=True)
    return gone


def list_backups(folder: Path) -> list[Path]:
    """The automatic backups in `folder`, newest first."""
    return sorted(folder.glob("observe-*.db"), reverse=True)


def validate_backup_file(source: Path, known_revisions: set[str]) -> None:
    """Refuse anything that is not a sound Observe database this version can read."""
    if not source.is_file():
        raise BadInputError(f"{source}: no such file")
    with source.open("rb") as fh:
        if fh.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
            raise BadInputError(f"{source} is not an Observe backup (not an SQLite database)")
    problems = integrity_problems(source)
    if problems:
        raise BadInputError(f"{source} is damaged ({problems[0]}); choose another backup")
    revision = schema_revision(source)
    if revision is None:
        raise BadInputError(f"{source} is an SQLite database but not an Observe backup")
    if revision not in known_revisions:
        raise BadInputError(
            f"{source} was made by a newer version of Observe (schema {revision}); "
            "install that version to restore it"
        )
    missing = sorted(CORE_TABLES - table_names(source))
    if missing:
        raise BadInputError(f"{source} is not a whole Observe backup (it has no "
                            f"{', '.join(missing[:3])} table); choose another backup")


def set_aside(db_path: Path, folder: Path) -> Path:
    """Move a damaged database (and its WAL files) into `folder`, out of the rotation, as is."""
    private_dir(folder)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = folder / f"damaged-{stamp}.db"
    for suffix in ("-wal", "-shm"):
        side = db_path.with_name(db_path.name + suffix)
        if side.exists():
            side.replace(target.with_name(target.name + suffix))
    db_path.replace(target)
    return target


def restore_from(source: Path, db_path: Path, folder: Path, known_revisions: set[str]) -> Path:
    """Replace the database with `source`, keeping what was there first.

    A sound database is kept as a checked backup; a damaged one is moved aside unchanged
    (`damaged-*.db` in the backup folder), so restoring never destroys anything.
    """
    validate_backup_file(source, known_revisions)
    # Copy the chosen backup first: keeping the current database below prunes old backups,
    # and the chosen one may be the oldest of them.
    staged = db_path.with_name(db_path.name + ".restoring")
    try:
        shutil.copyfile(source, staged)
    except OSError as exc:
        staged.unlink(missing_ok=True)
        raise StorageError(f"could not read {source}: {exc}") from exc
    safety: Path | None = None
    try:
        if db_path.exists():
            if integrity_problems(db_path):
                safety = set_aside(db_path, folder)
            else:
                safety = take_backup(db_path, folder, reason="before-restore")
    except BaseException:
        staged.unlink(missing_ok=True)
        raise
    try:
        _copy(staged, db_path)
    except (sqlite3.Error, OSError) as exc:
        raise StorageError(f"could not restore from {source}: {exc}") from exc
    finally:
        staged.unlink(missing_ok=True)
    return safety or db_path
