"""The school's picture over a period and a scope: programme coverage (who has observed whom,
cycles per stage, overdue post-conferences), practice patterns (anonymised, from every capture
kind's reader) and impact over time. One read model for the School page, the PLC data review
PDF and CSV, and `observe-app school report`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sqlalchemy import text
from sqlalchemy.orm import Session

from observe_app import kinds
from observe_app.domain.enums import CycleStage, Role
from observe_app.domain.models import LocalSetting
from observe_app.domain.types import utc_from_db
from observe_app.errors import BadInputError
from observe_app.services.school_figures import (
    MINIMUM_TEACHERS,
    MINIMUM_VISITS,
    Pattern,
    beside_the_rest,
)
from observe_app.services.school_impact import Impact, impact
from observe_app.services.school_patterns import Reading
from observe_app.services.school_period import Period, Scope, scope_params, scope_sql

__all__ = ["MINIMUM_TEACHERS", "Coverage", "Impact", "SchoolPicture", "coverage", "impact",
           "minimum_visits", "patterns", "school_picture", "set_minimum_visits"]

OVERDUE_AFTER_DAYS = 14  # a post-conference not held two weeks after the visit
_MINIMUM_VISITS_KEY = "school.minimum_visits"


def minimum_visits(session: Session) -> int:
    """The fewest visits a pattern may stand on (a setting of this data folder; default 5)."""
    value = session.get(LocalSetting, _MINIMUM_VISITS_KEY)
    return value.value if value is not None and isinstance(value.value, int) else MINIMUM_VISITS


def set_minimum_visits(session: Session, visits: int) -> None:
    if not 2 <= visits <= 100:
        raise BadInputError(
            f"the fewest visits behind a figure must be between 2 and 100, not {visits}: below 2 "
            "one lesson could be read from the figures")
    session.merge(LocalSetting(key=_MINIMUM_VISITS_KEY, value=visits))


# -- coverage: names, for the coordinator (never in the anonymised patterns or exports) ------

@dataclass(frozen=True)
class TeacherCoverage:
    person_id: str
    name: str
    subject: str
    observed: int  # cycles with a visit to their lessons in the period
    observing: int  # visits they made to colleagues' lessons in the period


@dataclass(frozen=True)
class Pairing:
    observer_id: str
    teacher_id: str
    visits: int


@dataclass(frozen=True)
class OverdueCycle:
    cycle_id: str
    teacher: str
    observer: str
    visited: dt.datetime
    days: int  # since the visit


@dataclass(frozen=True)
class Coverage:
    teachers: tuple[TeacherCoverage, ...]
    pairs: tuple[Pairing, ...]
    stages: tuple[tuple[CycleStage, int], ...]  # the period's cycles in each stage
    overdue: tuple[OverdueCycle, ...]
    as_of: dt.date

    @property
    def never_observed(self) -> tuple[TeacherCoverage, ...]:
        return tuple(t for t in self.teachers if t.observed == 0)

    @property
    def never_observing(self) -> tuple[TeacherCoverage, ...]:
        return tuple(t for t in self.teachers if t.observing == 0)


def coverage(session: Session, period: Period, scope: Scope, *,
             today: dt.date | None = None) -> Coverage:
    """Who was observed and who observed in the period, the observer × observed pairs,
    the period's cycles per stage and those whose post-conference is overdue."""
    from_, to_ = period.bounds()
    params = {"from_": from_, "to_": to_, "first_day": period.start.isoformat(),
              "day_after": (period.end + dt.timedelta(days=1)).isoformat(), **scope_params(scope)}
    visits = (f"FROM observations o JOIN cycles c ON c.id = o.cycle_id "
              f"JOIN people t ON t.id = c.teacher_id WHERE o.started_at >= :from_ "
              f"AND o.started_at < :to_ AND {scope_sql(scope)}")
    # One pass over the period's visits. A visit the teacher's record shows is the cycle's
    # observer's (or has none of its own), so each cycle falls in one observer × teacher
    # group and its teacher's cycles add up across the groups.
    pairs: list[Pairing] = []
    observed: dict[str, int] = {}
    for observer, teacher, n, cycles in session.execute(text(
            f"SELECT coalesce(o.observer_id, c.observer_id), c.teacher_id, count(*), "
            f"count(DISTINCT c.id) {visits} GROUP BY 1, 2"), params):
        observed[teacher] = observed.get(teacher, 0) + cycles
        if observer is not None:
            pairs.append(Pairing(observer, teacher, n))
    observing: dict[str, int] = {}
    for pair in pairs:
        observing[pair.observer_id] = observing.get(pair.observer_id, 0) + pair.visits
    people = _people(session, scope, params)
    if scope.grade:  # a grade is the visit's: its teachers are known by the visits alone
        people = [p for p in people if p[0] in observed]
    teachers = tuple(TeacherCoverage(pid, name, subject, observed.get(pid, 0),
                                     observing.get(pid, 0)) for pid, name, subject in people)
    stages = _stages(session, params, scope)
    as_of = min(today or dt.date.today(), period.end)
    return Coverage(teachers, tuple(pairs), stages, _overdue(session, params, scope, as_of),
                    as_of)


