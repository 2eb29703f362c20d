"""The values that lost a merge, in teachers' words, and putting one of them back.

Receiving a package keeps every value it replaced, and every value of the package that lost
to a newer edit here, in `sync_history` (exchange/merge.py). This lists them, newest first,
and restores one with a plain UPDATE: the triggers stamp it as a new edit here, so it wins on
the other laptops when they next receive from this one. The value a restore replaces is kept
too, so a restore can itself be undone.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Boolean, Connection, Date, DateTime
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from observe_app.domain.enums import CycleStage, GoalStatus
from observe_app.domain.formats import format_elapsed
from observe_app.domain.models import Base
from observe_app.domain.types import UTCDateTime, to_sqlite_text, utc_from_db, utc_now
from observe_app.errors import BadInputError, NotFoundError
from observe_app.exchange.preview import field_words
from observe_app.exchange.tables import KEY_SEPARATOR, synced_tables

THIS_LAPTOP = "this laptop"
EMPTY = "(empty)"
GONE = "(deleted)"
LOCAL_PACKAGE = ""  # the package id of a value a restore here replaced
SHOWN_CHARACTERS = 300  # of a long text: the dialog shows the whole value on demand
# What one row is called, by its table ("a note" in "a note in Ana Silva's visit of …").
ONE_ROW = {"pauses": "a pause", "notes": "a note", "timer_runs": "a timer run",
           "interval_records": "an interval scan", "note_tags": "a note's tag",
           "rating_evidence": "a rating's evidence",
           "feedback_evidence": "a glow, grow or next step's evidence"}
# References shown by what they point at, not by their id.
PEOPLE_COLUMNS = ("teacher_id", "observer_id", "mentor_id")
MS_COLUMNS = ("elapsed_ms", "duration_ms", "paused_ms", "started_ms")
# Bookkeeping that changes with every edit of the row: the edit itself is listed, not this.
UNLISTED = "('updated_at')"


@dataclass(frozen=True)
class HistoryEntry:
    id: int
    kept_at: dt.datetime  # when the value was put in the history (UTC)
    came_from: str  # who made the value that replaced it: the sender, or "this laptop"
    what: str  # "the cycle of Ana Silva (3 Mar 2026)", "a note in Ana Silva's visit of 3 Mar 2026"
    field: str  # in words: "reflection"
    kept: str  # the value kept, as text ("(empty)" for none)
    current: str  # the value now, the same way ("(deleted)" when the row is gone)
    can_restore: bool  # the row is still there and holds another value
    table: str
    row_id: str
    field_name: str  # the column
    cycle_id: str | None  # the cycle the row belongs to, if any


def list_history(session: Session, *, cycle_id: str | None = None) -> list[HistoryEntry]:
    """Every kept value, newest first; with `cycle_id`, only those of that cycle's rows (the
    cycle itself, its visits, notes, feedback, ratings, responses…)."""
    words = _Words(session.connection())
    entries = []
    for row in words.conn.exec_driver_sql(
            "SELECT h.id, h.tbl, h.row_id, h.field, h.value_json, h.stamp, h.kept_at, "
            "h.package_id, r.sender, h.replaced_here FROM sync_history h "
            "LEFT JOIN sync_received r ON r.package_id = h.package_id "
            f"WHERE h.field NOT IN {UNLISTED} ORDER BY h.kept_at DESC, h.id DESC"):
        hid, table, row_id, field, value_json, stamp, kept_at, package_id, sender, here = row
        if table not in synced_tables():
            continue  # a table a newer Observe syncs: nothing here can show or restore it
        if cycle_id is not None and words.cycle_of(table, row_id) != cycle_id:
            continue
        entries.append(words.entry(hid, table, row_id, field, json.loads(value_json), stamp,
                                   utc_from_db(kept_at), package_id, sender, bool(here)))
    return entries


def has_history(session: Session, cycle_id: str) -> bool:
    """Does any kept value belong to this cycle? (The cycle view shows its button then.)"""
    words = _Words(session.connection())
    return any(words.cycle_of(table, row_id) == cycle_id
               for table, row_id in words.conn.exec_driver_sql(
                   f"SELECT DISTINCT tbl, row_id FROM sync_history WHERE field NOT IN {UNLISTED}")
               if table in synced_tables())


def restore_value(session: Session, history_id: int) -> None:
    """Put the kept value back in its row (a new edit here); the value it replaces is kept."""
    conn = session.connection()
    found = conn.exec_driver_sql(
        "SELECT tbl, row_id, field, value_json FROM sync_history WHERE id = ?",
        (history_id,)).first()
    if found is None:
        raise NotFoundError(f"no kept value with id {history_id}")
    table, row_id, field, value_json = found
    spec = synced_tables().get(table)
    if spec is None or field not in spec.fields:
        raise BadInputError("that value belongs to something this version of Observe does "
                            "not know; update Observe first")
    words = _Words(conn)
    values = words.live(table, row_id)
    what = ONE_ROW.get(table, _one(table))
    if values is None:
        raise BadInputError(f"that {what.split(' ', 1)[1]} was deleted since; restore it "
                            "first")
    value = json.loads(value_json)
    if values[field] == value:
        raise BadInputError("that value is already the one in use: nothing to restore")
    stamp = conn.exec_driver_sql(
        "SELECT stamp FROM sync_stamps WHERE tbl = ? AND row_id = ? AND field = ?",
        (table, row_id, field)).scalar()
    conn.exec_driver_sql(
        "INSERT INTO sync_history (tbl, row_id, field, value_json, stamp, kept_at, "
        "package_id, replaced_here) VALUES (?, ?, ?, ?, ?, ?, ?, 0)",
        (table, row_id, field, json.dumps(values[field]), stamp or "",
         to_sqlite_text(utc_now()), LOCAL_PACKAGE))
    where = " AND ".join(f"{k} = ?" for k in spec.key)
    try:
        with session.begin_nested():
            conn.exec_driver_sql(f"UPDATE {table} SET {field} = ? WHERE {where}",
                                 (value, *row_id.split(KEY_SEPARATOR)))
    except IntegrityError:
        raise BadInputError(f"the {field_words(field)} kept there refers to something deleted "
                            "since; restore that first") from None


def _one(table: str) -> str:
    return {"people": "a person", "cycles": "a cycle", "goals": "a goal",
            "feedback_items": "a glow, grow or next step", "observations": "a visit",
            "item_responses": "a response", "ratings": "a rating",
            "goal_cycles": "a goal's progress"}.get(table, "a row")


def _day(value: object, *, short: bool = False) -> str:
    """'3 March 2026' ('3 Mar 2026' short): a stored time in local time; a date (text of 10
    characters) as it is."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        when: dt.date = value
    elif isinstance(value, str) and len(value) == 10:
        when = dt.date.fromisoformat(value)
    else:
        when = utc_from_db(value).astimezone()
    return f"{when.day} {when:%b %Y}" if short else f"{when.day} {when:%B %Y}"


