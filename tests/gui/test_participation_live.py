"""A participation map in the live view: contributions captured by mouse and by keys, undone,
and checked in the database and the summary against figures worked out by hand; a bad seat
number said and kept; the class's saved chart used at once; a locked database loses nothing."""

from __future__ import annotations

import sys
import types

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from observe_app.gui.live import live_view as live_view_module
from observe_app.services.participation import class_name_of, grid_seats, table_seats
from tests.gui.conftest import start_visit, type_text
from tests.gui.test_live_locked import hold_lock  # noqa: F401 (a fixture)

LEFT, RIGHT = Qt.MouseButton.LeftButton, Qt.MouseButton.RightButton
SHIFT = Qt.KeyboardModifier.ShiftModifier
NONE = Qt.KeyboardModifier.NoModifier


def _participation_visit(backend, seats=None):
    """A new visit on the built-in "Participation and talk" (Science, Year 8, room 12), its
    participation item, and the visit's seats laid out when `seats` are given."""
    obs_id = start_visit(backend, "participation-and-talk")
    version = backend.protocols.get_version(
        backend.protocols.find_protocol("participation-and-talk").latest_version_id)
    item = next(i for i in version.items if i.kind == "participation")
    if seats is not None:
        backend.participation.seat_visit(obs_id, item.id, seats)
    return obs_id, item


def _click_seat(widget, number: int, button=LEFT, modifier=NONE) -> None:
    chart = widget.chart
    QTest.mouseClick(chart, button, modifier, chart.seat_rect(number).center().toPoint())


def _enter(widget, text: str, modifier=NONE) -> None:
    type_text(widget.entry, text)
    QTest.keyClick(widget.entry, Qt.Key.Key_Return, modifier)


def _stored(backend, obs_id, item_id):
    return [(c.seat, c.talk_type, c.called_on, c.elapsed_ms)
            for c in backend.participation.contributions(obs_id, item_id)]


