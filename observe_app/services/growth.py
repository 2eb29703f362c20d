"""The growth of a teacher: ratings per domain, tallies, timers, scans and participation over
time, and the one read model (`teacher_growth`) that both the mentor's growth view and the PDF's
growth part show."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import bindparam, func, select, text
from sqlalchemy.orm import Session

from observe_app import kinds
from observe_app.domain.enums import ItemKind
from observe_app.domain.models import (
    Contribution,
    Cycle,
    IntervalRecord,
    ItemResponse,
    Observation,
    ProtocolItem,
    Rating,
    TimerRun,
    VisitSeating,
)
from observe_app.domain.types import utc_from_db
from observe_app.errors import NotFoundError
from observe_app.services import cycles, goals, people, protocols, trends
from observe_app.services.co_observation import teacher_facing_sql
from observe_app.services.cycles import CycleSummary
from observe_app.services.goals import GoalView
from observe_app.services.people import PersonView
from observe_app.services.trends import Trend

LOWEST_TOP_LEVEL = 4  # a rubric chart's scale reaches at least this level
PARTICIPATION = "participation"  # the capture kind's name (kinds/participation.py)


@dataclass(frozen=True)
class DomainPoint:
    """The mean rubric level of one domain (protocol section) in one cycle."""

    cycle_id: str
    date: dt.datetime
    domain: str
    mean_level: float
    rated_items: int


@dataclass(frozen=True)
class TallyPoint:
    observation_id: str
    started_at: dt.datetime
    item_key: str
    label: str
    count: int


@dataclass(frozen=True)
class TimerPoint:
    """One timer of one visit: how many runs and their mean length (e.g. wait time)."""

    observation_id: str
    started_at: dt.datetime
    item_key: str
    label: str
    runs: int
    mean_ms: float


@dataclass(frozen=True)
class ScanPoint:
    """Share of one visit's recorded intervals in which a code was ticked (0..1)."""

    observation_id: str
    started_at: dt.datetime
    code: str
    share: float


@dataclass(frozen=True)
class ParticipationPoint:
    """One participation map of one visit: how many seats were heard, and how evenly."""

    observation_id: str
    started_at: dt.datetime
    item_key: str
    label: str
    seats: int
    spoke: int
    contributions: int
    gini: float | None  # None: nobody was heard

    @property
    def spoke_share(self) -> float | None:
        return self.spoke / self.seats if self.seats else None


def domain_levels(session: Session, teacher_id: str,
                  cycles_read: Sequence[CycleSummary] | None = None) -> list[DomainPoint]:
    """Per cycle of the teacher (in date order), the mean level of each rated domain; dated by
    the teacher's cycles, read here unless the caller has them."""
    rows = session.execute(_domain_levels_query(), {"teacher_id": teacher_id})
    if cycles_read is None:
        cycles_read = cycles.list_cycles(session, teacher_id=teacher_id)
    dates = {c.id: c.date for c in cycles_read}
    points = [DomainPoint(cycle_id, dates[cycle_id], section, round(float(mean), 2), n)
              for cycle_id, section, mean, n in rows]
    return sorted(points, key=lambda p: (p.date, p.domain))


def tally_trend(session: Session, teacher_id: str,
                _cycles_read: Sequence[CycleSummary] | None = None) -> list[TallyPoint]:
    """Each tally of each of the teacher's visits, oldest first (e.g. open questions per lesson)."""
    rows = session.execute(_tally_query(), {"teacher_id": teacher_id})
    return [TallyPoint(o, utc_from_db(s), k, lb, c or 0) for o, s, k, lb, c in rows]


def scan_trend(session: Session, teacher_id: str,
                _cycles_read: Sequence[CycleSummary] | None = None) -> list[ScanPoint]:
    """For each visit with an interval scan, the share of intervals in which each code was seen."""
    rows = session.execute(_scan_query(), {"teacher_id": teacher_id})
    totals: dict[str, int] = defaultdict(int)
    hits: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    started: dict[str, dt.datetime] = {}
    for obs_id, start, codes in rows:
        started[obs_id] = utc_from_db(start)
        totals[obs_id] += 1
        for code in codes:
            hits[obs_id][code] += 1
    return [ScanPoint(obs_id, started[obs_id], code, n / totals[obs_id])
            for obs_id in started for code, n in sorted(hits[obs_id].items())]


def timer_trend(session: Session, teacher_id: str,
                _cycles_read: Sequence[CycleSummary] | None = None) -> list[TimerPoint]:
    """Each timer of each of the teacher's visits, oldest first (e.g. mean wait time)."""
    rows = session.execute(_timer_query(), {"teacher_id": teacher_id})
    return [TimerPoint(o, utc_from_db(s), k, lb, n, float(mean))
            for o, s, k, lb, n, mean in rows]


