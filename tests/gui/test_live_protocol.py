"""Tags, tallies, timers, interval scans, prompts, pause and end, driven as an observer would."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from observe_app.domain.enums import CycleStage, ItemKind
from observe_app.services import cycles, notes, observations, responses
from tests.gui.conftest import type_text

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier


def _click(qtbot, box):
    """Click a check box on its indicator, where a user aims."""
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))


def _results(db, view):
    with db.transaction() as s:
        return responses.observation_results(s, view.observation_id)


def _notes(db, view):
    with db.transaction() as s:
        return notes.list_notes(s, view.observation_id)


def test_tag_keys_tag_the_note_being_typed_and_the_key_is_shown(open_live, db):
    view = open_live("peer-observation")
    lookfors = view.version.items_of(ItemKind.LOOKFOR)
    assert view.panel.tag_hints[lookfors[1].id].text() == "Ctrl+2"
    type_text(view.note_edit, "S: because the angles add up")
    QTest.keyClick(view.note_edit, Qt.Key.Key_2, CTRL)
    QTest.keyClick(view.note_edit, Qt.Key.Key_4, CTRL)
    QTest.keyClick(view.note_edit, Qt.Key.Key_4, CTRL)  # pressed again: untagged
    assert lookfors[1].label in view.tags_label.text()
    QTest.keyClick(view.note_edit, Qt.Key.Key_Return)
    [note] = _notes(db, view)
    assert note.item_ids == (lookfors[1].id,)
    # With the box empty, the key tags the note just saved, and Ctrl+Z takes it back.
    QTest.keyClick(view.note_edit, Qt.Key.Key_1, CTRL)
    assert set(_notes(db, view)[0].item_ids) == {lookfors[0].id, lookfors[1].id}
    QTest.keyClick(view.note_edit, Qt.Key.Key_Z, CTRL)
    assert _notes(db, view)[0].item_ids == (lookfors[1].id,)
    QTest.keyClick(view.note_edit, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert set(_notes(db, view)[0].item_ids) == {lookfors[0].id, lookfors[1].id}


def test_hash_completer_tags_and_removes_the_hash_word(open_live, db, qtbot):
    view = open_live("peer-observation")
    type_text(view.note_edit, "Pairs talk #expl")
    popup = view.note_edit.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    QTest.keyClick(popup, Qt.Key.Key_Down)
    QTest.keyClick(popup, Qt.Key.Key_Return)
    assert view.note_edit.toPlainText() == "Pairs talk "
    QTest.keyClick(view.note_edit, Qt.Key.Key_Return)
    [note] = _notes(db, view)
    explain = next(i for i in view.version.items if i.label == "Students explain their thinking")
    assert note.text == "Pairs talk" and note.item_ids == (explain.id,)


def test_checklist_ticks_are_saved(open_live, db, qtbot):
    view = open_live("peer-observation")
    first = view.version.items_of(ItemKind.LOOKFOR)[0]
    box = view.panel.checkboxes[first.id]
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
    assert _results(db, view).checked == {first.id: True}
    assert QApplication.focusWidget() is view.note_edit  # a click does not take the cursor


def test_tallies_by_hotkey_and_buttons(open_live, db, qtbot):
    view = open_live("questioning-wait-time")
    open_q, closed_q = view.version.items_of(ItemKind.TALLY)[1], \
        view.version.items_of(ItemKind.TALLY)[0]
    type_text(view.note_edit, "typing while counting")
    for _ in range(3):
        QTest.keyClick(view.note_edit, Qt.Key.Key_2, ALT)
    QTest.keyClick(view.note_edit, Qt.Key.Key_1, ALT)
    assert _results(db, view).counts == {open_q.id: 3, closed_q.id: 1}
    assert view.note_edit.toPlainText() == "typing while counting"
    minus, plus = view.panel.tally_buttons[closed_q.id]
    qtbot.mouseClick(minus, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(minus, Qt.MouseButton.LeftButton)  # never below zero
    assert _results(db, view).counts[closed_q.id] == 0
    assert view.panel.tally_labels[open_q.id].text() == "3"


def test_timers_keep_every_run(open_live, clock, db):
    view = open_live("questioning-wait-time")
    wait = view.version.items_of(ItemKind.TIMER)[0]
    assert view.keys[wait.id] == "F5"
    for seconds in (2.5, 4.0):
        QTest.keyClick(view.note_edit, Qt.Key.Key_F5)
        clock.advance(seconds)
        QTest.keyClick(view.note_edit, Qt.Key.Key_F5)
        clock.advance(10)
    runs = _results(db, view).timer_runs[wait.id]
    assert [r.duration_ms for r in runs] == [2500, 4000]
    assert runs[1].started_ms == 12_500
    assert "2 runs" in view.panel.timers[wait.id].summary.text()


def test_interval_scans_prompt_without_taking_focus_and_record_missed(open_live, clock, db,
                                                                        qtbot):
    view = open_live("engagement-interval-scan")
    scan_item = view.version.items_of(ItemKind.INTERVAL)[0]
    scan = view.panel.intervals[scan_item.id]
    type_text(view.note_edit, "note in progress")
    _click(qtbot, scan.code_boxes["listening"])
    clock.advance(120)  # scan 2 begins
    with qtbot.waitSignal(scan.scan_started):
        view.tick()
    assert "Scan 2" in scan.prompt_label.text()
    assert QApplication.focusWidget() is view.note_edit
    clock.advance(120)  # scan 2 ends with nothing ticked: missed
    view.tick()
    _click(qtbot, scan.code_boxes["group-work"])
    _click(qtbot, scan.code_boxes["questioning"])
    records = _results(db, view).intervals[scan_item.id]
    assert [(r.index, r.codes, r.missed) for r in records] == [
        (0, ("listening",), False), (1, (), True), (2, ("group-work", "questioning"), False)]
    assert "missed: scan 2" in scan.missed_label.text()
    assert view.note_edit.toPlainText() == "note in progress"


def test_prompt_text_is_saved_as_typed(open_live, db, qtbot):
    view = open_live("peer-observation")
    glow = view.version.items_of(ItemKind.PROMPT)[0]
    type_text(view.panel.prompts[glow.id], "Cold call drew in quiet students")
    qtbot.waitUntil(lambda: _results(db, view).texts.get(glow.id) ==
                    "Cold call drew in quiet students", timeout=3000)


def test_pause_stops_the_clock_and_end_moves_the_cycle_on(open_live, clock, db, qtbot):
    view = open_live("peer-observation")
    clock.advance(60)
    QTest.keyClick(view.note_edit, Qt.Key.Key_P, CTRL)
    clock.advance(300)
    view.tick()
    assert view.elapsed_label.text() == "01:00"
    QTest.keyClick(view.note_edit, Qt.Key.Key_P, CTRL)
    clock.advance(30)
    type_text(view.note_edit, "after the fire drill")
    QTest.keyClick(view.note_edit, Qt.Key.Key_Return)
    assert _notes(db, view)[0].elapsed_ms == 90_000
    type_text(view.note_edit, "unsent words are kept")
    with qtbot.waitSignal(view.observation_ended):
        QTest.keyClick(view.note_edit, Qt.Key.Key_E, CTRL)
    with db.transaction() as s:
        obs = observations.get_observation(s, view.observation_id)
        assert obs.ended_at is not None and obs.duration_ms == 90_000
        assert cycles.get_summary(s, obs.cycle_id).stage == CycleStage.POST_CONFERENCE
    assert [n.text for n in _notes(db, view)] == ["after the fire drill",
                                                   "unsent words are kept"]
