"""Bring a database to the app's schema with Alembic, after a backup, or refuse to touch it."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from observe_app.errors import StorageError
from observe_app.storage import faults
from observe_app.storage.paths import BACKUP_FOLDER
from observe_app.storage.pragmas import BUSY_TIMEOUT_MS

if TYPE_CHECKING:  # Alembic and SQLAlchemy load only when a schema changes or is read
    from alembic.config import Config
    from sqlalchemy.engine import Connection

    from observe_app.storage.engine import Database

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).parent / "migrations"
# The newest revision in migrations/versions. Kept here so that opening an up-to-date
# database never imports Alembic (a fifth of the start-up time); a test keeps it in step.
HEAD = "0014"


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def is_search_index(name: str | None) -> bool:
    """The FTS5 tables (and their shadow tables) live outside the models, in migration 0002."""
    return bool(name) and any(name.startswith(p)  # type: ignore[union-attr]
                              for p in ("notes_fts", "feedback_fts", "cycles_fts"))


def include_object(obj: object, name: str | None, type_: str, reflected: bool,
                   compare_to: object) -> bool:
    return not (type_ == "table" and is_search_index(name))


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {r.revision for r in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def current_revision(connection: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def schema_state(path: Path) -> tuple[str | None, bool]:
    """The file's revision and whether it holds any tables, read without changing a byte."""
    from observe_app.storage import backup  # only this and upgrade need it

    if not path.exists() or path.stat().st_size == 0:
        return None, False
    try:
        tables = backup.table_names(path)
        revision = backup.schema_revision(path) if "alembic_version" in tables else None
    except sqlite3.DatabaseError as exc:
        raise StorageError(
            f"{path} cannot be read as a database ({exc}); restore a backup "
            "with `observe-app restore FILE`. It was left untouched."
        ) from exc
    return revision, bool(tables)


def _refuse_emptied(path: Path) -> None:
    """A zero-byte database in a folder that has backups lost its data: say so, never start
    it afresh (that would hide the loss, and start-up backups of it would rotate the good
    ones away). Without backups it is a first start that was cut short: it may be made."""
    backups = sorted(path.parent.joinpath(BACKUP_FOLDER).glob("observe-*.db"))
    if not backups:
        return
    raise StorageError(
        f"{path} is empty (0 bytes) although this folder has backups: its data may have been "
        f"lost. Restore the newest backup with `observe-app restore "
        f"{backups[-1]}` (or Data ▸ Restore from backup…), or move the empty file away to "
        "start afresh. It was left untouched.")


def undo_interrupted_write(path: Path) -> bool:
    """Let SQLite undo a write that a killed process left half done; True if there was one.

    In WAL mode a write cut short needs no undoing. The app writes through a rollback journal
    only while it switches a file to WAL: a new database on its first start, a restored backup
    on its first opening. Killed then, the file keeps a "hot" journal that only a connection
    that may write can roll back; a read-only one fails (SQLITE_READONLY_ROLLBACK) and the
    start-up check took that for damage, at every start. Rolling back is SQLite's own recovery,
    which any such connection does on opening: the file is put back as it was before that write
    (for a first start, empty: made afresh, as a start cut short is).
    """
    journal = path.with_name(path.name + "-journal")
    if not (path.is_file() and journal.is_file() and journal.stat().st_size > 0):
        return False
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        conn.execute("PRAGMA schema_version").fetchone()  # the first read rolls a hot one back
    finally:
        conn.close()
    undone = not journal.exists()
    if undone:
        log.warning("undid a write to %s that was cut short (its rollback journal)", path)
    return undone


def check_can_open(path: Path) -> str | None:
    """Refuse, before anything is written, a file that is not ours or is newer than this app."""
    undo_interrupted_write(path)
    if path.exists() and path.is_file() and path.stat().st_size == 0:
        _refuse_emptied(path)
    revision, has_tables = schema_state(path)
    if revision is None and has_tables:
        raise StorageError(
            f"{path} is not an Observe database; choose another data folder "
            "(--data-dir) or move that file away. It was left untouched."
        )
    if revision is not None and revision != HEAD and revision not in known_revisions():
        raise StorageError(
            f"{path} was written by a newer version of Observe (schema {revision}); "
            "install that version to open it. The database was left untouched."
        )
    return revision


def upgrade(db: Database, backup_folder: Path, revision: str | None) -> bool:
    """Migrate from `revision` to the newest schema; True if anything ran. Backs up first."""
    if revision == HEAD:
        return False
    from alembic import command

    from observe_app.storage import backup

    head = head_revision()
    if revision is not None:
        saved = backup.take_backup(db.path, backup_folder, reason=f"before-migration-{revision}")
        log.info("backed up %s to %s before migrating", db.path, saved)
    try:
        run_migrations(db, command.upgrade, "head")
    except Exception as exc:
        known = faults.translate(exc, what=None)
        if known is None:
            raise  # a bug: the crash dialog, with the log (the run was undone all the same)
        what = "Creating the database" if revision is None else (
            f"Updating the database from schema {revision} to {head}")
        known.args = (f"{known}. {what} was stopped and undone: the database is as it was and "
                      "nothing was lost; start Observe again once that is put right",)
        if known is exc:
            raise
        raise known from exc
    log.info("migrated %s from %s to %s", db.path, revision, head)
    return True


def run_migrations(db: Database, step: Callable[[Config, str], None], target: str) -> None:
    """Run Alembic's `step` (upgrade or downgrade) to `target` in one SQLite transaction.

    The whole run commits or none of it does: a run cut short (killed, a failing statement,
    a full disk) leaves the file at the revision it had. Python's sqlite3 driver, left to
    itself, opens a transaction only before INSERT/UPDATE/DELETE, so every CREATE, DROP and
    ALTER before the first of those committed on its own (a killed first start left half a
    schema; a killed upgrade left 0002's search tables under revision 0001). Here the driver
    is told to stay out of it (isolation_level None) and BEGIN IMMEDIATE is sent by hand:
    SQLite's DDL is transactional, and the write lock is held from the start.

    Foreign keys are off while it runs: batch mode rebuilds a table by dropping the old one,
    which with foreign keys on would delete every row that points at it (all of a note's tags,
    say). The keys are checked before the transaction commits; a broken one undoes it all.
    """
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")  # only takes effect outside a transaction
        conn.commit()
        raw = conn.connection.dbapi_connection
        assert raw is not None
        raw.isolation_level = None  # type: ignore[attr-defined]  # no implicit BEGIN or COMMIT
        try:
            with conn.begin():  # commits (or rolls back) through the driver: COMMIT / ROLLBACK
                conn.exec_driver_sql("BEGIN IMMEDIATE")
                config = alembic_config()
                config.attributes["connection"] = conn
                step(config, target)
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise StorageError(
                        f"a schema change would leave {len(broken)} rows of {broken[0][0]} "
                        "pointing at nothing; nothing was changed. Please report this.")
        finally:
            if raw.in_transaction:  # type: ignore[attr-defined]
                raw.rollback()  # the COMMIT itself failed: nothing of it may be committed below
            raw.isolation_level = ""  # type: ignore[attr-defined]  # as the rest of the app has it
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
            conn.commit()


def in_migration_transaction(connection: Connection) -> bool:
    """Whether `connection` is inside run_migrations' own SQLite transaction (env.py asks)."""
    raw = connection.connection.dbapi_connection
    return bool(raw is not None and raw.in_transaction  # type: ignore[attr-defined]
                and raw.isolation_level is None)  # type: ignore[attr-defined]
