"""Migrations make exactly the models' schema; newer or foreign databases are left untouched."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine

from observe_app.domain.models import Base
from observe_app.errors import StorageError
from observe_app.storage import migrate
from observe_app.storage.opening import open_database
from observe_app.storage.paths import backup_dir, database_path


def _schema(path: Path) -> dict[str, object]:
    """Tables with their columns, indexes and foreign keys, as SQLite itself reports them."""
    conn = sqlite3.connect(path)
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
                "AND name != 'alembic_version' ORDER BY name"
            )
            if not migrate.is_search_index(r[0])
        ]
        out: dict[str, object] = {}
        for t in tables:
            columns = [
                (r[1], r[2].upper(), r[3], r[5]) for r in conn.execute(f"PRAGMA table_info('{t}')")
            ]
            indexes = sorted(
                (r[1], r[2], tuple(c[2] for c in conn.execute(f"PRAGMA index_info('{r[1]}')")))
                for r in conn.execute(f"PRAGMA index_list('{t}')")
            )
            fks = sorted(tuple(r[2:7]) for r in conn.execute(f"PRAGMA foreign_key_list('{t}')"))
            out[t] = (columns, indexes, fks)
        return out
    finally:
        conn.close()


def test_migrations_produce_the_models_schema(tmp_path: Path) -> None:
    migrated = tmp_path / "migrated"
    open_database(migrated).close()
    created = tmp_path / "created.db"
    engine = create_engine(f"sqlite:///{created}")
    Base.metadata.create_all(engine)
    engine.dispose()
    assert _schema(database_path(migrated)) == _schema(created)


def test_autogenerate_finds_nothing_to_change(tmp_path: Path) -> None:
    db = open_database(tmp_path)
    with db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"include_object": migrate.include_object})
        diff = compare_metadata(context, Base.metadata)
    db.close()
    assert diff == []


def test_database_is_at_head_after_opening(tmp_path: Path) -> None:
    db = open_database(tmp_path)
    with db.engine.connect() as conn:
        assert migrate.current_revision(conn) == migrate.head_revision()
    db.close()


def test_pragmas_are_set(db) -> None:  # type: ignore[no-untyped-def]
    with db.engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert raw.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert raw.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_newer_schema_is_refused_and_left_untouched(tmp_path: Path) -> None:
    open_database(tmp_path).close()
    path = database_path(tmp_path)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.close()
    before = _digest(path)
    with pytest.raises(StorageError, match="newer version of Observe"):
        open_database(tmp_path)
    assert _digest(path) == before


def test_foreign_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = database_path(tmp_path)
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.close()
    before = _digest(path)
    with pytest.raises(StorageError, match="not an Observe database"):
        open_database(tmp_path)
    assert _digest(path) == before


NEXT_REVISION = """
from alembic import op
import sqlalchemy as sa

revision = "0999_test"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("people") as batch:
        batch.add_column(sa.Column("nickname", sa.String(50), nullable=True))


def downgrade():
    with op.batch_alter_table("people") as batch:
        batch.drop_column("nickname")
"""


def test_backup_is_taken_before_migrating(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    db = open_database(data)
    with db.transaction() as s:
        from observe_app.services import people

        people.add_person(s, "Aino Mäkelä")
    db.close()
    scripts = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS, scripts)
    head = migrate.head_revision()
    (scripts / "versions" / "0999_test.py").write_text(NEXT_REVISION.format(head=head))
    monkeypatch.setattr(migrate, "MIGRATIONS", scripts)
    monkeypatch.setattr(migrate, "HEAD", "0999_test")

    open_database(data).close()

    saved = list(backup_dir(data).glob(f"observe-*-before-migration-{head}.db"))
    assert len(saved) == 1
    with sqlite3.connect(saved[0]) as old:
        assert old.execute("SELECT version_num FROM alembic_version").fetchone()[0] == head
        assert old.execute("SELECT name FROM people").fetchone()[0] == "Aino Mäkelä"
    old.close()
    with sqlite3.connect(database_path(data)) as new:
        assert new.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0999_test"
        assert new.execute("SELECT name, nickname FROM people").fetchone() == ("Aino Mäkelä", None)
    new.close()


def test_head_constant_matches_the_newest_migration() -> None:
    assert migrate.head_revision() == migrate.HEAD


def test_the_log_is_checkpointed_at_quiet_moments_not_mid_lesson(db) -> None:  # type: ignore[no-untyped-def]
    with db.engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        assert raw.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 4000
    with db.transaction() as s:
        from observe_app.services import people

        people.add_person(s, "Aino Mäkelä")
    wal = db.path.with_name(db.path.name + "-wal")
    assert wal.stat().st_size > 0
    db.checkpoint()
    with db.engine.connect() as conn:
        busy, log_frames, copied = conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)").one()
    assert busy == 0 and log_frames == copied  # nothing left to copy back


def test_migrating_down_and_up_keeps_every_row(demo_db) -> None:  # type: ignore[no-untyped-def]
    """Batch mode rebuilds tables: with foreign keys on, that would delete the rows pointing
    at them (a note's tags, a rating's evidence). Down to 0003 and back up keeps them all."""
    from alembic import command

    def counts() -> dict[str, int]:
        with demo_db.engine.connect() as conn:
            return {t: conn.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar_one()
                    for t in ("notes", "note_tags", "rating_evidence", "ratings")}

    before = counts()
    assert before["note_tags"] > 0 and before["rating_evidence"] > 0
    migrate.run_migrations(demo_db, command.downgrade, "0003")
    assert counts() == before
    migrate.run_migrations(demo_db, command.upgrade, "head")
    assert counts() == before
    from observe_app.services import search

    with demo_db.transaction() as s:
        assert search.search(s, "học sinh")  # the index still follows the notes
