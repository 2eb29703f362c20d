"""A row as it travels and merges: its values, when each field last changed, and whether it
was deleted. Values are SQLite's own (times as text, flags as 0/1, JSON as text)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from observe_app.exchange.tables import SyncedTable, synced_tables

NEVER = ""  # the stamp of a value never changed since the row was made: older than any edit
CHUNK = 500  # ids per IN (...): well under SQLite's limit on variables


@dataclass
class RowState:
    table: str
    values: dict[str, Any]
    stamps: dict[str, str] = field(default_factory=dict)
    deleted: tuple[int, str] | None = None  # (alive, stamp) of its last delete or restore
    # Per stamped field, the other laptop's stamp the edit was made over ("" or missing: none).
    bases: dict[str, str] = field(default_factory=dict)

    @property
    def spec(self) -> SyncedTable:
        return synced_tables()[self.table]

    @property
    def row_id(self) -> str:
        return self.spec.row_id(self.values)

    def stamp(self, field_name: str) -> str:
        return self.stamps.get(field_name, NEVER)

    def newest_edit(self) -> str:
        return max(self.stamps.values(), default=NEVER)

    def alive(self) -> bool:
        """A delete loses to any later edit; a row never deleted is alive."""
        if self.deleted is None:
            return True
        alive, stamp = self.deleted
        return bool(alive) or self.newest_edit() > stamp

    def as_json(self) -> dict[str, Any]:
        record: dict[str, Any] = {"t": self.table, "v": self.values}
        if self.stamps:
            record["s"] = self.stamps
        if any(self.bases.values()):
            record["b"] = {f: b for f, b in self.bases.items() if b}
        if self.deleted is not None:
            record["d"] = list(self.deleted)
        return record


def chunks(ids: Iterable[str]) -> Iterator[list[str]]:
    batch: list[str] = []
    for one in ids:
        batch.append(one)
        if len(batch) == CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


def _marks(n: int) -> str:
    return ", ".join("?" * n)


def live_rows(conn: Connection, spec: SyncedTable, column: str,
              values: Iterable[str]) -> list[dict[str, Any]]:
    """Rows of `spec` in their table whose `column` is one of `values`."""
    names = ", ".join(spec.columns)
    found = []
    raw = _cursor(conn)  # thousands of rows: SQLAlchemy's rows cost more than the query
    for batch in chunks(values):
        for row in raw.execute(
                f"SELECT {names} FROM {spec.name} WHERE {column} IN ({_marks(len(batch))})",
                tuple(batch)):
            found.append(dict(zip(spec.columns, row, strict=True)))
    return found


def _cursor(conn: Connection) -> Any:
    """The sqlite3 connection under `conn`, in its transaction, for reading many rows."""
    return conn.connection.dbapi_connection


def archived_rows(conn: Connection, spec: SyncedTable, column: str | None = None,
                  values: Iterable[str] = ()) -> list[dict[str, Any]]:
    """Rows of `spec` kept in the archive (deleted, or gone with their cycle): all of them,
    or those whose `column` (the row id when "row_id") is one of `values`."""
    found: list[dict[str, Any]] = []
    base = "SELECT row_json FROM sync_archive WHERE tbl = ?"
    if column is None:
        found.extend(_values(spec, r) for r, in conn.exec_driver_sql(base, (spec.name,)))
        return found
    where = "row_id" if column == "row_id" else f"json_extract(row_json, '$.{column}')"
    for batch in chunks(values):
        found.extend(_values(spec, r) for r, in conn.exec_driver_sql(
            f"{base} AND {where} IN ({_marks(len(batch))})", (spec.name, *batch)))
    return found


def _values(spec: SyncedTable, row_json: str) -> dict[str, Any]:
    stored = json.loads(row_json)
    # A column added after the row was archived reads as missing: NULL, as SQLite adds it.
    return {c: stored.get(c) for c in spec.columns}


def attach_stamps(conn: Connection, table: str, rows: dict[str, RowState]) -> None:
    """Fill in the stamps and delete records of `rows` (by row id) from this database."""
    for batch in chunks(rows):
        marks = _marks(len(batch))
        for row_id, field_name, stamp, base in conn.exec_driver_sql(
                f"SELECT row_id, field, stamp, base FROM sync_stamps WHERE tbl = ? AND row_id "
                f"IN ({marks})", (table, *batch)):
            rows[row_id].stamps[field_name] = stamp
            if base:
                rows[row_id].bases[field_name] = base
        for row_id, alive, stamp in conn.exec_driver_sql(
                f"SELECT row_id, alive, stamp FROM sync_deleted WHERE tbl = ? AND row_id IN "
                f"({marks})", (table, *batch)):
            rows[row_id].deleted = (alive, stamp)


def states_by_id(conn: Connection, table: str, row_ids: Iterable[str]
                 ) -> tuple[dict[str, RowState], set[str]]:
    """The rows with these ids here, live or archived, with their stamps; and which of them
    are live (in their table)."""
    spec = synced_tables()[table]
    ids = list(dict.fromkeys(row_ids))
    found: dict[str, RowState] = {}
    live: set[str] = set()
    if len(spec.key) == 1:
        rows = live_rows(conn, spec, spec.key[0], ids)
    else:  # link rows: read by their first column, keep the ones asked for
        wanted = set(ids)
        rows = [r for r in live_rows(conn, spec, spec.key[0],
                                     {i.split("|", 1)[0] for i in ids})
                if spec.row_id(r) in wanted]
    for values in rows:
        state = RowState(table, values)
        found[state.row_id] = state
        live.add(state.row_id)
    for values in archived_rows(conn, spec, "row_id", [i for i in ids if i not in found]):
        state = RowState(table, values)
        found[state.row_id] = state
    attach_stamps(conn, table, found)
    return found, live
