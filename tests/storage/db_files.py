"""Database files the storage tests make: a copy of a good one with some SQL run on it."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path


def changed_copy(source: Path, target: Path, *statements: str) -> Path:
    """`source` copied to `target`, then `statements` run on the copy (autocommit)."""
    shutil.copyfile(source, target)
    conn = sqlite3.connect(target, isolation_level=None)
    try:
        for statement in statements:
            conn.execute(statement)
    finally:
        conn.close()
    return target


def dropping_column(table: str, column: str) -> list[str]:
    """The statements that drop a column: SQLite refuses to while a trigger names it, so the
    change-stamping triggers of its table (as the latest migration made them) go first and
    come back after."""
    import importlib

    made = importlib.import_module(
        "observe_app.storage.migrations.versions.0010_participation")
    if table not in made.TABLES:
        return [f"ALTER TABLE {table} DROP COLUMN {column}"]
    triggers = made.triggers(table)
    return ([f"DROP TRIGGER {name}" for name in triggers]
            + [f"ALTER TABLE {table} DROP COLUMN {column}"]
            + [f"CREATE TRIGGER {name} {body}" for name, body in triggers.items()])
