"""Delete (asked first, Cancel by default, undone with Ctrl+Z), archive and Deleted items, driven
by keys and clicks in the window; the database is checked after each step."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.gui.conftest import activate, choose_in_context_menu
from tests.gui.modal import when_modal
from tests.gui.review_helpers import people_and_cycle, visit

CTRL = Qt.KeyboardModifier.ControlModifier


def _count(db, sql: str) -> int:
    from sqlalchemy import text

    with db.transaction() as s:
        return int(s.scalar(text(sql)) or 0)


def _answer(button_text: str | None, seen: list[str]) -> None:
    """On the next message box: note its text, then press Enter (None) or click a button."""

    def act(box) -> None:
        assert isinstance(box, QMessageBox), box
        seen.append(f"{box.text()}\n{box.informativeText()}")
        if button_text is None:
            activate(box)  # as a person sees it: the question in front
            QTest.keyClick(QApplication.focusWidget() or box, Qt.Key.Key_Return)
            return
        [button] = [b for b in box.buttons() if b.text() == button_text]
        button.click()

    when_modal(act)


def test_delete_key_asks_enter_keeps_delete_removes_ctrl_z_restores(main_window, backend, db,
                                                                   qtbot):
    _t, _o, _v, cycle = people_and_cycle(backend)
    visit(backend, cycle.id, [("Why does ice float?", 60, []), ("Pairs talk", 90, [])])
    window = main_window
    window.show_page(1)
    page = window.cycles_page
    page.select_id(cycle.id)
    activate(window)

    seen: list[str] = []
    _answer(None, seen)  # Enter: the default button is Cancel
    QTest.keyClick(page.table, Qt.Key.Key_Delete)
    activate(window)  # back from the question
    assert "Aino Mäkelä" in seen[0] and "1 visit, 2 notes" in seen[0]
    assert _count(db, "SELECT count(*) FROM cycles") == 1

    _answer("Delete", seen)
    QTest.keyClick(page.table, Qt.Key.Key_Delete)
    activate(window)  # back from the question
    assert _count(db, "SELECT count(*) FROM cycles") == 0
    assert _count(db, "SELECT count(*) FROM notes") == 0
    assert page.model.find_row(cycle.id) < 0
    assert "Deleted the cycle" in window.messages.text()
    assert window.undo_offer.button.isVisible()

    QTest.keyClick(page.table, Qt.Key.Key_Z, CTRL)  # restored on a worker
    qtbot.waitUntil(lambda: _count(db, "SELECT count(*) FROM cycles") == 1, timeout=5000)
    qtbot.waitUntil(lambda: page.model.find_row(cycle.id) >= 0, timeout=5000)
    assert _count(db, "SELECT count(*) FROM notes") == 2
    assert page.model.find_row(cycle.id) >= 0
    assert not window.undo_offer.button.isVisible()


def test_a_teacher_with_cycles_is_refused_a_person_without_is_deleted_and_undone(
        main_window, backend, db, qtbot):
    teacher, _o, _v, _cycle = people_and_cycle(backend)
    extra = backend.people.add_person("Typo Persson")
    window = main_window
    window.show_page(2)
    page = window.teachers_page
    qtbot.waitUntil(lambda: page.model.find_row(extra.id) >= 0, timeout=5000)
    page.select_id(teacher.id)
    activate(window)

    seen: list[str] = []
    _answer("OK", seen)
    QTest.keyClick(page.table, Qt.Key.Key_Delete)
    activate(window)  # back from the question
    assert seen[0].startswith("Aino Mäkelä is the observed teacher of 1 cycle: delete those "
                              "cycles first, or archive Aino Mäkelä instead.")
    assert _count(db, "SELECT count(*) FROM people") == 3
    assert _count(db, "SELECT count(*) FROM sync_deleted") == 0

    page.select_id(extra.id)
    _answer("Delete", seen)
    QTest.keyClick(page.table, Qt.Key.Key_Delete)
    activate(window)  # back from the question
    assert _count(db, "SELECT count(*) FROM people") == 2
    qtbot.waitUntil(lambda: page.model.find_row(extra.id) < 0, timeout=5000)
    qtbot.mouseClick(window.undo_offer.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _count(db, "SELECT count(*) FROM people") == 3, timeout=5000)
    qtbot.waitUntil(lambda: page.model.find_row(extra.id) >= 0, timeout=5000)


def test_archive_from_the_context_menu_hides_show_archived_lists(main_window, backend, db,
                                                                 qtbot):
    teacher, _o, _v, cycle = people_and_cycle(backend)
    window = main_window
    window.show_page(2)
    page = window.teachers_page
    qtbot.waitUntil(lambda: page.model.find_row(teacher.id) >= 0, timeout=5000)
    page.select_id(teacher.id)
    activate(window)

    choose_in_context_menu(page.table, "Archive")
    qtbot.waitUntil(lambda: page.model.find_row(teacher.id) < 0, timeout=5000)
    assert _count(db, "SELECT count(*) FROM people WHERE archived_at IS NOT NULL") == 1
    assert "Archived Aino Mäkelä" in window.messages.text()

    assert page.archived_box is not None
    qtbot.mouseClick(page.archived_box, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.model.find_row(teacher.id) >= 0, timeout=5000)
    row = page.model.find_row(teacher.id)
    assert page.model.index(row, 0).data() == "Aino Mäkelä (archived)"
    page.select_id(teacher.id)
    choose_in_context_menu(page.table, "Unarchive")
    qtbot.waitUntil(lambda: _count(db, "SELECT count(*) FROM people "
                                       "WHERE archived_at IS NOT NULL") == 0, timeout=5000)

    # A cycle archived leaves the Cycles page, and comes back with Show archived.
    window.show_page(1)
    cycles_page = window.cycles_page
    cycles_page.select_id(cycle.id)
    activate(window)
    choose_in_context_menu(cycles_page.table, "Archive")
    assert cycles_page.model.find_row(cycle.id) < 0
    window.show_page(0)  # a hidden page catches up when shown
    assert window.observe_page.model.find_row(cycle.id) < 0
    assert window.observe_page.archived_box is None  # what waits to be observed: never these
    window.show_page(1)
    assert cycles_page.archived_box is not None
    cycles_page.archived_box.click()
    assert cycles_page.model.find_row(cycle.id) >= 0
    assert backend.growth.teacher_growth(teacher.id) is not None  # its history stays


def test_delete_a_visit_in_the_cycle_view_and_undo_it(main_window, backend, db, qtbot):
    _t, _o, _v, cycle = people_and_cycle(backend)
    first, _ = visit(backend, cycle.id, [("First lesson", 30, [])])
    second, _ = visit(backend, cycle.id, [("Second lesson", 30, []), ("More", 40, [])])
    view = main_window.review.open_cycle(cycle.id)
    view.tabs.setCurrentWidget(view.visits)
    table = view.visits.visits_table
    table.setFocus()
    table.selectRow(view.visits.visits_model.find_row(second.id))
    activate(main_window)

    seen: list[str] = []
    _answer("Delete", seen)
    QTest.keyClick(table, Qt.Key.Key_Delete)
    activate(main_window)
    assert "1 visit" not in seen[0] and "2 notes" in seen[0]  # a visit: its notes are counted
    assert _count(db, "SELECT count(*) FROM observations") == 1
    assert view.visits.visits_model.find_row(second.id) < 0
    assert view.visits.visits_model.find_row(first.id) >= 0

    QTest.keyClick(table, Qt.Key.Key_Z, CTRL)  # no correction to undo: the delete is undone
    qtbot.waitUntil(lambda: _count(db, "SELECT count(*) FROM observations") == 2, timeout=5000)
    qtbot.waitUntil(lambda: view.visits.visits_model.find_row(second.id) >= 0, timeout=5000)
    assert _count(db, "SELECT count(*) FROM notes") == 3
    assert view.visits.visits_model.find_row(second.id) >= 0


def test_deleted_items_dialog_restores(main_window, backend, db, qtbot):
    _t, _o, _v, cycle = people_and_cycle(backend)
    visit(backend, cycle.id, [("Kept note", 30, [])])
    main_window.show_page(1)
    backend.removal.delete_cycle(cycle.id)
    assert main_window.cycles_page.model.find_row(cycle.id) < 0

    def restore(dialog) -> None:
        assert dialog.objectName() == "deletedItemsDialog"
        assert dialog.table.rowCount() == 1
        assert dialog.table.item(0, 1).text() == "cycle"
        assert dialog.table.item(0, 2).text().startswith("Aino Mäkelä")
        qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
        try:
            qtbot.waitUntil(lambda: dialog.table.rowCount() == 0, timeout=5000)
        finally:
            dialog.reject()

    main_window.data_menu.set_enabled(True)  # as app.py does once the database is open
    when_modal(restore)
    main_window.data_menu.deleted_action.trigger()
    assert _count(db, "SELECT count(*) FROM cycles") == 1
    assert _count(db, "SELECT count(*) FROM notes") == 1
    assert main_window.cycles_page.model.find_row(cycle.id) >= 0
