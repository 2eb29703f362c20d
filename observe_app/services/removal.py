"""Delete (undoable) and archive people, cycles and visits; list and restore what was deleted.

A delete is a plain DELETE: the triggers of migration 0006 keep the row's values (and those of
the rows its cycle or visit took along) in `sync_archive` and record the delete in
`sync_deleted`, so it can be undone here and travel to other laptops. A restore inserts the
values again; the insert triggers revive the row (a fresh stamp beats the delete elsewhere).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from observe_app.domain.formats import local_date, local_time
from observe_app.domain.models import (
    Contribution,
    Cycle,
    FeedbackItem,
    Goal,
    IntervalRecord,
    ItemResponse,
    Note,
    Observation,
    Person,
    Rating,
    TimerRun,
    VisitSeating,
)
from observe_app.domain.types import utc_from_db, utc_now
from observe_app.errors import BadInputError, NotFoundError
from observe_app.exchange.tables import SYNCED, children_of, synced_tables
from observe_app.services.common import get_or_fail

# What a person deletes (and can restore) by itself; the rest goes with one of these.
REMOVABLE = ("people", "cycles", "observations")
# This laptop's own columns that a delete keeps and an undo puts back (the archive holds the
# columns that travel; these are added to it by `_delete`).
KEPT_HERE = {"visit_seatings": ("chart_id", "labels")}


@dataclass(frozen=True)
class RemovalView:
    """What a delete removes (or removed): the row, and counts of what goes with it."""

    table: str  # one of REMOVABLE
    row_id: str
    label: str  # "Ana Silva", "Ana Silva · 2026-03-02 · Open questions"
    visits: int = 0
    notes: int = 0
    # ticks, tallies, timer runs, interval scans, prompt answers, contributions heard
    responses: int = 0
    ratings: int = 0
    feedback: int = 0  # glows, grows, next steps
    goals: int = 0


@dataclass(frozen=True)
class DeletedItem:
    """A person, cycle or visit deleted on this laptop, which can be restored."""

    table: str  # one of REMOVABLE
    row_id: str
    label: str
    deleted_at: dt.datetime | None  # from the delete's stamp (None if it came from elsewhere)


# -- labels ------------------------------------------------------------------------------------

def _values(session: Session, table: str, row_id: str) -> dict[str, Any] | None:
    """A row's raw values: the live row, else the values kept when it was deleted."""
    row = session.execute(text(f"SELECT * FROM {table} WHERE id = :id"),  # noqa: S608
                          {"id": row_id}).mappings().first()
    if row is not None:
        return dict(row)
    kept = session.scalar(text("SELECT row_json FROM sync_archive "
                               "WHERE tbl = :t AND row_id = :id"), {"t": table, "id": row_id})
    return json.loads(kept) if kept is not None else None


def _name(session: Session, person_id: str | None) -> str:
    person = _values(session, "people", person_id) if person_id else None
    return str(person["name"]) if person else "?"


def _label(session: Session, table: str, values: dict[str, Any]) -> str:
    """Names, dates and the focus or subject: no words to translate."""
    if table == "people":
        return str(values["name"])
    if table == "cycles":
        when = values.get("planned_date") or values["created_at"]  # kept values have no filed_at
        focus = str(values.get("focus") or "")
        parts = [_name(session, values["teacher_id"]), local_date(_when(when)), focus]
        return " · ".join(p for p in parts if p)
    cycle = _values(session, "cycles", values["cycle_id"]) or {}
    started = utc_from_db(values["started_at"])
    parts = [_name(session, cycle.get("teacher_id")),
             f"{local_date(started)} {local_time(started)}", str(values.get("subject") or "")]
    return " · ".join(p for p in parts if p)


def _when(value: Any) -> dt.date | dt.datetime:
    if isinstance(value, dt.date | dt.datetime):
        return value if not isinstance(value, dt.datetime) else utc_from_db(value)
    return dt.date.fromisoformat(value) if len(str(value)) == 10 else utc_from_db(value)


# -- what goes with a delete -------------------------------------------------------------------

def _count(session: Session, query: Any) -> int:
    return int(session.scalar(query) or 0)


