"""Student names in the window: a class list typed in Data ▸ Student names…, chosen by keys
when sending a package and when exporting a PDF, its preview listing each name found, its
label and how often, and what leaves the laptop carrying labels instead of names."""

from __future__ import annotations

import zipfile

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from observe_app.gui import tasks
from observe_app.gui.pdf_options_dialog import PdfOptionsDialog
from observe_app.gui.redaction_dialogs import ClassListsDialog, Column
from observe_app.reports.options import PdfOptions
from observe_app.services import redaction
from tests.gui.conftest import activate, type_text
from tests.gui.review_helpers import people_and_cycle, visit

ALT = Qt.KeyboardModifier.AltModifier
NOTES = [("Σοφία asked NGUYỄN THỊ HƯƠNG why", 30, []),
         ("ДМИТРИЙ explained; then Sofia and σοφία again", 90, [])]


def _wait_idle(qtbot) -> None:
    qtbot.waitUntil(lambda: not tasks.busy(), timeout=20_000)


def _make_list_by_keys(qtbot, backend) -> None:
    dialog = ClassListsDialog(backend)
    qtbot.addWidget(dialog)
    dialog.show()
    activate(dialog)
    assert dialog.name_edit.hasFocus()  # no list yet: a new one, its name first
    type_text(dialog.name_edit, "7B")
    QTest.keyClick(dialog, Qt.Key.Key_M, ALT)  # Student na&mes
    assert dialog.names_edit.hasFocus()
    for line in ("Σοφία", "Nguyễn Thị Hương", "Дмитрий", "Liam"):
        type_text(dialog.names_edit, line)
        QTest.keyClick(dialog.names_edit, Qt.Key.Key_Return)
    QTest.keyClick(dialog.names_edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert "Saved “7B” with 4 names" in dialog.message_label.text()
    dialog.close()


def test_a_list_made_by_keys_is_previewed_and_replaces_names_in_a_package(
        main_window, backend, qtbot, tmp_path) -> None:
    _make_list_by_keys(qtbot, backend)
    with backend.database.transaction() as s:
        (kept,) = redaction.list_class_lists(s)
    assert kept.names == ("Σοφία", "Nguyễn Thị Hương", "Дмитрий", "Liam")
    _t, _o, _v, cycle = people_and_cycle(backend)
    visit(backend, cycle.id, notes=NOTES)
    main_window.exchange.send_cycle(cycle.id)
    dialog = main_window.exchange.send_dialog
    assert dialog is not None
    activate(dialog)
    type_text(dialog.sender_edit, "Ben")
    dialog.path_edit.setText(str(tmp_path / "for-aino.observe"))
    QTest.keyClick(dialog, Qt.Key.Key_N, ALT)  # Replace student &names from
    combo = dialog.redaction.combo
    assert combo.hasFocus() and combo.currentText() == "(none)"
    QTest.keyClick(combo, Qt.Key.Key_Down)
    assert dialog.redaction.list_id() == kept.id
    QTest.keyClick(dialog, Qt.Key.Key_V, ALT)  # Pre&view…
    qtbot.waitUntil(lambda: dialog.redaction.preview_dialog is not None, timeout=20_000)
    shown = dialog.redaction.preview_dialog
    model = shown.model
    rows = [[model.data(model.index(r, c)) for c in Column] for r in range(model.rowCount())]
    assert rows == [["Σοφία · σοφία", "Student A", 2], ["NGUYỄN THỊ HƯƠNG", "Student B", 1],
                    ["ДМИТРИЙ", "Student C", 1]]
    QTest.keyClick(shown.table, Qt.Key.Key_Escape)
    assert not shown.isVisible()
    activate(dialog)
    QTest.keyClick(dialog.sender_edit, Qt.Key.Key_Return)  # Send
    _wait_idle(qtbot)
    assert dialog.result_package is not None, dialog.message_label.text()
    with zipfile.ZipFile(tmp_path / "for-aino.observe") as archive:
        sent = b"".join(archive.read(n) for n in archive.namelist()).decode("utf-8")
    assert "Student A asked Student B why" in sent
    assert "Student C explained; then Sofia and Student A again" in sent
    for name in ("Σοφία", "σοφία", "HƯƠNG", "ДМИТРИЙ"):
        assert name not in sent


def test_the_pdf_dialog_offers_the_lists_and_previews_with_its_options(qtbot, backend
                                                                       ) -> None:
    with backend.database.transaction() as s:
        kept = redaction.create_class_list(s, "9A", "Liam\nNoor")
    asked: list[tuple[str, PdfOptions]] = []

    def preview(list_id: str, options: PdfOptions) -> list[redaction.Replacement]:
        asked.append((list_id, options))
        return redaction.preview(redaction.Redactor(["Noor"]), ["noor and NOOR"])

    dialog = PdfOptionsDialog(PdfOptions(), class_lists=[kept], preview=preview)
    qtbot.addWidget(dialog)
    dialog.show()
    activate(dialog)
    assert not dialog.redaction.preview_button.isEnabled()  # (none): nothing to preview
    QTest.keyClick(dialog, Qt.Key.Key_N, ALT)
    QTest.keyClick(dialog.redaction.combo, Qt.Key.Key_Down)
    assert dialog.redaction.combo.currentText() == "9A (2 names)"
    QTest.keyClick(dialog, Qt.Key.Key_V, ALT)
    qtbot.waitUntil(lambda: dialog.redaction.preview_dialog is not None, timeout=20_000)
    assert asked == [(kept.id, PdfOptions())]
    model = dialog.redaction.preview_dialog.model
    assert [model.data(model.index(0, c)) for c in Column] == ["noor · NOOR", "Student A", 2]
    assert dialog.choice().names_list == kept.id
