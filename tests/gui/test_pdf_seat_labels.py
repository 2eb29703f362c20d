"""Seat labels reach a PDF only when ticked for that export: the box starts unticked every time,
even right after an export that showed them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from observe_app.gui.pdf_options_dialog import PdfOptionsDialog, remember, remembered
from observe_app.gui.settings import WindowSettings


def test_the_box_is_ticked_for_one_export_and_never_remembered(qtbot, data_dir):
    settings = WindowSettings(data_dir)
    dialog = PdfOptionsDialog(remembered(settings))
    qtbot.addWidget(dialog)
    dialog.show()
    box = dialog.seat_labels_check
    assert not box.isChecked()
    assert "kept on this laptop" in box.text()
    assert not dialog.choice().options.seat_labels
    QTest.mouseClick(box, Qt.MouseButton.LeftButton)
    chosen = dialog.choice().options
    assert chosen.seat_labels
    remember(settings, chosen)
    assert not remembered(WindowSettings(data_dir)).seat_labels
