"""The note box: Enter saves, Shift+Enter breaks the line, `#` offers the protocol's items."""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QObject, QStringListModel, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QKeySequence, QTextCursor
from PySide6.QtWidgets import QCompleter, QPlainTextEdit, QWidget

_HASH_PREFIX = re.compile(r"#([^\s#]*)$")


class NoteEdit(QPlainTextEdit):
    """Plain text with the keys of a note taker; Ctrl+Z reaches the note history when the box
    itself has nothing left to undo."""

    submitted = Signal()
    undo_requested = Signal()
    redo_requested = Signal()
    tag_chosen = Signal(str)  # the label picked in the `#` completer

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self._labels = QStringListModel(self)
        self._completer = QCompleter(self._labels, self)
        self._completer.setWidget(self)
        self._completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self._completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self._completer.activated.connect(self._on_completer_activated)

    def set_tag_labels(self, labels: list[str]) -> None:
        self._labels.setStringList(labels)

    def completer(self) -> QCompleter:
        return self._completer

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        popup = self._completer.popup()
        assert popup is not None  # a completer makes its popup when first asked
        if (popup.isVisible() and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and not popup.currentIndex().isValid()
                and self._completer.completionCount() == 1):
            # One match and nothing chosen: Enter takes it (no arrow key needed first).
            self._completer.setCurrentRow(0)
            self._on_completer_activated(self._completer.currentCompletion())
            return
        if popup.isVisible() and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape,
                                         Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            event.ignore()  # the completer acts on these
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self.textCursor().insertText("\n")
            else:
                self.submitted.emit()
            return
        if event.matches(QKeySequence.StandardKey.Undo) and not self.document().isUndoAvailable():
            self.undo_requested.emit()
            return
        if event.matches(QKeySequence.StandardKey.Redo) and not self.document().isRedoAvailable():
            self.redo_requested.emit()
            return
        super().keyPressEvent(event)
        self._update_completer()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # A key that takes the cursor elsewhere (the seat box's) while the `#` list is open
        # closes the list: left open, it would take the next keys into this box.
        if (watched is self and event.type() == QEvent.Type.FocusOut
                and isinstance(event, QFocusEvent)
                and event.reason() != Qt.FocusReason.PopupFocusReason):
            self.removeEventFilter(self)
            popup = self._completer.popup()
            assert popup is not None
            popup.hide()
        return super().eventFilter(watched, event)

    def _hash_match(self) -> re.Match[str] | None:
        cursor = self.textCursor()
        before = cursor.block().text()[: cursor.positionInBlock()]
        return _HASH_PREFIX.search(before)

    def _update_completer(self) -> None:
        match = self._hash_match()
        popup = self._completer.popup()
        assert popup is not None
        if match is None or not self._labels.stringList():
            popup.hide()
            return
        self._completer.setCompletionPrefix(match.group(1))
        if self._completer.completionCount() == 0:
            popup.hide()
            return
        rect = self.cursorRect()
        rect.setWidth(min(self.width(), 460))
        self._completer.complete(rect)
        # Ahead of the completer's own filter, which keeps this box's focus-out from it while
        # the list is open; only then, so typing is not slowed by a filter on every event.
        self.installEventFilter(self)

    def _on_completer_activated(self, label: str) -> None:
        match = self._hash_match()
        if match is not None:
            cursor = self.textCursor()
            cursor.movePosition(QTextCursor.MoveOperation.Left,
                                QTextCursor.MoveMode.KeepAnchor, len(match.group(0)))
            cursor.removeSelectedText()
            self.setTextCursor(cursor)
        popup = self._completer.popup()
        assert popup is not None
        popup.hide()
        self.tag_chosen.emit(label)