def _visit_counts(session: Session, visits: Any) -> dict[str, int]:
    """Notes and responses of the visits selected by `visits` (a select of observation ids)."""
    responses = sum(_count(session, select(func.count()).select_from(model)
                           .where(model.observation_id.in_(visits)))
                    for model in (ItemResponse, TimerRun, IntervalRecord, Contribution))
    return {"notes": _count(session, select(func.count()).select_from(Note)
                            .where(Note.observation_id.in_(visits))),
            "responses": responses}


def _person_refusal(session: Session, person: Person) -> str | None:
    """Why a person cannot be deleted: cycles name them, or teachers have them as mentor.

    A cycle's observer and a mentee's mentor would be cleared, and an undo could not put
    them back: such a person is archived instead."""
    taught = _count(session, select(func.count()).select_from(Cycle)
                    .where(Cycle.teacher_id == person.id))
    observed = _count(session, select(func.count()).select_from(Cycle)
                      .where(Cycle.observer_id == person.id))
    mentees = _count(session, select(func.count()).select_from(Person)
                     .where(Person.mentor_id == person.id))
    reasons = []
    if taught:
        reasons.append(f"the observed teacher of {_cycles(taught)}")
    if observed:
        reasons.append(f"the observer of {_cycles(observed)}")
    if reasons:
        return (f"{person.name} is {' and '.join(reasons)}: delete those cycles first, or "
                f"archive {person.name} instead")
    if mentees:
        whom = "a teacher" if mentees == 1 else f"{mentees} teachers"
        return (f"{person.name} is the mentor of {whom}: choose another mentor for them "
                f"first, or archive {person.name} instead")
    return None


def _cycles(n: int) -> str:
    return "1 cycle" if n == 1 else f"{n} cycles"


def what_would_be_removed(session: Session, table: str, row_id: str) -> RemovalView:
    """What deleting this person, cycle or visit removes, for the confirmation; a person who
    cannot be deleted is refused here already (BadInputError)."""
    if table == "people":
        person = get_or_fail(session, Person, row_id, "person")
        refusal = _person_refusal(session, person)
        if refusal is not None:
            raise BadInputError(refusal)
        goals = _count(session, select(func.count()).select_from(Goal)
                       .where(Goal.teacher_id == row_id))
        return RemovalView(table, row_id, person.name, goals=goals)
    if table == "cycles":
        cycle = get_or_fail(session, Cycle, row_id, "cycle")
        visits = select(Observation.id).where(Observation.cycle_id == row_id)
        return RemovalView(
            table, row_id, _label(session, table, _values(session, table, row_id) or {}),
            visits=_count(session, select(func.count()).select_from(visits.subquery())),
            ratings=_count(session, select(func.count()).select_from(Rating)
                           .where(Rating.cycle_id == cycle.id)),
            feedback=_count(session, select(func.count()).select_from(FeedbackItem)
                            .where(FeedbackItem.cycle_id == cycle.id)),
            **_visit_counts(session, visits))
    if table == "observations":
        get_or_fail(session, Observation, row_id, "visit")
        return RemovalView(table, row_id,
                           _label(session, table, _values(session, table, row_id) or {}),
                           visits=1, **_visit_counts(session, select(Observation.id)
                                                     .where(Observation.id == row_id)))
    raise BadInputError(f"{table!r} cannot be deleted; choose one of {', '.join(REMOVABLE)}")


def _delete(session: Session, table: str, row_id: str) -> RemovalView:
    view = what_would_be_removed(session, table, row_id)
    model = {"people": Person, "cycles": Cycle, "observations": Observation}[table]
    visits = (select(Observation.id).where(Observation.cycle_id == row_id) if table == "cycles"
              else select(Observation.id).where(Observation.id == row_id))
    charts = session.execute(select(VisitSeating.id, VisitSeating.chart_id,
                                    func.json(VisitSeating.labels)).where(
        VisitSeating.observation_id.in_(visits), VisitSeating.chart_id.is_not(None))).all()
    # In SQL, not session.delete(): SQLite's cascades take the rows along (and the triggers
    # keep them); the ORM would load each child to clear its key instead.
    session.execute(delete(model).where(model.id == row_id),  # type: ignore[attr-defined]
                    execution_options={"synchronize_session": False})
    # The triggers keep what travels; the chart a visit's seats came from is this laptop's
    # own, as are its seats' labels that lesson: kept beside it so an undo shows them again.
    for seating_id, chart_id, labels in charts:
        session.execute(text("UPDATE sync_archive SET row_json = json_set(row_json, "
                             "'$.chart_id', :chart, '$.labels', :labels) "
                             "WHERE tbl = 'visit_seatings' AND row_id = :id"),
                        {"chart": chart_id, "labels": labels, "id": seating_id})
    session.expire_all()
    return view


