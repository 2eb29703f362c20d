"""Text boxes take no more than the services accept (domain/limits.py)."""

from __future__ import annotations

from PySide6.QtWidgets import QPlainTextEdit

from observe_app.gui.text_limits import limit_plain_text


def test_a_plain_text_box_cuts_what_goes_past_its_limit(qtbot) -> None:  # type: ignore[no-untyped-def]
    edit = QPlainTextEdit()
    qtbot.addWidget(edit)
    limit_plain_text(edit, 50)
    edit.setPlainText("Ελληνικά\nTiếng Việt " * 10)
    assert edit.toPlainText() == ("Ελληνικά\nTiếng Việt " * 10)[:50]
    edit.setPlainText("short")
    assert edit.toPlainText() == "short"
