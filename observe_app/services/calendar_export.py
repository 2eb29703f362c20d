"""The open cycles' visits and conferences as an .ics calendar that updates, not duplicates.

Each event's UID is made from its cycle's UUID and what it is, so a calendar that imports the
file again replaces the event; SEQUENCE goes up whenever what an event says has changed since
the last export from this laptop (the calendar_events table remembers it).

Events are all-day, on the dates a cycle plans: the visit, the follow-up visit agreed at the
post-conference, and once the visit is done, the day the post-conference is due (two weeks
after the visit, when the School page counts it overdue). A cycle's pre- and post-conference
times are the moments it reached those stages (planning it; ending the visit), not meetings
agreed for a time, so they are not events of their own.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, aliased

from observe_app.domain.enums import CycleStage
from observe_app.domain.models import (
    CalendarEvent,
    Cycle,
    CycleCoObserver,
    Observation,
    Person,
    Protocol,
    ProtocolVersion,
)
from observe_app.domain.types import utc_from_db, utc_now
from observe_app.errors import BadInputError, NotFoundError
from observe_app.services.school import OVERDUE_AFTER_DAYS
from observe_app.storage.paths import database_of, refuse_own_file, write_private

PRODID = "-//Observe//observe-app//EN"
UID_DOMAIN = "observe-app"
# Visited, the post-conference not held yet (holding it moves the cycle on to reflection).
_WAITING_FOR_POST_CONFERENCE = (CycleStage.OBSERVATION, CycleStage.POST_CONFERENCE)


@dataclass(frozen=True)
class CalendarSummary:
    path: Path
    events: int
    new: int  # exported for the first time (SEQUENCE 0)
    changed: int  # exported before and changed since (a higher SEQUENCE)
    cycles: int


@dataclass(frozen=True)
class _Event:
    uid: str
    cycle_id: str
    day: dt.date
    summary: str
    description: str

    @property
    def fingerprint(self) -> str:
        said = "\n".join((self.day.isoformat(), self.summary, self.description))
        return hashlib.sha256(said.encode("utf-8")).hexdigest()


def event_uid(cycle_id: str, what: str) -> str:
    return f"{cycle_id}-{what}@{UID_DOMAIN}"


def _events(session: Session, teacher_id: str | None) -> tuple[list[_Event], int]:
    teacher, observer = aliased(Person), aliased(Person)
    last_visit = (select(func.max(Observation.started_at))
                  .where(Observation.cycle_id == Cycle.id, Observation.ended_at.is_not(None))
                  .correlate(Cycle).scalar_subquery())
    query = (select(Cycle, teacher.name, observer.name, Protocol.name, last_visit)
             .join(teacher, teacher.id == Cycle.teacher_id)
             .outerjoin(observer, observer.id == Cycle.observer_id)
             .join(ProtocolVersion, ProtocolVersion.id == Cycle.protocol_version_id)
             .join(Protocol, Protocol.id == ProtocolVersion.protocol_id)
             .where(Cycle.stage != CycleStage.CLOSED, Cycle.archived_at.is_(None))
             .order_by(Cycle.created_at, Cycle.id))
    if teacher_id is not None:
        co_observed = select(CycleCoObserver.cycle_id).where(
            CycleCoObserver.person_id == teacher_id)
        query = query.where(or_(Cycle.teacher_id == teacher_id, Cycle.observer_id == teacher_id,
                                Cycle.id.in_(co_observed)))
    rows = session.execute(query).all()
    co_names: dict[str, list[str]] = {}
    for cycle_id, name in session.execute(
            select(CycleCoObserver.cycle_id, Person.name)
            .join(Person, Person.id == CycleCoObserver.person_id)
            .where(CycleCoObserver.cycle_id.in_([r[0].id for r in rows]))
            .order_by(Person.name)):
        co_names.setdefault(cycle_id, []).append(name)
    events: list[_Event] = []
    for cycle, teacher_name, observer_name, protocol_name, visited in rows:
        by = observer_name or "an observer not chosen yet"
        with_ = f" with {observer_name}" if observer_name else ""
        lines = [f"Focus: {cycle.focus}" if cycle.focus else "", f"Protocol: {protocol_name}",
                 f"Co-observers: {', '.join(co_names[cycle.id])}" if cycle.id in co_names
                 else ""]
        about = "\n".join(line for line in lines if line)

        def add(what: str, day: dt.date | None, summary: str, note: str = "",
                cycle_id: str = cycle.id, about: str = about) -> None:
            if day is not None:
                events.append(_Event(event_uid(cycle_id, what), cycle_id, day, summary,
                                     "\n".join(t for t in (note, about) if t)))

        add("visit", cycle.planned_date, f"Visit: {teacher_name} observed by {by}")
        if visited is not None and cycle.stage in _WAITING_FOR_POST_CONFERENCE:
            seen = utc_from_db(visited).astimezone().date()
            add("post-conference", seen + dt.timedelta(days=OVERDUE_AFTER_DAYS),
                f"Post-conference due: {teacher_name}{with_}",
                f"The visit was on {seen.isoformat()}: hold the post-conference by this day.")
        add("follow-up", cycle.next_visit_date,
            f"Follow-up visit: {teacher_name} observed by {by}")
    return events, len(rows)


def _sequences(session: Session, events: list[_Event],
               now: dt.datetime) -> tuple[dict[str, int], int, int]:
    """Each event's SEQUENCE (recorded here, flushed): 0 when new, one more when changed."""
    known = {row.uid: row for row in session.scalars(
        select(CalendarEvent).where(CalendarEvent.uid.in_([e.uid for e in events])))}
    sequences: dict[str, int] = {}
    new = changed = 0
    for event in events:
        row = known.get(event.uid)
        if row is None:
            row = CalendarEvent(uid=event.uid, cycle_id=event.cycle_id,
                                fingerprint=event.fingerprint, sequence=0, day=event.day,
                                cancelled=False, exported_at=now)
            session.add(row)
            new += 1
        elif row.fingerprint != event.fingerprint or row.cancelled:
            row.fingerprint, row.sequence = event.fingerprint, row.sequence + 1
            row.cancelled = False
            changed += 1
        row.day, row.exported_at = event.day, now
        sequences[event.uid] = row.sequence
    session.flush()
    return sequences, new, changed


