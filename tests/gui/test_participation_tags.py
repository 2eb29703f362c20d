"""A participation map's contributions tagged to a look-for by its tag key in the seat box, and
timed by holding Enter or a seat; checked in the database, in what counts as seen, and in the
figures, against ones worked out by hand."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from observe_app.gui.review.visits_panel import results_html
from observe_app.services.participation import grid_seats
from tests.gui.test_participation_live import _click_seat, _enter, _participation_visit

CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
NONE = Qt.KeyboardModifier.NoModifier
LEFT = Qt.MouseButton.LeftButton
RETURN = Qt.Key.Key_Return


def _stored(backend, obs_id, item_id):
    return [(c.seat, c.elapsed_ms, c.duration_ms, c.lookfor_id)
            for c in backend.participation.contributions(obs_id, item_id)]


def _lit(view) -> set[str]:
    return {i for i, hint in view.panel.tag_hints.items() if hint.property("active")}


def _lookfors(backend):
    version = backend.protocols.get_version(
        backend.protocols.find_protocol("participation-and-talk").latest_version_id)
    return [i for i in version.items if i.kind == "lookfor"], version


def test_a_tag_key_in_the_seat_box_tags_the_next_contribution(open_live, backend, clock):
    obs_id, item = _participation_visit(backend, grid_seats(2, 3))
    (first, second, third), version = _lookfors(backend)
    view = open_live(observation_id=obs_id)
    widget = view.panel.participation[item.id]
    assert [view.keys[i.id] for i in (first, second, third)] == ["Ctrl+1", "Ctrl+2", "Ctrl+3"]
    QTest.keyClick(view.note_edit, Qt.Key.Key_S, CTRL | SHIFT)
    assert widget.entry.hasFocus()

    # Ctrl+1 in the seat box: the next contribution is tagged, shown, and lit by the look-for;
    # the note box gets no tag.
    QTest.keyClick(widget.entry, Qt.Key.Key_1, CTRL)
    assert widget.next.isVisible() and first.label in widget.next.text()
    assert _lit(view) == {first.id} and view.box.tags == []
    # Ctrl+2 replaces it: a contribution has one look-for, and the status line says so.
    QTest.keyClick(widget.entry, Qt.Key.Key_2, CTRL)
    assert _lit(view) == {second.id} and second.label in widget.next.text()
    assert f"instead of “{first.label}”" in widget.message.text()
    assert "one look-for" in widget.message.text()
    clock.advance(60)
    _enter(widget, "4q")
    assert f"tagged to “{second.label}”" in widget.message.text()
    assert not widget.next.isVisible() and _lit(view) == set()  # used up
    clock.advance(60)
    _enter(widget, "5")  # untagged

    # Tagged, then a seat clicked: the click takes the tag (the cursor stays in the seat box).
    QTest.keyClick(widget.entry, Qt.Key.Key_1, CTRL)
    clock.advance(60)
    _click_seat(widget, 2)
    assert widget.entry.hasFocus() and _lit(view) == set()
    # The same key twice takes the tag off again.
    QTest.keyClick(widget.entry, Qt.Key.Key_3, CTRL)
    QTest.keyClick(widget.entry, Qt.Key.Key_3, CTRL)
    assert widget.message.text() == "The next contribution is not tagged."
    assert not widget.next.isVisible() and _lit(view) == set()
    clock.advance(60)
    _click_seat(widget, 6)

    assert _stored(backend, obs_id, item.id) == [
        (4, 60_000, None, second.id), (5, 120_000, None, None), (2, 180_000, None, first.id),
        (6, 240_000, None, None)]
    results = backend.responses.observation_results(obs_id)
    assert results.tagged == {second.id: 1, first.id: 1}
    # Tagged contributions are evidence: those look-fors count as seen, as with a note.
    assert (results.seen(first.id), results.seen(second.id), results.seen(third.id)) == (
        True, True, None)
    html = results_html(version, results, lambda text, *_: text.replace("%n", "1"))
    assert f"Tagged to {first.label}" in html and f"Tagged to {second.label}" in html

    # Undone and redone, the tagged contribution keeps its tag.
    QTest.keyClick(widget.entry, Qt.Key.Key_Z, CTRL)  # seat 6
    QTest.keyClick(widget.entry, Qt.Key.Key_Z, CTRL)  # seat 2, tagged
    assert [c[0] for c in _stored(backend, obs_id, item.id)] == [4, 5]
    assert backend.responses.observation_results(obs_id).seen(first.id) is None
    QTest.keyClick(widget.entry, Qt.Key.Key_Z, CTRL | SHIFT)
    assert _stored(backend, obs_id, item.id)[-1] == (2, 180_000, None, first.id)

    # In the note box, the same key still tags the note.
    QTest.keyClick(widget.entry, Qt.Key.Key_N, CTRL)
    QTest.keyClicks(view.note_edit, "Pairs talk first")
    QTest.keyClick(view.note_edit, Qt.Key.Key_1, CTRL)
    assert view.box.tags == [first.id] and not widget.next.isVisible()


def test_a_rubric_item_s_key_in_the_seat_box_is_refused_in_a_sentence(open_live, backend):
    from dataclasses import replace

    obs_id, item = _participation_visit(backend, grid_seats(1, 3))
    (first, _second, _third), _version = _lookfors(backend)
    view = open_live(observation_id=obs_id)
    widget = view.panel.participation[item.id]
    widget.toggle_tag(replace(first, kind="rubric", label="Checks for understanding"))
    assert "tagged only to a look-for, and “Checks for understanding” is not one" in \
        widget.message.text()
    assert widget.message.property("problem") is True and widget.next.lookfor_id is None


def _autorepeat(widget, kind: QEvent.Type) -> None:
    QApplication.sendEvent(widget, QKeyEvent(kind, RETURN, NONE, "\r", True))


def test_holding_enter_or_a_seat_times_the_contribution(open_live, backend, clock):
    obs_id, item = _participation_visit(backend, grid_seats(2, 3))
    view = open_live(observation_id=obs_id)
    widget = view.panel.participation[item.id]
    widget.focus_entry()

    # Enter held 12 s: timed from when it went down; its repeats log nothing more.
    clock.advance(60)
    QTest.keyClicks(widget.entry, "3e")
    QTest.keyPress(widget.entry, RETURN)
    for _ in range(5):
        clock.advance(2)
        _autorepeat(widget.entry, QEvent.Type.KeyRelease)
        _autorepeat(widget.entry, QEvent.Type.KeyPress)
    clock.advance(2)
    QTest.keyRelease(widget.entry, RETURN)
    assert widget.message.text() == ("Seat 3: Explained their thinking, volunteered (01:00), "
                                     "talked 12 s.")
    assert widget.entry.text() == ""

    # Shift+Enter held 4 s: called on (Shift as Enter went down).
    clock.advance(30)
    QTest.keyClicks(widget.entry, "1")
    QTest.keyPress(widget.entry, RETURN, SHIFT)
    clock.advance(4)
    QTest.keyRelease(widget.entry, RETURN)

    # A quick Enter (under a second): no duration, as before.
    clock.advance(30)
    QTest.keyClicks(widget.entry, "2")
    QTest.keyPress(widget.entry, RETURN)
    clock.advance(0.4)
    QTest.keyRelease(widget.entry, RETURN)
    assert "talked" not in widget.message.text()

    # A seat held down 3.5 s, and one pressed for 0.9 s.
    where = widget.chart.seat_rect(5).center().toPoint()
    clock.advance(30)
    QTest.mousePress(widget.chart, LEFT, NONE, where)
    assert widget.chart.count(5) == 0  # logged when let go
    clock.advance(3.5)
    QTest.mouseRelease(widget.chart, LEFT, NONE, where)
    assert widget.chart.count(5) == 1 and "talked 4 s" in widget.message.text()  # 3.5 → 4
    clock.advance(30)
    QTest.mousePress(widget.chart, LEFT, NONE, where)
    clock.advance(0.9)
    QTest.mouseRelease(widget.chart, LEFT, NONE, where)

    stored = [(c.seat, c.called_on, c.elapsed_ms, c.duration_ms)
              for c in backend.participation.contributions(obs_id, item.id)]
    assert stored == [(3, False, 60_000, 12_000), (1, True, 102_000, 4_000),
                      (2, False, 136_000, None), (5, False, 166_400, 3_500),
                      (5, False, 199_900, None)]
    # By hand: three timed, 12 + 4 + 3.5 = 19.5 s of talk.
    figures = backend.participation.visit_summary(obs_id, item.id)
    assert (figures.timed, figures.timed_ms) == (3, 19_500)
    version = backend.protocols.get_version(
        backend.protocols.find_protocol("participation-and-talk").latest_version_id)
    html = results_html(version, backend.responses.observation_results(obs_id),
                        lambda text, *_: text.replace("%n", "3"))
    assert "3 contributions timed: 20 s of talk, 6 s on average" in html  # 19.5 → 20, 6.5 → 6
