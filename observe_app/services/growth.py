"""The growth queries behind the mentor's view: ratings per domain, tallies and scans over time."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from observe_app.domain.enums import ItemKind
from observe_app.domain.models import (
    Cycle,
    IntervalRecord,
    ItemResponse,
    Observation,
    ProtocolItem,
    Rating,
    TimerRun,
)
from observe_app.domain.types import utc_from_db
from observe_app.services import cycles


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


def domain_levels(session: Session, teacher_id: str) -> list[DomainPoint]:
    """Per cycle of the teacher (in date order), the mean level of each rated domain."""
    rows = session.execute(
        select(Rating.cycle_id, ProtocolItem.section, func.avg(Rating.level), func.count())
        .join(ProtocolItem, ProtocolItem.id == Rating.item_id)
        .join(Cycle, Cycle.id == Rating.cycle_id)
        .where(Cycle.teacher_id == teacher_id, Rating.level.is_not(None))
        .group_by(Rating.cycle_id, ProtocolItem.section))
    dates = {c.id: c.date for c in cycles.list_cycles(session, teacher_id=teacher_id)}
    points = [DomainPoint(cycle_id, dates[cycle_id], section, round(float(mean), 2), n)
              for cycle_id, section, mean, n in rows]
    return sorted(points, key=lambda p: (p.date, p.domain))


def tally_trend(session: Session, teacher_id: str) -> list[TallyPoint]:
    """Each tally of each of the teacher's visits, oldest first (e.g. open questions per lesson)."""
    rows = session.execute(
        select(Observation.id, Observation.started_at, ProtocolItem.key, ProtocolItem.label,
               ItemResponse.count)
        .join(ItemResponse, ItemResponse.observation_id == Observation.id)
        .join(ProtocolItem, ProtocolItem.id == ItemResponse.item_id)
        .join(Cycle, Cycle.id == Observation.cycle_id)
        .where(Cycle.teacher_id == teacher_id, ProtocolItem.kind == ItemKind.TALLY,
               ItemResponse.count.is_not(None))
        .order_by(Observation.started_at, ProtocolItem.position))
    return [TallyPoint(o, utc_from_db(s), k, lb, c or 0) for o, s, k, lb, c in rows]


def scan_trend(session: Session, teacher_id: str) -> list[ScanPoint]:
    """For each visit with an interval scan, the share of intervals in which each code was seen."""
    rows = session.execute(
        select(Observation.id, Observation.started_at, IntervalRecord.codes)
        .join(IntervalRecord, IntervalRecord.observation_id == Observation.id)
        .join(Cycle, Cycle.id == Observation.cycle_id)
        .where(Cycle.teacher_id == teacher_id, IntervalRecord.missed.is_(False))
        .order_by(Observation.started_at))
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


def timer_trend(session: Session, teacher_id: str) -> list[TimerPoint]:
    """Each timer of each of the teacher's visits, oldest first (e.g. mean wait time)."""
    rows = session.execute(
        select(Observation.id, Observation.started_at, ProtocolItem.key, ProtocolItem.label,
               func.count(), func.avg(TimerRun.duration_ms))
        .join(TimerRun, TimerRun.observation_id == Observation.id)
        .join(ProtocolItem, ProtocolItem.id == TimerRun.item_id)
        .join(Cycle, Cycle.id == Observation.cycle_id)
        .where(Cycle.teacher_id == teacher_id)
        .group_by(Observation.id, ProtocolItem.id)
        .order_by(Observation.started_at, ProtocolItem.position))
    return [TimerPoint(o, utc_from_db(s), k, lb, n, float(mean))
            for o, s, k, lb, n, mean in rows]
