"""Co-observation: two or more observers record one lesson, each on their own laptop, to
calibrate how they see it.

The observer plans the cycle and adds co-observers; the planned cycle travels to them in an
observation package. Each records the lesson and rates it from their own visit. A visit is
handed in when its observer sends it: from then on it does not change, and only a handed-in
visit ever leaves the laptop it was recorded on (exchange/selection.py). On any laptop, a
visit of a co-observed lesson recorded elsewhere stays hidden until every observer's visit is
here and handed in, so nobody sees another's notes or ratings before theirs are in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, delete, select
from sqlalchemy.orm import Session

from observe_app import kinds
from observe_app.domain.models import (
    Cycle,
    CycleCoObserver,
    Observation,
    Person,
    ProtocolItem,
    VisitRating,
)
from observe_app.domain.types import utc_now
from observe_app.errors import BadInputError
from observe_app.services.common import get_or_fail


def teacher_facing_sql(o: str = "observations", c: str = "cycles") -> str:
    """SQL true for a visit the teacher's record shows (its feedback, PDF, growth, search):
    the cycle's observer's visit, unless it came from another laptop while a co-observer's
    handed-in visit is not here yet. Co-observers' visits are calibration's alone."""
    return (f"(({o}.observer_id IS NULL OR {o}.observer_id = {c}.observer_id) AND NOT "
            f"({o}.recorded_here = 0 AND EXISTS (SELECT 1 FROM cycle_co_observers x "
            f"WHERE x.cycle_id = {o}.cycle_id AND NOT EXISTS (SELECT 1 FROM observations h "
            f"WHERE h.cycle_id = {o}.cycle_id AND h.observer_id = x.person_id "
            f"AND h.handed_in_at IS NOT NULL))))")


@dataclass(frozen=True)
class LessonVisit:
    """One observer's visit of a co-observed lesson, as this laptop knows it."""

    observation_id: str
    observer_id: str | None
    observer_name: str
    started_at: dt.datetime
    ended: bool
    handed_in_at: dt.datetime | None
    recorded_here: bool


@dataclass(frozen=True)
class Lesson:
    """A co-observed cycle's observers and their visits; `open` once every observer's visit
    is here and handed in (then everyone may see every visit)."""

    cycle_id: str
    observers: tuple[tuple[str | None, str], ...]  # (person id, name); the observer first
    visits: tuple[LessonVisit, ...]

    @property
    def waiting_for(self) -> tuple[str, ...]:
        """Names of the observers whose handed-in visit this laptop does not have yet."""
        handed_in = {v.observer_id for v in self.visits if v.handed_in_at is not None}
        return tuple(name for pid, name in self.observers if pid not in handed_in)

    @property
    def open(self) -> bool:
        return not self.waiting_for

    def shown(self, visit: LessonVisit) -> bool:
        return visit.recorded_here or self.open


@dataclass(frozen=True)
class VisitRatingView:
    item_id: str
    level: int | None
    not_observed: bool


def add_co_observer(session: Session, cycle_id: str, person_id: str) -> None:
    cycle = get_or_fail(session, Cycle, cycle_id, "cycle")
    person = get_or_fail(session, Person, person_id, "person")
    if person_id == cycle.teacher_id:
        raise BadInputError(f"{person.name} is the teacher observed in this cycle; "
                            "choose a colleague who watches the lesson")
    if person_id == cycle.observer_id:
        raise BadInputError(f"{person.name} is already this cycle's observer")
    if cycle.observer_id is None:
        raise BadInputError("choose the cycle's observer first: co-observers calibrate "
                            "against the observer")
    if session.get(CycleCoObserver, (cycle_id, person_id)) is None:
        session.add(CycleCoObserver(cycle_id=cycle_id, person_id=person_id))
        session.flush()


def remove_co_observer(session: Session, cycle_id: str, person_id: str) -> None:
    """Take someone off the lesson; refused once they have a visit of it."""
    get_or_fail(session, Cycle, cycle_id, "cycle")
    visit = session.scalar(select(Observation.id).where(
        Observation.cycle_id == cycle_id, Observation.observer_id == person_id))
    if visit is not None:
        raise BadInputError("this co-observer has already recorded the lesson; their visit "
                            "stays with the cycle")
    session.execute(delete(CycleCoObserver).where(CycleCoObserver.cycle_id == cycle_id,
                                                  CycleCoObserver.person_id == person_id))
    session.flush()


def co_observer_ids(session: Session, cycle_id: str) -> list[str]:
    return list(session.scalars(select(CycleCoObserver.person_id)
                                .where(CycleCoObserver.cycle_id == cycle_id)))


def is_co_observed(session: Session, cycle_id: str) -> bool:
    return session.scalar(select(CycleCoObserver.person_id)
                          .where(CycleCoObserver.cycle_id == cycle_id).limit(1)) is not None


def by_co_observer(visit: Observation, cycle: Cycle) -> bool:
    return visit.observer_id is not None and visit.observer_id != cycle.observer_id


def check_observer(session: Session, cycle: Cycle, observer_id: str | None) -> None:
    """A visit of a co-observed lesson is recorded by its observer or one of its
    co-observers (None: the cycle's observer)."""
    if observer_id is None or observer_id == cycle.observer_id:
        return
    if session.get(CycleCoObserver, (cycle.id, observer_id)) is None:
        person = get_or_fail(session, Person, observer_id, "person")
        raise BadInputError(f"{person.name} does not observe this lesson; add them as a "
                            "co-observer first")