def participation_trend(session: Session, teacher_id: str,
                        _cycles_read: Sequence[CycleSummary] | None = None,
                        ) -> list[ParticipationPoint]:
    """Each participation map of each of the teacher's visits, oldest first: the share of
    students heard and how evenly talk was spread."""
    from observe_app.services import participation

    seated = session.execute(_seated_query(), {"teacher_id": teacher_id}).all()
    heard: dict[tuple[str, str], dict[int, int]] = defaultdict(dict)
    for obs_id, item_id, seat, n in session.execute(_heard_query(), {"teacher_id": teacher_id}):
        heard[(obs_id, item_id)][seat] = n
    points = []
    for obs_id, started, item_id, key, label, raw in seated:
        counts = heard.get((obs_id, item_id), {})
        if not counts:
            continue  # a map nobody tapped was not used: not a lesson where nobody spoke
        numbers = [s.number for s in participation.seats_from_json(raw)]
        per_seat = [counts.get(n, 0) for n in numbers]
        points.append(ParticipationPoint(
            obs_id, utc_from_db(started), key, label, len(numbers),
            sum(1 for c in per_seat if c), sum(per_seat), participation.gini(per_seat)))
    return points


# Each read above is built once, with the teacher as a bound parameter: building a statement
# with its joins took longer than SQLite takes to run it (0.35 of 0.57 ms), and a cycle's PDF
# runs some thirty of them.

@cache
def _domain_levels_query():  # type: ignore[no-untyped-def]
    return (select(Rating.cycle_id, ProtocolItem.section, func.avg(Rating.level), func.count())
            .join(ProtocolItem, ProtocolItem.id == Rating.item_id)
            .join(Cycle, Cycle.id == Rating.cycle_id)
            .where(Cycle.teacher_id == bindparam("teacher_id"), Rating.level.is_not(None))
            .group_by(Rating.cycle_id, ProtocolItem.section))


@cache
def _tally_query():  # type: ignore[no-untyped-def]
    return (select(Observation.id, Observation.started_at, ProtocolItem.key, ProtocolItem.label,
                   ItemResponse.count)
            .join(ItemResponse, ItemResponse.observation_id == Observation.id)
            .join(ProtocolItem, ProtocolItem.id == ItemResponse.item_id)
            .join(Cycle, Cycle.id == Observation.cycle_id)
            .where(text(teacher_facing_sql()))
            .where(Cycle.teacher_id == bindparam("teacher_id"),
                   ProtocolItem.kind == ItemKind.TALLY, ItemResponse.count.is_not(None))
            .order_by(Observation.started_at, ProtocolItem.position))


@cache
def _scan_query():  # type: ignore[no-untyped-def]
    return (select(Observation.id, Observation.started_at, IntervalRecord.codes)
            .join(IntervalRecord, IntervalRecord.observation_id == Observation.id)
            .join(Cycle, Cycle.id == Observation.cycle_id)
            .where(text(teacher_facing_sql()))
            .where(Cycle.teacher_id == bindparam("teacher_id"),
                   IntervalRecord.missed.is_(False))
            .order_by(Observation.started_at))


@cache
def _timer_query():  # type: ignore[no-untyped-def]
    return (select(Observation.id, Observation.started_at, ProtocolItem.key, ProtocolItem.label,
                   func.count(), func.avg(TimerRun.duration_ms))
            .join(TimerRun, TimerRun.observation_id == Observation.id)
            .join(ProtocolItem, ProtocolItem.id == TimerRun.item_id)
            .join(Cycle, Cycle.id == Observation.cycle_id)
            .where(text(teacher_facing_sql()))
            .where(Cycle.teacher_id == bindparam("teacher_id"))
            .group_by(Observation.id, ProtocolItem.id)
            .order_by(Observation.started_at, ProtocolItem.position))


@cache
def _seated_query():  # type: ignore[no-untyped-def]
    return (select(Observation.id, Observation.started_at, ProtocolItem.id, ProtocolItem.key,
                   ProtocolItem.label, VisitSeating.seats)
            .join(VisitSeating, VisitSeating.observation_id == Observation.id)
            .join(ProtocolItem, ProtocolItem.id == VisitSeating.item_id)
            .join(Cycle, Cycle.id == Observation.cycle_id)
            .where(text(teacher_facing_sql()))
            .where(Cycle.teacher_id == bindparam("teacher_id"))
            .order_by(Observation.started_at, ProtocolItem.position))


@cache
def _heard_query():  # type: ignore[no-untyped-def]
    return (select(Contribution.observation_id, Contribution.item_id, Contribution.seat,
                   func.count())
            .join(Observation, Observation.id == Contribution.observation_id)
            .join(Cycle, Cycle.id == Observation.cycle_id)
            .where(text(teacher_facing_sql()))
            .where(Cycle.teacher_id == bindparam("teacher_id"))
            .group_by(Contribution.observation_id, Contribution.item_id, Contribution.seat))


