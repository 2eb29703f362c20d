"""Student names replaced before a PDF or a package leaves: the class lists (Data ▸ Student
names…), the choice of a list in the export dialogs, and the preview of what is replaced."""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from observe_app.errors import ObserveError
from observe_app.gui.exchange_dialogs import ERROR_STYLE
from observe_app.gui.tasks import run_in_background

if TYPE_CHECKING:
    from observe_app.gui.backend import Backend
    from observe_app.services.redaction import ClassListView, Replacement

Index = QModelIndex | QPersistentModelIndex
# A class list's id -> the work (run on a worker) that says what it would replace; called on
# the GUI thread, so it can read the dialog's other choices first.
Preview = Callable[[str], Callable[[], "list[Replacement]"]]


class Column(enum.IntEnum):
    NAME = 0
    LABEL = 1
    TIMES = 2


class ReplacementTableModel(QAbstractTableModel):
    """Each name found: as it is written in the texts, the label it becomes, how often."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Replacement] = []

    def set_rows(self, rows: Sequence[Replacement]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole \
                or not 0 <= section < len(Column):
            return None
        return (self.tr("Name found"), self.tr("Replaced by"), self.tr("Times"))[section]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            if column == Column.NAME:
                return " · ".join(row.found)
            return row.label if column == Column.LABEL else row.times
        if role == Qt.ItemDataRole.ToolTipRole and column == Column.NAME:
            return self.tr("On the list as: {name}").format(name=row.name)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == Column.TIMES:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class RedactionPreviewDialog(QDialog):
    """What will be replaced, as a table; Enter or Esc closes it."""

    def __init__(self, rows: Sequence[Replacement], list_name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Student names to replace"))
        column = QVBoxLayout(self)
        if rows:
            text = self.tr("{count} names from “{list}” will be replaced, each by the same "
                           "label everywhere in this export:").format(count=len(rows),
                                                                     list=list_name)
        else:
            text = self.tr("None of the names on “{list}” is in what will be exported: "
                           "nothing will be replaced.").format(list=list_name)
        self.summary_label = QLabel(text, self)
        self.summary_label.setWordWrap(True)
        column.addWidget(self.summary_label)
        self.model = ReplacementTableModel(self)
        self.model.set_rows(rows)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(Column.NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(Column.LABEL, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(Column.TIMES, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setVisible(bool(rows))
        column.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setDefault(True)
        column.addWidget(buttons)
        self.resize(560, 380)
        self.table.setFocus()


class RedactionChoice(QWidget):
    """“Replace student names from: (none) / a list” and Preview…, for an export dialog.

    `preview(list_id)` gives the work to run on a worker (it reads what the export will
    carry)."""

    def __init__(self, lists: Sequence[ClassListView], preview: Preview | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._preview = preview
        self.preview_dialog: RedactionPreviewDialog | None = None
        self.working = False
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.combo = QComboBox(self)
        self.combo.addItem(self.tr("(none)"), None)
        for kept in lists:
            self.combo.addItem(self.tr("{name} ({count} names)").format(
                name=kept.name, count=len(kept.names)), kept.id)
        self.combo.setAccessibleName(self.tr("Replace student names from"))
        self.preview_button = QPushButton(self.tr("Pre&view…"), self)
        self.preview_button.setAutoDefault(False)
        self.preview_button.clicked.connect(self._on_preview_button_clicked)
        self.combo.currentIndexChanged.connect(self._on_combo_current_index_changed)
        row.addWidget(self.combo, 1)
        row.addWidget(self.preview_button)
        self.message_label = QLabel(self)
        self.message_label.setWordWrap(True)
        self.message_label.setStyleSheet(ERROR_STYLE)
        self.message_label.hide()
        self._on_combo_current_index_changed(0)

    def label_text(self) -> str:
        return self.tr("Replace student &names from:")

    def list_id(self) -> str | None:
        data = self.combo.currentData()
        return str(data) if data else None

    def _on_combo_current_index_changed(self, _index: int) -> None:
        self.preview_button.setEnabled(self.list_id() is not None and self._preview is not None
                                       and not self.working)

    def _on_preview_button_clicked(self) -> None:
        list_id, preview = self.list_id(), self._preview
        if list_id is None or preview is None or self.working:
            return
        self.working = True
        self.preview_button.setEnabled(False)
        self.message_label.hide()
        name = self.combo.currentText().rsplit(" (", 1)[0]
        run_in_background(preview(list_id),
                          lambda rows: self._on_previewed(rows, name),
                          self._on_preview_failed, context=self)

    def _on_previewed(self, rows: list[Replacement], name: str) -> None:
        self.working = False
        self._on_combo_current_index_changed(0)
        if self.preview_dialog is not None:
            self.preview_dialog.deleteLater()
        self.preview_dialog = RedactionPreviewDialog(rows, name, self.window())
        self.preview_dialog.open()

    def _on_preview_failed(self, exc: BaseException) -> None:
        self.working = False
        self._on_combo_current_index_changed(0)
        if not isinstance(exc, ObserveError):
            raise exc
        self.message_label.setText(exc.sentence())
        self.message_label.show()


def add_redaction_row(form: QFormLayout, lists: Sequence[ClassListView],
                      preview: Preview | None, parent: QWidget) -> RedactionChoice:
    """The choice as a row of an export dialog's form, its label a mnemonic for the list."""
    choice = RedactionChoice(lists, preview, parent)
    label = QLabel(choice.label_text(), parent)
    label.setBuddy(choice.combo)
    form.addRow(label, choice)
    form.addRow(choice.message_label)
    return choice


