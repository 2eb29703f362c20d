"""A student speaks while the observer is picking a look-for with `#`: the seat box's key
must close the `#` list, or the seat number typed next goes into the note and the contribution
is lost (found by the whole-lesson soak test)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from observe_app.services.participation import grid_seats
from tests.gui.conftest import type_text
from tests.gui.test_participation_live import _participation_visit

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def _keyboard():
    """Where a key goes: an open popup (the `#` list) first, as on a real screen."""
    return QApplication.activePopupWidget() or QApplication.focusWidget()


def test_the_seat_box_key_closes_the_tag_list_and_the_seat_is_logged(open_live, backend,
                                                                    qtbot):
    obs_id, item = _participation_visit(backend, grid_seats(2, 3))
    view = open_live(observation_id=obs_id)
    widget = view.panel.participation[item.id]
    popup = view.note_edit.completer().popup()
    type_text(view.note_edit, "Pairs compare answers #each")
    qtbot.waitUntil(popup.isVisible)

    QTest.keyClick(_keyboard(), Qt.Key.Key_S, CTRL_SHIFT)
    assert not popup.isVisible()
    assert QApplication.focusWidget() is widget.entry
    type_text(_keyboard(), "3e")
    QTest.keyClick(_keyboard(), Qt.Key.Key_Return)
    assert [(c.seat, c.talk_type, c.called_on)
            for c in backend.participation.contributions(obs_id, item.id)] == [(3, "e", False)]
    assert view.note_edit.toPlainText() == "Pairs compare answers #each"  # kept as typed

    # Back in the note box, the next letter offers the look-for again.
    QTest.keyClick(_keyboard(), Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is view.note_edit
    type_text(view.note_edit, " ")
    QTest.keyClick(view.note_edit, Qt.Key.Key_Backspace)
    qtbot.waitUntil(popup.isVisible)
    QTest.keyClick(popup, Qt.Key.Key_Return)  # the one match
    assert view.note_edit.toPlainText().rstrip() == "Pairs compare answers"
    assert "Students talk to each other" in view.tags_label.text()
