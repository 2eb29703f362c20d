"""The demo school's learning walks: more staff, a year of short visits to many rooms, and the
peer visits each term needs so that every chart of the School page has data.

Leaders, coaches and PLC leads walk routes of three to five rooms, five to fifteen minutes in
each, ticking the learning walk's look-fors. Over the year the school's PLC focus shows: the
learning goal is on the board and students can say what they are learning more often, tasks
ask more of them; students talking more than the teacher and current work on the walls stay
rare. History has exactly two teachers, so its patterns are withheld (the anonymity rule).

Everything draws from a random generator of its own (seeded by the demo's seed), so the rest
of the demo draws the same numbers with or without these visits.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING

from sqlalchemy import select

from observe_app import kinds
from observe_app.domain.enums import CycleStage, FeedbackKind, GoalStatus, ItemKind
from observe_app.domain.models import Cycle, Observation, Person, ProtocolItem, ProtocolVersion
from observe_app.services import (
    cycles,
    demo,
    goals,
    notes,
    observations,
    people,
    ratings,
    responses,
)
from observe_app.services.demo_walk_plan import (
    CLASSES,
    LOOK_FORS,
    NEW_STAFF,
    NOT_SEEN,
    POST_WORDS,
    QWTE_TERMS,
    ROOM_NOTES,
    RUBRIC_CYCLES,
    TERMS,
    WALK_FOCUS,
    WALKED_MORE,
    WALKERS,
    WONDERINGS,
    year_fraction,
)
from observe_app.services.protocols import ProtocolVersionView

if TYPE_CHECKING:
    from observe_app.services.demo import _Builder

WALK = "learning-walk"
QWTE = "questioning-wait-time-engagement"
RUBRIC = "new-teacher-growth"


def add_walks(b: _Builder) -> None:
    """Add the staff, the learning walks and the term's peer visits to the demo `b` builds."""
    walks = _Walks(b)
    walks.staff()
    walks.settle()
    for term, (first, last, count) in enumerate(TERMS):
        walks.term_of_walks(term, dt.date.fromisoformat(first), dt.date.fromisoformat(last),
                            count)
    for teacher, observer, dates in RUBRIC_CYCLES:
        walks.rubric_year(teacher, observer, dates)
    for day, pairs in QWTE_TERMS:
        for n, (teacher, observer) in enumerate(pairs):
            growth = min(1.0, year_fraction(dt.date.fromisoformat(day)) + 0.2)
            when = dt.date.fromisoformat(day) + dt.timedelta(days=7 * n)
            walks.peer_visit(teacher, observer, QWTE, when, growth)


