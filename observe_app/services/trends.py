"""Growth series shaped for a chart (named lines over a teacher's cycles or visits), made once
for both the growth view and the PDF's growth charts. Plain Python over the growth points."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from observe_app.domain.formats import short_label

if TYPE_CHECKING:
    from observe_app.services.growth import (
        DomainPoint,
        ParticipationPoint,
        ScanPoint,
        TallyPoint,
        TimerPoint,
    )

P = TypeVar("P")


@dataclass(frozen=True)
class Point:
    at: str  # the cycle or the visit (observation) the value belongs to
    when: dt.datetime  # the cycle's date or the visit's start (UTC)
    value: float


@dataclass(frozen=True)
class Line:
    key: str  # what the line follows: a domain, an item's short label, an interval code
    name: str  # how the line is labelled
    points: tuple[Point, ...]

    @property
    def peak(self) -> float:
        return max((p.value for p in self.points), default=0.0)


@dataclass(frozen=True)
class Trend:
    """Lines over the cycles or visits along the x axis (`moments`, oldest first)."""

    lines: tuple[Line, ...] = ()
    moments: tuple[tuple[str, dt.datetime], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.lines)

    def line(self, key: str) -> Line | None:
        return next((line for line in self.lines if line.key == key), None)

    def position(self) -> dict[str, int]:
        """Each cycle's or visit's place along x: 0 for the oldest."""
        return {at: i for i, (at, _when) in enumerate(self.moments)}

    def strongest(self, most: int) -> Trend:
        """At most `most` lines, those reaching highest first (a crowded chart stops reading)."""
        kept = sorted(self.lines, key=lambda line: -line.peak)[:most]
        return Trend(tuple(kept), self.moments)

    @property
    def top(self) -> float:
        return max((line.peak for line in self.lines), default=0.0)


def _trend(points: Sequence[P], at: Callable[[P], tuple[str, dt.datetime]],
           key: Callable[[P], str], value: Callable[[P], float],
           name: Callable[[str], str] = str) -> Trend:
    """Group `points` into lines by `key`, in the order each key first appears."""
    lines: dict[str, list[Point]] = {}
    moments: dict[str, dt.datetime] = {}
    for p in points:
        where, when = at(p)
        moments.setdefault(where, when)
        lines.setdefault(key(p), []).append(Point(where, when, value(p)))
    return Trend(tuple(Line(k, name(k), tuple(v)) for k, v in lines.items()),
                 tuple(moments.items()))


def _visit(point: TallyPoint | TimerPoint | ScanPoint | ParticipationPoint
           ) -> tuple[str, dt.datetime]:
    return point.observation_id, point.started_at


def domain_trend(points: Sequence[DomainPoint]) -> Trend:
    """The mean rubric level of each domain, cycle by cycle."""
    return _trend(points, lambda p: (p.cycle_id, p.date), lambda p: p.domain,
                  lambda p: p.mean_level)


def tally_trend(points: Sequence[TallyPoint]) -> Trend:
    """Each tally's count per visit, named by the item's short label."""
    return _trend(points, _visit, lambda p: short_label(p.label),
                  lambda p: p.count)


def timer_trend(points: Sequence[TimerPoint]) -> Trend:
    """Each timer's mean length per visit, in seconds."""
    return _trend(points, _visit, lambda p: short_label(p.label),
                  lambda p: p.mean_ms / 1000)


def scan_trend(points: Sequence[ScanPoint], labels: Mapping[str, str]) -> Trend:
    """Each interval code's share of a visit's scans, in percent; lines keyed by code and named
    by `labels` (the code itself where no protocol names it)."""
    return _trend(points, _visit, lambda p: p.code,
                  lambda p: p.share * 100, lambda code: labels.get(code, code))


def heard_trend(points: Sequence[ParticipationPoint]) -> Trend:
    """The share of seats heard at least once in each visit, in percent; a line per
    participation item, named by its short label."""
    return _trend([p for p in points if p.seats], _visit, lambda p: short_label(p.label),
                  lambda p: p.spoke / p.seats * 100)


def evenness_trend(points: Sequence[ParticipationPoint]) -> Trend:
    """How evenly talk was spread in each visit: the Gini coefficient (0 even, 1 one seat did
    all the talking); a visit where nobody was heard has no spread, so no point."""
    return _trend([p for p in points if p.gini is not None], _visit,
                  lambda p: short_label(p.label), lambda p: p.gini or 0.0)


def cycle_means(points: Iterable[DomainPoint]) -> list[tuple[str, dt.datetime, float]]:
    """Per rated cycle, oldest first: the mean of its domains' mean levels."""
    by_cycle: dict[str, tuple[dt.datetime, list[float]]] = {}
    for p in points:
        by_cycle.setdefault(p.cycle_id, (p.date, []))[1].append(p.mean_level)
    return [(cycle_id, when, sum(levels) / len(levels))
            for cycle_id, (when, levels) in by_cycle.items()]
