"""The main window: navigation, people, planning a cycle, starting a visit, protocols."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox

from observe_app.domain.enums import CycleStage, Role
from observe_app.gui.dialogs import PersonDialog
from observe_app.gui.main_window import MainWindow
from observe_app.services import cycles, people
from tests.gui.conftest import activate, type_text
from tests.gui.modal import when_modal

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def window(qtbot, backend):
    win = MainWindow()
    qtbot.addWidget(win)
    win.resize(1280, 720)
    win.show()
    win.attach(backend)
    activate(win)
    return win


def _in_dialog(act):
    """Run `act(dialog)` on the modal dialog that the next call opens, once it is ready."""
    def run(dialog):
        assert dialog is not None
        act(dialog)
    when_modal(run)


def _save(dialog):
    box = dialog.ui.buttons
    button = box.button(QDialogButtonBox.StandardButton.Save) or \
        box.button(QDialogButtonBox.StandardButton.Ok)
    button.click()


def test_an_empty_school_says_what_to_do_first(window):
    assert window.observe_page.empty_label.isVisible()
    assert "Teachers page" in window.observe_page.empty_label.text()


def test_keys_move_between_pages(window, qtbot):
    QTest.keyClick(window.observe_page.table, Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)
    assert window.pages_stack.currentWidget() is window.teachers_page
    QTest.keyClick(window.teachers_page.table, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)
    assert window.pages_stack.currentWidget() is window.protocols_page
    preview = window.protocols_page.preview
    qtbot.waitUntil(lambda: preview.toPlainText().strip() != "")  # the first one is previewed


def test_add_then_edit_a_person(window, db, qtbot):
    page = window.teachers_page
    window.show_page(2)

    def fill(dialog):
        type_text(dialog.ui.name_edit, "Zoë Παπαδοπούλου")
        type_text(dialog.ui.subject_edit, "Physics")
        dialog.ui.role_combo.setCurrentIndex(dialog.ui.role_combo.findData(Role.MENTOR))
        _save(dialog)

    _in_dialog(fill)
    QTest.keyClick(page.table, Qt.Key.Key_A, CTRL | Qt.KeyboardModifier.ShiftModifier)
    with db.transaction() as s:
        [person] = people.list_people(s)
    assert (person.name, person.subject, person.role) == ("Zoë Παπαδοπούλου", "Physics",
                                                          Role.MENTOR)
    qtbot.waitUntil(lambda: page.current_row() is not None
                    and page.current_row().id == person.id, timeout=5000)  # read again

    def rename(dialog):
        dialog.ui.subject_edit.clear()
        type_text(dialog.ui.subject_edit, "Chemistry")
        _save(dialog)

    activate(window)  # the window manager gives the window back after a dialog
    _in_dialog(rename)
    QTest.keyClick(page.table, Qt.Key.Key_Return)
    with db.transaction() as s:
        assert people.get_person(s, person.id).subject == "Chemistry"


def test_a_refused_person_keeps_what_was_typed(qtbot, backend):
    backend.people.add_person("Ana Lima", email="ana@school.example")
    dialog = PersonDialog(backend)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.ready)  # the mentors to choose from
    type_text(dialog.ui.name_edit, "Ana Two")
    type_text(dialog.ui.email_edit, "ana@school.example")
    _save(dialog)
    assert dialog.ui.email_error.isVisibleTo(dialog)  # beside the field it is about
    assert "already belongs to Ana Lima" in dialog.ui.email_error.text()
    assert dialog.ui.name_edit.text() == "Ana Two" and dialog.result() == 0


def test_plan_a_cycle_start_and_end_an_observation(window, backend, db):
    teacher = backend.people.add_person("Ana Lima", subject="Science")
    backend.people.add_person("Ben Okafor")
    window.teachers_page.reload()
    window.show_page(2)
    window.teachers_page.select_id(teacher.id)

    def plan(dialog):
        ui = dialog.ui
        assert ui.teacher_combo.currentData() == teacher.id
        ui.observer_combo.setCurrentIndex(ui.observer_combo.findText("Ben Okafor"))
        ui.protocol_combo.setCurrentIndex(ui.protocol_combo.findText("Peer observation",
                                                                     Qt.MatchFlag.MatchStartsWith))
        type_text(ui.focus_edit, "Students explain their thinking")
        _save(dialog)

    _in_dialog(plan)
    window.teachers_page._on_plan_button_clicked()
    with db.transaction() as s:
        [cycle] = cycles.list_cycles(s)
    assert cycle.focus == "Students explain their thinking"
    assert cycle.observer_name == "Ben Okafor" and cycle.stage == CycleStage.PRE_CONFERENCE

    window.observe_page.reload()
    window.show_page(0)
    window.observe_page.select_id(cycle.id)

    def start(dialog):
        assert dialog.ui.subject_edit.text() == "Science"  # the teacher's subject
        type_text(dialog.ui.grade_edit, "Year 8")
        type_text(dialog.ui.room_edit, "B12")
        dialog.ui.students_spin.setValue(27)
        _save(dialog)

    activate(window)
    _in_dialog(start)
    QTest.keyClick(window.observe_page.table, Qt.Key.Key_Return)
    live = window.live_view
    assert live is not None and window.stack.currentWidget() is live
    assert "27 students" in live.findChild(type(live.wall_label), "muted").text()
    activate(window)
    type_text(live.note_edit, "first note")
    QTest.keyClick(live.note_edit, Qt.Key.Key_Return)
    live.confirm_end = lambda: True
    QTest.keyClick(live.note_edit, Qt.Key.Key_E, CTRL)
    assert window.live_view is None
    assert window.pages_stack.currentWidget() is window.cycles_page
    with db.transaction() as s:
        assert cycles.get_summary(s, cycle.id).stage == CycleStage.POST_CONFERENCE


def test_protocol_import_errors_are_shown_and_export_writes_a_file(window, tmp_path, db,
                                                                    qtbot):
    page = window.protocols_page
    window.show_page(3)
    message = page.message_label
    bad = tmp_path / "broken.json"
    bad.write_text(json.dumps({"id": "x", "name": "Broken"}), encoding="utf-8")
    page.choose_import_file = lambda: str(bad)
    QTest.keyClick(page.table, Qt.Key.Key_I, CTRL)
    qtbot.waitUntil(lambda: "Not imported" in message.text())
    assert message.isVisible()
    assert "broken.json" in message.text()

    target = tmp_path / "peer.json"
    qtbot.waitUntil(lambda: page.model.rowCount() > 0)
    page.select_id(next(r.id for r in page.model._rows if r.slug == "peer-observation"))
    page.choose_export_file = lambda suggested: str(target)
    QTest.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: message.text().startswith("Wrote "))
    document = json.loads(target.read_text(encoding="utf-8"))
    assert document["id"] == "peer-observation"

    document["id"], document["name"] = "our-walk", "Our learning walk"
    target.write_text(json.dumps(document), encoding="utf-8")
    page.choose_import_file = lambda: str(target)
    QTest.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Imported Our learning walk" in message.text())
    qtbot.waitUntil(lambda: page.current_row() is not None
                    and page.current_row().slug == "our-walk")
    qtbot.waitUntil(lambda: "Students explain their thinking" in page.preview.toPlainText())