class _Walks:
    """The demo's builder (its session, people, protocols and counts) with a generator of its
    own; kinds' demo parts take it as their maker (they use `s` and `rng`)."""

    def __init__(self, b: _Builder) -> None:
        self.b = b
        self.s = b.s
        self.rng = random.Random(f"{demo.SEED}:walks")
        self.classes: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {}
        self.lean: dict[str, float] = {}
        self.owed: dict[str, float] = {}  # per look-for: seen owed to its chance so far
        self.pins: list[object] = []

    def pin(self, *rows: object) -> None:
        """Keep rows the services will look up again in the session's (weak) identity map,
        so that each tick of a look-for does not read its visit, cycle and item anew."""
        self.pins.extend(rows)

    def settle(self) -> None:
        """The builder's settle, then the rows every visit looks up pinned again."""
        self.pins.clear()
        self.b.settle()
        self.pin(*self.s.scalars(select(Person)), *self.s.scalars(select(ProtocolVersion)),
                 *self.s.scalars(select(ProtocolItem)))

    def staff(self) -> None:
        for name, email, role, subject, stage, start, mentor in NEW_STAFF:
            mentor_id = self.b.people[mentor] if mentor else None
            p = people.add_person(self.s, name, email=email, role=role, subject=subject,
                                  career_stage=stage, start_date=dt.date.fromisoformat(start),
                                  mentor_id=mentor_id)
            self.b.people[name] = p.id
        subjects = {row[0]: row[3] for row in demo.STAFF + NEW_STAFF}
        for name, (rooms, grades) in CLASSES.items():
            self.classes[name] = (subjects[name], rooms, grades)
            # Some rooms show the look-fors more often than others, whatever the term.
            self.lean[name] = self.rng.uniform(-0.12, 0.12)

    # -- learning walks ----------------------------------------------------------------

    def term_of_walks(self, term: int, first: dt.date, last: dt.date, count: int) -> None:
        """`count` walk visits between two days, every teacher visited at least twice."""
        teachers = sorted(self.classes)
        others = [t for t in teachers if t not in WALKED_MORE]
        visits = teachers * 2 + list(WALKED_MORE) + self.rng.sample(
            others, count - 2 * len(teachers) - len(WALKED_MORE))
        self.rng.shuffle(visits)
        days = _weekdays(first, last)
        routes = []
        while visits:
            size = min(len(visits), self.rng.randint(3, 5))
            route: list[str] = []
            for name in list(visits):
                if len(route) < size and name not in route:
                    route.append(name)
                    visits.remove(name)
            routes.append(route)
        step = len(days) / len(routes)
        for n, route in enumerate(routes):
            day = days[int(n * step + self.rng.uniform(0, step * 0.6))]
            walker = next(w for w in WALKERS[n % len(WALKERS):] + WALKERS if w not in route)
            start = dt.datetime.combine(day, dt.time(self.rng.choice((8, 10, 13)),
                                                     self.rng.choice((35, 40, 50))), dt.UTC)
            for teacher in route:
                start = self.walk(teacher, walker, WALK_FOCUS[term], start)
        self.settle()

    def walk(self, teacher: str, walker: str, focus: str, start: dt.datetime) -> dt.datetime:
        """One room of a walk; gives the time the walker reaches the next room."""
        version = self.b.versions[WALK]
        cid = cycles.plan_cycle(
            self.s, teacher_id=self.b.people[teacher], observer_id=self.b.people[walker],
            protocol_version_id=version.id, focus=focus, planned_date=start.date(),
            now=start - dt.timedelta(days=7),
            evidence_to_collect="The look-fors in each room, seen or not seen; a question "
                                "for the PLC. Not a judgement of one lesson.").id
        self.pin(self.s.get(Cycle, cid))
        subject, rooms, grades = self.classes[teacher]
        obs = observations.start_observation(
            self.s, cid, subject=subject, grade=self.rng.choice(grades),
            room=self.rng.choice(rooms), students=self.rng.randint(18, 30), now=start)
        self.pin(self.s.get(Observation, obs.id))
        minutes = self.rng.randint(5, 15)
        seen = self.look_fors(obs.id, version, teacher, start.date())
        self.walk_notes(obs.id, version, seen, start, minutes)
        if self.rng.random() < 0.35:
            wondering = next(i for i in version.items if i.key == "wondering")
            responses.set_text(self.s, obs.id, wondering.id, self.rng.choice(WONDERINGS))
        end = start + dt.timedelta(minutes=minutes)
        observations.end_observation(self.s, obs.id, minutes * 60_000, now=end)
        self.b.observation_count += 1
        # No conference: a word at the door (seldom written down), closed the next day, so
        # that no walk waits among the overdue post-conferences.
        if self.rng.random() < 0.3:
            cycles.set_post_conference_notes(self.s, cid, self.rng.choice(POST_WORDS))
        cycles.move_to_stage(self.s, cid, CycleStage.CLOSED, end + dt.timedelta(days=1))
        return end + dt.timedelta(minutes=self.rng.randint(2, 6))

    def look_fors(self, obs_id: str, version: ProtocolVersionView, teacher: str,
                  day: dt.date) -> dict[str, bool]:
        """Tick each look-for seen or not seen; gives {key: seen}."""
        t = year_fraction(day)
        seen = {}
        for item in version.items:
            if item.key not in LOOK_FORS:
                continue
            early, late = LOOK_FORS[item.key]
            # Carried over from visit to visit (error diffusion), so that a term's share stays
            # near the chance: forty coin tosses would wander more than the school does.
            self.owed[item.key] = self.owed.get(item.key, 0.0) + early + (late - early) * t \
                + self.lean[teacher]
            seen[item.key] = self.owed[item.key] + self.rng.uniform(-0.35, 0.35) >= 1
            self.owed[item.key] -= seen[item.key]
            responses.set_checked(self.s, obs_id, item.id, seen[item.key])
        return seen

    def walk_notes(self, obs_id: str, version: ProtocolVersionView, seen: dict[str, bool],
                   start: dt.datetime, minutes: int) -> None:
        """Two to four notes: what the room shows, evidence of a look-for seen (tagged to it),
        what was missing (not tagged: a tag would count the look-for as seen)."""
        texts: list[tuple[str, list[str]]] = [(self.rng.choice(ROOM_NOTES), [])]
        yes = [k for k, v in seen.items() if v]
        no = [k for k, v in seen.items() if not v]
        if yes and self.rng.random() < 0.8:
            key = self.rng.choice(yes)
            item = next(i for i in version.items if i.key == key)
            texts.append((self.rng.choice(_seen_evidence(key)), [item.id]))
        if no and self.rng.random() < 0.7:
            texts.append((self.rng.choice(NOT_SEEN[self.rng.choice(no)]), []))
        if self.rng.random() < 0.3:
            texts.append((self.rng.choice(ROOM_NOTES), []))
        moments = sorted(self.rng.sample(range(20, minutes * 60 - 10), len(texts)))
        for (text, tags), second in zip(texts, moments, strict=True):
            notes.add_note(self.s, obs_id, text, wall_time=start + dt.timedelta(seconds=second),
                           elapsed_ms=second * 1000 + self.rng.randrange(1000), item_ids=tags)
            self.b.note_count += 1

    # -- peer visits with tallies, timers, scans and rubric ratings ----------------------

    def rubric_year(self, teacher: str, mentor: str,
                    dates: tuple[tuple[str, float], ...]) -> None:
        """A new teacher's rubric cycles with their mentor, a goal set and reviewed."""
        goal_id = None
        for n, (day, growth) in enumerate(dates):
            cid = self.peer_visit(teacher, mentor, RUBRIC, dt.date.fromisoformat(day), growth)
            if goal_id is not None:
                goals.update_goal(self.s, goal_id,
                                  GoalStatus.MET if n % 2 == 0 else GoalStatus.PARTLY_MET,
                                  cycle_id=cid, comment="Seen in the evidence log.")
            if n % 2 == 0:
                text = demo.GOALS[(n // 2 + len(teacher)) % len(demo.GOALS)]
                goal_id = goals.set_goal(self.s, self.b.people[teacher], text, cycle_id=cid).id

    def peer_visit(self, teacher: str, observer: str, slug: str, day: dt.date,
                   growth: float) -> str:
        """A full lesson visit: notes, the protocol's live records, ratings, feedback,
        reflection; closed."""
        version = self.b.versions[slug]
        start = dt.datetime.combine(day, dt.time(9 + self.rng.randrange(5), 10), dt.UTC)
        cid = cycles.plan_cycle(
            self.s, teacher_id=self.b.people[teacher], observer_id=self.b.people[observer],
            protocol_version_id=version.id, focus=self.rng.choice(demo.FOCI), planned_date=day,
            now=start - dt.timedelta(days=4),
            evidence_to_collect="Timestamped notes of questions asked and who answers.").id
        self.pin(self.s.get(Cycle, cid))
        subject, rooms, grades = self.classes[teacher]
        obs = observations.start_observation(
            self.s, cid, subject=subject, grade=self.rng.choice(grades),
            room=self.rng.choice(rooms), students=self.rng.randint(20, 30), now=start)
        self.pin(self.s.get(Observation, obs.id))
        minutes = 45
        self.lesson_notes(obs.id, version, start, minutes)
        for item in version.items:
            kinds.get(item.kind).demo(self, obs.id, item, minutes, growth)
        observations.end_observation(self.s, obs.id, minutes * 60_000,
                                     now=start + dt.timedelta(minutes=minutes))
        self.b.observation_count += 1
        self.rate(cid, version, growth)
        step = self.rng.randrange(len(demo.NEXT_STEPS))
        cycles.add_feedback(self.s, cid, FeedbackKind.NEXT_STEP, demo.NEXT_STEPS[step],
                            due_date=day + dt.timedelta(days=21))
        cycles.set_post_conference_notes(
            self.s, cid, f"{teacher} and {observer} went through the evidence together.")
        reflect = start + dt.timedelta(days=3)
        cycles.move_to_stage(self.s, cid, CycleStage.REFLECTION, reflect)
        cycles.set_reflection(self.s, cid, self.rng.choice(demo.REFLECTIONS[slug]))
        cycles.acknowledge(self.s, cid, reflect + dt.timedelta(hours=2))
        cycles.move_to_stage(self.s, cid, CycleStage.CLOSED, reflect + dt.timedelta(days=1))
        self.settle()
        return cid

    def lesson_notes(self, obs_id: str, version: ProtocolVersionView, start: dt.datetime,
                     minutes: int) -> None:
        taggable = [i for i in version.items if kinds.get(i.kind).taggable]
        moments = sorted(self.rng.sample(range(30, minutes * 60 - 30), self.rng.randint(9, 14)))
        for second in moments:
            text = self.rng.choice(demo.EVIDENCE)
            fits = [i.id for i in taggable if i.key in demo.tags_for(text)]
            tags = self.rng.sample(fits, k=min(len(fits), self.rng.choice((0, 1, 1, 2))))
            notes.add_note(self.s, obs_id, text, wall_time=start + dt.timedelta(seconds=second),
                           elapsed_ms=second * 1000 + self.rng.randrange(1000), item_ids=tags)
            self.b.note_count += 1

    def rate(self, cid: str, version: ProtocolVersionView, growth: float) -> None:
        for item in version.items_of(ItemKind.RUBRIC):
            if self.rng.random() < 0.08:
                ratings.mark_not_observed(self.s, cid, item.id)
                continue
            strength = demo.ITEM_STRENGTH.get(item.key, 0.0)
            level = round(1.3 + 2.5 * growth + strength + self.rng.uniform(-0.5, 0.5))
            top = max(lv.level for lv in item.levels)
            ratings.rate(self.s, cid, item.id, min(top, max(1, level)))
            evidence = notes.notes_for_item(self.s, cid, item.id)
            if evidence:
                ratings.link_evidence(self.s, cid, item.id, evidence[0].id)


def _weekdays(first: dt.date, last: dt.date) -> list[dt.date]:
    days = (first + dt.timedelta(days=n) for n in range((last - first).days + 1))
    return [d for d in days if d.weekday() < 5]


def _seen_evidence(key: str) -> list[str]:
    """The demo's evidence notes that show a look-for seen (tagged to it by the demo's rule)."""
    return [t for t in demo.EVIDENCE if key in demo.tags_for(t)
            and not any(w in t for w in ("copying", "off task"))]