def delete_person(session: Session, person_id: str) -> RemovalView:
    """Delete a person (and their goals); refused while a cycle or a mentee names them."""
    return _delete(session, "people", person_id)


def delete_cycle(session: Session, cycle_id: str) -> RemovalView:
    """Delete a cycle with its visits, notes, ratings and feedback."""
    return _delete(session, "cycles", cycle_id)


def delete_visit(session: Session, observation_id: str) -> RemovalView:
    """Delete one visit with its notes and what was recorded on the protocol; a visit handed
    in for calibration stays (the other observers have it, and it is theirs to compare)."""
    from observe_app.services import co_observation

    co_observation.refuse_if_handed_in(session, observation_id)
    return _delete(session, "observations", observation_id)


# -- deleted, and brought back -----------------------------------------------------------------

def _deleted_at(stamp: str) -> dt.datetime | None:
    try:  # the stamp's first 13 digits: milliseconds since the epoch
        return dt.datetime.fromtimestamp(int(stamp[:13]) / 1000, dt.UTC)
    except ValueError:
        return None


def list_deleted(session: Session) -> list[DeletedItem]:
    """People, cycles and visits deleted here (and not restored since), newest first."""
    rows = session.execute(text(
        "SELECT d.tbl, d.row_id, d.stamp, a.row_json FROM sync_deleted AS d "
        "JOIN sync_archive AS a ON a.tbl = d.tbl AND a.row_id = d.row_id "
        "WHERE d.alive = 0 AND d.tbl IN ('people', 'cycles', 'observations') "
        "ORDER BY d.stamp DESC"))
    return [DeletedItem(tbl, row_id, _label(session, tbl, json.loads(kept)), _deleted_at(stamp))
            for tbl, row_id, stamp, kept in rows]


def _kept(session: Session, table: str, row_id: str) -> dict[str, Any] | None:
    kept = session.scalar(text("SELECT row_json FROM sync_archive WHERE tbl = :t "
                               "AND row_id = :id"), {"t": table, "id": row_id})
    return json.loads(kept) if kept is not None else None


def _descendants(session: Session, table: str, row_id: str) -> dict[str, list[dict[str, Any]]]:
    """The kept rows that went with this one, by table: not those deleted by themselves
    before (their own delete stays until they are restored themselves)."""
    found: dict[str, dict[str, dict[str, Any]]] = {}
    # A level at a time (the cycle, its visits, their notes, the notes' tags), one query per
    # kind of row and level: the archive is read a few times, not once per visit or note.
    level: dict[str, list[str]] = {table: [row_id]}
    while level:
        below: dict[str, list[str]] = {}
        for parent, parent_ids in level.items():
            for child, ref in children_of(parent):
                rows = session.execute(text(
                    "SELECT a.row_id, a.row_json FROM sync_archive AS a WHERE a.tbl = :t "
                    "AND json_extract(a.row_json, :path) IN (SELECT value FROM json_each(:ids)) "
                    "AND NOT EXISTS (SELECT 1 FROM sync_deleted AS d WHERE d.tbl = a.tbl "
                    "AND d.row_id = a.row_id AND d.alive = 0)"),
                    {"t": child.name, "path": f"$.{ref.column}", "ids": json.dumps(parent_ids)})
                for child_id, kept in rows:
                    if child_id not in found.setdefault(child.name, {}):
                        found[child.name][child_id] = json.loads(kept)
                        if child.key == ("id",):  # rows with a composite key own nothing
                            below.setdefault(child.name, []).append(child_id)
        level = below
    return {name: list(rows.values()) for name, rows in found.items()}


def _missing(session: Session, table: str, row_id: Any) -> bool:
    return row_id is not None and session.scalar(
        text(f"SELECT 1 FROM {table} WHERE id = :id"), {"id": row_id}) is None  # noqa: S608