@dataclass(frozen=True)
class TeacherGrowth:
    """One teacher's growth as the growth view and a cycle's PDF show it."""

    teacher: PersonView
    cycles: tuple[CycleSummary, ...]  # for a cycle's PDF: those filed up to it, it last
    goals: tuple[GoalView, ...]
    # Per capture kind, its growth points (CaptureKind.growth_points), oldest first.
    points: Mapping[str, tuple[Any, ...]]
    domains: Trend  # mean rubric level per domain, cycle by cycle
    tallies: Trend  # count per visit, lines named by the item's short label
    timers: Trend  # mean seconds per visit
    scans: Trend  # percent of a visit's scans per interval code, named by the protocols
    heard: Trend  # percent of a visit's seats heard at least once, a line per participation item
    evenness: Trend  # the Gini coefficient of a visit's talk over its seats (0 even, 1 one seat)
    top_level: int  # the highest rubric level of the protocols used (at least 4)

    @property
    def domain_points(self) -> tuple[DomainPoint, ...]:
        return self.points.get(ItemKind.RUBRIC, ())

    @property
    def tally_points(self) -> tuple[TallyPoint, ...]:
        return self.points.get(ItemKind.TALLY, ())

    @property
    def timer_points(self) -> tuple[TimerPoint, ...]:
        return self.points.get(ItemKind.TIMER, ())

    @property
    def scan_points(self) -> tuple[ScanPoint, ...]:
        return self.points.get(ItemKind.INTERVAL, ())

    @property
    def participation_points(self) -> tuple[ParticipationPoint, ...]:
        return self.points.get(PARTICIPATION, ())

    @property
    def cycle_means(self) -> list[tuple[str, dt.datetime, float]]:
        return trends.cycle_means(self.domain_points)


def teacher_growth(session: Session, teacher_id: str, *,
                   until_cycle_id: str | None = None) -> TeacherGrowth:
    """Everything the growth of a teacher shows. With `until_cycle_id`, growth 'so far' as
    that cycle's PDF tells it: the cycles filed on or before it, and their visits."""
    teacher = people.get_person(session, teacher_id)
    all_cycles = cycles.list_cycles(session, teacher_id=teacher_id)
    points = {kind.name: tuple(kind.growth_points(session, teacher_id, all_cycles))
              for kind in kinds.all_kinds()}
    shown = tuple(all_cycles)
    if until_cycle_id is not None:
        this = next((c for c in all_cycles if c.id == until_cycle_id), None)
        if this is None:
            raise NotFoundError(f"no cycle {until_cycle_id} of this teacher")
        shown = _history(all_cycles, this)
        points = _so_far(session, points, shown, this)
    labels, top_level = _scales(session, [c.protocol_version_id for c in shown])
    return TeacherGrowth(
        teacher, shown, tuple(goals.goals_for_teacher(session, teacher_id)), points,
        domains=trends.domain_trend(points.get(ItemKind.RUBRIC, ())),
        tallies=trends.tally_trend(points.get(ItemKind.TALLY, ())),
        timers=trends.timer_trend(points.get(ItemKind.TIMER, ())),
        scans=trends.scan_trend(points.get(ItemKind.INTERVAL, ()), labels),
        heard=trends.heard_trend(points.get(PARTICIPATION, ())),
        evenness=trends.evenness_trend(points.get(PARTICIPATION, ())),
        top_level=top_level)


def _scales(session: Session, version_ids: list[str]) -> tuple[dict[str, str], int]:
    """The interval codes' labels (a later cycle's protocol naming a code last) and the highest
    rubric level of the protocol versions these cycles used; only the items that have them."""
    order = {version_id: i for i, version_id in enumerate(dict.fromkeys(version_ids))}
    rows = session.scalars(_scaled_items_query(), {"versions": list(order)})
    items = sorted(rows, key=lambda i: (order[i.version_id], i.position))
    labels: dict[str, str] = {}
    top_level = LOWEST_TOP_LEVEL
    for item in map(protocols.item_view, items):
        labels.update({code.key: code.label for code in item.codes})
        top_level = max([top_level, *(lv.level for lv in item.levels)])
    return labels, top_level


@cache
def _scaled_items_query():  # type: ignore[no-untyped-def]
    return select(ProtocolItem).where(
        ProtocolItem.version_id.in_(bindparam("versions", expanding=True)),
        ProtocolItem.kind.in_((ItemKind.RUBRIC, ItemKind.INTERVAL)))


def _history(all_cycles: list[CycleSummary], this: CycleSummary) -> tuple[CycleSummary, ...]:
    """The teacher's cycles 'so far': those filed on or before this one, this one last."""
    earlier = [c for c in all_cycles if c.id != this.id and c.date <= this.date]
    return (*earlier, this)


def _so_far(session: Session, points: dict[str, tuple[Any, ...]],
            history: tuple[CycleSummary, ...], this: CycleSummary
            ) -> dict[str, tuple[Any, ...]]:
    """The points of cycles up to this one, or of visits up to this cycle's last."""
    in_history = {c.id for c in history}
    last_date = history[-1].date
    visit_ids = set(session.scalars(_visit_ids_query(), {"cycle_id": this.id}))

    def kept(point: Any) -> bool:
        if hasattr(point, "observation_id"):
            return point.started_at <= last_date or point.observation_id in visit_ids
        return point.cycle_id in in_history

    return {name: tuple(p for p in series if kept(p)) for name, series in points.items()}


@cache
def _visit_ids_query():  # type: ignore[no-untyped-def]
    return select(Observation.id).where(Observation.cycle_id == bindparam("cycle_id"))
