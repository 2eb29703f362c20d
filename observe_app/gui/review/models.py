"""Qt table models of the review views: a cycle's visits, a visit's evidence log, search hits."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal

from observe_app.domain.formats import format_elapsed, local_date, local_time
from observe_app.gui.live.notes_model import private_text
from observe_app.gui.table_models import Index, RowsTableModel

if TYPE_CHECKING:
    from observe_app.services.notes import NoteView
    from observe_app.services.observations import ObservationView
    from observe_app.services.search import SearchHit

SNIPPET_ROLE = Qt.ItemDataRole.UserRole + 2  # the snippet as HTML with the matches in bold


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class VisitsTableModel(RowsTableModel):
    """The observations (visits) of one cycle, with their class details."""

    class Column(enum.IntEnum):
        DATE = 0
        TIME = 1
        CLASS = 2
        ROOM = 3
        STUDENTS = 4
        LENGTH = 5

    def headers(self) -> list[str]:
        return [self.tr("Date"), self.tr("Start"), self.tr("Class"), self.tr("Room"),
                self.tr("Students"), self.tr("Length")]

    def display(self, row: ObservationView, column: enum.IntEnum) -> str:
        C = self.Column
        klass = " · ".join(p for p in (row.subject, row.grade) if p)
        length = (self.tr("still open") if row.ended_at is None
                  else self.tr("{minutes} min").format(minutes=row.lesson_ms // 60000))
        return {
            C.DATE: local_date(row.started_at),
            C.TIME: local_time(row.started_at),
            C.CLASS: klass,
            C.ROOM: row.room,
            C.STUDENTS: "" if row.students is None else str(row.students),
            C.LENGTH: length,
        }[C(column)]

    def sort_key(self, row: ObservationView, column: enum.IntEnum) -> Any:
        if column in (self.Column.DATE, self.Column.TIME):
            return row.started_at.isoformat()
        return super().sort_key(row, column)


class EvidenceTableModel(RowsTableModel):
    """The evidence log of one visit: mm:ss, wall time, the note, its tags. Only the note's
    text can be edited, and an edit is asked for (`text_edit_requested`), not made here."""

    text_edit_requested = Signal(str, str)  # note id, new text
    problem_occurred = Signal(str)  # an undo or redo the database refused

    class Column(enum.IntEnum):
        ELAPSED = 0
        WALL = 1
        NOTE = 2
        TAGS = 3

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._labels: dict[str, str] = {}

    def set_item_labels(self, labels: dict[str, str]) -> None:
        self._labels = dict(labels)

    def headers(self) -> list[str]:
        return [self.tr("Time"), self.tr("Clock"), self.tr("Note"), self.tr("Tags")]

    def display(self, row: NoteView, column: enum.IntEnum) -> str:
        C = self.Column
        return {
            C.ELAPSED: format_elapsed(row.elapsed_ms),
            C.WALL: local_time(row.wall_time),
            C.NOTE: private_text(self, row.text, Qt.ItemDataRole.DisplayRole) if row.private
            else row.text,
            C.TAGS: ", ".join(self._labels.get(i, "?") for i in row.item_ids),
        }[C(column)]

    def sort_key(self, row: NoteView, column: enum.IntEnum) -> Any:
        if column in (self.Column.ELAPSED, self.Column.WALL):
            return row.elapsed_ms
        return super().sort_key(row, column)

    editable = True

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if self.editable and index.isValid() and index.column() == self.Column.NOTE:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.EditRole and index.isValid() \
                and index.column() == self.Column.NOTE and 0 <= index.row() < self.rowCount():
            return self.row_at(index.row()).text
        return super().data(index, role)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (not index.isValid() or role != Qt.ItemDataRole.EditRole
                or index.column() != self.Column.NOTE):
            return False
        note = self.row_at(index.row())
        text = str(value)
        if not text.strip() or text.strip() == note.text:
            return False
        self.text_edit_requested.emit(note.id, text)
        return True

    def note_at(self, row: int) -> NoteView:
        return self.row_at(row)

    def row_of(self, note_id: str) -> int:
        return self.find_row(note_id)

    def replace_note(self, note: NoteView) -> None:
        """Show a note's new state (after an edit, an undo or a redo) in its row."""
        row = next((i for i, n in enumerate(self._rows) if n.id == note.id), -1)
        if row < 0:
            return
        self._rows[row] = note
        if row < self.rowCount():
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.Column) - 1))


class SearchResultsTableModel(RowsTableModel):
    """Search hits: where (teacher, date, mm:ss) and the snippet with the matches marked."""

    class Column(enum.IntEnum):
        TEACHER = 0
        DATE = 1
        TIME = 2
        KIND = 3
        SNIPPET = 4

    def headers(self) -> list[str]:
        return [self.tr("Teacher"), self.tr("Date"), self.tr("Time"), self.tr("Found in"),
                self.tr("Text")]

    def kind_label(self, kind: str) -> str:
        return {"note": self.tr("Note"), "feedback": self.tr("Feedback"),
                "cycle": self.tr("Cycle")}.get(kind, kind)

    def display(self, row: SearchHit, column: enum.IntEnum) -> str:
        C = self.Column
        return {
            C.TEACHER: row.teacher_name,
            C.DATE: local_date(row.when),
            C.TIME: format_elapsed(row.elapsed_ms),
            C.KIND: self.kind_label(row.kind),
            C.SNIPPET: "".join(text for text, _ in row.snippet_parts()),
        }[C(column)]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == SNIPPET_ROLE and index.isValid() and 0 <= index.row() < self.rowCount():
            row = self.row_at(index.row())
            return "".join(f"<b>{escape(t)}</b>" if hit else escape(t)
                           for t, hit in row.snippet_parts())
        return super().data(index, role)

    def sort_key(self, row: SearchHit, column: enum.IntEnum) -> Any:
        if column == self.Column.DATE:
            return row.when.isoformat() if row.when else ""
        if column == self.Column.TIME:
            return row.elapsed_ms if row.elapsed_ms is not None else -1
        return super().sort_key(row, column)
