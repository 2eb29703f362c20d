"""Bring a database to the app's schema with Alembic, after a backup, or refuse to touch it."""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from observe_app.errors import StorageError
from observe_app.storage import backup
from observe_app.storage.engine import Database

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    return {r.revision for r in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def schema_state(db: Database) -> tuple[str | None, bool]:
    """The database's revision and whether it holds any tables at all."""
    with db.engine.connect() as conn:
        return current_revision(conn), bool(inspect(conn).get_table_names())


def upgrade(db: Database, backup_folder: Path) -> bool:
    """Migrate to the newest schema; returns True if anything ran. Backs up first."""
    script = ScriptDirectory.from_config(alembic_config())
    revision, has_tables = schema_state(db)
    if revision is None and has_tables:
        raise StorageError(
            f"{db.path} is not an Observe database; choose another data folder "
            "(--data-dir) or move that file away. It was left untouched."
        )
    if revision is not None and revision not in known_revisions():
        raise StorageError(
            f"{db.path} was written by a newer version of Observe (schema {revision}); "
            "install that version to open it. The database was left untouched."
        )
    head = script.get_current_head()
    if revision == head:
        return False
    if revision is not None:
        saved = backup.take_backup(db.path, backup_folder, reason=f"before-migration-{revision}")
        log.info("backed up %s to %s before migrating", db.path, saved)
    with db.engine.begin() as conn:
        config = alembic_config()
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    log.info("migrated %s from %s to %s", db.path, revision, head)
    return True