def _people(session: Session, scope: Scope, params: dict[str, str]) -> list[tuple[str, str, str]]:
    # Everyone who teaches lessons: leaders walk the school but are not on its timetable here.
    where = ["archived_at IS NULL", f"role != '{Role.LEADER.value}'"]
    if scope.subject:
        where.append("subject = :subject")
    if scope.teacher_ids:
        where.append("id IN (SELECT value FROM json_each(:members))")
    rows = session.execute(text(
        f"SELECT id, name, subject FROM people WHERE {' AND '.join(where)} ORDER BY name"),
        params)
    return [(pid, name, subject) for pid, name, subject in rows]


def _period_cycles_sql(scope: Scope) -> str:
    """The period's cycles: a visit in it, or planned in it and not visited yet (a grade is
    the visit's: a cycle not visited yet is in no grade's)."""
    visited = (f"SELECT DISTINCT c.id FROM observations o JOIN cycles c ON c.id = o.cycle_id "
               f"JOIN people t ON t.id = c.teacher_id WHERE o.started_at >= :from_ "
               f"AND o.started_at < :to_ AND {scope_sql(scope)}")
    if scope.grade:
        return visited
    return (f"{visited} UNION SELECT c.id FROM cycles c JOIN people t ON t.id = c.teacher_id "
            f"WHERE c.planned_date >= :first_day AND c.planned_date < :day_after "
            f"AND NOT EXISTS (SELECT 1 FROM observations o WHERE o.cycle_id = c.id)"
            + (" AND t.subject = :subject" if scope.subject else "")
            + (" AND c.teacher_id IN (SELECT value FROM json_each(:members))"
               if scope.teacher_ids else ""))


def _stages(session: Session, params: dict[str, str],
            scope: Scope) -> tuple[tuple[CycleStage, int], ...]:
    counts: dict[str, int] = dict(session.execute(text(
        f"SELECT stage, count(*) FROM cycles WHERE id IN ({_period_cycles_sql(scope)}) "
        "AND archived_at IS NULL GROUP BY stage"), params).all())
    return tuple((stage, counts.get(stage.value, 0))
                 for stage in CycleStage)


def _overdue(session: Session, params: dict[str, str], scope: Scope,
             as_of: dt.date) -> tuple[OverdueCycle, ...]:
    rows = session.execute(text(
        "SELECT c.id, t.name, coalesce(w.name, ''), max(o.started_at) FROM cycles c "
        "JOIN people t ON t.id = c.teacher_id LEFT JOIN people w ON w.id = c.observer_id "
        "JOIN observations o ON o.cycle_id = c.id "
        f"WHERE c.id IN ({_period_cycles_sql(scope)}) AND c.archived_at IS NULL "
        # Still at the post-conference (or the visit): a held one moves it on to reflection.
        "AND c.stage IN ('observation', 'post_conference') AND o.ended_at IS NOT NULL "
        "GROUP BY c.id ORDER BY 4"), params)
    out = []
    for cycle_id, teacher, observer, visited in rows:
        when = utc_from_db(visited)
        days = (as_of - when.astimezone().date()).days
        if days > OVERDUE_AFTER_DAYS:
            out.append(OverdueCycle(cycle_id, teacher, observer, when, days))
    return tuple(out)


# -- patterns and the whole picture ----------------------------------------------------------

def patterns(session: Session, period: Period, scope: Scope, *,
             minimum: int | None = None) -> tuple[Pattern, ...]:
    """Every capture kind's anonymised patterns for the period, against the one before; a
    scope's beside the rest of the school's (`beside_the_rest`)."""
    least = minimum if minimum is not None else minimum_visits(session)
    found = _patterns(session, Reading(period, period.previous(), scope, least))
    if scope.whole_school:
        return found
    rest = {_same(p): p for p in _patterns(session, Reading(period, period.previous(),
                                                            scope.rest(), least))}
    return tuple(replace(p, now=beside_the_rest(p.now, r.now), before=beside_the_rest(
        p.before, r.before)) if (r := rest.get(_same(p))) else p for p in found)


def _patterns(session: Session, reading: Reading) -> tuple[Pattern, ...]:
    found: list[Pattern] = []
    with reading.read_once(session) as once:
        for kind in kinds.all_kinds():
            found.extend(kind.school_patterns(session, once))
    return tuple(found)


def _same(p: Pattern) -> tuple[str, str, str]:
    return (p.kind, p.protocol, p.key)


@dataclass(frozen=True)
class SchoolPicture:
    period: Period
    before: Period
    scope: Scope
    minimum_visits: int
    coverage: Coverage
    patterns: tuple[Pattern, ...]
    impact: Impact


def school_picture(session: Session, period: Period, scope: Scope, *,
                   today: dt.date | None = None) -> SchoolPicture:
    least = minimum_visits(session)
    return SchoolPicture(period, period.previous(), scope, least,
                         coverage(session, period, scope, today=today),
                         patterns(session, period, scope, minimum=least),
                         impact(session, period, scope, minimum=least))
