"""The parts of the live view that only show things: the header with clocks, the evidence table."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from observe_app.gui.live.notes_model import NotesTableModel


class LiveHeader(QWidget):
    """Who is observed and in which class; the elapsed and wall clocks; pause and end."""

    def __init__(self, cycle: Any, observation: Any, parent: QWidget | None = None) -> None:
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
                               self.tr("{n} students").format(n=o.students) if o.students else "")
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


class EvidenceTableView(QTableView):
    """The notes so far: time columns sized to their digits, the note wrapping, tags after."""

    def __init__(self, model: NotesTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setAccessibleName(self.tr("Notes so far"))
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
