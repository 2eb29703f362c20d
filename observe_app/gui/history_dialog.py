"""Changes from other laptops: the values a received package replaced (or that lost to an edit
here), newest first, each one a keypress away from being put back.

The list is read on a worker; a restore is a write on a worker too, asked about first. The
value a restore replaces joins the list, so a restore can itself be undone.
"""

from __future__ import annotations

import enum
from html import escape
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelection, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from observe_app.gui.exchange_dialogs import ERROR_STYLE, failure_sentence
from observe_app.gui.queries import LatestOnly
from observe_app.gui.table_models import ROW_ROLE, RowsTableModel
from observe_app.gui.tasks import run_in_background

if TYPE_CHECKING:
    from observe_app.gui.backend import Backend
    from observe_app.services.merge_history import HistoryEntry

THIS_LAPTOP = "this laptop"  # what the service says when the value standing was made here


def when_words(entry: HistoryEntry) -> str:
    return entry.kept_at.astimezone().strftime("%d %b %Y, %H:%M")


class HistoryTableModel(RowsTableModel):
    """One kept value a row: when, who replaced it, what it belongs to, the field, the value
    kept and the value now."""

    class Column(enum.IntEnum):
        WHEN = 0
        FROM = 1
        WHAT = 2
        FIELD = 3
        KEPT = 4
        NOW = 5

    def headers(self) -> list[str]:
        return [self.tr("When"), self.tr("Changed by"), self.tr("In"), self.tr("Field"),
                self.tr("Value kept"), self.tr("Value now")]

    def display(self, row: HistoryEntry, column: enum.IntEnum) -> str:
        C = self.Column
        return {
            C.WHEN: when_words(row),
            C.FROM: self.tr("this laptop") if row.came_from == THIS_LAPTOP else row.came_from,
            C.WHAT: row.what,
            C.FIELD: row.field,
            C.KEPT: " ".join(row.kept.split()),
            C.NOW: " ".join(row.current.split()),
        }[C(column)]

    def sort_key(self, row: HistoryEntry, column: enum.IntEnum) -> Any:
        if column == self.Column.WHEN:
            # Text Qt can compare (a tuple it cannot); one receive's values keep their order.
            return f"{row.kept_at.isoformat()}|{row.id:012d}"
        return super().sort_key(row, column)


