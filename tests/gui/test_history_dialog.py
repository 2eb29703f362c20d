"""Changes from other laptops: opened from a cycle a colleague's package changed, a kept value
chosen with the keys and restored after a question; from the Data menu, every value or an
empty list that says what will appear."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from observe_app.gui import tasks
from observe_app.services import cycles, exchange, notes
from observe_app.storage.opening import open_database
from tests.gui.conftest import activate
from tests.gui.review_helpers import open_from_cycles_page, people_and_cycle, visit


def _wait_idle(qtbot) -> None:
    qtbot.waitUntil(lambda: not tasks.busy(), timeout=20_000)


def _reflection(db, cycle_id: str) -> str:
    conn = sqlite3.connect(db.path)
    try:
        return conn.execute("SELECT reflection FROM cycles WHERE id = ?", (cycle_id,)).fetchone()[0]
    finally:
        conn.close()


@pytest.fixture
def changed_by_colleague(backend, db, tmp_path: Path):
    """A cycle whose reflection and note were edited here and then, later, on a colleague's
    laptop; the colleague's package was received here: this laptop's values are history."""
    _t, _o, _v, cycle = people_and_cycle(backend)
    _obs, [note] = visit(backend, cycle.id, notes=[("Waits five seconds", 30, [])])
    out = tmp_path / "to-colleague.observe"
    with db.transaction() as s:
        exchange.send_cycle(s, cycle.id, out, sender="Aino")
    folder = tmp_path / "colleague"
    folder.mkdir()
    colleague = open_database(folder)
    with colleague.transaction() as s:
        exchange.receive_package(s, exchange.open_package(out), take_backup=False)
    backend.cycles.set_reflection(cycle.id, "My own words, typed here")
    backend.notes.edit_note(note.id, "Waits five seconds (here)")
    time.sleep(0.01)  # the colleague's edits are the newer ones
    with colleague.transaction() as s:
        cycles.set_reflection(s, cycle.id, "The colleague's words")
        notes.edit_note(s, note.id, "Waits five seconds (colleague)")
    back = tmp_path / "back.observe"
    with colleague.transaction() as s:
        exchange.send_cycle(s, cycle.id, back, sender="Lukas Berg")
    colleague.close()
    with db.transaction() as s:
        exchange.receive_package(s, exchange.open_package(back), take_backup=False)
    assert _reflection(db, cycle.id) == "The colleague's words"
    return cycle.id


def _press_restore(dialog) -> None:
    """Tab from the list to the button, then Space (Alt+R does it too, where the platform
    has mnemonics: the offscreen one has none)."""
    for _ in range(4):
        if dialog.focusWidget() is dialog.restore_button:
            break
        QTest.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)
    assert dialog.focusWidget() is dialog.restore_button
    QTest.keyClick(dialog.restore_button, Qt.Key.Key_Space)


def test_restore_a_value_from_the_cycle_view_with_the_keys(
        main_window, backend, db, qtbot, changed_by_colleague) -> None:
    cycle_id = changed_by_colleague
    view = open_from_cycles_page(main_window, cycle_id)
    qtbot.waitUntil(view.history_button.isVisible, timeout=10_000)
    view.history_button.click()
    dialog = view.history_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 2, timeout=10_000)
    activate(dialog)
    assert "the cycle of Aino Mäkelä" in dialog.windowTitle() + dialog.findChild(
        type(dialog.detail_label), "dialogTitle").text()
    assert dialog.table.hasFocus() and dialog.selected() is not None
    # Down and up through the list to the reflection.
    for _ in range(2):
        if dialog.selected().field == "reflection":
            break
        QTest.keyClick(dialog.table, Qt.Key.Key_Down)
    entry = dialog.selected()
    assert (entry.field, entry.kept, entry.current, entry.came_from) == (
        "reflection", "My own words, typed here", "The colleague's words", "Lukas Berg")
    assert "Kept: My own words, typed here" in dialog.detail_label.text()
    assert dialog.restore_button.isEnabled(), dialog.detail_label.text()
    asked: list[str] = []
    dialog.confirm = lambda title, text: asked.append(text) or False
    _press_restore(dialog)
    assert asked and "My own words, typed here" in asked[0] and "The colleague" in asked[0]
    _wait_idle(qtbot)
    assert _reflection(db, cycle_id) == "The colleague's words"  # said no: nothing changed

    dialog.confirm = lambda title, text: True
    dialog.table.setFocus()
    _press_restore(dialog)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 3, timeout=10_000)
    _wait_idle(qtbot)
    assert _reflection(db, cycle_id) == "My own words, typed here"
    assert "Restored" in dialog.message_label.text()
    assert view.reflection_edit.toPlainText() == "My own words, typed here"
    # The value the restore replaced is listed too, and can be put back in turn.
    replaced = [dialog.model.row_at(r) for r in range(3)
                if dialog.model.row_at(r).kept == "The colleague's words"]
    assert len(replaced) == 1 and replaced[0].can_restore
    assert not dialog.selected().can_restore and not dialog.restore_button.isEnabled()
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: view.history_dialog is None)


def test_the_data_menu_lists_every_value_sorted_by_date(main_window, backend, qtbot,
                                                        changed_by_colleague) -> None:
    exchange_actions = main_window.exchange
    assert exchange_actions.history_action in main_window.data_menu.menu.actions()
    exchange_actions.history_action.trigger()
    dialog = exchange_actions.history_dialog
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 2, timeout=10_000)
    assert {dialog.model.row_at(r).field for r in range(2)} == {"reflection", "text"}
    first = dialog.proxy.index(0, 0)
    dialog.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert dialog.proxy.index(0, 0).data(Qt.ItemDataRole.UserRole) <= \
        dialog.proxy.index(1, 0).data(Qt.ItemDataRole.UserRole)
    assert first.isValid()
    dialog.reject()


def test_a_cycle_with_no_history_has_no_button_and_the_empty_list_says_why(
        main_window, backend, qtbot) -> None:
    _t, _o, _v, cycle = people_and_cycle(backend)
    view = open_from_cycles_page(main_window, cycle.id)
    _wait_idle(qtbot)
    assert not view.history_button.isVisible()
    main_window.exchange.history_action.trigger()
    dialog = main_window.exchange.history_dialog
    _wait_idle(qtbot)
    assert dialog.empty_label.isVisible() and not dialog.table.isVisible()
    assert "the value that was replaced is kept here" in dialog.empty_label.text()
    assert not dialog.restore_button.isEnabled()
    dialog.reject()


def test_the_history_model_passes_qtmodeltester(qtmodeltester, backend,
                                                changed_by_colleague) -> None:
    from observe_app.gui.history_dialog import HistoryTableModel

    model = HistoryTableModel()
    qtmodeltester.check(model, force_py=True)
    model.set_rows(backend.history.list_history())
    assert model.rowCount() == 2
    qtmodeltester.check(model, force_py=True)
