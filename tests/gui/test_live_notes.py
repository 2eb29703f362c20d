"""The note box and the evidence log, driven with keys; every assertion is on the database."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPlainTextEdit

from observe_app.services import notes
from tests.gui.conftest import START, type_text


def _notes(db, obs_id):
    with db.transaction() as s:
        return notes.list_notes(s, obs_id)


def test_note_time_is_taken_at_the_first_keystroke(open_live, clock, db, qtbot):
    view = open_live()
    clock.advance(65)
    type_text(view.note_edit, "T asks: why")
    clock.advance(20)  # the observer keeps typing for twenty seconds
    type_text(view.note_edit, " does ice float?")
    with qtbot.waitSignal(view.note_saved):
        QTest.keyClick(view.note_edit, Qt.Key.Key_Return)
    [note] = _notes(db, view.observation_id)
    assert note.text == "T asks: why does ice float?"
    assert note.elapsed_ms == 65_000
    assert note.wall_time == START.replace(minute=1, second=5)
    assert view.note_edit.toPlainText() == ""
    assert view.notes_model.rowCount() == 1


def test_shift_enter_makes_a_new_line_and_non_ascii_is_kept(open_live, db):
    view = open_live()
    type_text(view.note_edit, "Élodie: «parce que»")
    QTest.keyClick(view.note_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    type_text(view.note_edit, "Ξ and Ж too")
    assert _notes(db, view.observation_id) == []
    QTest.keyClick(view.note_edit, Qt.Key.Key_Return)
    [note] = _notes(db, view.observation_id)
    assert note.text == "Élodie: «parce que»\nΞ and Ж too"


def test_notes_are_listed_newest_at_the_bottom(open_live, clock):
    view = open_live()
    for n in range(3):
        clock.advance(30)
        type_text(view.note_edit, f"note {n}")
        QTest.keyClick(view.note_edit, Qt.Key.Key_Return)
    model = view.notes_model
    assert [model.index(r, 0).data() for r in range(3)] == ["00:30", "01:00", "01:30"]
    assert model.index(2, model.Column.TEXT).data() == "note 2"


def test_undo_and_redo_add_edit_delete(open_live, db, qtbot):
    view = open_live()
    type_text(view.note_edit, "first")
    QTest.keyClick(view.note_edit, Qt.Key.Key_Return)
    QTest.keyClick(view.note_edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _notes(db, view.observation_id) == []
    QTest.keyClick(view.note_edit, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    [note] = _notes(db, view.observation_id)
    assert note.text == "first"

    # Edit in place: F2 on the selected row, type, Enter.
    view.table.setFocus()
    view.table.setCurrentIndex(view.notes_model.index(0, view.notes_model.Column.TEXT))
    QTest.keyClick(view.table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QPlainTextEdit) and editor.toPlainText() == "first"
    editor.selectAll()
    type_text(editor, "first,")
    QTest.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    type_text(editor, "edited")
    QTest.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits on the next event loop turn
    qtbot.waitUntil(lambda: _notes(db, view.observation_id)[0].text == "first,\nedited")
    QTest.keyClick(view.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _notes(db, view.observation_id)[0].text == "first"

    QTest.keyClick(view.table, Qt.Key.Key_Delete)
    assert _notes(db, view.observation_id) == []
    QTest.keyClick(view.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    [back] = _notes(db, view.observation_id)
    assert (back.id, back.text, back.elapsed_ms) == (note.id, "first", note.elapsed_ms)


def test_ctrl_z_in_a_box_with_text_undoes_typing_not_notes(open_live, db):
    view = open_live()
    type_text(view.note_edit, "kept")
    QTest.keyClick(view.note_edit, Qt.Key.Key_Return)
    type_text(view.note_edit, "abc")
    QTest.keyClick(view.note_edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(_notes(db, view.observation_id)) == 1


def test_an_undo_the_database_refuses_changes_nothing_and_says_why(open_live, db, qtbot,
                                                                   monkeypatch):
    from observe_app.errors import DatabaseLockedError
    from observe_app.services import notes as notes_service

    view = open_live()
    type_text(view.note_edit, "kept")
    QTest.keyClick(view.note_edit, Qt.Key.Key_Return)
    assert view.undo_stack.count() == 1

    def locked(*_args, **_kwargs):
        raise DatabaseLockedError("the database is locked by another program")

    monkeypatch.setattr(notes_service, "delete_note", locked)
    QTest.keyClick(view.note_edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [n.text for n in _notes(db, view.observation_id)] == ["kept"]
    assert view.notes_model.rowCount() == 1  # the screen agrees with the database
    assert view.undo_stack.count() == 0  # the refused step left the stack
    assert view.fault_banner.isVisible() and "locked" in view.fault_banner.label.text()
