"""Which tables travel in observation packages, and how their rows hang together.

Derived from the models, so a column added to a synced table travels without a change here
(its migration must also recreate that table's stamping triggers: tests/exchange checks).
Protocols do not travel as rows: a package carries the documents of the versions it uses,
and a version's and its items' ids are made from its content (`protocol_ids`), so the same
protocol has the same ids on every laptop.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from sqlalchemy import Table as SATable
from sqlalchemy import UniqueConstraint

from observe_app.domain.models import Base

# Parents before children: the order rows are added in.
SYNCED = ("people", "cycles", "cycle_co_observers", "goals", "feedback_items", "observations",
          "pauses", "notes", "note_tags", "item_responses", "timer_runs", "interval_records",
          "visit_seatings", "contributions", "visit_ratings", "ratings", "rating_evidence",
          "feedback_evidence", "goal_cycles")
# Columns kept by this laptop for itself: derived by triggers, bookkeeping of the index, or
# where a row came from.
LOCAL_COLUMNS = {"cycles": ("filed_at",), "notes": ("search_indexed",),
                 "observations": ("recorded_here",), "visit_seatings": ("chart_id", "labels")}
# What a row received from another laptop gets in this laptop's own columns (the rest take
# their defaults).
RECEIVED = {"observations": {"recorded_here": 0}}
PROTOCOL_TABLES = ("protocols", "protocol_versions", "protocol_items")
KEY_SEPARATOR = "|"


@dataclass(frozen=True)
class Reference:
    column: str
    table: str
    on_delete: str  # CASCADE (the row belongs to it), SET NULL or RESTRICT

    @property
    def owner(self) -> bool:
        return self.on_delete == "CASCADE" and self.table in SYNCED


@dataclass(frozen=True)
class SyncedTable:
    name: str
    key: tuple[str, ...]
    columns: tuple[str, ...]  # every travelling column, key first
    references: tuple[Reference, ...]
    unique: tuple[tuple[str, ...], ...]  # natural keys other than the primary key

    @property
    def fields(self) -> tuple[str, ...]:
        """The columns that can change after the row is made, each with its own stamp."""
        return tuple(c for c in self.columns if c not in self.key)

    @property
    def owners(self) -> tuple[Reference, ...]:
        return tuple(r for r in self.references if r.owner)

    def row_id(self, row: dict) -> str:
        return KEY_SEPARATOR.join(str(row[k]) for k in self.key)

    def key_sql(self, alias: str) -> str:
        """The row id in SQL, for triggers (`new.note_id || '|' || new.item_id`)."""
        return f" || '{KEY_SEPARATOR}' || ".join(f"{alias}.{k}" for k in self.key)


def _describe(table: SATable) -> SyncedTable:
    local = LOCAL_COLUMNS.get(table.name, ())
    key = tuple(c.name for c in table.primary_key.columns)
    columns = key + tuple(c.name for c in table.columns if c.name not in key + local)
    references = tuple(sorted(
        (Reference(fk.parent.name, fk.column.table.name, (fk.ondelete or "NO ACTION").upper())
         for fk in table.foreign_keys), key=lambda r: r.column))
    unique = tuple(tuple(c.name for c in u.columns) for u in table.constraints
                   if isinstance(u, UniqueConstraint))
    return SyncedTable(table.name, key, columns, references, unique)


@cache
def synced_tables() -> dict[str, SyncedTable]:
    return {name: _describe(Base.metadata.tables[name]) for name in SYNCED}


@cache
def kept_by_reference() -> frozenset[str]:
    """Tables whose rows other rows refer to without owning them (a cycle's teacher, a goal's
    cycle): such a row stays while a row shown refers to it."""
    return frozenset(r.table for t in synced_tables().values() for r in t.references
                     if r.table in SYNCED and not r.owner)


def children_of(table: str) -> list[tuple[SyncedTable, Reference]]:
    """The tables whose rows belong to a row of `table` (deleted with it)."""
    return [(t, r) for t in synced_tables().values() for r in t.owners if r.table == table]