def _insert(session: Session, table: str, values: dict[str, Any]) -> tuple[str, str] | None:
    """Insert kept values as they were (raw SQLite values), or say which row it needs that is
    not there: (table, id) of a missing owner (a visit's cycle) or RESTRICT reference (a
    cycle's teacher). A reference that would have been cleared (SET NULL) is cleared."""
    described = synced_tables()[table]
    values = dict(values)
    for ref in described.references:
        if ref.table in SYNCED and _missing(session, ref.table, values.get(ref.column)):
            if ref.on_delete == "SET NULL":
                values[ref.column] = None
            else:
                return ref.table, str(values[ref.column])
    columns = [c for c in (*described.columns, *KEPT_HERE.get(table, ())) if c in values]
    names = ", ".join(columns)
    marks = ", ".join(f":c{n}" for n in range(len(columns)))
    session.execute(text(f"INSERT INTO {table} ({names}) VALUES ({marks})"),  # noqa: S608
                    {f"c{n}": values[c] for n, c in enumerate(columns)})
    return None


def restore_deleted(session: Session, table: str, row_id: str) -> DeletedItem:
    """Undo a delete: the row comes back with everything that went with it, as it was; the
    rows deleted by themselves before it stay deleted (each is restored by itself)."""
    if table not in REMOVABLE:
        raise BadInputError(f"{table!r} cannot be restored; choose one of {', '.join(REMOVABLE)}")
    alive = session.scalar(text("SELECT alive FROM sync_deleted WHERE tbl = :t AND row_id = :id"),
                           {"t": table, "id": row_id})
    values = _kept(session, table, row_id)
    if alive:
        raise BadInputError("it was restored already")
    if alive is None or values is None:  # never deleted, or deleted on another laptop
        raise NotFoundError(f"nothing deleted here has the id {row_id!r}")
    item = DeletedItem(table, row_id, _label(session, table, values), None)
    needed = _insert(session, table, values)
    if needed is not None:
        what = {"cycles": "a cycle", "people": "a person"}.get(needed[0], "a row")
        raise BadInputError(f"{item.label} belongs to {what} that is deleted too "
                            f"({_label_of(session, *needed)}): restore that first")
    rows = _descendants(session, table, row_id)
    for name in SYNCED:  # parents before children
        for kept in rows.get(name, ()):
            _insert(session, name, kept)  # one whose owner stays deleted stays too
    if table == "cycles":
        _relink_goals(session, row_id)
    session.expire_all()
    return item


def _relink_goals(session: Session, cycle_id: str) -> None:
    """The goals set in a restored cycle point at it again. Its delete cleared their link
    (SET NULL, which stamped the field; nothing else ever changes it); a goal carried into the
    cycle is older than the cycle and keeps none."""
    session.execute(text(
        "UPDATE goals SET set_in_cycle_id = :c WHERE set_in_cycle_id IS NULL "
        "AND created_at >= (SELECT created_at FROM cycles WHERE id = :c) "
        "AND id IN (SELECT goal_id FROM goal_cycles WHERE cycle_id = :c) "
        "AND EXISTS (SELECT 1 FROM sync_stamps WHERE tbl = 'goals' AND row_id = goals.id "
        "AND field = 'set_in_cycle_id')"), {"c": cycle_id})


def _label_of(session: Session, table: str, row_id: str) -> str:
    values = _values(session, table, row_id)
    return _label(session, table, values) if values is not None else row_id


# -- archive -----------------------------------------------------------------------------------

def _set_archived(session: Session, model: type[Person] | type[Cycle], row_id: str, what: str,
                  archived: bool, now: dt.datetime | None) -> None:
    row = get_or_fail(session, model, row_id, what)
    if archived and row.archived_at is None:
        row.archived_at = now or utc_now()
    elif not archived:
        row.archived_at = None
    session.flush()


def archive_person(session: Session, person_id: str, now: dt.datetime | None = None) -> None:
    """Hide a person from lists and pickers; their cycles and growth stay."""
    _set_archived(session, Person, person_id, "person", True, now)


def unarchive_person(session: Session, person_id: str) -> None:
    _set_archived(session, Person, person_id, "person", False, None)


def archive_cycle(session: Session, cycle_id: str, now: dt.datetime | None = None) -> None:
    """Hide a cycle from the Cycles and Observe pages; it stays in the teacher's growth."""
    _set_archived(session, Cycle, cycle_id, "cycle", True, now)


def unarchive_cycle(session: Session, cycle_id: str) -> None:
    _set_archived(session, Cycle, cycle_id, "cycle", False, None)
