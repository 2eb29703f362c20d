"""The demo school's co-observed lessons, recorded so that calibration has something to say.

A coach, Siobhán, co-observes the mentors' rubric lessons through the year. In the autumn she
sees them as the mentors do; over the winter she drifts towards higher levels, until in April
the two mentors beside her both rate a level lower; after the summer's calibration session she
is back in step. A peer pair double-codes one questioning lesson, where the co-observer counts
more questions as open, starts the wait-time stopwatch late, and ticks a code in the scan
(the teacher waiting) that the observer never uses.

Each lesson draws from a random generator of its own (seeded by the demo's seed, the teacher
and the day): the rest of the demo draws the same numbers with or without these visits, and one
lesson's co-observers can be changed without changing another's.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from observe_app import kinds
from observe_app.domain.enums import ItemKind
from observe_app.services import co_observation, notes, observations, ratings, responses
from observe_app.services.protocols import ProtocolVersionView


@dataclass(frozen=True)
class Eye:
    """How one co-observer's record of a lesson differs from the observer's."""

    name: str
    lean: float  # levels: how much higher (below 0: lower) they rate than the observer
    spread: float  # levels: how far one rating strays from that lean
    arrive_s: int  # seconds after the observer that they start recording


# (teacher, day of the lesson): the co-observers beside the cycle's observer.
CO_OBSERVED: dict[tuple[str, str], tuple[Eye, ...]] = {
    ("Aino Mäkelä", "2025-10-08"): (Eye("Siobhán Ó Briain", 0.0, 0.45, 40),),
    ("Дмитрий Соколов", "2025-12-03"): (Eye("Siobhán Ó Briain", 0.2, 0.5, 25),),
    ("José Muñoz", "2026-02-11"): (Eye("Siobhán Ó Briain", 0.9, 0.55, 60),),
    # Siobhán observes her own mentee; the two mentors beside her rate lower than she does.
    ("Nguyễn Thị Hương", "2026-04-22"): (Eye("Margaret Osei", -0.8, 0.45, 15),
                                         Eye("Νίκος Παπαδόπουλος", -0.7, 0.5, 30)),
    ("Ελένη Γεωργίου", "2026-06-10"): (Eye("Zofia Wójcik", 0.0, 0.0, 35),),
    ("Aino Mäkelä", "2026-10-21"): (Eye("Siobhán Ó Briain", 0.0, 0.4, 20),),
}
SHARED_MOMENT = 0.45  # how often a co-observer also writes down a moment the observer noted
OWN_NOTES = (5, 9)  # moments only the co-observer wrote down
# The co-observer counts some closed questions as open ones: tallies a question type apart.
TALLY_LEAN = {"open-question": 2, "closed-question": -2, "probing-question": -1}


class CoObservers:
    """Adds the co-observers' visits to a demo cycle once its observer has rated it."""

    def __init__(self, maker: Any, seed: int) -> None:
        self.maker = maker  # the demo's builder: its session, people and counts
        self.seed = seed
        self.rng = random.Random(seed)

    def record(self, teacher: str, day: dt.date, cycle_id: str, visit_id: str,
               version: ProtocolVersionView, start: dt.datetime, minutes: int) -> None:
        eyes = CO_OBSERVED.get((teacher, day.isoformat()))
        if not eyes:
            return
        s = self.maker.s
        self.rng = random.Random(f"{self.seed}:{teacher}:{day.isoformat()}")
        for eye in eyes:
            co_observation.add_co_observer(s, cycle_id, self.maker.people[eye.name])
        # The observer's own levels, from this visit, are the ones the cycle was given.
        given = ratings.ratings_for_cycle(s, cycle_id)
        for item_id, rating in given.items():
            co_observation.rate_from_visit(s, visit_id, item_id, rating.level,
                                           not_observed=rating.not_observed)
        end = start + dt.timedelta(minutes=minutes)
        for n, eye in enumerate(eyes):
            theirs = self._visit(eye, cycle_id, visit_id, version, start, minutes, given)
            co_observation.hand_in(s, theirs, now=end + dt.timedelta(minutes=20 + n))
        co_observation.hand_in(s, visit_id, now=end + dt.timedelta(minutes=45))

    def _visit(self, eye: Eye, cycle_id: str, observer_visit: str, version: ProtocolVersionView,
               start: dt.datetime, minutes: int, given: dict[str, ratings.RatingView]) -> str:
        """One co-observer's visit of the lesson, ended and rated; returns its id."""
        s = self.maker.s
        begun = start + dt.timedelta(seconds=eye.arrive_s)
        visit = observations.start_observation(s, cycle_id, observer_id=self.maker.people[eye.name],
                                               now=begun)
        self.maker.observation_count += 1
        theirs = responses.observation_results(s, observer_visit)
        seen = self._lookfors(visit.id, version, theirs)
        self._notes(eye, visit.id, observer_visit, version, begun, minutes, seen)
        self._counts(visit.id, version, theirs)
        self._scans(visit.id, version, theirs)
        lesson_ms = minutes * 60_000 - eye.arrive_s * 1000
        observations.end_observation(s, visit.id, lesson_ms, now=begun + dt.timedelta(
            milliseconds=lesson_ms))
        self._rate(eye, visit.id, version, given)
        return visit.id

    def _lookfors(self, visit_id: str, version: ProtocolVersionView,
                  theirs: responses.ObservationResults) -> set[str]:
        """The look-fors the co-observer saw: the observer's, but one of them the other way."""
        items = version.items_of(ItemKind.LOOKFOR)
        if not items:
            return set()
        other = self.rng.choice(items).id
        seen = {i.id for i in items if bool(theirs.seen(i.id)) != (i.id == other)}
        for item in items:
            responses.set_checked(self.maker.s, visit_id, item.id, item.id in seen)
        return seen

    def _notes(self, eye: Eye, visit_id: str, observer_visit: str, version: ProtocolVersionView,
               begun: dt.datetime, minutes: int, seen: set[str]) -> None:
        """Some of the moments the observer noted, a few of their own; tagged to the items
        they are evidence of (never to a look-for this observer did not see)."""
        from observe_app.services.demo import EVIDENCE, EVIDENCE_OWN_LANGUAGE, tags_for

        offset_ms = eye.arrive_s * 1000
        others = {text for name, texts in EVIDENCE_OWN_LANGUAGE.items() if name != eye.name
                  for text in texts}  # a moment the observer noted in their own language
        written = {}  # text: when; a moment the observer wrote twice is noted once
        for n in notes.list_notes(self.maker.s, observer_visit):
            if n.text not in written and n.text not in others \
                    and self.rng.random() < SHARED_MOMENT:
                written[n.text] = n.elapsed_ms + self.rng.randint(-20_000, 20_000) - offset_ms
        length = minutes * 60_000 - offset_ms
        for text in self.rng.sample(EVIDENCE, self.rng.randint(*OWN_NOTES)):
            written.setdefault(text, self.rng.randrange(5_000, length - 5_000))
        for text in EVIDENCE_OWN_LANGUAGE.get(eye.name, [])[:1]:
            written.setdefault(text, self.rng.randrange(5_000, length - 5_000))
        taggable = [i for i in version.items if kinds.get(i.kind).taggable
                    and (i.kind != ItemKind.LOOKFOR or i.id in seen)]
        for elapsed, text in sorted((e, x) for x, e in written.items() if 0 < e < length):
            fits = [i.id for i in taggable if i.key in tags_for(text)]
            tags = self.rng.sample(fits, k=min(len(fits), self.rng.choice((1, 1, 2))))
            notes.add_note(self.maker.s, visit_id, text,
                           wall_time=begun + dt.timedelta(milliseconds=elapsed),
                           elapsed_ms=elapsed, item_ids=tags)
            self.maker.note_count += 1

    def _counts(self, visit_id: str, version: ProtocolVersionView,
                theirs: responses.ObservationResults) -> None:
        s = self.maker.s
        for item in version.items_of(ItemKind.TALLY):
            count = theirs.counts.get(item.id, 0) + TALLY_LEAN.get(item.key, 0) \
                + self.rng.choice((-1, 0, 0, 1))
            if count > 0:
                responses.change_tally(s, visit_id, item.id, count)
        for item in version.items_of(ItemKind.TIMER):
            for run in theirs.timer_runs.get(item.id, []):
                if self.rng.random() < 0.15:
                    continue  # a wait they did not time
                late = self.rng.randint(200, 900)  # the stopwatch started a moment later
                responses.add_timer_run(s, visit_id, item.id, run.started_ms + late,
                                        max(300, run.duration_ms - late))

    def _scans(self, visit_id: str, version: ProtocolVersionView,
               theirs: responses.ObservationResults) -> None:
        """The observer's codes, read a little differently: the student code sometimes an
        interval late, feedback coded as guiding, and the teacher's waiting after a question
        coded as a code of its own, which the observer never ticks."""
        s = self.maker.s
        for item in version.items_of(ItemKind.INTERVAL):
            keys = {c.key for c in item.codes}
            students = {c.key for c in item.codes if c.group == "Students"}
            records = sorted(theirs.intervals.get(item.id, []), key=lambda r: r.index)
            before: tuple[str, ...] = ()
            for record in records:
                codes = before if record.missed else record.codes
                if not record.missed:
                    before = record.codes
                if self.rng.random() < 0.05:
                    responses.record_interval(s, visit_id, item.id, record.index, [],
                                              missed=True)
                    continue
                shown = list(codes)
                previous = [r for r in records if r.index == record.index - 1 and not r.missed]
                if previous and self.rng.random() < 0.3:  # still saw the last interval's work
                    shown = [c for c in shown if c not in students] + \
                        [c for c in previous[0].codes if c in students]
                shown = ["guiding" if c == "feedback" and "guiding" in keys else c for c in shown]
                if "questioning" in shown and "waiting" in keys and self.rng.random() < 0.6:
                    shown.append("waiting")
                responses.record_interval(s, visit_id, item.id, record.index, shown)

    def _rate(self, eye: Eye, visit_id: str, version: ProtocolVersionView,
              given: dict[str, ratings.RatingView]) -> None:
        levels = [r.level for r in given.values() if r.level is not None]
        usual = round(sum(levels) / len(levels)) if levels else 2
        for item in version.items_of(ItemKind.RUBRIC):
            theirs = given.get(item.id)
            if theirs is None:
                continue
            if theirs.level is None and self.rng.random() < 0.5:
                co_observation.rate_from_visit(self.maker.s, visit_id, item.id, None,
                                               not_observed=True)
                continue
            top = max(lv.level for lv in item.levels)
            base = usual if theirs.level is None else theirs.level
            level = round(base + eye.lean + self.rng.gauss(0, eye.spread))
            co_observation.rate_from_visit(self.maker.s, visit_id, item.id,
                                           min(top, max(1, level)))