class ClassListsDialog(QDialog):
    """Data ▸ Student names…: the class lists kept on this laptop, a name a line."""

    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.setWindowTitle(self.tr("Student names"))
        column = QVBoxLayout(self)
        intro = QLabel(self.tr(
            "Lists of your students' names, kept on this laptop only. When you export a PDF or "
            "send a package you can have these names replaced by “Student A”, “Student B”…"),
            self)
        intro.setObjectName("muted")
        intro.setWordWrap(True)
        column.addWidget(intro)
        body = QHBoxLayout()
        left = QVBoxLayout()
        lists_label = QLabel(self.tr("C&lass lists:"), self)
        self.list_widget = QListWidget(self)
        lists_label.setBuddy(self.list_widget)
        left.addWidget(lists_label)
        left.addWidget(self.list_widget, 1)
        self.new_button = QPushButton(self.tr("&New list"), self)
        self.delete_button = QPushButton(self.tr("&Delete list"), self)
        for button in (self.new_button, self.delete_button):
            button.setAutoDefault(False)
            left.addWidget(button)
        body.addLayout(left, 1)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        self.name_edit = QLineEdit(self)
        self.name_edit.setMaxLength(200)
        self.name_edit.setPlaceholderText(self.tr("The class, say 7B"))
        name_label = QLabel(self.tr("&Class:"), self)
        name_label.setBuddy(self.name_edit)
        form.addRow(name_label, self.name_edit)
        self.names_edit = QPlainTextEdit(self)
        self.names_edit.setTabChangesFocus(True)
        self.names_edit.setPlaceholderText(self.tr("One student's name a line, as you write "
                                                   "it in your notes"))
        names_label = QLabel(self.tr("Student na&mes, one a line:"), self)
        names_label.setBuddy(self.names_edit)
        form.addRow(names_label, self.names_edit)
        body.addLayout(form, 2)
        column.addLayout(body, 1)
        self.message_label = QLabel(self)
        self.message_label.setWordWrap(True)
        self.message_label.hide()
        column.addWidget(self.message_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Close, self)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(self.tr("&Save list"))
        self.buttons.accepted.connect(self.save)
        # Ctrl+S from the names too (a text box keeps Alt+S for itself on some platforms).
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self, self.save)
        self.buttons.rejected.connect(self.reject)
        column.addWidget(self.buttons)
        self.list_widget.currentItemChanged.connect(self._on_list_widget_current_item_changed)
        self.new_button.clicked.connect(self.new_list)
        self.delete_button.clicked.connect(self.delete_list)
        self._current_id: str | None = None
        self.resize(640, 420)
        self.reload()
        if self.list_widget.count() == 0:
            self.new_list()

    def reload(self, select: str | None = None) -> None:
        self.list_widget.blockSignals(True)
        self.list_widget.clear()
        chosen = None
        for kept in self.backend.redaction.list_class_lists():
            item = QListWidgetItem(self.tr("{name} ({count})").format(
                name=kept.name, count=len(kept.names)), self.list_widget)
            item.setData(Qt.ItemDataRole.UserRole, kept)
            if kept.id == select:
                chosen = item
        self.list_widget.blockSignals(False)
        if chosen is not None:
            self.list_widget.setCurrentItem(chosen)
        elif self.list_widget.count():
            self.list_widget.setCurrentRow(0)
        self.delete_button.setEnabled(self.list_widget.count() > 0)

    def _on_list_widget_current_item_changed(self, item: QListWidgetItem | None,
                                             _previous: QListWidgetItem | None) -> None:
        kept = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        self._current_id = kept.id if kept is not None else None
        self.name_edit.setText(kept.name if kept is not None else "")
        self.names_edit.setPlainText(kept.text if kept is not None else "")
        self.message_label.hide()

    def new_list(self) -> None:
        self.list_widget.setCurrentRow(-1)
        self.list_widget.clearSelection()
        self._current_id = None
        self.name_edit.clear()
        self.names_edit.clear()
        self.name_edit.setFocus()

    def save(self) -> None:
        name, text = self.name_edit.text(), self.names_edit.toPlainText()
        try:
            if self._current_id is None:
                kept = self.backend.redaction.create_class_list(name, text)
            else:
                kept = self.backend.redaction.update_class_list(self._current_id, name, text)
        except ObserveError as exc:  # what was typed stays as it was
            self._say(exc.sentence(), error=True)
            return
        self.reload(select=kept.id)
        self._say(self.tr("Saved “{name}” with {count} names.").format(
            name=kept.name, count=len(kept.names)), error=False)

    def delete_list(self) -> None:
        if self._current_id is None:
            return
        try:
            self.backend.redaction.delete_class_list(self._current_id)
        except ObserveError as exc:
            self._say(exc.sentence(), error=True)
            return
        self.reload()
        if self.list_widget.count() == 0:
            self.new_list()

    def _say(self, text: str, *, error: bool) -> None:
        self.message_label.setStyleSheet(ERROR_STYLE if error else "")
        self.message_label.setText(text)
        self.message_label.show()
