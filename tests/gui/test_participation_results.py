"""A visit's participation map in the cycle view's results: read only, under the figures; each
seat's count as stored, the turns between speakers the PDF draws, each seat's talk types in its
tooltip; and no chart where the protocol has no map or the visit no seats."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QToolTip

from observe_app.gui.review.seat_results import ParticipationResultsWidget, SeatResultsChart
from observe_app.services.participation import grid_seats
from tests.gui.review_helpers import open_from_cycles_page, people_and_cycle, visit
from tests.gui.test_small_screen import SMALL, cut_off

# Seat, talk type, called on by the teacher: in the order heard, a minute apart.
HEARD = [(1, "a", False), (2, "q", True), (1, "e", False), (2, "a", False), (3, "b", True),
         (3, "a", False), (1, "a", True)]


def _participation_cycle(backend):
    """A cycle on "Participation and talk" with two visits: the first on six seats, seat 1
    labelled "AB" on this laptop, with HEARD; the second with no seats laid out."""
    teacher, _o, version, cycle = people_and_cycle(backend, slug="participation-and-talk")
    item = next(i for i in version.items if i.kind == "participation")
    clock = backend.clock
    first = backend.observations.start_observation(cycle.id, subject="Science", grade="8",
                                                   room="12", students=6, now=clock.now())
    backend.participation.lay_out_visit(first.id, item.id, teacher.id, "Science 8", "12",
                                        grid_seats(2, 3), {1: "AB"})
    for minute, (seat, talk_type, called_on) in enumerate(HEARD, start=1):
        backend.participation.record_contribution(first.id, item.id, seat, talk_type,
                                                  elapsed_ms=minute * 60_000,
                                                  called_on=called_on)
    clock.advance(40 * 60)
    backend.observations.end_observation(first.id, 40 * 60_000, now=clock.now())
    second, _notes = visit(backend, cycle.id, [("Pairs talk before answering", 90, [])])
    return cycle, item, first, second


def _to_visits_tab(view) -> None:
    """From the tab the cycle opened on, by the arrow keys on the tab bar."""
    bar = view.tabs.tabBar()
    bar.setFocus()
    target = view.tabs.indexOf(view.visits)
    while view.tabs.currentIndex() != target:
        key = Qt.Key.Key_Left if view.tabs.currentIndex() > target else Qt.Key.Key_Right
        QTest.keyClick(bar, key)
    assert view.visits.isVisible()


def _tooltip(chart: SeatResultsChart, seat: int) -> str:
    point = chart.seat_rect(seat).center().toPoint()
    QApplication.sendEvent(chart, QHelpEvent(QHelpEvent.Type.ToolTip, point,
                                             chart.mapToGlobal(point)))
    return QToolTip.text()


def test_the_chart_shows_the_visit_s_counts_turns_and_talk_types(qtbot, main_window, backend):
    cycle, item, first, second = _participation_cycle(backend)
    view = open_from_cycles_page(main_window, cycle.id)
    _to_visits_tab(view)
    panel = view.visits
    # The newest visit is chosen: it had no seats, so its figures come with no chart.
    assert panel.observation_id == second.id
    assert panel.result_widgets == [] and "0 of 0 seats" in panel.results_view.toPlainText()

    panel.visits_table.setFocus()
    QTest.keyClick(panel.visits_table, Qt.Key.Key_Up)
    assert panel.observation_id == first.id
    assert len(panel.result_widgets) == 1
    shown = panel.result_widgets[0]
    assert isinstance(shown, ParticipationResultsWidget)
    chart = shown.chart
    qtbot.waitUntil(chart.isVisible)  # shown with the next turn of the event loop
    # Under the figures, in the same scrolled column.
    assert shown.y() > panel.results_view.geometry().bottom()
    assert "Seating chart: Student contributions by seat" in chart.accessibleName()

    stored = Counter(c.seat for c in backend.participation.contributions(first.id, item.id))
    assert {s.number: chart.count(s.number) for s in chart.seats} == {
        n: stored[n] for n in range(1, 7)} == {1: 3, 2: 2, 3: 2, 4: 0, 5: 0, 6: 0}
    # Talk passed 1→2, 2→1, 1→2, 2→3, 3→1: seats 1 and 2 three times, then 1–3 and 2–3 once.
    assert chart.drawn_turns == ((1, 2, 3), (1, 3, 1), (2, 3, 1))

    assert _tooltip(chart, 1) == ("Seat 1 (AB)\nAnswered a question: 2\n"
                                  "Explained their thinking: 1\ncalled on 1, volunteered 2")
    assert _tooltip(chart, 3) == ("Seat 3\nAnswered a question: 1\nBuilt on a peer's idea: 1\n"
                                  "called on 1, volunteered 1")
    assert _tooltip(chart, 5) == "Seat 5: not heard"

    # Read only: a click on a seat logs nothing.
    QTest.mouseClick(chart, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     chart.seat_rect(4).center().toPoint())
    assert len(backend.participation.contributions(first.id, item.id)) == len(HEARD)

    # Back to the visit with no seats: its chart goes.
    QTest.keyClick(panel.visits_table, Qt.Key.Key_Down)
    assert panel.observation_id == second.id and panel.result_widgets == []


def test_the_chart_fits_a_small_screen(main_window, backend):
    cycle, _item, first, _second = _participation_cycle(backend)
    main_window.resize(SMALL)
    view = open_from_cycles_page(main_window, cycle.id)
    view.tabs.setCurrentWidget(view.visits)
    view.visits.show_visit(first.id)
    QTest.qWait(50)
    area = view.visits.results_area
    shown = view.visits.result_widgets[0]
    # The figures and the chart scroll together, by the keys in the results text too.
    assert area.verticalScrollBar().value() == 0 < area.verticalScrollBar().maximum()
    view.visits.results_view.setFocus()
    QTest.keyClick(view.visits.results_view, Qt.Key.Key_PageDown)
    assert area.verticalScrollBar().value() > 0
    area.ensureWidgetVisible(shown.chart)
    QTest.qWait(20)
    # As wide as the results, no wider (nothing to scroll sideways), and scrolled into sight.
    box = area.viewport().rect()
    chart = shown.chart
    corners = (chart.mapTo(area.viewport(), QPoint(0, 0)),
               chart.mapTo(area.viewport(), QPoint(chart.width() - 1, chart.height() - 1)))
    assert all(box.contains(corner) for corner in corners)
    assert all(box.contains(chart.mapTo(area.viewport(),
                                        chart.seat_rect(s.number).center().toPoint()))
               for s in chart.seats)
    assert main_window.size() == SMALL
    assert cut_off(view) == []


def test_a_protocol_without_a_participation_map_shows_no_chart(main_window, backend):
    _t, _o, _version, cycle = people_and_cycle(backend)
    visit(backend, cycle.id, [("Asked three open questions", 60, [])])
    view = open_from_cycles_page(main_window, cycle.id)
    _to_visits_tab(view)
    assert view.visits.results_view.toPlainText()
    assert view.visits.result_widgets == []
    assert view.findChildren(SeatResultsChart) == []
