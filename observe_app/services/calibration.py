"""How far the observers of one co-observed lesson agree, and an observer's agreement across
their co-observations over time: what the calibration view, its PDF and
`observe-app calibration` show. Every figure keeps the paired values it was computed from.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from observe_app.domain.enums import ItemKind
from observe_app.domain.models import Cycle, CycleCoObserver
from observe_app.errors import BadInputError
from observe_app.services import agreement, co_observation, cycles, notes, people, protocols
from observe_app.services import responses as responses_service
from observe_app.services.agreement import CountDifference, Figure, IntervalAgreement
from observe_app.services.co_observation import LessonVisit
from observe_app.services.cycles import CycleSummary


@dataclass(frozen=True)
class RatingPair:
    item_id: str
    domain: str
    label: str
    a: int | None  # None: not rated, or "not observed"
    b: int | None
    a_evidence: tuple[str, ...]  # the texts of the notes each observer tagged to the item
    b_evidence: tuple[str, ...]


@dataclass(frozen=True)
class SeenPair:
    item_id: str
    label: str
    a: bool | None
    b: bool | None


@dataclass(frozen=True)
class CodeAgreement:
    code: str
    label: str
    exact: IntervalAgreement
    within_one: IntervalAgreement


@dataclass(frozen=True)
class ScanAgreement:
    item_id: str
    label: str
    a: tuple[frozenset[str] | None, ...]  # per interval: the codes ticked; None: missed
    b: tuple[frozenset[str] | None, ...]
    codes: tuple[CodeAgreement, ...]
    overall: Figure


@dataclass(frozen=True)
class CountPair:
    item_id: str
    label: str
    kind: str  # tally (a count) or timer (seconds timed in all)
    difference: CountDifference


@dataclass(frozen=True)
class PairAgreement:
    """Two observers of the lesson, side by side."""

    a_name: str
    b_name: str
    ratings: tuple[RatingPair, ...]
    exact: Figure
    within_one: Figure
    weighted_kappa: Figure
    seen: tuple[SeenPair, ...]
    seen_agreement: Figure
    seen_kappa: Figure
    scans: tuple[ScanAgreement, ...]
    counts: tuple[CountPair, ...]
    a_id: str | None = None  # the observers' person ids (None: a cycle without an observer)
    b_id: str | None = None


@dataclass(frozen=True)
class GroupAgreement:
    """Three or more observers of the lesson: the figures for all of them at once."""

    names: tuple[str, ...]
    ratings: tuple[tuple[str, tuple[int | None, ...]], ...]  # (item label, each one's level)
    fleiss: Figure
    alpha_ordinal: Figure
    codes: tuple[tuple[str, tuple[str | None, ...]], ...]  # (scan, interval, code) per observer
    alpha_codes: Figure


@dataclass(frozen=True)
class LessonAgreement:
    cycle: CycleSummary
    date: dt.datetime  # when the lesson was observed (the first visit's start)
    observers: tuple[str, ...]
    pairs: tuple[PairAgreement, ...]
    group: GroupAgreement | None


@dataclass(frozen=True)
class DriftPoint:
    """One co-observed lesson in an observer's history: how far they agreed with the others."""

    cycle_id: str
    date: dt.datetime
    teacher_name: str
    with_names: tuple[str, ...]
    within_one: Figure
    weighted_kappa: Figure


@dataclass(frozen=True)
class ObserverAgreement:
    observer: str
    lessons: tuple[DriftPoint, ...]  # oldest first
    waiting: tuple[str, ...]  # lessons whose visits are not all handed in yet


def lesson_agreement(session: Session, cycle_id: str) -> LessonAgreement:
    """Refused (BadInputError, saying who is missing) until every observer's visit is here and
    handed in: nobody sees the others' record before theirs is in."""
    lesson = co_observation.lesson(session, cycle_id)
    if not co_observation.is_co_observed(session, cycle_id):
        raise BadInputError("this cycle has no co-observers; add a co-observer to calibrate")
    if not lesson.open:
        raise BadInputError("calibration opens once every observer has handed in their visit; "
                            f"waiting for {_names(lesson.waiting_for)}")
    visits = _one_visit_each(lesson.visits)
    summary = cycles.get_summary(session, cycle_id)
    version = protocols.get_version(session, summary.protocol_version_id)
    records = [_Record.read(session, v) for v in visits]
    pairs = tuple(_pair(version, a, b) for a, b in itertools.combinations(records, 2))
    group = _group(version, records) if len(records) >= 3 else None
    return LessonAgreement(summary, min(v.started_at for v in visits),
                           tuple(v.observer_name for v in visits), pairs, group)