def lesson(session: Session, cycle_id: str) -> Lesson:
    cycle = get_or_fail(session, Cycle, cycle_id, "cycle")
    names = dict(session.execute(select(Person.id, Person.name).where(Person.id.in_(
        [cycle.observer_id, *co_observer_ids(session, cycle_id)]))).all())
    observers = tuple([(cycle.observer_id, names.get(cycle.observer_id or "", "The observer")),
                       *sorted(((pid, names[pid]) for pid in names
                                if pid != cycle.observer_id), key=lambda p: p[1])])
    visits = []
    for obs in session.scalars(select(Observation).where(Observation.cycle_id == cycle_id)
                               .order_by(Observation.started_at)):
        who = obs.observer_id or cycle.observer_id
        visits.append(LessonVisit(obs.id, who, names.get(who or "", "The observer"),
                                  obs.started_at, obs.ended_at is not None, obs.handed_in_at,
                                  obs.recorded_here))
    return Lesson(cycle_id, observers, tuple(visits))


def lesson_is_open(conn: Connection, cycle_id: str) -> bool:
    """Every observer of a co-observed lesson has a handed-in visit here (plain SQL, for the
    package writer)."""
    missing = conn.exec_driver_sql(
        "SELECT 1 FROM cycles c WHERE c.id = ? AND EXISTS (SELECT 1 FROM "
        "(SELECT c.observer_id AS person_id UNION SELECT person_id FROM cycle_co_observers "
        " WHERE cycle_id = c.id) who WHERE NOT EXISTS (SELECT 1 FROM observations h "
        " WHERE h.cycle_id = c.id AND coalesce(h.observer_id, c.observer_id) = who.person_id "
        " AND h.handed_in_at IS NOT NULL))", (cycle_id,)).first()
    return missing is None


def kept_back(session: Session, cycle_id: str) -> tuple[str, ...]:
    """Names of the observers whose visit of this co-observed lesson, recorded here, a
    package of the cycle leaves out because it is not handed in yet."""
    if not is_co_observed(session, cycle_id):
        return ()
    return tuple(v.observer_name for v in lesson(session, cycle_id).visits
                 if v.recorded_here and v.handed_in_at is None)


def hidden_visit_ids(session: Session, cycle_id: str) -> set[str]:
    """Visits of this cycle that this laptop must not show yet (none, if not co-observed)."""
    if not is_co_observed(session, cycle_id):
        return set()
    found = lesson(session, cycle_id)
    return {v.observation_id for v in found.visits if not found.shown(v)}


HANDED_IN = "this visit was handed in for calibration and no longer changes"


def _own_visit(session: Session, observation_id: str) -> Observation:
    obs = get_or_fail(session, Observation, observation_id, "observation")
    if obs.handed_in_at is not None:
        raise BadInputError(HANDED_IN)
    return obs


def rate_from_visit(session: Session, observation_id: str, item_id: str, level: int | None, *,
                    not_observed: bool = False) -> VisitRatingView:
    """The level this visit's observer gives a rubric item (None clears it); 'not observed'
    clears the level."""
    obs = _own_visit(session, observation_id)
    item = get_or_fail(session, ProtocolItem, item_id, "protocol item")
    cycle = get_or_fail(session, Cycle, obs.cycle_id, "cycle")
    if item.version_id != cycle.protocol_version_id:
        raise BadInputError(f"{item.label!r} is not part of this cycle's protocol")
    if "rating" not in kinds.get(item.kind).records:
        raise BadInputError(f"{item.label!r} is a {item.kind}; only rubric items are rated")
    levels = {lv["level"] for lv in (item.config or {}).get("levels", [])}
    if level is not None and level not in levels:
        raise BadInputError(f"level {level} is not one of this item's levels "
                            f"({', '.join(map(str, sorted(levels)))})")
    rating = session.scalar(select(VisitRating).where(
        VisitRating.observation_id == observation_id, VisitRating.item_id == item_id))
    if rating is None:
        rating = VisitRating(observation_id=observation_id, item_id=item_id)
        session.add(rating)
    rating.level = None if not_observed else level
    rating.not_observed = not_observed
    rating.updated_at = utc_now()
    session.flush()
    return VisitRatingView(item_id, rating.level, rating.not_observed)


def visit_ratings(session: Session, observation_id: str) -> dict[str, VisitRatingView]:
    return {r.item_id: VisitRatingView(r.item_id, r.level, r.not_observed)
            for r in session.scalars(select(VisitRating)
                                     .where(VisitRating.observation_id == observation_id))}


def hand_in(session: Session, observation_id: str, now: dt.datetime | None = None) -> None:
    """Hand in an ended visit of a co-observed lesson: it no longer changes, and it may now
    travel to the other observers. Handing in twice changes nothing."""
    obs = get_or_fail(session, Observation, observation_id, "observation")
    if obs.handed_in_at is not None:
        return
    if not is_co_observed(session, obs.cycle_id):
        raise BadInputError("only a visit of a co-observed lesson is handed in")
    if obs.ended_at is None:
        raise BadInputError("end the visit before handing it in")
    obs.handed_in_at = now or utc_now()
    session.flush()


def refuse_if_handed_in(session: Session, observation_id: str) -> None:
    """For every change to a visit's record: a handed-in visit stays as it was sent."""
    handed_in = session.scalar(select(Observation.handed_in_at)
                               .where(Observation.id == observation_id))
    if handed_in is not None:
        raise BadInputError(HANDED_IN)
