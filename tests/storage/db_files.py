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