def observer_agreement(session: Session, observer_id: str) -> ObserverAgreement:
    """Every co-observed lesson of this observer (as observer or co-observer), oldest first,
    with their agreement with the others: drift shows as a trend."""
    person = people.get_person(session, observer_id)
    cycle_ids = set(session.scalars(select(Cycle.id).join(
        CycleCoObserver, CycleCoObserver.cycle_id == Cycle.id).where(
        Cycle.observer_id == observer_id)))
    cycle_ids |= set(session.scalars(select(CycleCoObserver.cycle_id)
                                     .where(CycleCoObserver.person_id == observer_id)))
    points, waiting = [], []
    for cycle_id in cycle_ids:
        lesson = co_observation.lesson(session, cycle_id)
        if not lesson.open:
            waiting.append(cycle_id)
            continue
        found = lesson_agreement(session, cycle_id)
        mine = [p for p in found.pairs if observer_id in (p.a_id, p.b_id)]
        ratings = [(r.a, r.b) if p.a_id == observer_id else (r.b, r.a)
                   for p in mine for r in p.ratings]
        levels = _levels(protocols.get_version(session, found.cycle.protocol_version_id))
        others = tuple(p.b_name if p.a_id == observer_id else p.a_name for p in mine)
        points.append(DriftPoint(cycle_id, found.date, found.cycle.teacher_name, others,
                                 agreement.adjacent_agreement(ratings),
                                 agreement.weighted_kappa(ratings, levels)))
    return ObserverAgreement(person.name, tuple(sorted(points, key=lambda p: p.date)),
                             tuple(sorted(waiting)))


# --- reading one observer's record of the lesson ---------------------------------------------

@dataclass(frozen=True)
class _Record:
    observer_id: str | None
    name: str
    ratings: dict[str, int | None]
    results: responses_service.ObservationResults
    tagged_notes: dict[str, tuple[str, ...]]  # item id -> texts of the notes tagged to it

    @classmethod
    def read(cls, session: Session, visit: LessonVisit) -> _Record:
        rated = co_observation.visit_ratings(session, visit.observation_id)
        tagged: dict[str, list[str]] = {}
        # A private note stays on this laptop: the other observer never receives it, and the
        # calibration PDF leaves the laptop too.
        everything = notes.list_notes(session, visit.observation_id)
        for note in everything:
            for item_id in () if note.private else note.item_ids:
                tagged.setdefault(item_id, []).append(note.text)
        results = responses_service.observation_results(session, visit.observation_id)
        return cls(visit.observer_id, visit.observer_name,
                   {i: None if r.not_observed else r.level for i, r in rated.items()},
                   results.without_notes(n for n in everything if n.private),
                   {i: tuple(t) for i, t in tagged.items()})

    def scan(self, item_id: str) -> tuple[frozenset[str] | None, ...]:
        recorded = self.results.intervals.get(item_id, [])
        length = max((iv.index for iv in recorded), default=-1) + 1
        sets: list[frozenset[str] | None] = [None] * length
        for iv in recorded:
            sets[iv.index] = None if iv.missed else frozenset(iv.codes)
        return tuple(sets)

    def amount(self, item_id: str, kind: str) -> float | None:
        """A tally's count, or the seconds a timer ran in all; None when never touched."""
        if kind == ItemKind.TALLY:
            return self.results.counts.get(item_id)
        runs = self.results.timer_runs.get(item_id, [])
        return sum(r.duration_ms or 0 for r in runs) / 1000 if runs else None


def _one_visit_each(visits: tuple[LessonVisit, ...]) -> list[LessonVisit]:
    """Each observer's handed-in visit of the lesson (the first, if one handed in two)."""
    chosen: dict[str | None, LessonVisit] = {}
    for v in visits:
        if v.handed_in_at is not None:
            chosen.setdefault(v.observer_id, v)
    return list(chosen.values())


def _levels(version: protocols.ProtocolVersionView) -> list[int]:
    return sorted({lv.level for i in version.items for lv in i.levels})


def _pair(version: protocols.ProtocolVersionView, a: _Record, b: _Record) -> PairAgreement:
    rubric = [i for i in version.items if i.kind == ItemKind.RUBRIC]
    ratings = tuple(RatingPair(i.id, i.section, i.label, a.ratings.get(i.id),
                               b.ratings.get(i.id), a.tagged_notes.get(i.id, ()),
                               b.tagged_notes.get(i.id, ())) for i in rubric)
    levels_given = [(r.a, r.b) for r in ratings]
    seen = tuple(SeenPair(i.id, i.label, a.results.seen(i.id), b.results.seen(i.id))
                 for i in version.items if i.kind == ItemKind.LOOKFOR)
    seen_given = [(s.a, s.b) for s in seen]
    scans = []
    for item in (i for i in version.items if i.kind == ItemKind.INTERVAL):
        a_sets, b_sets = a.scan(item.id), b.scan(item.id)
        codes = tuple(CodeAgreement(
            c.key, c.label,
            agreement.interval_agreement(a_sets, b_sets, c.key, 0, label=c.label),
            agreement.interval_agreement(a_sets, b_sets, c.key, 1, label=c.label))
            for c in item.codes)
        scans.append(ScanAgreement(item.id, item.label, a_sets, b_sets, codes,
                                   agreement.overall_interval_agreement(a_sets, b_sets)))
    counts = tuple(CountPair(i.id, i.label, i.kind, agreement.count_difference(
        *_counted(a.amount(i.id, i.kind), b.amount(i.id, i.kind))))
        for i in version.items if i.kind in (ItemKind.TALLY, ItemKind.TIMER))
    return PairAgreement(
        a.name, b.name, ratings, agreement.exact_agreement(levels_given),
        agreement.adjacent_agreement(levels_given),
        agreement.weighted_kappa(levels_given, _levels(version)), seen,
        agreement.exact_agreement(seen_given),
        agreement.cohen_kappa(seen_given, [True, False]), tuple(scans), counts,
        a.observer_id, b.observer_id)