def _cancelled(session: Session, events: list[_Event], teacher_id: str | None,
               now: dt.datetime) -> list[CalendarEvent]:
    """The events exported before that are no more (the cycle moved on or closed, a date
    cleared): sent again as cancelled, one SEQUENCE up the first time, so calendars that
    imported them take them away."""
    produced = {e.uid for e in events}
    query = select(CalendarEvent).join(Cycle, Cycle.id == CalendarEvent.cycle_id)
    if teacher_id is not None:
        co = select(CycleCoObserver.cycle_id).where(CycleCoObserver.person_id == teacher_id)
        query = query.where(or_(Cycle.teacher_id == teacher_id, Cycle.observer_id == teacher_id,
                                Cycle.id.in_(co)))
    gone = [row for row in session.scalars(query) if row.uid not in produced]
    for row in gone:
        if not row.cancelled:
            row.cancelled, row.sequence = True, row.sequence + 1
        row.exported_at = now
    session.flush()
    return gone


def _calendar(events: list[_Event], sequences: dict[str, int], now: dt.datetime,
              cancelled: list[CalendarEvent]) -> bytes:
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "Observe: visits and conferences")
    for e in events:
        event = Event()
        event.add("uid", e.uid)
        event.add("sequence", sequences[e.uid])
        event.add("dtstamp", now)
        event.add("summary", e.summary)
        event.add("description", e.description)
        event.add("dtstart", e.day)
        event.add("dtend", e.day + dt.timedelta(days=1))
        # A visit is one lesson of the day: the rest of the day stays free in the calendar.
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    for row in cancelled:
        event = Event()
        event.add("uid", row.uid)
        event.add("sequence", row.sequence)
        event.add("dtstamp", now)
        event.add("summary", "Cancelled")
        event.add("status", "CANCELLED")
        event.add("dtstart", row.day)
        event.add("dtend", row.day + dt.timedelta(days=1))
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()


def export_calendar(session: Session, out_path: Path | str, *, teacher_id: str | None = None,
                    now: dt.datetime | None = None) -> CalendarSummary:
    """Write the calendar of every open cycle (with `teacher_id`: only those where that
    person is the teacher, the observer or a co-observer) to `out_path`, atomically.

    The SEQUENCEs are recorded in the caller's transaction; if the file cannot be written
    this raises, and the caller's rollback leaves them as they were."""
    path = Path(out_path)
    refuse_own_file(database_of(session), path, "calendar")
    if path.is_dir():
        raise BadInputError(f"{path} is a folder; give a file name for the calendar, such as "
                            f"{path / 'observe.ics'}")
    if not path.parent.is_dir():
        raise BadInputError(f"folder {path.parent} does not exist; create it or choose another")
    if teacher_id is not None and session.get(Person, teacher_id) is None:
        raise NotFoundError(f"no person with id {teacher_id!r}; `observe-app people list` "
                            "shows everyone's id")
    now = (now or utc_now()).astimezone(dt.UTC).replace(microsecond=0)
    events, cycles = _events(session, teacher_id)
    sequences, new, changed = _sequences(session, events, now)
    cancelled = _cancelled(session, events, teacher_id, now)
    data = _calendar(events, sequences, now, cancelled)
    try:
        write_private(path, data)
    except OSError as exc:
        raise BadInputError(f"cannot write {path} ({exc.strerror or exc}); check the folder "
                            "and the free space") from None
    return CalendarSummary(path, len(events), new, changed, cycles)
