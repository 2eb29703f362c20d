"""Observations (visits to a lesson): start, pause, resume, end."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from observe_app.domain.enums import CycleStage
from observe_app.domain.models import Cycle, Observation, Pause
from observe_app.domain.types import utc_now
from observe_app.errors import BadInputError
from observe_app.services import cycles, search
from observe_app.services.common import get_or_fail


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

    @property
    def is_open(self) -> bool:
        return self.ended_at is None


def _view(o: Observation) -> ObservationView:
    paused = bool(o.pauses) and o.pauses[-1].resumed_at is None
    return ObservationView(o.id, o.cycle_id, o.subject, o.grade, o.room, o.students,
                           o.started_at, o.ended_at, o.duration_ms, paused)


def start_observation(session: Session, cycle_id: str, *, subject: str = "", grade: str = "",
                      room: str = "", students: int | None = None,
                      now: dt.datetime | None = None) -> ObservationView:
    """Open a visit; the cycle moves to its observation stage."""
    cycle = get_or_fail(session, Cycle, cycle_id, "cycle")
    if cycle.stage == CycleStage.CLOSED:
        raise BadInputError("this cycle is closed; reopen it or plan a new cycle to observe")
    if students is not None and not 0 <= students <= 1000:
        raise BadInputError("the number of students must be between 0 and 1000")
    now = now or utc_now()
    obs = Observation(cycle_id=cycle_id, subject=subject.strip(), grade=grade.strip(),
                      room=room.strip(), students=students, started_at=now)
    session.add(obs)
    session.flush()
    cycles.move_to_stage(session, cycle_id, CycleStage.OBSERVATION, now)
    return _view(obs)


def pause(session: Session, observation_id: str, elapsed_ms: int,
          now: dt.datetime | None = None) -> None:
    obs = get_or_fail(session, Observation, observation_id, "observation")
    if obs.pauses and obs.pauses[-1].resumed_at is None:
        return
    session.add(Pause(observation_id=obs.id, paused_ms=elapsed_ms, paused_at=now or utc_now()))
    session.flush()


def resume(session: Session, observation_id: str, now: dt.datetime | None = None) -> None:
    obs = get_or_fail(session, Observation, observation_id, "observation")
    if obs.pauses and obs.pauses[-1].resumed_at is None:
        obs.pauses[-1].resumed_at = now or utc_now()
        session.flush()


def end_observation(session: Session, observation_id: str, elapsed_ms: int,
                    now: dt.datetime | None = None) -> ObservationView:
    """Close the visit; the cycle moves on to the post-conference (review), where what was
    written in the glow / grow / next-step prompts is waiting as feedback items."""
    obs = get_or_fail(session, Observation, observation_id, "observation")
    now = now or utc_now()
    if obs.ended_at is None:
        obs.ended_at = now
        obs.duration_ms = elapsed_ms
        resume(session, observation_id, now)
        # Once, when the visit first ends: the prompts can no longer change, and a point the
        # observer later removes from the post-conference does not come back.
        cycles.feedback_from_prompts(session, observation_id)
    cycle = session.get(Cycle, obs.cycle_id)
    assert cycle is not None
    search.index_new_notes(session)  # the visit's evidence is searchable from now on
    if cycle.stage in (CycleStage.PRE_CONFERENCE, CycleStage.OBSERVATION):
        cycles.move_to_stage(session, cycle.id, CycleStage.POST_CONFERENCE, now)
    session.flush()
    return _view(obs)


def get_observation(session: Session, observation_id: str) -> ObservationView:
    return _view(get_or_fail(session, Observation, observation_id, "observation"))


def list_observations(session: Session, cycle_id: str) -> list[ObservationView]:
    rows = session.scalars(select(Observation).where(Observation.cycle_id == cycle_id)
                           .order_by(Observation.started_at))
    return [_view(o) for o in rows]


def elapsed_ms_at(session: Session, observation_id: str, now: dt.datetime) -> int:
    """Elapsed lesson time at `now`, pauses left out: where a reopened visit's clock resumes."""
    obs = get_or_fail(session, Observation, observation_id, "observation")
    end = obs.ended_at or now
    if obs.pauses and obs.pauses[-1].resumed_at is None:
        return obs.pauses[-1].paused_ms
    paused = sum(((p.resumed_at or end) - p.paused_at for p in obs.pauses), dt.timedelta())
    return max(0, int(((end - obs.started_at) - paused).total_seconds() * 1000))


def list_open_observations(session: Session) -> list[ObservationView]:
    """Visits that were started and never ended (a crash, or a laptop closed mid-lesson)."""
    rows = session.scalars(select(Observation).where(Observation.ended_at.is_(None))
                           .order_by(Observation.started_at.desc()))
    return [_view(o) for o in rows]
