"""The growth view shows, per lesson, the share of students heard and how evenly talk was
spread, for a teacher whose visits have participation maps (and hides them otherwise)."""

from __future__ import annotations

import datetime as dt

import pytest

from observe_app.gui.review.growth_view import GrowthView
from observe_app.services import people
from observe_app.services.participation import grid_seats
from tests.gui.review_helpers import people_and_cycle, visit
from tests.reports.participation_helpers import T0, a_year, lesson


def _open(qtbot, backend, teacher_id: str) -> GrowthView:
    view = GrowthView(backend, teacher_id)
    qtbot.addWidget(view)
    view.resize(1366, 768)
    view.show()
    qtbot.waitUntil(lambda: not view.loading, timeout=5000)  # read on a worker
    return view


def test_two_lessons_worked_out_by_hand(qtbot, backend):
    with backend.database.transaction() as s:
        teacher = people.add_person(s, "Aino Mäkelä", subject="Mathematics")
        observer = people.add_person(s, "Νίκος Παπαδόπουλος")
        # Four seats; in September seat 1 spoke twice and nobody else did.
        lesson(s, teacher.id, observer.id, start=T0, seats=grid_seats(1, 4),
               heard=[(1, "a", True, 60), (1, "q", False, 120)])
        # In October every seat spoke once.
        lesson(s, teacher.id, observer.id, start=T0 + dt.timedelta(days=30),
               seats=grid_seats(1, 4), heard=[(n, "a", False, 60 * n) for n in range(1, 5)])
    view = _open(qtbot, backend, teacher.id)
    assert view.heard_chart.isVisible() and view.evenness_chart.isVisible()
    assert not view.tally_chart.isVisible()  # no tallies: no empty chart standing in
    [heard] = view.heard_chart.series
    [even] = view.evenness_chart.series
    assert heard.name == "heard" and even.name == "Gini"
    assert [value for _when, value in heard.points] == [25, 100]  # 1 of 4 seats, then 4 of 4
    # Counts 0, 0, 0, 2: (2*4 - 4 - 1) * 2 / (4 * 2) = 0.75; then 1, 1, 1, 1: 0.
    assert [value for _when, value in even.points] == [pytest.approx(0.75), 0]
    assert [when for when, _value in heard.points] == [T0, T0 + dt.timedelta(days=30)]
    assert "Students heard 25% → 100%, Gini 0.75 → 0.00 over 2 lessons" in \
        view.subtitle_label.text()
    assert "heard: " in view.heard_chart.accessibleDescription()
    view.grab()  # paints without a warning


def test_a_year_of_lessons_shows_talk_spreading_out(qtbot, backend):
    with backend.database.transaction() as s:
        teacher_id, cycle_ids = a_year(s)
    view = _open(qtbot, backend, teacher_id)
    assert len(view.timeline.entries) == len(cycle_ids) == 6
    [heard] = view.heard_chart.series
    [even] = view.evenness_chart.series
    assert len(heard.points) == len(even.points) == 6
    assert heard.points[-1][1] > heard.points[0][1]  # more students heard by the spring
    assert even.points[-1][1] < even.points[0][1]  # and talk spread more evenly
    view.grab()


def test_a_teacher_without_participation_maps_sees_no_such_charts(qtbot, backend):
    teacher, _observer, _version, cycle = people_and_cycle(backend)
    visit(backend, cycle.id, [("Students explain their steps", 60, [])])
    view = _open(qtbot, backend, teacher.id)
    assert not view.heard_chart.isVisible() and not view.evenness_chart.isVisible()
    assert view.tally_chart.isVisible()  # says nothing is recorded yet
    assert "Students heard" not in view.subtitle_label.text()
