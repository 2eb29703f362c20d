"""Is a database's schema exactly the one Observe's migrations make at its revision?

The reference is an empty database migrated to that revision with the app's own migrations,
built once per revision per process in a temporary folder. Two schemas are compared by their
`sqlite_master` rows (SQL with whitespace normalised) and by what SQLite makes of them
(`table_xinfo`, `index_list`, `index_xinfo`): a dropped table, column or index, a changed
constraint, or a trigger or view the app did not make is named as the first difference.
"""

from __future__ import annotations

import re
import sqlite3
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# SQLite's own statistics tables (ANALYZE); not the app's, harmless, dropped on restore.
SQLITE_STATS = frozenset({"sqlite_stat1", "sqlite_stat4"})
# The full-text search indexes of migration 0002 (each with four shadow tables).
SEARCH_INDEXES = ("notes_fts", "feedback_fts", "cycles_fts")

_SPACE_AROUND = re.compile(r"\s*([(),])\s*")
_QUOTED_NAME = re.compile(r'"([A-Za-z_][A-Za-z0-9_]*)"')
# Alembic's proxies are module globals: one migration at a time in this process.
MIGRATION_LOCK = threading.RLock()
_references: dict[str, Schema] = {}


def normalise_sql(sql: str | None) -> str:
    """The statement with runs of white space made one space, none around ( ) and , and
    plain names unquoted (a table rebuilt by a migration comes back as `CREATE TABLE "notes"`)."""
    if sql is None:
        return ""
    return _QUOTED_NAME.sub(r"\1", _SPACE_AROUND.sub(r"\1", " ".join(sql.split())))


@dataclass(frozen=True)
class Schema:
    """What a database is made of, in `sqlite_master` order."""

    # (type, name) -> (table it belongs to, normalised SQL)
    objects: dict[tuple[str, str], tuple[str, str]]
    # table -> its columns: (name, declared type, not null, default, pk, hidden)
    columns: dict[str, tuple[tuple[object, ...], ...]]
    # table -> its indexes: (name, unique, origin, partial), sorted by name
    indexes: dict[str, tuple[tuple[object, ...], ...]]
    # index -> its key and auxiliary columns: (seqno, cid, name, desc, collation, key)
    index_columns: dict[str, tuple[tuple[object, ...], ...]]

    def tables(self) -> list[str]:
        return [name for (kind, name) in self.objects if kind == "table"]


def read_schema(conn: sqlite3.Connection) -> Schema:
    """The schema of an open database; raises sqlite3.Error if SQLite cannot make sense of it."""
    objects: dict[tuple[str, str], tuple[str, str]] = {}
    for kind, name, table, sql in conn.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY rowid"):
        objects[(str(kind), str(name))] = (str(table), normalise_sql(sql))
    columns: dict[str, tuple[tuple[object, ...], ...]] = {}
    indexes: dict[str, tuple[tuple[object, ...], ...]] = {}
    index_columns: dict[str, tuple[tuple[object, ...], ...]] = {}
    for kind, name in objects:
        if kind != "table" or name in SQLITE_STATS:
            continue
        quoted = _quote(name)
        columns[name] = tuple(tuple(r[1:]) for r in conn.execute(f"PRAGMA table_xinfo({quoted})"))
        listed = sorted(tuple(r[1:]) for r in conn.execute(f"PRAGMA index_list({quoted})"))
        indexes[name] = tuple(listed)
        for index in listed:
            index_columns[str(index[0])] = tuple(
                tuple(r) for r in conn.execute(f"PRAGMA index_xinfo({_quote(str(index[0]))})"))
    return Schema(objects, columns, indexes, index_columns)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def reference_schema(revision: str) -> Schema:
    """The schema the app's migrations make at `revision` (built once per process)."""
    with MIGRATION_LOCK:
        if revision not in _references:
            _references[revision] = _build_reference(revision)
        return _references[revision]


def _build_reference(revision: str) -> Schema:
    from alembic import command

    from observe_app.storage.engine import Database
    from observe_app.storage.migrate import run_migrations

    with tempfile.TemporaryDirectory(prefix="observe-schema-") as folder:
        db = Database(Path(folder) / "reference.db")
        try:
            run_migrations(db, command.upgrade, revision)
        finally:
            db.close()
        conn = sqlite3.connect(Path(folder) / "reference.db")
        try:
            return read_schema(conn)
        finally:
            conn.close()


def _what(kind: str, name: str, table: str) -> str:
    if kind == "table" and name.startswith(SEARCH_INDEXES):
        return f"the search index table {name}"
    if kind in ("index", "trigger"):
        return f"the {kind} {name} on {table}"
    return f"the {kind} {name}"


def schema_problem(actual: Schema, reference: Schema, revision: str) -> str | None:
    """The first way `actual` differs from `reference`, as a clause; None if they are equal."""
    made = f"Observe's schema {revision}"
    for (kind, name), (table, _sql) in reference.objects.items():
        if (kind, name) not in actual.objects:
            return f"{_what(kind, name, table)} is missing (it is part of {made})"
    for (kind, name), (table, _sql) in actual.objects.items():
        if (kind, name) in reference.objects or (kind == "table" and name in SQLITE_STATS):
            continue
        return f"it has {_what(kind, name, table)}, which Observe did not make"
    for table in reference.tables():
        problem = _table_problem(table, actual, reference)
        if problem:
            return problem
    for (kind, name), (table, sql) in reference.objects.items():
        if actual.objects[(kind, name)] != (table, sql):
            return f"{_what(kind, name, table)} is not defined as in {made}"
    return None


def _first_difference(want: dict[Any, Any], have: dict[Any, Any]) -> tuple[str, Any] | None:
    """("missing" | "extra" | "changed", name) for the first way `have` differs from `want`."""
    for name in want:
        if name not in have:
            return "missing", name
    for name in have:
        if name not in want:
            return "extra", name
    for name, value in want.items():
        if have[name] != value:
            return "changed", name
    return None


def _table_problem(table: str, actual: Schema, reference: Schema) -> str | None:
    want = {c[0]: c for c in reference.columns[table]}
    found = _first_difference(want, {c[0]: c for c in actual.columns.get(table, ())})
    if found is not None:
        how, name = found
        return {"missing": f"table {table} has no column {name}",
                "extra": f"table {table} has a column {name} that Observe did not make",
                "changed": f"column {table}.{name} is not as Observe made it (type, NOT NULL, "
                           "default or key differ)"}[how]
    if [c[0] for c in actual.columns[table]] != list(want):
        return f"the columns of table {table} are not in Observe's order"

    def indexes(schema: Schema) -> dict[Any, Any]:
        return {i[0]: (i, schema.index_columns.get(str(i[0])))
                for i in schema.indexes.get(table, ())}

    found = _first_difference(indexes(reference), indexes(actual))
    if found is not None:
        how, name = found
        return {"missing": f"the index {name} on {table} is missing",
                "extra": f"it has an index {name} on {table} that Observe did not make",
                "changed": f"the index {name} on {table} is not as Observe made it"}[how]
    return None