def _counted(a: float | None, b: float | None) -> tuple[float | None, float | None]:
    """A tally or timer one observer never touched counted 0 in their ended visit, when the
    other used it; one neither used stays without values ("neither observer used it")."""
    if a is None and b is None:
        return None, None
    return a or 0, b or 0


def _group(version: protocols.ProtocolVersionView, records: list[_Record]) -> GroupAgreement:
    rubric = [i for i in version.items if i.kind == ItemKind.RUBRIC]
    ratings = tuple((i.label, tuple(r.ratings.get(i.id) for r in records)) for i in rubric)
    codes: list[tuple[str, tuple[str | None, ...]]] = []
    for item in (i for i in version.items if i.kind == ItemKind.INTERVAL):
        scans = [r.scan(item.id) for r in records]
        for index in range(max((len(s) for s in scans), default=0)):
            for code in item.codes:
                ticked = tuple(None if index >= len(s) or s[index] is None
                               else ("yes" if code.key in s[index] else "no")  # type: ignore[operator]
                               for s in scans)
                codes.append((f"{item.label}, interval {index + 1}, {code.label}", ticked))
    complete = [levels for _label, levels in ratings]
    return GroupAgreement(
        tuple(r.name for r in records), ratings, agreement.fleiss_kappa(complete),
        agreement.krippendorff_alpha(complete, "ordinal", _levels(version)),
        tuple(codes), agreement.krippendorff_alpha([c for _l, c in codes], "nominal"))


def _names(names: tuple[str, ...]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


# --- JSON for `observe-app calibration --json` -----------------------------------------------

def figure_json(f: Figure) -> dict[str, Any]:
    return {"name": f.name, "value": f.value, "pairs": f.pairs, "left_out": f.left_out,
            "band": f.band or None, "meaning": f.meaning,
            "why_undefined": f.why_undefined or None, "caution": f.caution or None}


def lesson_json(found: LessonAgreement) -> dict[str, Any]:
    def pair(p: PairAgreement) -> dict[str, Any]:
        return {
            "a": p.a_name, "b": p.b_name,
            "ratings": {"exact": figure_json(p.exact), "within_one": figure_json(p.within_one),
                        "weighted_kappa": figure_json(p.weighted_kappa),
                        "paired": [{"item": r.label, "domain": r.domain, "a": r.a, "b": r.b}
                                   for r in p.ratings]},
            "look_fors": {"agreement": figure_json(p.seen_agreement),
                          "kappa": figure_json(p.seen_kappa),
                          "paired": [{"item": s.label, "a": s.a, "b": s.b} for s in p.seen]},
            "scans": [{"item": s.label,
                       "overall": figure_json(s.overall),
                       "paired": [{"interval": n + 1, "a": _codes(x), "b": _codes(y)}
                                  for n, (x, y) in enumerate(itertools.zip_longest(s.a, s.b))],
                       "codes": [{"code": c.code, "label": c.label,
                                  "agreement": figure_json(c.exact.agreement),
                                  "kappa": figure_json(c.exact.kappa),
                                  "agreement_within_one": figure_json(c.within_one.agreement),
                                  "kappa_within_one": figure_json(c.within_one.kappa)}
                                 for c in s.codes]} for s in p.scans],
            "counts": [{"item": c.label, "kind": c.kind, "a": c.difference.a,
                        "b": c.difference.b, "absolute": c.difference.absolute,
                        "relative": c.difference.relative} for c in p.counts],
        }

    out: dict[str, Any] = {
        "cycle": found.cycle.id, "teacher": found.cycle.teacher_name,
        "protocol": found.cycle.protocol_name, "date": found.date.isoformat(),
        "observers": list(found.observers), "pairs": [pair(p) for p in found.pairs]}
    if found.group is not None:
        g = found.group
        out["all_observers"] = {
            "fleiss_kappa": figure_json(g.fleiss),
            "alpha_ratings_ordinal": figure_json(g.alpha_ordinal),
            "alpha_codes_nominal": figure_json(g.alpha_codes),
            "paired": [{"item": label, "levels": list(levels)} for label, levels in g.ratings],
            "codes": [{"unit": label, "values": list(v)} for label, v in g.codes]}
    return out


def observer_json(found: ObserverAgreement) -> dict[str, Any]:
    return {"observer": found.observer,
            "lessons": [{"cycle": p.cycle_id, "date": p.date.isoformat(),
                         "teacher": p.teacher_name, "with": list(p.with_names),
                         "within_one": figure_json(p.within_one),
                         "weighted_kappa": figure_json(p.weighted_kappa)} for p in found.lessons],
            "waiting_for_visits": list(found.waiting)}


def _codes(sets: frozenset[str] | None) -> list[str] | None:
    return None if sets is None else sorted(sets)

