"""Export PDF asks for the paper, the evidence log and a password before where to save."""

from __future__ import annotations

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from observe_app.gui.backend import Backend
from observe_app.gui.settings import PDF_EVIDENCE, PDF_PAGE_SIZE, WindowSettings
from observe_app.reports.options import EvidencePlace, PageSize
from tests.gui.conftest import activate
from tests.gui.review_helpers import in_dialog, people_and_cycle, visit

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
LETTER = (612, 792)
A4 = (595, 842)


@pytest.fixture
def window(main_window):
    return main_window


def _size(path, password: str | None = None) -> tuple[int, int]:
    reader = PdfReader(path, password=password)
    box = reader.pages[0].mediabox
    return round(float(box.width)), round(float(box.height))


def in_options_dialog(act) -> None:
    """Run `act(dialog)` on the options dialog the next key opens; if `act` fails, the dialog
    is closed so that the test fails instead of waiting for a person."""
    def run(dialog):
        try:
            activate(dialog)  # a dialog a person sees is the active window
            act(dialog)
        except BaseException:
            if dialog is not None:
                dialog.reject()
            raise
    in_dialog(run)


def _key(widget, key: Qt.Key, text: str = "") -> None:
    """Press `key` in `widget`, then type `text` wherever the focus went."""
    QTest.keyClick(widget, key)
    if text:
        QTest.keyClicks(widget.window().focusWidget(), text)


def test_letter_no_evidence_and_a_password_typed_twice(qtbot, window, backend, tmp_path,
                                                       monkeypatch):
    _t, _o, _v, cycle = people_and_cycle(backend)
    visit(backend, cycle.id, [("Students explain their steps", 60, [])])
    view = window.review.open_cycle(cycle.id)
    settings = view._settings()
    settings.set(PDF_PAGE_SIZE, "a4")  # so the locale of the machine running this is moot
    exported = []
    real_export = Backend.export_cycle

    def spy(self, cycle_id, path, **kw):  # the real export, with what it was asked for
        exported.append(kw)
        return real_export(self, cycle_id, path, **kw)

    monkeypatch.setattr(Backend, "export_cycle", spy)
    target = tmp_path / "summary.pdf"
    offered = []
    view.choose_pdf_path = lambda suggested: offered.append(suggested) or str(target)
    seen = {}

    def fill_in(dialog):
        seen["paper"] = dialog.paper_combo.currentData()
        assert dialog.focusWidget() is dialog.paper_combo
        _key(dialog.paper_combo, Qt.Key.Key_Down)  # A4 → Letter
        _key(dialog.paper_combo, Qt.Key.Key_Tab)  # to the evidence log: the appendix
        assert dialog.focusWidget() is dialog.evidence_buttons[EvidencePlace.APPENDIX]
        _key(dialog.focusWidget(), Qt.Key.Key_Down)  # → Leave out
        _key(dialog.focusWidget(), Qt.Key.Key_Tab, "sesame")
        _key(dialog.password_edit, Qt.Key.Key_Tab, "sesamy")  # a slip in Confirm
        assert (dialog.password_edit.text(), dialog.again_edit.text()) == ("sesame", "sesamy")
        _key(dialog.again_edit, Qt.Key.Key_Return)
        # Still open, saying why, with everything kept.
        seen["message"] = dialog.message_label.text() if dialog.message_label.isVisible() else ""
        seen["kept"] = (dialog.paper_combo.currentData(), dialog.password_edit.text(),
                        dialog.evidence_buttons[EvidencePlace.NONE].isChecked())
        assert dialog.isVisible() and offered == []
        assert dialog.focusWidget() is dialog.again_edit
        QTest.keyClicks(dialog.again_edit, "sesame")  # Confirm's text is selected: typed over
        _key(dialog.again_edit, Qt.Key.Key_Return)
        assert not dialog.isVisible()

    activate(window)
    in_options_dialog(fill_in)
    QTest.keyClick(view.tabs, Qt.Key.Key_E, CTRL_SHIFT)
    qtbot.waitUntil(lambda: view.export_task is None, timeout=30_000)

    assert seen["paper"] == PageSize.A4
    assert "not the same" in seen["message"]
    assert seen["kept"] == (PageSize.LETTER, "sesame", True)
    assert len(offered) == 1 and target.exists()
    assert exported[0]["options"].page_size == PageSize.LETTER
    assert exported[0]["options"].evidence == EvidencePlace.NONE
    assert exported[0]["password"] == "sesame"
    reader = PdfReader(target)
    assert reader.is_encrypted and reader.decrypt("sesamy") == 0
    assert reader.decrypt("sesame") != 0
    assert _size(target, "sesame") == LETTER
    assert "saved" in view.message_label.text().lower()

    # Remembered for the next export (not the password); Escape leaves without a file dialog.
    fresh = WindowSettings(settings.path.parent)
    assert (fresh.get(PDF_PAGE_SIZE), fresh.get(PDF_EVIDENCE)) == ("letter", "none")
    again = {}

    def look_and_leave(dialog):
        again["paper"] = dialog.paper_combo.currentData()
        again["none"] = dialog.evidence_buttons[EvidencePlace.NONE].isChecked()
        again["password"] = dialog.password_edit.text()
        _key(dialog.paper_combo, Qt.Key.Key_Escape)

    in_options_dialog(look_and_leave)
    activate(window)
    QTest.keyClick(view.tabs, Qt.Key.Key_E, CTRL_SHIFT)
    assert again == {"paper": PageSize.LETTER, "none": True, "password": ""}
    assert len(offered) == 1 and view.export_task is None and view.export_button.isEnabled()

    # No password, A4: a plain PDF on A4 paper.
    plain = tmp_path / "plain.pdf"
    view.choose_pdf_path = lambda suggested: str(plain)

    def a4(dialog):
        _key(dialog.paper_combo, Qt.Key.Key_Up)
        _key(dialog.paper_combo, Qt.Key.Key_Return)

    in_options_dialog(a4)
    activate(window)
    QTest.keyClick(view.tabs, Qt.Key.Key_E, CTRL_SHIFT)
    qtbot.waitUntil(lambda: view.export_task is None, timeout=30_000)
    assert not PdfReader(plain).is_encrypted and _size(plain) == A4
    assert exported[-1]["password"] is None


def test_a_password_only_in_confirm_is_refused(qtbot, window, backend, tmp_path):
    _t, _o, _v, cycle = people_and_cycle(backend)
    view = window.review.open_cycle(cycle.id)
    view.choose_pdf_path = lambda suggested: pytest.fail("no file dialog before it is right")
    said = []

    def confirm_only(dialog):
        QTest.keyClicks(dialog.again_edit, "x")
        _key(dialog.again_edit, Qt.Key.Key_Return)
        said.append(dialog.message_label.text())
        assert dialog.focusWidget() is dialog.password_edit
        _key(dialog.password_edit, Qt.Key.Key_Escape)

    activate(window)
    in_options_dialog(confirm_only)
    QTest.keyClick(view.tabs, Qt.Key.Key_E, CTRL_SHIFT)
    assert said and "both boxes" in said[0]
    assert view.export_task is None
