"""A participation map travels with its visit: the visit's seats and every contribution reach
the other laptop, which then shows the same figures; the class's seating chart, its seat
labels and the link to it stay on the laptop that made them. A deleted visit takes its
contributions along, an undo brings them back, and the delete travels too."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from observe_app.exchange import package
from observe_app.services import (
    cycles,
    exchange,
    observations,
    participation,
    people,
    protocols,
    removal,
)
from observe_app.services.participation import Seat
from observe_app.storage.engine import Database
from tests.exchange import package_files as pf
from tests.exchange.replicas import Laptops, snapshot

START = dt.datetime(2026, 3, 4, 9, 0, tzinfo=dt.UTC)
# Initials nobody would write by chance, in and out of ASCII: none may leave the laptop.
LABELS = {1: "Wq.Z.", 2: "Ōx.Ñ.", 5: "Jv.Ÿ."}
# (seat, talk type, called on, seconds into the lesson, held for ms, tagged to a look-for)
HEARD = [(1, "a", True, 30, None, False), (2, "q", False, 95, 4_000, False),
         (1, "e", False, 200, None, False), (5, "b", False, 260, 2_500, True),
         (3, "a", True, 400, None, False), (1, "a", False, 610, None, False)]


@dataclass(frozen=True)
class Lesson:
    cycle_id: str
    visit_id: str
    item_id: str
    chart_id: str


def _lesson(db: Database) -> Lesson:
    """A participation visit, ended: six seats from a labelled chart, six contributions."""
    with db.transaction() as s:
        version = protocols.get_version(
            s, protocols.find_protocol(s, "participation-and-talk").latest_version_id)
        [item] = [i for i in version.items if i.kind == "participation"]
        peer_talk = next(i.id for i in version.items if i.key == "peer-to-peer")
        teacher = people.add_person(s, "Ana Silva", email="ana@school.example")
        observer = people.add_person(s, "Ivan Petrov", email="ivan@school.example")
        cycle = cycles.plan_cycle(s, teacher_id=teacher.id, observer_id=observer.id,
                                  protocol_version_id=version.id, focus="Every voice heard")
        visit = observations.start_observation(s, cycle.id, subject="History", grade="9",
                                               room="H2", now=START)
        seats = [Seat(n, 2 * (n - 1) % 6, 2 * ((n - 1) // 3)) for n in range(1, 7)]
        chart = participation.save_chart(
            s, teacher.id, participation.class_name_of("History", "9"), "H2", seats, LABELS)
        participation.seat_visit(s, visit.id, item.id, chart.seats, chart.id)
        for seat, talk, called, second, held, tagged in HEARD:
            participation.record_contribution(
                s, visit.id, item.id, seat, talk, elapsed_ms=second * 1000,
                wall_time=START + dt.timedelta(seconds=second), called_on=called,
                duration_ms=held, lookfor_id=peer_talk if tagged else None)
        observations.end_observation(s, visit.id, 15 * 60_000,
                                     now=START + dt.timedelta(minutes=15))
    return Lesson(cycle.id, visit.id, item.id, chart.id)


def _sent(db: Database, lesson: Lesson, out: Path) -> Path:
    with db.transaction() as s:
        return exchange.send_cycle(s, lesson.cycle_id, out, sender="Ivan").path


def _figures(db: Database, lesson: Lesson) -> tuple[object, ...]:
    with db.transaction() as s:
        return (participation.visit_seats(s, lesson.visit_id, lesson.item_id),
                participation.contributions(s, lesson.visit_id),
                participation.visit_summary(s, lesson.visit_id, lesson.item_id),
                participation.visit_labels(s, lesson.visit_id, lesson.item_id))


def _rows(db: Database, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db.path)
    try:
        return list(conn.execute(sql))
    finally:
        conn.close()


def test_the_visit_s_seats_and_contributions_travel_and_give_the_same_figures(
        laptops: Laptops, tmp_path: Path) -> None:
    observer, teacher = laptops.new("observer"), laptops.new("teacher")
    lesson = _lesson(observer)
    seats, heard, summary, labels = _figures(observer, lesson)
    assert labels == LABELS and len(heard) == len(HEARD)  # type: ignore[arg-type]

    sent = _sent(observer, lesson, tmp_path / "lesson.observe")
    preview = laptops.receive(teacher, sent)
    assert preview.counts["visit_seatings"].added == 1
    assert preview.counts["contributions"].added == len(HEARD)
    theirs = _figures(teacher, lesson)
    assert theirs[:3] == (seats, heard, summary)
    assert summary.spoke == 4 and summary.called_on == 2  # type: ignore[attr-defined]
    assert theirs[3] == {}  # no labels: they never left the observer's laptop
    assert _rows(teacher, "SELECT * FROM seating_charts") == []
    assert _rows(teacher, "SELECT chart_id FROM visit_seatings") == [(None,)]
    tagged = _rows(teacher, "SELECT p.key FROM contributions c JOIN protocol_items p "
                            "ON p.id = c.lookfor_id")
    assert tagged == [("peer-to-peer",)]

    # The same package again changes nothing.
    before = snapshot(teacher)
    again = laptops.receive(teacher, sent)
    assert again.already_received is not None
    assert snapshot(teacher) == before

    # Sent back, the observer's link to the chart (and so its labels) stays as it was.
    laptops.receive(observer, laptops.send(teacher))
    assert _figures(observer, lesson) == (seats, heard, summary, LABELS)
    assert _rows(observer, "SELECT chart_id FROM visit_seatings") == [(lesson.chart_id,)]


def test_the_chart_its_labels_and_the_link_to_it_are_not_in_the_package(
        laptops: Laptops, tmp_path: Path) -> None:
    observer = laptops.new("observer")
    lesson = _lesson(observer)
    for path in (_sent(observer, lesson, tmp_path / "cycle.observe"), laptops.send(observer)):
        opened = exchange.open_package(path)
        tables = {row.table for row in opened.rows}
        assert {"visit_seatings", "contributions"} <= tables
        assert "seating_charts" not in tables
        [seating] = [row for row in opened.rows if row.table == "visit_seatings"]
        assert "chart_id" not in seating.values and "chart_id" not in seating.stamps
        seats = participation.seats_from_json(json.loads(str(seating.values["seats"])))
        assert [seat.number for seat in seats] == [1, 2, 3, 4, 5, 6]
        assert sum(row.table == "contributions" for row in opened.rows) == len(HEARD)
        members = pf.members(path)
        assert set(members) == {package.MANIFEST, package.ROWS, package.PROTOCOLS}
        everything = b"".join(members.values())
        for label in LABELS.values():
            for form in (label.encode("utf-8"), label.encode("ascii", "backslashreplace"),
                         label.encode("unicode_escape")):
                assert form not in everything, (path.name, label)
        assert lesson.chart_id.encode() not in everything


def test_a_deleted_visit_takes_its_contributions_along_and_an_undo_brings_them_back(
        laptops: Laptops) -> None:
    observer, teacher = laptops.new("observer"), laptops.new("teacher")
    lesson = _lesson(observer)
    laptops.receive(teacher, laptops.send(observer))
    before = _figures(observer, lesson)

    with observer.transaction() as s:
        asked = removal.what_would_be_removed(s, "observations", lesson.visit_id)
        assert asked.responses >= len(HEARD)  # the contributions are among what goes
        removal.delete_visit(s, lesson.visit_id)
    assert _rows(observer, "SELECT count(*) FROM contributions") == [(0,)]
    assert _rows(observer, "SELECT count(*) FROM visit_seatings") == [(0,)]
    with observer.transaction() as s:
        removal.restore_deleted(s, "observations", lesson.visit_id)
    # Back as they were, labels too: the visit finds its class's chart again.
    assert _figures(observer, lesson) == before

    with observer.transaction() as s:
        removal.delete_cycle(s, lesson.cycle_id)
    sent = laptops.send(observer)
    # The delete travels; the link to the chart, kept here for an undo, does not.
    assert lesson.chart_id.encode() not in b"".join(pf.members(sent).values())
    delete = laptops.receive(teacher, sent)
    assert delete.counts["cycles"].deleted == 1
    assert _rows(teacher, "SELECT count(*) FROM contributions") == [(0,)]
    with observer.transaction() as s:
        removal.restore_deleted(s, "cycles", lesson.cycle_id)
    assert _figures(observer, lesson) == before
    laptops.receive(teacher, laptops.send(observer))
    assert _figures(teacher, lesson)[:3] == before[:3]
