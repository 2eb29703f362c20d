"""A small fixture school for the PLC data review: names, classes, rooms and a student's name
that are distinctive strings (so a test can prove they never reach the PDF or the CSV), and
learning walks whose look-for shares are easy to compute by hand.

Spring term 2025–26 (the period): 12 visits by 6 teachers. "Today's learning goal is visible"
is seen in 6 of them (5 ticked, 1 by a note tagged to it): 6 / 12 = 0.5. The Drama department
(two teachers, 6 visits) has 3 of those ticks.
Autumn term 2025–26 (the period before): 5 visits by 3 teachers, the look-for ticked in 1:
1 / 5 = 0.2. Change: +0.3.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from observe_app.services import cycles, goals, notes, observations, people, protocols, responses
from observe_app.storage.engine import Database

TERM_DAY = "2026-02-01"  # a day of the period: `--term TERM_DAY`
GOAL_VISIBLE = "Today's learning goal is visible"
STUDENT = "Philomena Xerxesdottir"
GOAL_TEXT = "Quillon goal: cold-call with the Vexbridge routine"

TEACHERS = {  # name -> subject
    "Zebedee Quillfeather": "Mathematics",
    "Ottoline Brackenbury": "Mathematics",
    "Perpetua Vanstone": "History",
    "Ignatius Thornquist": "History",
    "Cressida Fairweather": "Drama",
    "Bartholomew Ashgrove": "Drama",
}

# (teacher, when, how the look-for was seen: "tick", "untick", "note" or "")
SPRING = [
    ("Zebedee Quillfeather", "2026-01-12", "tick"),
    ("Zebedee Quillfeather", "2026-01-19", ""),
    ("Ottoline Brackenbury", "2026-01-13", "untick"),
    ("Perpetua Vanstone", "2026-01-14", "tick"),
    ("Perpetua Vanstone", "2026-01-21", ""),
    ("Ignatius Thornquist", "2026-01-15", "note"),
    ("Cressida Fairweather", "2026-02-02", "tick"),
    ("Cressida Fairweather", "2026-02-09", "tick"),
    ("Cressida Fairweather", "2026-02-16", ""),
    ("Bartholomew Ashgrove", "2026-02-03", "tick"),
    ("Bartholomew Ashgrove", "2026-02-10", ""),
    ("Bartholomew Ashgrove", "2026-02-17", ""),
]
AUTUMN = [
    ("Zebedee Quillfeather", "2025-10-06", "tick"),
    ("Zebedee Quillfeather", "2025-10-13", ""),
    ("Ottoline Brackenbury", "2025-10-07", ""),
    ("Ottoline Brackenbury", "2025-10-14", ""),
    ("Perpetua Vanstone", "2025-10-08", ""),
]


@dataclass(frozen=True)
class School:
    teachers: tuple[str, ...]
    rooms: tuple[str, ...]
    classes: tuple[str, ...]
    private: tuple[str, ...]  # a student's name, a goal's text: never in a review

    def secrets(self) -> tuple[str, ...]:
        """Everything that must not appear in the PDF or the CSV."""
        return self.teachers + self.rooms + self.classes + self.private


def build_school(db: Database) -> School:
    """The fixture school in `db` (which has the built-in protocols)."""
    rooms: list[str] = []
    classes: list[str] = []
    with db.transaction() as s:
        walk = protocols.get_version(
            s, protocols.find_protocol(s, "learning-walk").latest_version_id)
        item = next(i for i in walk.items_of("lookfor") if i.label == GOAL_VISIBLE)
        ids = {name: people.add_person(s, name, subject=subject).id
               for name, subject in TEACHERS.items()}
        names = list(TEACHERS)
        for n, (teacher, day, seen) in enumerate(AUTUMN + SPRING):
            when = dt.datetime.fromisoformat(f"{day}T10:00:00+00:00")
            observer = names[(names.index(teacher) + 1) % len(names)]
            cycle = cycles.plan_cycle(s, teacher_id=ids[teacher], observer_id=ids[observer],
                                      protocol_version_id=walk.id, focus="Learning walk",
                                      now=when - dt.timedelta(days=2))
            room, klass = f"Kestrel Annexe {n + 1:02d}", f"Set Wyvern{n + 1:02d}"
            rooms.append(room)
            classes.append(klass)
            visit = observations.start_observation(s, cycle.id, subject=klass, grade="8",
                                                   room=room, students=24, now=when)
            if seen in ("tick", "untick"):
                responses.set_checked(s, visit.id, item.id, seen == "tick")
            elif seen == "note":
                notes.add_note(s, visit.id, f"{STUDENT} read the goal out from the board",
                               wall_time=when + dt.timedelta(minutes=2), elapsed_ms=120_000,
                               item_ids=[item.id])
            observations.end_observation(s, visit.id, 12 * 60_000,
                                         now=when + dt.timedelta(minutes=12))
            if n == 0:
                goals.set_goal(s, ids[teacher], GOAL_TEXT, cycle_id=cycle.id)
    return School(tuple(TEACHERS), tuple(rooms), tuple(classes), (STUDENT, GOAL_TEXT))
