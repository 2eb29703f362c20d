"""What the import refuses, the window refuses too: a person's fields, a built-in protocol's id."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from observe_app.gui.dialogs import PersonDialog
from observe_app.gui.main_window import MainWindow
from observe_app.services import people, protocols
from tests.gui.conftest import activate, type_text
from tests.gui.modal import when_modal

CTRL = Qt.KeyboardModifier.ControlModifier


def _save(dialog: PersonDialog) -> None:
    dialog.ui.buttons.button(QDialogButtonBox.StandardButton.Save).click()


def _paste(widget, text: str) -> None:
    """Paste as a user does who copied the text from a web page or a spreadsheet."""
    QApplication.clipboard().setText(text)
    QTest.keyClick(widget, Qt.Key.Key_V, CTRL)


@pytest.fixture
def dialog(qtbot, backend):
    made = PersonDialog(backend)
    qtbot.addWidget(made)
    made.show()
    qtbot.waitUntil(lambda: made.ready)  # the mentors to choose from
    return made


@pytest.mark.parametrize(("enter", "field", "expected"), [
    (lambda ui: _paste(ui.name_edit, "Ana\x1b[31mLima"), "name", "control character U+001B"),
    (lambda ui: _paste(ui.name_edit, "Ana\nLima"), "name", "line break"),
    # A zero-width space, a no-break space and a lone accent: typed, and nothing to see.
    (lambda ui: type_text(ui.name_edit, "\u200b\u00a0\u0301"), "name", "no visible letters"),
    (lambda ui: (type_text(ui.name_edit, "Ana Lima"), type_text(ui.email_edit, "ana@b@c.org")),
     "email", "2 @ signs"),
    (lambda ui: (type_text(ui.name_edit, "Ana Lima"), type_text(ui.email_edit, "ana@school")),
     "email", "no dot"),
    (lambda ui: (type_text(ui.name_edit, "Ana Lima"), _paste(ui.subject_edit, "Maths\x07")),
     "subject", "control character U+0007"),
])
def test_a_refused_field_is_explained_beside_it_and_what_was_typed_stays(
        dialog, db, enter, field, expected) -> None:
    ui = dialog.ui
    enter(ui)
    typed = {name: getattr(ui, f"{name}_edit").text() for name in ("name", "email", "subject")}
    _save(dialog)
    label = {"name": ui.name_error, "email": ui.email_error, "subject": ui.subject_error}[field]
    assert label.isVisibleTo(dialog), ui.error_label.text()
    assert expected in label.text()
    assert label.text()[0].isupper() and label.text().endswith(".")
    others = {ui.name_error, ui.email_error, ui.subject_error, ui.start_error} - {label}
    assert not any(o.isVisibleTo(dialog) for o in others)
    assert not ui.error_label.isVisibleTo(dialog)
    assert {name: getattr(ui, f"{name}_edit").text() for name in typed} == typed
    assert dialog.result() == 0 and dialog.isVisible()
    with db.transaction() as s:
        assert people.list_people(s) == []


def test_the_explanation_goes_when_the_field_is_corrected_and_then_it_saves(dialog, db) -> None:
    ui = dialog.ui
    _paste(ui.name_edit, "Zoë\x07")
    _save(dialog)
    assert ui.name_error.isVisibleTo(dialog)
    QTest.keyClick(ui.name_edit, Qt.Key.Key_Backspace)
    assert not ui.name_error.isVisibleTo(dialog)
    type_text(ui.name_edit, " Παπαδοπούλου")
    _save(dialog)
    assert dialog.result() == 1
    with db.transaction() as s:
        assert [p.name for p in people.list_people(s)] == ["Zoë Παπαδοπούλου"]


def test_the_dialog_and_the_roster_refuse_the_same_name(dialog, db) -> None:
    """One check serves both: the sentence beside the field is the roster's reason."""
    _paste(dialog.ui.name_edit, "Ana\x07")
    _save(dialog)
    with pytest.raises(Exception) as refused, db.transaction() as s:
        people.import_roster(s, "name,email,role,subject,start_date\nAna\x07,,teacher,,\n",
                             source="staff.csv")
    beside = dialog.ui.name_error.text().rstrip(".")
    assert beside[0].lower() + beside[1:] in str(refused.value)


@pytest.fixture
def window(qtbot, backend):
    win = MainWindow()
    qtbot.addWidget(win)
    win.resize(1280, 720)
    win.show()
    win.attach(backend)
    activate(win)
    win.show_page(3)
    return win


def _answer(button: QMessageBox.StandardButton, seen: list[str]) -> None:
    """Answer the question asked next, reading it first (it comes once the file has been read
    on a worker)."""
    def run(box: QMessageBox) -> None:
        assert isinstance(box, QMessageBox)
        seen.append(box.windowTitle())
        seen.append(box.text())
        QTest.mouseClick(box.button(button), Qt.MouseButton.LeftButton)
    when_modal(run, lambda widget: isinstance(widget, QMessageBox))


def _changed_builtin(db, tmp_path, name: str | None = None):
    with db.transaction() as s:
        document = protocols.export_document(s, "learning-walk")
    document["sections"][0]["items"][0]["label"] = "Today's goal is on the board"
    if name:
        document["name"] = name
    path = tmp_path / "walk.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def _stored(data_dir):
    return b"".join(p.read_bytes() if p.exists() else b"-" for p in
                    (data_dir / "observe.db", data_dir / "observe.db-wal"))


def test_a_changed_builtin_is_imported_as_a_copy_when_the_user_says_yes(
        window, db, data_dir, tmp_path, qtbot) -> None:
    page = window.protocols_page
    page.choose_import_file = lambda: str(_changed_builtin(db, tmp_path))
    seen: list[str] = []
    _answer(QMessageBox.StandardButton.Yes, seen)
    QTest.keyClick(page.table, Qt.Key.Key_I, CTRL)
    qtbot.waitUntil(lambda: "as a copy with the id learning-walk-copy"
                    in page.message_label.text())
    assert seen[0] == "Import as a copy?"
    assert "built-in protocol Learning walk" in seen[1]
    qtbot.waitUntil(lambda: getattr(page.current_row(), "slug", None) == "learning-walk-copy")
    qtbot.waitUntil(lambda: "Today's goal is on the board" in page.preview.toPlainText())
    with db.transaction() as s:
        builtin = protocols.find_protocol(s, "learning-walk")
        copy = protocols.find_protocol(s, "learning-walk-copy")
        first = protocols.get_version(s, builtin.latest_version_id).items[0].label
    assert builtin.builtin and builtin.latest_version == 1
    assert first == "Today's learning goal is visible"
    assert (copy.name, copy.builtin, copy.latest_version) == ("Learning walk (copy)", False, 1)


def test_no_leaves_the_database_as_it_was_and_says_why(window, db, data_dir, tmp_path,
                                                       qtbot) -> None:
    page = window.protocols_page
    page.choose_import_file = lambda: str(_changed_builtin(db, tmp_path, name="Our walk"))
    before = _stored(data_dir)
    seen: list[str] = []
    _answer(QMessageBox.StandardButton.No, seen)
    page.import_protocol()
    qtbot.waitUntil(lambda: page.message_label.text().startswith("Not imported."))
    assert seen and seen[0] == "Import as a copy?"
    assert page.message_label.text().startswith("Not imported. walk.json: the id "
                                                "'learning-walk' belongs to the built-in")
    assert page.import_button.isEnabled()
    assert _stored(data_dir) == before
    with db.transaction() as s:
        assert [p.slug for p in protocols.list_protocols(s) if not p.builtin] == []
