"""A package's rows with student names replaced in every free-text column.

Free text is every Text column of a table that travels (notes, prompt answers, focus,
feedback, reflections, comments, goals), derived from the models so a column added later is
covered too, and the few short String columns a person writes sentences in (a next step's
owner). A replaced value travels with REDACTED_STAMP, older than any edit: it fills a row a
laptop does not have, and never replaces a value a laptop has (exchange/merge.py `_newer`),
not the real text on the sender when the package comes back, nor on a third laptop that has
it; an edit made over it later is an edit like any other.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache

from sqlalchemy import Text

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


# Wall time 0 and no laptop's replica: the stamp check accepts it, every real stamp is newer.
REDACTED_STAMP = f"{0:013d}.{0:08d}.{'0' * 32}"


def redacted_rows(rows: list[RowState], redactor: Redactor | None) -> list[RowState]:
    """The rows with the redactor's names replaced (the same rows without a redactor)."""
    if not redactor:
        return rows
    out = []
    for row in rows:
        changed = {column: new for column, value in _texts(row)
                   if (new := redactor.redact(value)) != value}
        if not changed:
            out.append(row)
            continue
        stamps = {**row.stamps, **dict.fromkeys(changed, REDACTED_STAMP)}
        bases = {k: v for k, v in row.bases.items() if k not in changed}
        out.append(RowState(row.table, {**row.values, **changed}, stamps, row.deleted, bases))
    return out
