"""Backups with SQLite's online backup API, restore, and integrity checks.

Every backup is one owner-only file (0600, in a 0700 backups folder), checked before it takes
its name. Which automatic backups are kept, and when none is needed because nothing changed,
is decided in storage.rotation.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from observe_app.errors import BadInputError, StorageError
from observe_app.storage import rotation
from observe_app.storage.paths import (
    create_private_file,
    private_dir,
    refuse_own_file,
    sqlite_uri,
)

KEEP_BACKUPS = rotation.KEEP_NEWEST


@contextlib.contextmanager
def connect(path: Path, *, read_only: bool,
            immutable: bool = False) -> Iterator[sqlite3.Connection]:
    """A plain sqlite3 connection, read-only (`mode=ro`: never writes a byte) if asked;
    `immutable` reads without locks or -shm (for a folder nothing can be written to)."""
    flags = "?mode=ro&immutable=1" if immutable else "?mode=ro" if read_only else ""
    uri = f"{sqlite_uri(path)}{flags}"
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
    except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:  # a message in broken bytes
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
    with connect(source, read_only=True, immutable=_cannot_share(source)) as src, \
            connect(target, read_only=False) as dst:
        src.backup(dst)


def _cannot_share(path: Path) -> bool:
    """True for a database in a folder that cannot be written (a read-only drive) and whose
    write-ahead log holds nothing: a read-only connection there cannot make the -shm file it
    needs, and reading the file alone is exact."""
    if os.access(path.parent, os.W_OK):
        return False
    wal = path.with_name(path.name + "-wal")
    return not wal.exists() or wal.stat().st_size == 0


def utc_now() -> dt.datetime:
    """The clock that names and ages automatic backups (a test may replace it)."""
    return dt.datetime.now(dt.UTC)


def take_backup(db_path: Path, folder: Path, *, reason: str = "auto",
                now: dt.datetime | None = None, prune_now: bool = True) -> Path:
    """Copy the live database into `folder` with a timestamped name, check it, and prune the
    folder by age (storage.rotation).

    When the database holds exactly what the newest backup holds, no copy is kept and that
    backup is returned: a path that was there before tells the caller no backup was needed.
    So repeated starts, or a migration tried again after a failure, do not fill the rotation
    with copies of one state. `prune_now=False` leaves pruning to the caller (a restore prunes
    only once it has succeeded: one that fails must not have cost a backup)."""
    private_dir(folder)
    now = now or utc_now()
    target = folder / rotation.backup_name(now, reason)
    same_as = rotation.newest_serving(list_backups(folder), reason)
    # The copy is compared, never the live file: closing any descriptor of a file drops every
    # lock this process holds on it, SQLite's too, and another program's last connection
    # would then delete the -wal and -shm files from under this one (rotation's docstring).
    partial = _partial_copy(db_path, target)
    if same_as is not None and rotation.same_content(partial, same_as):
        partial.unlink(missing_ok=True)
        return same_as
    _keep_checked(partial, target)
    if prune_now:
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
    """Refuse anything that is not a sound Observe database this version can use: the checks
    of `restore_check`, which read the file without writing a byte beside it."""
    from observe_app.storage import restore_check

    restore_check.check_backup(source, known_revisions)


def set_aside(db_path: Path, folder: Path) -> Path:
    """Move a damaged database (and its WAL files) into `folder`, out of the rotation, as is."""
    private_dir(folder)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = folder / f"damaged-{stamp}.db"
    moved: list[str] = []
    try:  # all three or none: a -wal left beside a new database would be read into it
        for suffix in ("-wal", "-shm", ""):
            side = db_path.with_name(db_path.name + suffix)
            if side.exists():
                side.replace(target.with_name(target.name + suffix))
                moved.append(suffix)
    except OSError:
        for suffix in moved:
            target.with_name(target.name + suffix).replace(db_path.with_name(db_path.name + suffix))
        raise
    return target


def restore_from(source: Path, db_path: Path, folder: Path, known_revisions: set[str]) -> Path:
    """Replace the database with `source`, keeping what was there first; returns where.

    `source` is checked before anything in the data folder changes. A copy is then staged
    beside the database, brought to the current schema, given a freshly built search index and
    checked again; only then is the current database kept (a sound one as a checked
    `before-restore` backup, a damaged one moved aside unchanged as `damaged-*.db`) and the
    staged copy swapped in.

    The swap goes through SQLite's backup API into the live file: one write transaction under
    the live file's own journal, so a failure (or a power cut) part way leaves the database as
    it was, SQLite itself looks after the -wal and -shm files, and there is never a moment
    without a database. (Renaming the staged file over the live one would be atomic too, but a
    -wal left beside it from the old database would then be replayed into the new one.)
    Any failure puts the database back as it was and removes the staged copy.
    """
    from observe_app.storage import restore_check

    refuse_live_file(source, db_path)
    restore_check.check_backup(source, known_revisions)
    staged = db_path.with_name(db_path.name + ".restoring")
    try:
        _remove_with_journals(staged)
        try:
            create_private_file(staged)  # a whole copy of the data: owner-only from the start
            shutil.copyfile(source, staged)
        except OSError as exc:
            raise _fault(f"could not copy {source} into the data folder", exc) from exc
        restore_check.prepare_staged(staged, source, known_revisions)
        kept, damaged = _keep_current(db_path, folder)
        _swap_in(staged, db_path, source, kept, damaged)
    finally:
        _remove_with_journals(staged)
    if kept is not None and not damaged:
        prune(folder, just_taken=kept)
    return kept or db_path


def refuse_live_file(source: Path, db_path: Path) -> None:
    """The database in use (or one of its journals) is not a backup of itself."""
    live = db_path.expanduser().resolve()
    own = {live, *(live.with_name(live.name + s) for s in ("-wal", "-shm", "-journal"))}
    if source.expanduser().resolve() in own:
        raise BadInputError(f"{source} is the database in use itself, not a backup; choose a "
                            "backup file. Nothing was changed")


def _fault(what: str, exc: BaseException) -> StorageError:
    from observe_app.storage.faults import translate

    known = translate(exc, what=None)
    return StorageError(f"{what}: {known or exc}. The database in use was not changed")


def _remove_with_journals(path: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def _keep_current(db_path: Path, folder: Path) -> tuple[Path | None, bool]:
    """Keep the database as it is now: (where it is kept, whether it was damaged and moved)."""
    if not db_path.exists():
        return None, False
    try:
        # An emptied (0-byte) or table-less file fails no check, but a "before-restore" copy
        # of it would displace the last real one from the rotation: it is set aside as is.
        if integrity_problems(db_path) or not table_names(db_path):
            return set_aside(db_path, folder), True
    except OSError as exc:
        raise _fault(f"could not move the damaged database {db_path} aside", exc) from exc
    return take_backup(db_path, folder, reason="before-restore", prune_now=False), False


def _swap_in(staged: Path, db_path: Path, source: Path, kept: Path | None,
             damaged: bool) -> None:
    """Copy the staged database into the live file in one transaction; undo on any failure."""
    committed = False
    try:
        with connect(staged, read_only=True) as src, connect(db_path, read_only=False) as dst:
            dst.execute("PRAGMA journal_mode=DELETE")  # any page size; no -wal left behind
            src.backup(dst)
        committed = True
        with connect(db_path, read_only=True) as conn:
            problems = check_problems(conn, "quick_check")
        if problems or schema_revision(db_path) != _head():
            raise StorageError("the restored database failed its check "
                               f"({problems[0] if problems else 'its schema is not current'})")
    except (sqlite3.Error, OSError, StorageError) as exc:
        from observe_app.storage.faults import translate

        how = _put_back(db_path, kept, damaged, committed)
        reason = exc if isinstance(exc, StorageError) else translate(exc, what=None) or exc
        raise StorageError(f"could not restore {source} ({reason}); {how}") from exc


def _head() -> str:
    from observe_app.storage.migrate import HEAD

    return HEAD


def _put_back(db_path: Path, kept: Path | None, damaged: bool, committed: bool) -> str:
    """Undo a swap that failed; says where the database stands, for the message."""
    try:
        if damaged and kept is not None:
            _remove_with_journals(db_path)
            for suffix in ("-wal", "-shm"):
                side = kept.with_name(kept.name + suffix)
                if side.exists():
                    side.replace(db_path.with_name(db_path.name + suffix))
            kept.replace(db_path)
        elif kept is None:  # there was no database: there is none again
            _remove_with_journals(db_path)
        elif committed:  # else SQLite rolled the copy back: the database is as it was
            _copy(kept, db_path)
    except (sqlite3.Error, OSError):
        where = f"; it is kept in {kept}: restore that file" if kept else ""
        return f"the database could not be put back as it was{where}"
    return "the database in use is as it was before"