class HistoryDialog(QDialog):
    """Every kept value, or a cycle's (`cycle_id`); `restored` follows each restore, for the
    view underneath, which shows the value it put back."""

    restored = Signal()

    def __init__(self, backend: Backend, *, cycle_id: str | None = None, about: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Changes from other laptops"))
        self.backend = backend
        self.cycle_id = cycle_id
        self.working = False
        self._query: LatestOnly[list[HistoryEntry]] = LatestOnly(self)
        column = QVBoxLayout(self)
        heading = QLabel(self.tr("Changes from other laptops in {what}").format(what=about)
                         if about else self.tr("Changes from other laptops"), self)
        heading.setObjectName("dialogTitle")
        heading.setStyleSheet("font-weight: bold;")
        heading.setWordWrap(True)
        column.addWidget(heading)
        intro = QLabel(self.tr(
            "When a package from a colleague changes something you had also changed, the value "
            "that was replaced is kept here (and so is a package's value that lost to a newer "
            "edit of yours). Restoring one makes it a new edit on this laptop: your colleagues "
            "get it the next time you send them a package."), self)
        intro.setObjectName("muted")
        intro.setWordWrap(True)
        column.addWidget(intro)
        self.model = HistoryTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(Qt.ItemDataRole.UserRole)
        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setAccessibleName(self.tr("Values kept"))
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(HistoryTableModel.Column.WHEN, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab goes on to the Restore button
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        C = HistoryTableModel.Column
        for number in (C.WHEN, C.FROM, C.FIELD):
            header.setSectionResizeMode(number, QHeaderView.ResizeMode.ResizeToContents)
        for number in (C.KEPT, C.NOW):
            header.setSectionResizeMode(number, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(C.WHAT, QHeaderView.ResizeMode.Interactive)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.table.doubleClicked.connect(lambda _index: self.restore_selected())
        column.addWidget(self.table, 1)
        self.empty_label = QLabel(self.tr(
            "Nothing here yet. When a package from a colleague changes something you had also "
            "changed, the value that was replaced is kept here, to be seen and put back."), self)
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setObjectName("muted")
        self.empty_label.hide()
        column.addWidget(self.empty_label, 1)
        self.detail_label = QLabel(self)
        self.detail_label.setWordWrap(True)
        self.detail_label.setTextFormat(Qt.TextFormat.RichText)
        self.detail_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        column.addWidget(self.detail_label)
        self.message_label = QLabel(self)
        self.message_label.setWordWrap(True)
        self.message_label.hide()
        column.addWidget(self.message_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.restore_button = QPushButton(self.tr("&Restore this value"), self)
        self.restore_button.setToolTip(self.tr("Put the kept value back (asks first)"))
        self.restore_button.setEnabled(False)
        self.restore_button.setAutoDefault(False)
        self.restore_button.clicked.connect(self.restore_selected)
        self.buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.rejected.connect(self.reject)
        column.addWidget(self.buttons)
        self._fit_to_screen()
        self.load()

    def _fit_to_screen(self) -> None:
        """Wide enough for six columns, within a 1024×600 laptop's screen."""
        screen = self.screen()
        room = screen.availableGeometry() if screen is not None else None
        width = 1100 if room is None else min(1100, room.width() - 40)
        height = 560 if room is None else min(560, room.height() - 70)
        self.resize(width, height)

    # -- the list --------------------------------------------------------------------------

    def load(self, select_id: int | None = None) -> None:
        backend, cycle_id = self.backend, self.cycle_id
        if not self.model.rowCount():
            self.detail_label.setText(self.tr("Loading…"))
        self._query.run(lambda: backend.history.list_history(cycle_id=cycle_id),
                        lambda entries: self._show(entries, select_id), self._on_load_failed)

    def _show(self, entries: list[HistoryEntry], select_id: int | None) -> None:
        self.model.set_rows(entries)
        self._fit_what_column()
        self.table.setVisible(bool(entries))
        self.empty_label.setVisible(not entries)
        if not entries:
            self.detail_label.setText("")
            self.restore_button.setEnabled(False)
            return
        row = 0
        if select_id is not None:
            found = self.model.find_row(select_id)  # type: ignore[arg-type]  # ids are ints
            if found >= 0:
                row = self.proxy.mapFromSource(self.model.index(found, 0)).row()
        self.table.selectRow(row)
        self.table.setFocus()

    def _fit_what_column(self) -> None:
        """What a value belongs to, whole when it fits in a third of the list's width (the
        values share the rest; each is shown whole below when chosen)."""
        column = HistoryTableModel.Column.WHAT
        most = max(200, self.table.viewport().width() // 3)
        self.table.setColumnWidth(column, min(self.table.sizeHintForColumn(column), most))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        if self.model.rowCount():
            self._fit_what_column()

    def _on_load_failed(self, exc: BaseException) -> None:
        self._say(failure_sentence(exc, self.tr("The history could not be read")), error=True)

    def selected(self) -> HistoryEntry | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        entry: HistoryEntry = self.proxy.data(rows[0], ROW_ROLE)
        return entry

    def _on_selection_changed(self, _new: QItemSelection, _old: QItemSelection) -> None:
        entry = self.selected()
        self.restore_button.setEnabled(entry is not None and entry.can_restore
                                       and not self.working)
        if entry is None:
            self.detail_label.setText("")
            return
        lines = ["<b>{}</b>".format(escape(self.tr("{what} · {field}").format(
                     what=entry.what[:1].upper() + entry.what[1:], field=entry.field))),
                 escape(self.tr("Kept: {value}").format(value=entry.kept)),
                 escape(self.tr("Now: {value}").format(value=entry.current))]
        if entry.current == "(deleted)":
            lines.append(escape(self.tr("It was deleted since: bring it back first, then "
                                        "restore the value.")))
        elif not entry.can_restore:
            lines.append(escape(self.tr("This is the value in use now.")))
        self.detail_label.setText("<br>".join(lines))

    # -- restoring -------------------------------------------------------------------------

    def confirm(self, title: str, text: str) -> bool:
        """Ask before a restore (tests replace this)."""
        return QMessageBox.question(self, title, text) == QMessageBox.StandardButton.Yes

    def restore_selected(self) -> None:
        entry = self.selected()
        if entry is None or not entry.can_restore or self.working:
            return
        if not self.confirm(self.tr("Restore this value"), self.tr(
                "Put back “{kept}” as “{field}” in {what}?\n\nIt replaces “{current}”, which "
                "is kept here in turn. Your colleagues get the restored value the next time "
                "you send them a package.").format(kept=_short(entry.kept), field=entry.field,
                                                    what=entry.what,
                                                    current=_short(entry.current))):
            return
        self.working = True
        self.restore_button.setEnabled(False)
        history, hid = self.backend.history, entry.id
        run_in_background(lambda: history.restore_value(hid),
                          lambda _none: self._on_restored(entry),
                          self._on_restore_failed, context=self)

    def _on_restored(self, entry: HistoryEntry) -> None:
        self.working = False
        self._say(self.tr("Restored: “{field}” in {what} is “{value}” again.").format(
            field=entry.field, what=entry.what, value=_short(entry.kept)), error=False)
        self.restored.emit()
        self.load(select_id=entry.id)

    def _on_restore_failed(self, exc: BaseException) -> None:
        self.working = False
        self._say(self.tr("Not restored; nothing was changed. {problem}").format(
            problem=failure_sentence(exc, self.tr("The value could not be saved"))),
            error=True)
        self.load()

    def _say(self, text: str, *, error: bool) -> None:
        self.message_label.setStyleSheet(ERROR_STYLE if error else "")
        self.message_label.setText(text)
        self.message_label.show()


def _short(text: str, most: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= most else text[:most - 1] + "…"
