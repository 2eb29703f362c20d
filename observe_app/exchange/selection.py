"""What a package holds: the chosen cycles with everything that belongs to them (visits,
notes, tags, responses, ratings, feedback, goal progress, deleted ones too, so the delete
travels), every row they refer to (the teacher, the observer, a goal), and the documents of
the protocol versions they use. What stays on this laptop is left out with everything it
owns: a co-observer's visit not handed in yet, and private notes."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from observe_app.exchange.state import (
    RowState,
    archived_rows,
    attach_stamps,
    chunks,
    live_rows,
    states_by_id,
)
from observe_app.exchange.tables import SYNCED, synced_tables
from observe_app.services import co_observation


@dataclass(frozen=True)
class Chosen:
    cycles: tuple[str, ...] = ()
    people: tuple[str, ...] = ()  # sent whole: with their goals
    everything: bool = False


def of_cycles(session: Session, cycle_ids: list[str]) -> Chosen:
    return Chosen(cycles=tuple(cycle_ids))


def of_teacher(session: Session, teacher_id: str) -> Chosen:
    conn = session.connection()
    spec = synced_tables()["cycles"]
    cycles = [r["id"] for r in live_rows(conn, spec, "teacher_id", [teacher_id])]
    cycles += [r["id"] for r in archived_rows(conn, spec, "teacher_id", [teacher_id])]
    return Chosen(cycles=tuple(cycles), people=(teacher_id,))


def everything(session: Session) -> Chosen:
    return Chosen(everything=True)


@dataclass
class _Collected:
    rows: dict[str, dict[str, RowState]] = field(default_factory=dict)

    def add(self, table: str, values: dict[str, Any]) -> None:
        state = RowState(table, values)
        self.rows.setdefault(table, {}).setdefault(state.row_id, state)

    def ids(self, table: str) -> list[str]:
        return list(self.rows.get(table, {}))


def read_states(session: Session, chosen: Chosen) -> list[RowState]:
    conn = session.connection()
    collected = _Collected()
    if chosen.everything:
        for name in SYNCED:
            spec = synced_tables()[name]
            for row in conn.exec_driver_sql(f"SELECT {', '.join(spec.columns)} FROM {name}"):
                collected.add(name, dict(zip(spec.columns, row, strict=True)))
            for values in archived_rows(conn, spec):
                collected.add(name, values)
    else:
        _roots(conn, collected, chosen)
        _descend(conn, collected, set(chosen.people))
        _close_references(conn, collected)
    _withhold(conn, collected)
    states: list[RowState] = []
    for name in SYNCED:
        rows = collected.rows.get(name, {})
        attach_stamps(conn, name, rows)
        states.extend(rows.values())
    return states


def _withhold(conn: Connection, collected: _Collected) -> None:
    """Leave out the rows that stay on this laptop, each with everything that belongs to it
    (a note's tags, the links that use it as evidence), live or deleted: a deleted row
    travels as its archived values, text and all."""
    gone = _unsent_visits(conn, collected)
    gone["notes"] = _private_notes(conn, collected)
    for name in SYNCED:  # parents before children: a row goes with the row that owns it
        spec = synced_tables()[name]
        rows = collected.rows.get(name, {})
        for row_id, state in list(rows.items()):
            if row_id in gone.get(name, set()) or any(
                    state.values.get(owner.column) in gone.get(owner.table, set())
                    for owner in spec.owners):
                gone.setdefault(name, set()).add(row_id)
                del rows[row_id]


def _private_notes(conn: Connection, collected: _Collected) -> set[str]:
    """Notes marked private never leave (services/notes.set_private)."""
    marked = {n for n, in conn.exec_driver_sql("SELECT note_id FROM private_notes")}
    return marked & set(collected.rows.get("notes", {}))


def _unsent_visits(conn: Connection, collected: _Collected) -> dict[str, set[str]]:
    """A visit of a co-observed lesson leaves this laptop only once handed in, and with it
    everything that belongs to it (notes, tags, responses, its observer's ratings): a
    co-observer never receives a record its observer could still change, or see before
    handing in their own (services/co_observation.py)."""
    visits = collected.rows.get("observations", {})
    cycles = set(collected.rows.get("cycles", {})) | {
        s.values["cycle_id"] for s in visits.values()}
    co_observed = _co_observed(conn, cycles)
    withheld = {row_id for row_id, state in visits.items()
                if state.values["handed_in_at"] is None
                and state.values["cycle_id"] in co_observed}
    # Until every observer's visit is in, the cycle's own judgments stay too: its ratings
    # and feedback would show one observer's levels to another.
    not_open = {c for c in co_observed if not co_observation.lesson_is_open(conn, c)}
    judged = {name: {row_id for row_id, state in collected.rows.get(name, {}).items()
                     if state.values["cycle_id"] in not_open}
              for name in ("ratings", "feedback_items")}
    return {"observations": withheld, **judged}


def _co_observed(conn: Connection, cycle_ids: set[str]) -> set[str]:
    found: set[str] = set()
    for batch in chunks(sorted(cycle_ids)):
        found.update(c for c, in conn.exec_driver_sql(
            f"SELECT DISTINCT cycle_id FROM cycle_co_observers WHERE cycle_id IN "
            f"({', '.join('?' * len(batch))})", tuple(batch)))
    return found


def _roots(conn: Connection, collected: _Collected, chosen: Chosen) -> None:
    for table, ids in (("cycles", chosen.cycles), ("people", chosen.people)):
        found, _ = states_by_id(conn, table, ids)
        for state in found.values():
            collected.add(table, state.values)


def _descend(conn: Connection, collected: _Collected, whole_people: set[str]) -> None:
    """Everything that belongs to what is collected, parents before children (SYNCED's
    order); of people, only those sent whole bring their own rows (goals)."""
    for name in SYNCED:
        spec = synced_tables()[name]
        for owner in spec.owners:
            parents = collected.ids(owner.table)
            if owner.table == "people":
                parents = [p for p in parents if p in whole_people]
            if not parents:
                continue
            for values in live_rows(conn, spec, owner.column, parents):
                collected.add(name, values)
            for values in archived_rows(conn, spec, owner.column, parents):
                collected.add(name, values)


def _close_references(conn: Connection, collected: _Collected) -> None:
    """Add every row a collected row points at (its teacher, observer, a goal), and what
    those point at, until nothing is missing: a package never refers outside itself."""
    while True:
        missing: dict[str, set[str]] = {}
        for name, rows in collected.rows.items():
            for ref in synced_tables()[name].references:
                if ref.table not in SYNCED:
                    continue
                have = collected.rows.get(ref.table, {})
                for state in rows.values():
                    target = state.values.get(ref.column)
                    if target is not None and target not in have:
                        missing.setdefault(ref.table, set()).add(target)
        if not missing:
            return
        for table, ids in missing.items():
            found, _ = states_by_id(conn, table, ids)
            if not found:  # only a damaged database refers to rows it lacks: stop there
                return
            for state in found.values():
                collected.add(table, state.values)


def protocol_documents(session: Session, rows: list[RowState]) -> list[dict[str, Any]]:
    """The protocol versions the rows use, as documents with their content ids."""
    conn = session.connection()
    versions = {r.values["protocol_version_id"] for r in rows if r.table == "cycles"}
    items = {r.values["item_id"] for r in rows if "item_id" in r.values}
    for batch in chunks(items):
        versions.update(v for v, in conn.exec_driver_sql(
            f"SELECT DISTINCT version_id FROM protocol_items WHERE id IN "
            f"({', '.join('?' * len(batch))})", tuple(batch)))
    documents = []
    for batch in chunks(sorted(versions)):
        for vid, builtin, document in conn.exec_driver_sql(
                "SELECT v.id, p.builtin, v.document FROM protocol_versions v "
                "JOIN protocols p ON p.id = v.protocol_id WHERE v.id IN "
                f"({', '.join('?' * len(batch))}) ORDER BY v.id", tuple(batch)):
            documents.append({"version_id": vid, "builtin": bool(builtin),
                              "document": json.loads(document)})
    return documents