class _Words:
    """Rows looked up once per listing, and put in words."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.rows: dict[tuple[str, str], tuple[dict[str, Any] | None, bool]] = {}

    # -- rows -------------------------------------------------------------------------------

    def row(self, table: str, row_id: str) -> dict[str, Any] | None:
        """The row's values, live or kept in the archive (deleted); None if unknown here."""
        key = (table, row_id)
        if key not in self.rows:
            spec = synced_tables()[table]
            where = " AND ".join(f"{k} = ?" for k in spec.key)
            found = self.conn.exec_driver_sql(
                f"SELECT {', '.join(spec.columns)} FROM {table} WHERE {where}",
                tuple(row_id.split(KEY_SEPARATOR))).first()
            if found is not None:
                self.rows[key] = (dict(zip(spec.columns, found, strict=True)), True)
            else:
                archived = self.conn.exec_driver_sql(
                    "SELECT row_json FROM sync_archive WHERE tbl = ? AND row_id = ?",
                    key).scalar()
                self.rows[key] = (json.loads(archived) if archived else None, False)
        return self.rows[key][0]

    def live(self, table: str, row_id: str) -> dict[str, Any] | None:
        values = self.row(table, row_id)
        return values if self.rows[(table, row_id)][1] else None

    def cycle_of(self, table: str, row_id: str) -> str | None:
        if table == "cycles":
            return row_id
        values = self.row(table, row_id)
        if values is None:
            return None
        if "cycle_id" in values:
            return str(values["cycle_id"])
        if "observation_id" in values:
            return self.cycle_of("observations", str(values["observation_id"]))
        if table == "note_tags":
            return self.cycle_of("notes", str(values["note_id"]))
        if table == "rating_evidence":
            return self.cycle_of("ratings", str(values["rating_id"]))
        if table == "feedback_evidence":
            return self.cycle_of("feedback_items", str(values["feedback_id"]))
        if table == "goals" and values.get("set_in_cycle_id"):
            return str(values["set_in_cycle_id"])
        return None

    # -- words ------------------------------------------------------------------------------

    def person(self, person_id: object) -> str:
        values = self.row("people", str(person_id)) if person_id else None
        return str(values["name"]) if values else "someone"

    def cycle(self, cycle_id: object) -> str:
        values = self.row("cycles", str(cycle_id))
        if values is None:
            return "a cycle"
        when = values["planned_date"] or values["created_at"]
        return f"the cycle of {self.person(values['teacher_id'])} ({_day(when, short=True)})"

    def visit(self, observation_id: object) -> str:
        values = self.row("observations", str(observation_id))
        if values is None:
            return "a visit"
        cycle = self.row("cycles", str(values["cycle_id"]))
        teacher = self.person(cycle["teacher_id"]) if cycle else "someone"
        return f"{teacher}'s visit of {_day(values['started_at'], short=True)}"

    def item(self, item_id: object) -> str | None:
        label = self.conn.exec_driver_sql("SELECT label FROM protocol_items WHERE id = ?",
                                          (item_id,)).scalar()
        return str(label) if label else None

    def what(self, table: str, row_id: str) -> str:
        values = self.row(table, row_id)
        if values is None:
            return _one(table)
        if table == "people":
            return str(values["name"])
        if table == "cycles":
            return self.cycle(row_id)
        if table == "goals":
            return f"a goal of {self.person(values['teacher_id'])}"
        if table == "feedback_items":
            kind = str(values["kind"]).replace("_", " ")
            return f"a {kind} in {self.cycle(values['cycle_id'])}"
        if table == "ratings":
            item = self.item(values["item_id"])
            rating = f"the rating of “{item}”" if item else "a rating"
            return f"{rating} in {self.cycle(values['cycle_id'])}"
        if table == "goal_cycles":
            return f"a goal's progress in {self.cycle(values['cycle_id'])}"
        if table == "observations":
            return self.visit(row_id)
        if table == "item_responses":
            item = self.item(values["item_id"])
            return f"“{item}” in {self.visit(values['observation_id'])}" if item else \
                f"a response in {self.visit(values['observation_id'])}"
        if "observation_id" in values:
            return f"{ONE_ROW.get(table, 'a row')} in {self.visit(values['observation_id'])}"
        return ONE_ROW.get(table, _one(table))

    def shown(self, table: str, field: str, value: object) -> str:
        """A raw SQLite value as a teacher reads it: times local, ids as names."""
        if value is None or value == "":
            return EMPTY
        column = Base.metadata.tables[table].columns[field]
        if field in PEOPLE_COLUMNS:
            return self.person(value)
        if field == "set_in_cycle_id":
            return self.cycle(value)
        if field == "item_id":
            return self.item(value) or str(value)
        if field == "protocol_version_id":
            found = self.conn.exec_driver_sql(
                "SELECT p.name, v.number FROM protocol_versions v JOIN protocols p "
                "ON p.id = v.protocol_id WHERE v.id = ?", (value,)).first()
            return f"{found[0]} (version {found[1]})" if found else str(value)
        if field in MS_COLUMNS and isinstance(value, int):
            return format_elapsed(value)
        if isinstance(column.type, UTCDateTime | DateTime):
            return utc_from_db(value).astimezone().strftime("%d %b %Y, %H:%M")
        if isinstance(column.type, Date):
            return _day(str(value))
        if isinstance(column.type, Boolean):
            return "yes" if value else "no"
        if field == "stage":
            return CycleStage(str(value)).label
        if field == "status":
            return GoalStatus(str(value)).label
        if field == "codes":
            codes = json.loads(str(value))  # JSON text, as SQLite keeps it
            return ", ".join(str(c) for c in codes) or EMPTY
        text = str(value).strip().replace("_", " ") if field in (
            "kind", "role", "career_stage") else str(value).strip()
        if not text:
            return EMPTY
        return text if len(text) <= SHOWN_CHARACTERS else text[:SHOWN_CHARACTERS - 1] + "…"

    def came_from(self, package_id: str, sender: str | None, replaced_here: bool) -> str:
        """Who made the value that replaced the kept one: the package's sender when it
        replaced this laptop's; this laptop when the package's value lost (or a restore)."""
        if package_id == LOCAL_PACKAGE or sender is None or not replaced_here:
            return THIS_LAPTOP
        return sender

    def entry(self, hid: int, table: str, row_id: str, field: str, value: object, stamp: str,
              kept_at: dt.datetime, package_id: str, sender: str | None,
              replaced_here: bool) -> HistoryEntry:
        live = self.live(table, row_id)
        current = self.shown(table, field, live[field]) if live is not None else GONE
        return HistoryEntry(
            id=hid, kept_at=kept_at, came_from=self.came_from(package_id, sender, replaced_here),
            what=self.what(table, row_id), field=field_words(field),
            kept=self.shown(table, field, value), current=current,
            can_restore=live is not None and live[field] != value,
            table=table, row_id=row_id, field_name=field, cycle_id=self.cycle_of(table, row_id))

