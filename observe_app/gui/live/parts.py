"""Parts of the live view: the header with its clocks, and the evidence table with its editor."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from observe_app.gui.live.notes_model import NotesTableModel

if TYPE_CHECKING:
    from observe_app.services.cycles import CycleSummary
    from observe_app.services.observations import ObservationView


class LiveHeader(QWidget):
    """Who is observed and in which class; the elapsed and wall clocks; pause and end."""

    def __init__(self, cycle: CycleSummary, observation: ObservationView,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("liveHeader")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        row = QHBoxLayout(self)
        row.setContentsMargins(14, 10, 14, 10)
        who = QVBoxLayout()
        title = QLabel(self.tr("Observing {teacher}").format(teacher=cycle.teacher_name), self)
        title.setObjectName("liveTitle")
        o = observation
        details = [d for d in (o.subject, o.grade,
                               self.tr("Room {r}").format(r=o.room) if o.room else "",
                               (self.tr("%n student", None, o.students) if o.students == 1
                                else self.tr("%n students", None, o.students))
                               if o.students else "")
                   if d]
        if cycle.focus:
            details.append(self.tr("Focus: {f}").format(f=cycle.focus))
        self.details_label = QLabel(" · ".join(details), self)
        self.details_label.setObjectName("muted")
        self.details_label.setWordWrap(True)
        who.addWidget(title)
        who.addWidget(self.details_label)
        row.addLayout(who, 1)
        self.elapsed_label = QLabel("00:00", self)
        self.elapsed_label.setObjectName("elapsedClock")
        self.elapsed_label.setAccessibleName(self.tr("Elapsed lesson time"))
        self.wall_label = QLabel(self)
        self.wall_label.setObjectName("wallClock")
        self.wall_label.setAccessibleName(self.tr("Time of day"))
        clocks = QVBoxLayout()
        clocks.setSpacing(0)
        clocks.addWidget(self.elapsed_label, 0, Qt.AlignmentFlag.AlignRight)
        clocks.addWidget(self.wall_label, 0, Qt.AlignmentFlag.AlignRight)
        row.addLayout(clocks)
        self.pause_button = QPushButton(self)
        self.pause_button.setAccessibleName(self.tr("Pause or resume the clock"))
        self.end_button = QPushButton(self.tr("End observation  Ctrl+E"), self)
        self.end_button.setObjectName("endButton")
        row.addSpacing(12)
        row.addWidget(self.pause_button)
        row.addWidget(self.end_button)


class DraftBar(QWidget):
    """Says that a note typed before a crash was recovered, and offers to discard it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("draftBar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 6, 10, 6)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.discard_button = QPushButton(self.tr("Discard"), self)
        self.discard_button.setAccessibleName(self.tr("Discard the recovered note"))
        row.addWidget(self.label, 1)
        row.addWidget(self.discard_button)
        self.hide()


class FaultBanner(QWidget):
    """A save failed (disk full, read-only, locked): what happened and what to do, without a
    modal dialog taking the keyboard mid-lesson; the view keeps trying again on its own."""

    retry_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("faultBanner")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setAccessibleName(self.tr("Problem saving"))
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 6, 10, 6)
        self.label = QLabel(self)
        self.label.setObjectName("faultText")
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.retry_button = QPushButton(self.tr("Try again now"), self)
        self.retry_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # typing stays in the box
        self.retry_button.clicked.connect(self.retry_clicked)
        row.addWidget(self.label, 1)
        row.addWidget(self.retry_button)
        self.hide()


class _NoteEditor(QPlainTextEdit):
    """Edits a note in place with the note box's keys: Enter keeps it, Shift+Enter breaks."""

    def __init__(self, delegate: QStyledItemDelegate, parent: QWidget) -> None:
        super().__init__(parent)
        self._delegate = delegate
        self.setTabChangesFocus(True)
        self.setAccessibleName(self.tr("Edit note"))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
                event.modifiers() & Qt.KeyboardModifier.ShiftModifier):
            self._delegate.commitData.emit(self)
            self._delegate.closeEditor.emit(self, QAbstractItemDelegate.EndEditHint.NoHint)
            return
        super().keyPressEvent(event)


class NoteTextDelegate(QStyledItemDelegate):
    """Multi-line notes stay multi-line when edited (a line edit would join the lines)."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        return _NoteEditor(self, parent)

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, QPlainTextEdit)
        editor.setPlainText(index.data(Qt.ItemDataRole.EditRole) or "")
        editor.selectAll()

    def setModelData(self, editor: QWidget, model: QAbstractItemModel,
                     index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, QPlainTextEdit)
        model.setData(index, editor.toPlainText(), Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem,
                             index: QModelIndex | QPersistentModelIndex) -> None:
        rect = option.rect  # type: ignore[attr-defined]
        rect.setHeight(max(rect.height(), editor.fontMetrics().lineSpacing() * 3 + 12))
        editor.setGeometry(rect)


class EvidenceTableView(QTableView):
    """The notes so far: time columns sized to their digits, the note wrapping, tags after."""

    def __init__(self, model: NotesTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setAccessibleName(self.tr("Notes so far"))
        self.setTabKeyNavigation(False)  # Tab leaves the table for the next control
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.setWordWrap(True)
        self.setAlternatingRowColors(True)
        self.verticalHeader().setVisible(False)
        self.setShowGrid(False)
        header = self.horizontalHeader()
        C = NotesTableModel.Column
        digits = self.fontMetrics().horizontalAdvance("00:00:00")
        header.setSectionResizeMode(C.ELAPSED, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(C.WALL, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(C.ELAPSED, digits + 16)
        header.resizeSection(C.WALL, digits + 24)
        header.setSectionResizeMode(C.TEXT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(C.TAGS, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(C.TAGS, 200)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.setItemDelegateForColumn(C.TEXT, NoteTextDelegate(self))
