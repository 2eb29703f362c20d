"""A package's rows with student names replaced in every free-text column.

Free text is every Text column of a table that travels (notes, prompt answers, focus,
feedback, reflections, comments, goals), derived from the models so a column added later is
covered too, and the few short String columns a person writes sentences in (a next step's
owner). A replaced value travels without its field stamp: it is older than any edit, so
it never wins over the real text on a laptop that has it. When the real text has no stamp
either (written once, never edited), the sender stamps it now (`stamp_originals`): equal
stamps are ordered by value, and "Student A" could otherwise win when the package comes back.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache

from sqlalchemy import Text
from sqlalchemy.orm import Session

from observe_app.domain.models import Base
from observe_app.exchange.state import RowState
from observe_app.exchange.tables import SYNCED
from observe_app.services.redaction import Redactor

# Short free text kept in String columns (names of people, subjects and rooms are not).
FREE_STRINGS = {"feedback_items": ("owner",)}


@cache
def free_text_columns() -> dict[str, tuple[str, ...]]:
    """Table -> its free-text columns, for every table that travels."""
    found = {}
    for name in SYNCED:
        columns = tuple(c.name for c in Base.metadata.tables[name].columns
                        if isinstance(c.type, Text) or c.name in FREE_STRINGS.get(name, ()))
        if columns:
            found[name] = columns
    return found


def _texts(row: RowState) -> Iterator[tuple[str, str]]:
    for column in free_text_columns().get(row.table, ()):
        value = row.values.get(column)
        if isinstance(value, str) and value:
            yield column, value


def row_texts(rows: Iterable[RowState]) -> Iterator[str]:
    """Every free text of the rows, in the order `redacted_rows` replaces names in them."""
    for row in rows:
        for _, value in _texts(row):
            yield value


Field = tuple[str, str, str]  # table, row id, column


def redacted_rows(rows: list[RowState], redactor: Redactor | None,
                  unstamped: list[Field] | None = None) -> list[RowState]:
    """The rows with the redactor's names replaced (the same rows without a redactor); each
    replaced field that had no stamp is added to `unstamped`."""
    if not redactor:
        return rows
    out = []
    for row in rows:
        changed = {column: new for column, value in _texts(row)
                   if (new := redactor.redact(value)) != value}
        if not changed:
            out.append(row)
            continue
        if unstamped is not None:
            unstamped += [(row.table, row.row_id, c) for c in changed if not row.stamps.get(c)]
        stamps = {k: v for k, v in row.stamps.items() if k not in changed}
        bases = {k: v for k, v in row.bases.items() if k not in changed}
        out.append(RowState(row.table, {**row.values, **changed}, stamps, row.deleted, bases))
    return out


_TICK_MS = "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)"


def stamp_originals(session: Session, fields: list[Field]) -> None:
    """Give this laptop's real text of `fields` a stamp now (one tick of the clock, as the
    stamping triggers do): newer than the unstamped replaced value a package carries."""
    if not fields:
        return
    conn = session.connection()
    conn.exec_driver_sql(
        f"UPDATE sync_replica SET wall = CASE WHEN {_TICK_MS} > wall THEN {_TICK_MS} "
        "WHEN counter >= 99999999 THEN wall + 1 ELSE wall END, "
        f"counter = CASE WHEN {_TICK_MS} > wall OR counter >= 99999999 THEN 0 "
        "ELSE counter + 1 END")
    stamp = conn.exec_driver_sql(
        "SELECT printf('%013d.%08d.%s', wall, counter, replica_id) FROM sync_replica"
    ).scalar_one()
    conn.exec_driver_sql(
        "INSERT OR IGNORE INTO sync_stamps (tbl, row_id, field, stamp, base) "
        "VALUES (?, ?, ?, ?, '')", [(t, r, f, stamp) for t, r, f in fields])
