"""Builders for the participation tests: a lesson on "Participation and talk" with seats and
contributions given by hand, and a teacher's year of such lessons."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping, Sequence
from types import SimpleNamespace

from sqlalchemy.orm import Session

from observe_app import kinds
from observe_app.services import cycles, observations, participation, people, protocols
from observe_app.services.participation import Seat
from observe_app.services.protocols import ItemView

SLUG = "participation-and-talk"
T0 = dt.datetime(2025, 9, 15, 9, 0, tzinfo=dt.UTC)

# (seat, talk type, called on, second of the lesson)
Heard = tuple[int, str, bool, int]


def the_item(s: Session, slug: str = SLUG) -> tuple[str, ItemView]:
    """A protocol's latest version (the built-in one's unless named) and its participation
    item."""
    version = protocols.get_version(s, protocols.find_protocol(s, slug).latest_version_id)
    [item] = version.items_of("participation")
    return version.id, item


def lesson(s: Session, teacher_id: str, observer_id: str, *, start: dt.datetime,
           seats: Sequence[Seat], heard: Sequence[Heard], minutes: int = 50,
           labels: Mapping[int, str] | None = None, room: str = "B12",
           slug: str = SLUG) -> tuple[str, str]:
    """A cycle with one ended visit whose chart (this laptop's, with `labels`) has `seats`
    and whose contributions are `heard`; returns (cycle id, visit id)."""
    version_id, item = the_item(s, slug)
    cycle = cycles.plan_cycle(s, teacher_id=teacher_id, observer_id=observer_id,
                              protocol_version_id=version_id, focus="Every voice heard",
                              now=start - dt.timedelta(days=1))
    visit = observations.start_observation(s, cycle.id, subject="Mathematics", grade="8",
                                           room=room, students=len(seats), now=start)
    chart = participation.save_chart(s, teacher_id, "Mathematics · 8", room, seats, labels)
    participation.seat_visit(s, visit.id, item.id, chart.seats, chart.id)
    for seat, talk, called, second in heard:
        participation.record_contribution(
            s, visit.id, item.id, seat, talk, elapsed_ms=second * 1000, called_on=called,
            wall_time=start + dt.timedelta(seconds=second))
    observations.end_observation(s, visit.id, minutes * 60_000,
                                 now=start + dt.timedelta(minutes=minutes))
    return cycle.id, visit.id


def a_year(s: Session, name: str = "Aino Mäkelä", visits: int = 6) -> tuple[str, list[str]]:
    """A teacher observed once a month with the kind's own demo data (talk spreading out over
    the year); returns (teacher id, cycle ids, oldest first)."""
    teacher = people.add_person(s, name, subject="Mathematics")
    observer = people.add_person(s, "Νίκος Παπαδόπουλος")
    version_id, item = the_item(s)
    maker = SimpleNamespace(s=s, rng=random.Random(7))
    made = []
    for n in range(visits):
        start = T0 + dt.timedelta(days=30 * n)
        cycle = cycles.plan_cycle(s, teacher_id=teacher.id, observer_id=observer.id,
                                  protocol_version_id=version_id, focus="Every voice heard",
                                  now=start - dt.timedelta(days=1))
        visit = observations.start_observation(s, cycle.id, subject="Mathematics",
                                               grade="8", room="B12", students=30, now=start)
        kinds.get("participation").demo(maker, visit.id, item, 50, n / max(visits - 1, 1))
        observations.end_observation(s, visit.id, 50 * 60_000,
                                     now=start + dt.timedelta(minutes=50))
        made.append(cycle.id)
    return teacher.id, made
