"""A teacher's seating charts, one per class and room (Teachers page ▸ Seating charts…): open
one in the editor, or start one for another class."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from observe_app.domain import limits
from observe_app.errors import ObserveError
from observe_app.gui.dialogs import ERROR_STYLE
from observe_app.gui.queries import LatestOnly
from observe_app.gui.seating_editor import SeatingEditorDialog

if TYPE_CHECKING:
    from observe_app.gui.backend import Backend
    from observe_app.services.participation import ChartView


class SeatingChartsDialog(QDialog):
    """`editor`: the chart open in the editor, while it is; `shown_charts` once listed."""

    shown_charts = Signal()

    def __init__(self, backend: Backend, teacher_id: str, name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.teacher_id = teacher_id
        self.charts: list[ChartView] = []
        self.editor: SeatingEditorDialog | None = None
        self.setWindowTitle(self.tr("Seating charts of {name}").format(name=name))
        self.resize(560, 420)
        column = QVBoxLayout(self)
        intro = QLabel(self.tr(
            "{name}'s classes. A chart is kept on this laptop for its class and room, and a "
            "visit to that class starts from it.").format(name=name), self)
        intro.setObjectName("muted")
        intro.setWordWrap(True)
        column.addWidget(intro)
        charts_label = QLabel(self.tr("C&harts:"), self)
        self.chart_list = QListWidget(self)
        self.chart_list.setAccessibleName(self.tr("Seating charts"))
        self.chart_list.itemActivated.connect(lambda _item: self.open_chosen())
        charts_label.setBuddy(self.chart_list)
        column.addWidget(charts_label)
        column.addWidget(self.chart_list, 1)
        self.open_button = QPushButton(self.tr("&Open chart…"), self)
        self.open_button.clicked.connect(self.open_chosen)
        column.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignLeft)
        new_row = QHBoxLayout()
        form = QFormLayout()
        self.class_edit = QLineEdit(self)
        self.class_edit.setAccessibleName(self.tr("Class"))
        self.class_edit.setMaxLength(limits.CLASS_SUBJECT)
        self.class_edit.setPlaceholderText(self.tr("e.g. Mathematics · Year 8"))
        self.room_edit = QLineEdit(self)
        self.room_edit.setAccessibleName(self.tr("Room"))
        self.room_edit.setMaxLength(limits.CLASS_ROOM)
        form.addRow(self.tr("&Class:"), self.class_edit)
        form.addRow(self.tr("&Room:"), self.room_edit)
        new_row.addLayout(form, 1)
        self.new_button = QPushButton(self.tr("&New chart…"), self)
        self.new_button.clicked.connect(self.open_new)
        new_row.addWidget(self.new_button, 0, Qt.AlignmentFlag.AlignBottom)
        column.addLayout(new_row)
        for edit in (self.class_edit, self.room_edit):  # Enter there starts the new chart
            enter = QShortcut(QKeySequence(Qt.Key.Key_Return), edit)
            enter.setContext(Qt.ShortcutContext.WidgetShortcut)
            enter.activated.connect(self.open_new)
        self.status_label = QLabel(self.tr("Reading…"), self)
        self.status_label.setWordWrap(True)
        column.addWidget(self.status_label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        column.addWidget(buttons)
        self._query: LatestOnly[list[ChartView]] = LatestOnly(self)
        self.reload()

    def reload(self) -> None:
        charts_of = self.backend.participation.charts_of
        teacher_id = self.teacher_id
        self._query.run(lambda: charts_of(teacher_id), self._show, self._on_read_failed)

    def _show(self, charts: list[ChartView]) -> None:
        self.charts = charts
        self.chart_list.clear()
        for chart in charts:
            seats = (self.tr("1 seat") if len(chart.seats) == 1
                     else self.tr("%n seats").replace("%n", str(len(chart.seats))))
            where = (self.tr("{klass} · room {room}").format(klass=chart.class_name,
                                                             room=chart.room)
                     if chart.room else chart.class_name)
            QListWidgetItem(self.tr("{where} — {seats}, changed {day}").format(
                where=where, seats=seats,
                day=chart.updated_at.astimezone().strftime("%d %b %Y")), self.chart_list)
        self.chart_list.setCurrentRow(0)
        self.open_button.setEnabled(bool(charts))
        self.status_label.setStyleSheet("")
        self.status_label.setText(self.tr("No chart yet: name a class and its room, then New "
                                          "chart.") if not charts else "")
        self.shown_charts.emit()

    def _on_read_failed(self, exc: ObserveError) -> None:
        self._say_problem(self.tr("Not read: {problem}").format(problem=exc.sentence()))

    def _say_problem(self, text: str) -> None:
        self.status_label.setStyleSheet(ERROR_STYLE)
        self.status_label.setText(text)

    def open_chosen(self) -> None:
        row = self.chart_list.currentRow()
        if 0 <= row < len(self.charts):
            chart = self.charts[row]
            self._edit(chart.class_name, chart.room)

    def open_new(self) -> None:
        class_name = " ".join(self.class_edit.text().split())
        if not class_name:
            self.class_edit.setFocus()
            self._say_problem(self.tr("Name the class first, as a visit names it: subject and "
                                      "year, e.g. \"Mathematics · Year 8\"."))
            return
        self._edit(class_name, " ".join(self.room_edit.text().split()))

    def _edit(self, class_name: str, room: str) -> None:
        if self.editor is not None:
            return
        self.editor = SeatingEditorDialog.for_class(self.backend, self.teacher_id, class_name,
                                                    room, parent=self)
        self.editor.finished.connect(self._on_editor_finished)
        self.editor.open()

    def _on_editor_finished(self, result: int) -> None:
        editor, self.editor = self.editor, None
        if editor is not None:
            editor.deleteLater()
        if result == QDialog.DialogCode.Accepted:
            self.class_edit.clear()
            self.room_edit.clear()
            self.reload()
