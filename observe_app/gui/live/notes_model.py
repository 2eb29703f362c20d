"""The evidence log of one visit as a Qt table: mm:ss, wall time, the note (a private one
says so in words), its tags."""

from __future__ import annotations

import bisect
import enum
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont

from observe_app.domain.formats import format_elapsed
from observe_app.live.unsaved import UnsavedNote

if TYPE_CHECKING:
    from observe_app.services.notes import NoteView

Index = QModelIndex | QPersistentModelIndex
NOTE_ROLE = Qt.ItemDataRole.UserRole + 1


def private_text(model: QObject, text: str, role: int) -> str:
    """A private note as the evidence logs show it: said in words, not by colour alone."""
    if role == Qt.ItemDataRole.ToolTipRole:
        return model.tr("Private: kept on this laptop, never in a PDF or a package."
                        "\n\n{text}").format(text=text)
    return model.tr("Private · {text}").format(text=text)


class NotesTableModel(QAbstractTableModel):
    """Notes in lesson order (newest at the bottom); editing the text asks for an edit."""

    class Column(enum.IntEnum):
        ELAPSED = 0
        WALL = 1
        TEXT = 2
        TAGS = 3

    text_edit_requested = Signal(str, str)  # note id, new text
    problem_occurred = Signal(str)  # an undo or redo the database refused

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._notes: list[NoteView | UnsavedNote] = []
        self._labels: dict[str, str] = {}

    def set_item_labels(self, labels: dict[str, str]) -> None:
        self._labels = dict(labels)

    def set_rows(self, notes: list[NoteView]) -> None:
        self.beginResetModel()
        self._notes = sorted(notes, key=lambda n: n.elapsed_ms)
        self.endResetModel()

    def note_at(self, row: int) -> NoteView | UnsavedNote:
        return self._notes[row]

    def row_of(self, note_id: str) -> int:
        return next((i for i, n in enumerate(self._notes) if n.id == note_id), -1)

    def insert_note(self, note: NoteView | UnsavedNote) -> int:
        """An UnsavedNote (a fault keeps it from disk) is shown as not saved yet."""
        row = bisect.bisect_right([n.elapsed_ms for n in self._notes], note.elapsed_ms)
        self.beginInsertRows(QModelIndex(), row, row)
        self._notes.insert(row, note)
        self.endInsertRows()
        return row

    def is_unsaved(self, note_id: str) -> bool:
        row = self.row_of(note_id)
        return row >= 0 and isinstance(self._notes[row], UnsavedNote)

    def mark_saved(self, note: NoteView) -> int:
        """The note that waited is on disk now: shown as saved (inserted if it was not shown)."""
        if self.row_of(note.id) < 0:
            return self.insert_note(note)
        self.replace_note(note)
        return self.row_of(note.id)

    def replace_note(self, note: NoteView) -> None:
        row = self.row_of(note.id)
        if row < 0:
            return
        self._notes[row] = note
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.Column) - 1))

    def remove_note(self, note_id: str) -> None:
        row = self.row_of(note_id)
        if row < 0:
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._notes[row]
        self.endRemoveRows()

    def tag_text(self, note: NoteView | UnsavedNote) -> str:
        return ", ".join(self._labels.get(i, "?") for i in note.item_ids)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._notes)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.Column)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        titles = [self.tr("Time"), self.tr("Clock"), self.tr("Note"), self.tr("Tags")]
        return titles[section] if 0 <= section < len(titles) else None

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if (index.isValid() and index.column() == self.Column.TEXT
                and not isinstance(self._notes[index.row()], UnsavedNote)):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._notes):
            return None
        note = self._notes[index.row()]
        column = self.Column(index.column())
        if role == NOTE_ROLE:
            return note
        if isinstance(note, UnsavedNote):
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setItalic(True)
                return font
            if role == Qt.ItemDataRole.DisplayRole and column == self.Column.TEXT:
                return self.tr("Not saved yet: {text}").format(text=note.text)
            if role == Qt.ItemDataRole.ToolTipRole:
                return self.tr("Not saved yet. Observe saves it, with its time, as soon as "
                               "the database can be written.")
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole,
                    Qt.ItemDataRole.ToolTipRole):
            if column == self.Column.ELAPSED:
                return format_elapsed(note.elapsed_ms)
            if column == self.Column.WALL:
                return note.wall_time.astimezone().strftime("%H:%M:%S")
            if column == self.Column.TEXT:
                if note.private and role != Qt.ItemDataRole.EditRole:
                    return private_text(self, note.text, role)
                return note.text
            return self.tag_text(note)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (not index.isValid() or role != Qt.ItemDataRole.EditRole
                or index.column() != self.Column.TEXT):
            return False
        note = self._notes[index.row()]
        text = str(value)
        if not text.strip() or text == note.text:
            return False
        self.text_edit_requested.emit(note.id, text)
        return True
