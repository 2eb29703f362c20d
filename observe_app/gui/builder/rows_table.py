"""An editable table of a list in a protocol document: a rubric's levels, a scan's codes, a
participation map's talk types."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("ProtocolBuilder", text)


class RowsTable(QTableWidget):
    """Rows of a list in the document (a rubric's levels, a scan's codes), edited in place,
    with buttons to add one, remove the selected one and move it up or down."""

    rows_changed = Signal()

    def __init__(self, headers: list[str], fields: tuple[str, ...], noun: str, most: int,
                 parent: QWidget) -> None:
        super().__init__(0, len(headers), parent)
        self._fields = fields
        self._most = most
        self._rows: list[dict[str, Any]] = []
        self.new_rows: set[int] = set()  # ids of the dicts added here (their keys follow)
        self.typed: set[tuple[int, str]] = set()  # (id of a row, field) the author typed in
        self.setHorizontalHeaderLabels(headers)
        self.horizontalHeader().setSectionResizeMode(len(headers) - 1,
                                                     QHeaderView.ResizeMode.Stretch)
        self.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.setColumnWidth(0, 140)
        self.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        triggers = QAbstractItemView.EditTrigger
        self.setEditTriggers(triggers.DoubleClicked | triggers.SelectedClicked
                             | triggers.EditKeyPressed | triggers.AnyKeyPressed)
        self.setMinimumHeight(self.verticalHeader().defaultSectionSize() * 4 + 30)
        self.itemChanged.connect(self._on_item_changed)
        self.box = QWidget(parent)
        column = QVBoxLayout(self.box)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(_tr("Add a {noun}").format(noun=noun), self.box)
        self.remove_button = QPushButton(_tr("Remove"), self.box)
        self.up_button = QPushButton(_tr("Up"), self.box)
        self.down_button = QPushButton(_tr("Down"), self.box)
        for button, slot in ((self.add_button, self.add_row),
                             (self.remove_button, self.remove_row),
                             (self.up_button, lambda: self.move_row(-1)),
                             (self.down_button, lambda: self.move_row(1))):
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        column.addLayout(buttons)

    def load(self, rows: list[dict[str, Any]]) -> None:
        self._rows = rows
        self._fill()

    def _fill(self, current: int = -1) -> None:
        self.blockSignals(True)
        try:
            self.setRowCount(len(self._rows))
            for r, row in enumerate(self._rows):
                for c, field in enumerate(self._fields):
                    self.setItem(r, c, QTableWidgetItem(str(row.get(field, ""))))
        finally:
            self.blockSignals(False)
        self.add_button.setEnabled(len(self._rows) < self._most)
        if current >= 0:
            self.setCurrentCell(current, 0)

    def _on_item_changed(self, cell: QTableWidgetItem) -> None:
        row = self._rows[cell.row()]
        field = self._fields[cell.column()]
        text = " ".join(cell.text().split())  # one line: names and codes never wrap
        if field == "descriptor":
            text = cell.text().strip()
        row[field] = text
        self.typed.add((id(row), field))
        self.rows_changed.emit()

    def add_row(self) -> None:
        if len(self._rows) >= self._most:
            return
        row: dict[str, Any] = {field: "" for field in self._fields}
        self.new_rows.add(id(row))
        self._rows.append(row)
        self._fill(len(self._rows) - 1)
        self.rows_changed.emit()
        self.setFocus()
        cell = self.item(len(self._rows) - 1, 0)
        if cell is not None:
            self.editItem(cell)

    def remove_row(self) -> None:
        r = self.currentRow()
        if 0 <= r < len(self._rows):
            del self._rows[r]
            self._fill(min(r, len(self._rows) - 1))
            self.rows_changed.emit()

    def show_field(self, field: str) -> None:
        """Show the rows' values of `field` again, after they were changed in the rows."""
        column = self._fields.index(field)
        self.blockSignals(True)
        try:
            for r, row in enumerate(self._rows):
                cell = self.item(r, column)
                if cell is not None and cell.text() != str(row.get(field, "")):
                    cell.setText(str(row.get(field, "")))
        finally:
            self.blockSignals(False)

    def finish_editing(self) -> None:
        """Write what is being typed in a cell into its row now."""
        editor = QApplication.focusWidget()
        if self.state() == QAbstractItemView.State.EditingState and editor is not None \
                and self.isAncestorOf(editor):
            self.commitData(editor)
            self.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)

    def move_row(self, step: int) -> None:
        r = self.currentRow()
        target = r + step
        if 0 <= r < len(self._rows) and 0 <= target < len(self._rows):
            self._rows[r], self._rows[target] = self._rows[target], self._rows[r]
            self._fill(target)
            self.rows_changed.emit()