def test_mouse_and_keys_capture_undo_and_the_figures_match_a_hand_count(open_live, backend,
                                                                        clock):
    obs_id, item = _participation_visit(backend, grid_seats(2, 3))  # seats 1-6
    view = open_live(observation_id=obs_id)
    widget = view.panel.participation[item.id]
    assert widget.chart.isVisible() and not widget.empty_box.isVisible()
    assert widget.type_buttons["a"].isChecked()  # the protocol's first talk type

    # By mouse: a click is volunteered, a right click or Shift+click called on.
    clock.advance(60)
    _click_seat(widget, 1)
    clock.advance(60)
    _click_seat(widget, 2, RIGHT)
    clock.advance(60)
    _click_seat(widget, 1, LEFT, SHIFT)
    QTest.mouseClick(widget.type_buttons["e"], LEFT)
    assert widget.type_buttons["e"].isChecked() and not widget.type_buttons["a"].isChecked()
    assert view.note_edit.hasFocus()  # clicks on the map leave the cursor in the note box
    clock.advance(60)
    _click_seat(widget, 3)

    # By keys: the seat box's key from the note box, a number (and a letter), Enter or
    # Shift+Enter; a letter alone changes the talk type.
    QTest.keyClick(view.note_edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | SHIFT)
    assert widget.entry.hasFocus()
    clock.advance(60)
    _enter(widget, "4q")
    assert widget.entry.text() == ""
    clock.advance(60)
    _enter(widget, "1", SHIFT)
    _enter(widget, "b")
    assert widget.type_buttons["b"].isChecked() and widget.talk_type == "b"
    clock.advance(60)
    _enter(widget, "5")
    clock.advance(60)
    _enter(widget, "6")
    assert len(_stored(backend, obs_id, item.id)) == 8

    # Undo: Ctrl+Z in the empty seat box undoes the newest change (seat 6); the Undo button
    # takes back the newest contribution left (seat 5).
    QTest.keyClick(widget.entry, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [c[0] for c in _stored(backend, obs_id, item.id)][-1] == 5
    QTest.mouseClick(widget.undo_button, LEFT)
    assert "seat 5" in widget.message.text()

    assert _stored(backend, obs_id, item.id) == [
        (1, "a", False, 60_000), (2, "a", True, 120_000), (1, "a", True, 180_000),
        (3, "e", False, 240_000), (4, "q", False, 300_000), (1, "e", True, 360_000)]
    figures = backend.participation.visit_summary(obs_id, item.id)
    # By hand: seats 1-4 heard of 6; per seat 3, 1, 1, 1, 0, 0.
    assert (figures.seats, figures.contributions, figures.spoke) == (6, 6, 4)
    assert figures.per_seat == {1: {"a": 2, "e": 1}, 2: {"a": 1}, 3: {"e": 1}, 4: {"q": 1}}
    assert figures.per_type == {"a": 3, "e": 2, "q": 1}
    assert (figures.called_on, figures.volunteered) == (3, 3)
    # Gini of 0,0,1,1,1,3: Σ(2i−n−1)·v = −1 + 1 + 3 + 15 = 18, over n·total = 36.
    assert figures.gini == pytest.approx(0.5)
    # The top quarter of six seats is two: 3 + 1 of 6 contributions.
    assert figures.top_quarter_share == pytest.approx(4 / 6)
    assert figures.timeline == (4, 2)  # 1:00-4:00 in the first five minutes, 5:00 and 6:00
    assert figures.transitions == {(1, 2): 1, (2, 1): 1, (1, 3): 1, (3, 4): 1, (4, 1): 1}

    # The screen says the same.
    assert widget.summary.text() == ("6 contributions · 4 of 6 seats heard · called on 3, "
                                     "volunteered 3")
    assert [widget.chart.count(n) for n in range(1, 7)] == [3, 1, 1, 1, 0, 0]

    # Ctrl+Z again puts seat 5 back (the take-back was the newest change), with its own id.
    QTest.keyClick(widget.entry, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _stored(backend, obs_id, item.id)[-1] == (5, "b", False, 420_000)
    assert widget.summary.text().startswith("7 contributions · 5 of 6 seats heard")


def test_a_bad_entry_is_said_in_a_sentence_and_stays_in_the_box(open_live, backend):
    obs_id, item = _participation_visit(backend, grid_seats(2, 3))
    view = open_live(observation_id=obs_id)
    widget = view.panel.participation[item.id]
    widget.focus_entry()
    for typed, said in (("45", "There is no seat 45 on this lesson's chart: its seats are "
                                "numbered 1 to 6."),
                        ("3x", "There is no talk type “x”: the letters are a, q, e, b."),
                        ("seat", "“seat” is not a seat: type its number")):
        _enter(widget, typed)
        assert widget.entry.text() == typed
        assert said in widget.message.text()
        assert widget.message.property("problem") is True
        widget.entry.clear()
    assert backend.participation.contributions(obs_id, item.id) == []
    _enter(widget, "3e")  # corrected: logged, the box empties
    assert _stored(backend, obs_id, item.id) == [(3, "e", False, 0)]
    assert widget.entry.text() == "" and widget.message.property("problem") is False


def test_the_class_saved_chart_lays_out_a_new_visit_at_once(open_live, backend):
    obs_id, item = _participation_visit(backend)
    visit = backend.observations.get_observation(obs_id)
    teacher_id = backend.cycles.get_summary(visit.cycle_id).teacher_id
    seats = table_seats(2, 4)
    chart = backend.participation.save_chart(teacher_id, class_name_of("Science", "Year 8"),
                                             "12", seats, {3: "JK"})
    view = open_live(observation_id=obs_id)
    widget = view.panel.participation[item.id]
    assert backend.participation.visit_seats(obs_id, item.id) == chart.seats
    assert backend.participation.visit_labels(obs_id, item.id) == {3: "JK"}  # from that chart
    assert widget.chart.isVisible() and not widget.empty_box.isVisible()
    assert "saved chart of Science · Year 8, room 12" in widget.message.text()
    assert widget._describe_seat(3) == "Seat 3 (JK): not heard yet"
    _click_seat(widget, 8, RIGHT)
    assert _stored(backend, obs_id, item.id) == [(8, "a", True, 0)]


def test_without_seats_the_map_asks_for_a_layout_and_shows_it_once_made(
        open_live, backend, monkeypatch):
    obs_id, item = _participation_visit(backend)  # no chart saved for this class
    view = open_live(observation_id=obs_id)
    widget = view.panel.participation[item.id]
    assert widget.empty_box.isVisible() and widget.lay_out_button.isVisible()
    assert not widget.chart.isVisible()
    _enter(widget, "3")
    assert "no seats yet" in widget.message.text() and widget.entry.text() == "3"

    class SeatingEditorStandIn:
        """Does what the seating editor does when accepted: sets the visit's seats."""

        def __init__(self, backend, observation_id, item, parent) -> None:
            self.args = (backend, observation_id, item)

        def exec(self) -> int:
            backend, observation_id, item = self.args
            backend.participation.seat_visit(observation_id, item.id, grid_seats(3, 4))
            return 1

    editor = types.ModuleType("observe_app.gui.seating_editor")
    editor.SeatingEditorDialog = SeatingEditorStandIn
    monkeypatch.setitem(sys.modules, "observe_app.gui.seating_editor", editor)
    QTest.mouseClick(widget.lay_out_button, LEFT)
    assert widget.chart.isVisible() and not widget.empty_box.isVisible()
    assert len(widget.chart.seats) == 12 and "12 seats" in widget.message.text()
    widget.entry.setText("12")
    QTest.keyClick(widget.entry, Qt.Key.Key_Return)
    assert _stored(backend, obs_id, item.id) == [(12, "a", False, 0)]


def test_a_locked_database_keeps_contributions_and_saves_them_in_order(
        open_live, backend, db, clock, qtbot, monkeypatch, hold_lock):  # noqa: F811
    monkeypatch.setattr(live_view_module, "RETRY_MS", 200)
    obs_id, item = _participation_visit(backend, grid_seats(2, 3))
    view = open_live(observation_id=obs_id)
    widget = view.panel.participation[item.id]
    release = hold_lock()
    clock.advance(30)
    _click_seat(widget, 2)
    clock.advance(30)
    _enter(widget, "5q", SHIFT)
    assert view.fault_banner.isVisible() and "locked" in view.fault_banner.label.text()
    assert widget.chart.count(2) == 1 and widget.chart.count(5) == 1  # shown at once
    assert widget.summary.property("unsaved")
    QTest.mouseClick(widget.undo_button, LEFT)  # not while they wait
    assert "once what waits is saved" in widget.message.text() and len(widget.heard) == 2
    made = [c.id for c in widget.heard]

    release()
    qtbot.waitUntil(lambda: not view.pending.waiting, timeout=5000)
    stored = backend.participation.contributions(obs_id, item.id)
    assert [c.id for c in stored] == made  # the ids made on screen: saved once each
    assert _stored(backend, obs_id, item.id) == [(2, "a", False, 30_000), (5, "q", True, 60_000)]
    assert not widget.summary.property("unsaved")
    qtbot.waitUntil(lambda: not view.fault_banner.isVisible(), timeout=3000)


def test_the_map_fits_a_small_screen_with_seats_large_enough_to_tap(qtbot, backend):
    from tests.gui.conftest import shown_window
    from tests.gui.test_accessibility import _unnamed
    from tests.gui.test_small_screen import SMALL, cut_off

    obs_id, item = _participation_visit(backend, table_seats(7, 4))
    window = shown_window(qtbot, backend, SMALL)
    window.open_observation(obs_id)
    QTest.qWait(100)
    widget = window.live_view.panel.participation[item.id]
    panel = window.live_view.panel
    assert panel.horizontalScrollBar().maximum() == 0  # nothing sticks out sideways
    assert cut_off(widget) == [] and _unnamed(widget) == []
    assert widget.chart.accessibleName() and "Seats: 28." in widget.chart.accessibleDescription()
    seat = widget.chart.seat_rect(1)  # 18 seats across a room of seven tables of four
    assert seat.width() >= 20 and seat.height() >= 30
    assert widget.chart.geometry().right() <= panel.viewport().width()
    assert QApplication.focusWidget() is window.live_view.note_edit
