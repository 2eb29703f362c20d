"""Private notes in the window: Ctrl+Shift+K during the visit keeps the note just saved (or
the one selected) private, with undo; the evidence logs say which notes are private, in
words; after the visit the same key works in the Visits tab."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from observe_app.gui import shortcuts
from observe_app.services import notes
from tests.gui.conftest import activate, type_text
from tests.gui.review_helpers import people_and_cycle, visit

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def _private(db, obs_id) -> dict[str, bool]:
    with db.transaction() as s:
        return {n.text: n.private for n in notes.list_notes(s, obs_id)}


def _private_key(widget) -> None:
    QTest.keyClick(widget, Qt.Key.Key_K, CTRL | SHIFT)


def _shown(model, row: int) -> str:
    return model.index(row, model.Column.TEXT).data()


def test_the_key_keeps_the_note_just_saved_private_with_undo(open_live, clock, db, qtbot):
    view = open_live()
    box, obs = view.note_edit, view.observation_id
    type_text(box, "Pairs explain their method")
    QTest.keyClick(box, Qt.Key.Key_Return)
    clock.advance(30)
    type_text(box, "Ravi was upset after the quiz")
    QTest.keyClick(box, Qt.Key.Key_Return)
    _private_key(box)  # the box is empty: the note just saved (it is selected)
    assert _private(db, obs) == {"Pairs explain their method": False,
                                 "Ravi was upset after the quiz": True}
    assert _shown(view.notes_model, 1) == "Private · Ravi was upset after the quiz"
    assert _shown(view.notes_model, 0) == "Pairs explain their method"
    assert "is private" in view.key_hint_label.text()

    # While a note is being typed the key could mean that one: it says so and changes nothing.
    type_text(box, "Next")
    _private_key(box)
    assert "Save the note first" in view.key_hint_label.text()
    assert _private(db, obs)["Ravi was upset after the quiz"] is True
    box.clear()

    QTest.keyClick(box, Qt.Key.Key_Z, CTRL)
    assert _private(db, obs)["Ravi was upset after the quiz"] is False
    assert _shown(view.notes_model, 1) == "Ravi was upset after the quiz"
    QTest.keyClick(box, Qt.Key.Key_Z, CTRL | SHIFT)
    assert _private(db, obs)["Ravi was upset after the quiz"] is True

    # Deleted and brought back with Ctrl+Z, it is still private.
    view.table.setFocus()
    QTest.keyClick(view.table, Qt.Key.Key_Delete)
    assert list(_private(db, obs)) == ["Pairs explain their method"]
    QTest.keyClick(view.table, Qt.Key.Key_Z, CTRL)
    assert _private(db, obs)["Ravi was upset after the quiz"] is True
    assert _shown(view.notes_model, 1).startswith("Private · ")

    # In the table, the key works on the note selected there; again, it shares it.
    view.table.setCurrentIndex(view.notes_model.index(1, view.notes_model.Column.TEXT))
    _private_key(view.table)
    assert _private(db, obs)["Ravi was upset after the quiz"] is False
    qtbot.mouseClick(view.private_button, Qt.MouseButton.LeftButton)  # the button does the same
    assert _private(db, obs)["Ravi was upset after the quiz"] is True


def test_the_visits_tab_says_which_notes_are_private_and_the_key_works_there(
        main_window, backend, db):
    _t, _o, _v, cycle = people_and_cycle(backend)
    obs, [shared, kept] = visit(backend, cycle.id, [("Pairs explain their method", 60, []),
                                                     ("Ravi was upset", 120, [])])
    backend.notes.set_private(kept.id, True)
    view = main_window.review.open_cycle(cycle.id)
    view.tabs.setCurrentWidget(view.visits)
    panel = view.visits
    model = panel.evidence_model
    column = model.Column.NOTE
    assert [model.index(r, column).data() for r in range(2)] == [
        "Pairs explain their method", "Private · Ravi was upset"]
    activate(main_window)
    table = panel.evidence_table
    table.setFocus()
    table.setCurrentIndex(panel.evidence_proxy.index(0, column))
    _private_key(table)
    assert _private(db, obs.id) == {"Pairs explain their method": True, "Ravi was upset": True}
    assert model.index(0, column).data() == "Private · Pairs explain their method"
    QTest.keyClick(table, Qt.Key.Key_Z, CTRL)
    assert _private(db, obs.id)["Pairs explain their method"] is False


def test_the_shortcut_sheet_lists_the_key():
    keys = {(e.where, e.action): e.keys for e in shortcuts.TABLE}
    assert keys[(shortcuts.Where.LIVE, "private")] == ("Ctrl+Shift+K",)
    assert keys[(shortcuts.Where.CYCLE_VIEW, "private")] == ("Ctrl+Shift+K",)
