"""The window accepts no more text than the services and the PDF take (domain/limits.py)."""

from __future__ import annotations

from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QPlainTextEdit


def limit_plain_text(edit: QPlainTextEdit, limit: int) -> None:
    """Cut what goes past `limit` characters, as QLineEdit.setMaxLength does for one line.

    Counted in UTF-16 units, as Qt counts: a character outside the BMP counts twice, so the
    box never holds more than the service accepts.
    """

    def trim() -> None:
        document = edit.document()
        if document.characterCount() - 1 <= limit:  # characterCount adds one end marker
            return
        cursor = QTextCursor(document)
        cursor.setPosition(limit)
        cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
        cursor.removeSelectedText()

    edit.textChanged.connect(trim)
