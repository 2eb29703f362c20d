"""Observations (visits to a lesson): start, pause, resume, end."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

from sqlalchemy import bindparam, func, select, text
from sqlalchemy.orm import Session, object_session

from observe_app.domain import limits
from observe_app.domain.enums import CycleStage
from observe_app.domain.models import Cycle, IntervalRecord, Observation, Pause, TimerRun
from observe_app.domain.types import utc_from_db, utc_now
from observe_app.errors import BadInputError
from observe_app.services import co_observation, cycles, notes, protocols, responses, search
from observe_app.services.common import bounded, get_or_fail
from observe_app.services.cycles import CycleSummary
from observe_app.services.notes import DraftView, NoteView
from observe_app.services.protocols import ProtocolVersionView
from observe_app.services.responses import ObservationResults


@dataclass(frozen=True)
class ObservationView:
    id: str
    cycle_id: str
    subject: str
    grade: str
    room: str
    students: int | None
    started_at: dt.datetime
    ended_at: dt.datetime | None
    duration_ms: int | None
    paused: bool
    # Lesson time, pauses left out: the whole visit once ended; while open, up to the last
    # thing recorded (never the days a visit left open lay untouched). See lesson_ms().
    lesson_ms: int = 0
    observer_id: str | None = None  # who records it, when a co-observer does (else None)

    @property
    def is_open(self) -> bool:
        return self.ended_at is None


@dataclass(frozen=True)
class UnfinishedVisit:
    """A visit started and never ended, as the Observe page offers it for resuming."""

    id: str
    cycle_id: str
    teacher_name: str
    subject: str
    started_at: dt.datetime
    last_activity_at: dt.datetime  # the latest note or pause (or the start)
    last_note_at: dt.datetime | None
    notes: int
    lesson_ms: int  # lesson time up to the last activity
    paused: bool


def _view(o: Observation) -> ObservationView:
    paused = bool(o.pauses) and o.pauses[-1].resumed_at is None
    length = lesson_ms(o, o.ended_at or _last_activity(o))
    return ObservationView(o.id, o.cycle_id, o.subject, o.grade, o.room, o.students,
                           o.started_at, o.ended_at, o.duration_ms, paused, length,
                           o.observer_id)


def _ms(delta: dt.timedelta) -> int:
    return max(0, int(delta.total_seconds() * 1000))


def lesson_ms(o: Observation, at: dt.datetime) -> int:
    """Lesson time of a visit at `at` (its end, once ended), pauses left out.

    The one place a visit's length is worked out: the live clock, the cycle's visit list, the
    PDF and growth figures all take it from here. Time after the latest pause is counted from
    that pause's lesson-clock reading, so the monotonic clock of the live view stays the anchor.
    """
    if o.ended_at is not None and o.duration_ms is not None:
        return o.duration_ms
    end = o.ended_at or at
    if o.pauses:
        last = o.pauses[-1]
        if last.resumed_at is None:
            return last.paused_ms
        return last.paused_ms + _ms(end - last.resumed_at)
    return _ms(end - o.started_at)


def _last_activity(o: Observation) -> dt.datetime:
    """When anything was last recorded in the visit (times taken from the app's clock)."""
    times = [o.started_at, *(n.wall_time for n in o.notes)]
    # Scans ticked after the last note (their time comes from the app's clock too); tallies
    # and ticks carry only the time of the database write, so they cannot say.
    session = object_session(o)
    scanned = session.scalar(
        select(func.max(IntervalRecord.recorded_at))
        .where(IntervalRecord.observation_id == o.id, IntervalRecord.missed.is_(False))
    ) if session is not None else None
    if scanned is not None:
        times.append(utc_from_db(scanned))
    for p in o.pauses:
        times += [p.paused_at] + ([p.resumed_at] if p.resumed_at else [])
    return max(times)


def start_observation(session: Session, cycle_id: str, *, subject: str = "", grade: str = "",
                      room: str = "", students: int | None = None,
                      now: dt.datetime | None = None,
                      observer_id: str | None = None) -> ObservationView:
    """Open a visit; the cycle moves to its observation stage. `observer_id`: who records it,
    when a co-observer does (None: the cycle's observer)."""
    cycle = get_or_fail(session, Cycle, cycle_id, "cycle")
    if cycle.stage == CycleStage.CLOSED:
        raise BadInputError("this cycle is closed; reopen it or plan a new cycle to observe")
    co_observation.check_observer(session, cycle, observer_id)
    if students is not None and not 0 <= students <= 1000:
        raise BadInputError("the number of students must be between 0 and 1000")
    now = now or utc_now()
    obs = Observation(cycle_id=cycle_id,
                      subject=bounded(subject.strip(), limits.CLASS_SUBJECT, "a subject"),
                      grade=bounded(grade.strip(), limits.CLASS_GRADE, "a grade or class"),
                      room=bounded(room.strip(), limits.CLASS_ROOM, "a room"),
                      students=students, started_at=now,
                      observer_id=observer_id)
    session.add(obs)
    session.flush()
    if not co_observation.by_co_observer(obs, cycle):  # the cycle is its observer's to move
        cycles.move_to_stage(session, cycle_id, CycleStage.OBSERVATION, now)
    return _view(obs)


def pause(session: Session, observation_id: str, elapsed_ms: int,
          now: dt.datetime | None = None) -> None:
    obs = get_or_fail(session, Observation, observation_id, "observation")
    co_observation.refuse_if_handed_in(session, observation_id)
    if obs.pauses and obs.pauses[-1].resumed_at is None:
        return
    session.add(Pause(observation_id=obs.id, paused_ms=elapsed_ms, paused_at=now or utc_now()))
    session.flush()


def resume(session: Session, observation_id: str, now: dt.datetime | None = None) -> None:
    obs = get_or_fail(session, Observation, observation_id, "observation")
    if obs.pauses and obs.pauses[-1].resumed_at is None:
        last = obs.pauses[-1]
        # Ending at the last note can put the end before a pause begun later: no negative pause.
        last.resumed_at = max(last.paused_at, now or utc_now())
        session.flush()


def end_observation(session: Session, observation_id: str, elapsed_ms: int,
                    now: dt.datetime | None = None) -> ObservationView:
    """Close the visit; the cycle moves on to the post-conference (review), where what was
    written in the glow / grow / next-step prompts is waiting as feedback items."""
    obs = get_or_fail(session, Observation, observation_id, "observation")
    now = now or utc_now()
    cycle = session.get(Cycle, obs.cycle_id)
    assert cycle is not None
    # A co-observer's visit is calibration's: it gives the teacher no feedback and does not
    # move the observer's cycle (that move would travel back and could undo a later stage).
    co_observer = co_observation.by_co_observer(obs, cycle)
    if obs.ended_at is None:
        obs.ended_at = now
        obs.duration_ms = elapsed_ms
        resume(session, observation_id, now)
        # Once, when the visit first ends: the prompts can no longer change, and a point the
        # observer later removes from the post-conference does not come back.
        if not co_observer:
            cycles.feedback_from_prompts(session, observation_id)
    search.index_new_notes(session)  # the visit's evidence is searchable from now on
    if not co_observer and cycle.stage in (CycleStage.PRE_CONFERENCE, CycleStage.OBSERVATION):
        cycles.move_to_stage(session, cycle.id, CycleStage.POST_CONFERENCE, now)
    session.flush()
    return _view(obs)


def get_observation(session: Session, observation_id: str) -> ObservationView:
    return _view(get_or_fail(session, Observation, observation_id, "observation"))


def list_observations(session: Session, cycle_id: str) -> list[ObservationView]:
    return [_view(o) for o in session.scalars(_cycle_visits_query(), {"cycle_id": cycle_id})]


@cache  # built once: building it took longer than running it
def _cycle_visits_query():  # type: ignore[no-untyped-def]
    return (select(Observation).join(Cycle, Cycle.id == Observation.cycle_id)
            .where(Observation.cycle_id == bindparam("cycle_id"),
                   text(co_observation.teacher_facing_sql()))
            .order_by(Observation.started_at))


@dataclass(frozen=True)
class LiveVisit:
    """Everything the live view opens a visit with, read in one transaction."""

    observation: ObservationView
    cycle: CycleSummary
    protocol: ProtocolVersionView  # the version the visit follows
    elapsed_ms: int  # lesson time at the moment asked about: where the live clock goes on
    results: ObservationResults
    notes: tuple[NoteView, ...]
    draft: DraftView | None  # what was left typed in the note box


def live_visit(session: Session, observation_id: str, now: dt.datetime) -> LiveVisit:
    """One visit as the live view opens it (at `now`, for its clock)."""
    o = get_or_fail(session, Observation, observation_id, "observation")
    cycle = cycles.get_summary(session, o.cycle_id)
    return LiveVisit(
        observation=_view(o), cycle=cycle,
        protocol=protocols.get_version(session, cycle.protocol_version_id),
        elapsed_ms=lesson_ms(o, now),
        results=responses.observation_results(session, observation_id),
        notes=tuple(notes.list_notes(session, observation_id)),
        draft=notes.get_draft(session, observation_id))


def elapsed_ms_at(session: Session, observation_id: str, now: dt.datetime) -> int:
    """Elapsed lesson time at `now`, pauses left out: where a reopened visit's clock resumes."""
    return lesson_ms(get_or_fail(session, Observation, observation_id, "observation"), now)


def has_unfinished_visits(session: Session) -> bool:
    """Whether any visit was left open: one cheap question for the window's start."""
    return session.scalar(select(Observation.id).where(Observation.ended_at.is_(None))
                          .limit(1)) is not None


def list_unfinished_visits(session: Session) -> list[UnfinishedVisit]:
    """Every visit left open, most recently started first, with what resuming needs to show."""
    rows = session.scalars(select(Observation).where(Observation.ended_at.is_(None))
                           .order_by(Observation.started_at.desc()))
    visits = []
    for o in rows:
        last = _last_activity(o)
        visits.append(UnfinishedVisit(
            o.id, o.cycle_id, o.cycle.teacher.name, o.subject, o.started_at, last,
            max((n.wall_time for n in o.notes), default=None), len(o.notes),
            lesson_ms(o, last), bool(o.pauses) and o.pauses[-1].resumed_at is None))
    return visits


def end_at_last_note(session: Session, observation_id: str) -> ObservationView:
    """End a visit left open where its evidence ends: at its last note (or its start if none).

    The days it lay open count for nothing: its length is the last note's lesson time.
    """
    obs = get_or_fail(session, Observation, observation_id, "observation")
    if obs.ended_at is not None:
        return _view(obs)
    last = max(obs.notes, key=lambda n: (n.wall_time, n.elapsed_ms), default=None)
    end, elapsed = (last.wall_time, last.elapsed_ms) if last else (obs.started_at, 0)
    return end_observation(session, observation_id, elapsed, now=end)


def go_on_after_gap(session: Session, observation_id: str,
                    now: dt.datetime | None = None) -> ObservationView:
    """Carry on a visit left open: the time since its last activity is kept as a pause.

    A visit left paused just resumes; otherwise a pause from the last activity to `now` is
    recorded, so the lesson clock picks up where the evidence stopped.
    """
    obs = get_or_fail(session, Observation, observation_id, "observation")
    if obs.ended_at is not None:
        raise BadInputError("this observation has already ended")
    now = now or utc_now()
    if obs.pauses and obs.pauses[-1].resumed_at is None:
        resume(session, observation_id, now)
        return _view(obs)
    last = _last_activity(obs)
    if now > last:
        # The lesson clock at the last activity: never behind a note, timer run or scan.
        timers = session.scalar(select(func.max(TimerRun.started_ms + TimerRun.duration_ms))
                                .where(TimerRun.observation_id == obs.id)) or 0
        elapsed = max(lesson_ms(obs, last), timers,
                      max((n.elapsed_ms for n in obs.notes), default=0))
        session.add(Pause(observation_id=obs.id, paused_ms=elapsed, paused_at=last,
                          resumed_at=now))
        session.flush()
        session.expire(obs, ["pauses"])
    return _view(obs)
