"""A protocol of several kinds in one visit: planned, observed and exported by keys.

The mixed built-in has look-fors, tallies, a timer, an interval scan and prompts: each is used
from the keyboard in the same live view, and each is found in the database and in the PDF.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog

from observe_app.domain.enums import ItemKind
from observe_app.gui.dialogs import CycleDialog, StartObservationDialog
from observe_app.gui.live.live_view import LiveObservationView
from observe_app.services import notes, responses
from tests.gui.conftest import activate, type_text
from tests.reports.pdf_helpers import pdf_text

ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier
MIXED = "Questioning, wait time and engagement"


def _confirm(qtbot, dialog: QDialog) -> None:
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=5000)


def _plan(qtbot, backend, teacher_id: str):
    dialog = CycleDialog(backend, teacher_id)
    qtbot.addWidget(dialog)
    dialog.show()
    activate(dialog)
    qtbot.waitUntil(lambda: dialog.ready, timeout=5000)
    QTest.keyClick(dialog, Qt.Key.Key_B, ALT)  # O&bserver
    QTest.keyClicks(dialog.ui.observer_combo, "Ben")  # typed: the combo finds the name
    QTest.keyClick(dialog, Qt.Key.Key_P, ALT)  # &Protocol
    while not dialog.ui.protocol_combo.currentText().startswith(MIXED):
        before = dialog.ui.protocol_combo.currentIndex()
        QTest.keyClick(dialog.ui.protocol_combo, Qt.Key.Key_Down)
        assert dialog.ui.protocol_combo.currentIndex() == before + 1, "not offered"
    QTest.keyClick(dialog, Qt.Key.Key_F, ALT)  # &Focus
    type_text(dialog.ui.focus_edit, "Open questions and time to think")
    _confirm(qtbot, dialog)
    return dialog.result_view


def _start(qtbot, backend, cycle) -> str:
    dialog = StartObservationDialog(backend, cycle)
    qtbot.addWidget(dialog)
    dialog.show()
    activate(dialog)
    dialog.ui.grade_edit.setFocus()
    type_text(dialog.ui.grade_edit, "Year 8")
    _confirm(qtbot, dialog)
    return dialog.result_view.id


def _tab_to(widget) -> None:
    """Tab through the live view, as an observer would, until `widget` has the focus."""
    for _press in range(120):
        if QApplication.focusWidget() is widget:
            return
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reaches {widget.accessibleName() or widget.text()!r}")


def _back_to_note_box(view) -> None:
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_N, CTRL)
    assert QApplication.focusWidget() is view.note_edit


def test_a_mixed_protocol_is_observed_by_keys_and_every_kind_reaches_the_pdf(
        qtbot, backend, db, clock, tmp_path):
    teacher = backend.people.add_person("Ana Lima", subject="Science")
    backend.people.add_person("Ben Okafor")
    cycle = _plan(qtbot, backend, teacher.id)
    assert (cycle.protocol_name, cycle.observer_name) == (MIXED, "Ben Okafor")
    observation_id = _start(qtbot, backend, cycle)

    view = LiveObservationView(backend, observation_id)
    view.confirm_end = lambda: True
    qtbot.addWidget(view)
    view.resize(1280, 720)
    view.show()
    activate(view)
    view.note_edit.setFocus()
    version = view.version
    [think, every_voice] = version.items_of(ItemKind.LOOKFOR)
    closed_q, open_q, probing_q, _student_q = version.items_of(ItemKind.TALLY)
    [wait] = version.items_of(ItemKind.TIMER)
    [scan_item] = version.items_of(ItemKind.INTERVAL)
    glow = next(i for i in version.items_of(ItemKind.PROMPT) if i.prompt_kind == "glow")
    # Each kind takes keys from its own range, so none takes another's.
    assert (view.keys[think.id], view.keys[closed_q.id], view.keys[wait.id]) == (
        "Ctrl+1", "Alt+1", "F5")

    # A note tagged to a look-for, typed while the clock runs.
    clock.advance(30)
    type_text(view.note_edit, "T: 'Talk to your partner first, then I will ask.'")
    QTest.keyClick(view.note_edit, Qt.Key.Key_1, CTRL)
    QTest.keyClick(view.note_edit, Qt.Key.Key_Return)
    # Tallies by their keys, with a note half typed.
    type_text(view.note_edit, "S: because")
    for key, times in ((Qt.Key.Key_2, 3), (Qt.Key.Key_1, 2), (Qt.Key.Key_3, 1)):
        for _ in range(times):
            QTest.keyClick(view.note_edit, key, ALT)
    assert view.note_edit.toPlainText() == "S: because"
    QTest.keyClick(view.note_edit, Qt.Key.Key_Return)
    # The wait-time timer: F5 starts it, F5 stops it.
    QTest.keyClick(view.note_edit, Qt.Key.Key_F5)
    clock.advance(4.5)
    QTest.keyClick(view.note_edit, Qt.Key.Key_F5)
    # Scan 1: tick what students and the teacher are doing, by Tab and Space.
    scan = view.panel.intervals[scan_item.id]
    for code in ("talking-together", "guiding"):
        _tab_to(scan.code_boxes[code])
        QTest.keyClick(scan.code_boxes[code], Qt.Key.Key_Space)
    _back_to_note_box(view)
    # Scan 2, three minutes later: the prompt comes round and, on a small screen, the scan
    # is scrolled into view from below the fold; the note box keeps the cursor.
    view.resize(1024, 570)  # a small school laptop
    qtbot.wait(20)
    view.panel.verticalScrollBar().setValue(0)
    qtbot.wait(10)
    last_code = scan.code_boxes["off-task"]
    assert last_code.visibleRegion().isEmpty()  # below the fold
    clock.advance(180)
    with qtbot.waitSignal(scan.scan_started):
        view.tick()
    qtbot.wait(10)
    assert "Scan 2" in scan.prompt_label.text()
    assert last_code.visibleRegion() == last_code.rect()  # the whole scan is in view
    assert QApplication.focusWidget() is view.note_edit
    _tab_to(scan.code_boxes["listening"])
    QTest.keyClick(scan.code_boxes["listening"], Qt.Key.Key_Space)
    # A look-for seen, ticked by Tab and Space; a glow typed in its prompt.
    _tab_to(view.panel.checkboxes[every_voice.id])
    QTest.keyClick(view.panel.checkboxes[every_voice.id], Qt.Key.Key_Space)
    _tab_to(view.panel.prompts[glow.id])
    type_text(view.panel.prompts[glow.id], "Pair talk before answers drew in quiet students")
    _back_to_note_box(view)
    type_text(view.note_edit, "Ends with an exit question")
    with qtbot.waitSignal(view.observation_ended):
        QTest.keyClick(view.note_edit, Qt.Key.Key_E, CTRL)

    with db.transaction() as s:
        results = responses.observation_results(s, observation_id)
        saved = notes.list_notes(s, observation_id)
    assert [(n.text, n.item_ids) for n in saved] == [
        ("T: 'Talk to your partner first, then I will ask.'", (think.id,)),
        ("S: because", ()), ("Ends with an exit question", ())]
    assert results.counts == {open_q.id: 3, closed_q.id: 2, probing_q.id: 1}
    assert [r.duration_ms for r in results.timer_runs[wait.id]] == [4500]
    assert [(r.index, set(r.codes), r.missed) for r in results.intervals[scan_item.id]] == [
        (0, {"talking-together", "guiding"}, False), (1, {"listening"}, False)]
    assert results.checked == {every_voice.id: True}
    assert results.texts[glow.id] == "Pair talk before answers drew in quiet students"

    exported = backend.export_cycle(cycle.id, str(tmp_path / "cycle.pdf"))
    text = " ".join(pdf_text(exported.path))
    for shown in (
        f"Protocol {MIXED}, version 1",
        # look-fors: one ticked, one with tagged evidence
        "Students get time to think before anyone answers ✓ Seen "
        "Questions reach students who did not volunteer ✓ Seen",
        # tallies and the timer
        "Closed question (one right answer) 2 Open question (many possible answers) 3 "
        "Follow-up or probing question 1 Question asked by a student 0",
        "Wait time after a question 1 4.5 s 4.5 s 4.5 s",
        # the scan: each code's share of the two scans, the codes read bottom to top
        "2 scans, one every 3 min.",
        "Students 0% 0% 0% 50% 0% 50% Off task Asking Answering Talking in pairs or groups "
        "Working alone Listening",
        "Teacher 0% 0% 0% 50% 0% 0% Waiting Admin Feedback Guiding Questioning Lecturing",
        # the glow typed in its prompt, and the notes with their tags
        "Glows: what worked • Pair talk before answers drew in quiet students",
        "00:30 09:00:30 T: 'Talk to your partner first, then I will ask.' Students get time "
        "to think before anyone answers",
        "Ends with an exit question",
    ):
        assert shown in text, shown


def test_a_scan_beginning_leaves_the_panel_where_the_observer_is_typing(open_live, clock,
                                                                          qtbot):
    view = open_live("questioning-wait-time-engagement")
    view.resize(1024, 570)
    last = view.version.items_of(ItemKind.PROMPT)[-1]  # the next step, at the very bottom
    box = view.panel.prompts[last.id]
    _tab_to(box)
    type_text(box, "Plan two open questions")
    qtbot.wait(20)
    assert box.visibleRegion().boundingRect() == box.rect()
    where = view.panel.verticalScrollBar().value()
    [scan_item] = view.version.items_of(ItemKind.INTERVAL)
    clock.advance(180)
    with qtbot.waitSignal(view.panel.intervals[scan_item.id].scan_started):
        view.tick()
    qtbot.wait(10)
    assert view.panel.verticalScrollBar().value() == where
    assert QApplication.focusWidget() is box and box.visibleRegion().boundingRect() == box.rect()
