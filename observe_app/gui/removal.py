"""Delete (asked first, undone from the status bar) and archive; the Deleted items dialog.

Used by the Teachers and Cycles pages and by the cycle view's visits: each asks `ask_delete`
and hands what was deleted to the window's `UndoOffer`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPushButton,
    QStatusBar,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from observe_app.domain.formats import local_date, local_time
from observe_app.errors import ObserveError
from observe_app.gui.status_messages import Priority, StatusMessages
from observe_app.gui.tasks import run_in_background

if TYPE_CHECKING:
    from observe_app.gui.backend import Backend
    from observe_app.services.removal import DeletedItem, RemovalView

_tr = QCoreApplication.translate
UNDO_OFFERED_MS = 120_000  # how long the status bar's Undo button stays after a delete


def kind_name(table: str) -> str:
    """What a deleted row is, in a teacher's word."""
    return {"people": _tr("Removal", "person"), "cycles": _tr("Removal", "cycle"),
            "observations": _tr("Removal", "visit")}.get(table, table)


def _what_goes(view: RemovalView) -> list[str]:
    counts = ((view.visits if view.table != "observations" else 0, "%n visit", "%n visits"),
              (view.notes, "%n note", "%n notes"),
              (view.responses, "%n answer on the protocol", "%n answers on the protocol"),
              (view.ratings, "%n rating", "%n ratings"),
              (view.feedback, "%n glow, grow or next step", "%n glows, grows and next steps"),
              (view.goals, "%n goal", "%n goals"))
    return [_tr("Removal", one if n == 1 else many, None, n) for n, one, many in counts if n]


def confirm_delete(parent: QWidget, view: RemovalView) -> bool:
    """Ask before a delete, saying what goes with it; Cancel is the default (Enter keeps)."""
    box = QMessageBox(QMessageBox.Icon.Warning, _tr("Removal", "Delete"),
                      _tr("Removal", "Delete the {kind} {label}?").format(
                          kind=kind_name(view.table), label=view.label), parent=parent)
    goes = _what_goes(view)
    box.setInformativeText(
        (_tr("Removal", "With it go: {what}.").format(what=", ".join(goes)) + "\n\n" if goes
         else "") + _tr("Removal", "You can undo this (Ctrl+Z, or Data ▸ Deleted items…)."))
    delete = box.addButton(_tr("Removal", "Delete"), QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.setObjectName("confirmDelete")
    box.exec()
    return box.clickedButton() is delete


def ask_delete(parent: QWidget, backend: Backend, table: str, row_id: str) -> RemovalView | None:
    """Ask, then delete; what was deleted, or None (cancelled, or refused: said here)."""
    title = _tr("Removal", "Delete")
    try:
        view = backend.removal.what_would_be_removed(table, row_id)
    except ObserveError as exc:  # a teacher with cycles, say: the sentence says what to do
        QMessageBox.information(parent, title, exc.sentence())
        return None
    if not confirm_delete(parent, view):
        return None
    delete = {"people": backend.removal.delete_person, "cycles": backend.removal.delete_cycle,
              "observations": backend.removal.delete_visit}[table]
    try:
        return delete(row_id)
    except ObserveError as exc:
        QMessageBox.warning(parent, title, exc.sentence())
        return None


def set_archived(parent: QWidget, backend: Backend, table: str, row_id: str,
                 archived: bool) -> bool:
    calls = backend.removal
    change = {("people", True): calls.archive_person, ("people", False): calls.unarchive_person,
              ("cycles", True): calls.archive_cycle, ("cycles", False): calls.unarchive_cycle}
    try:
        change[(table, archived)](row_id)
    except ObserveError as exc:
        QMessageBox.warning(parent, _tr("Removal", "Archive"), exc.sentence())
        return False
    return True


class UndoOffer(QObject):
    """After a delete, the status bar says what went and offers Undo (a button, Ctrl+Z on
    the page) until the next delete or a couple of minutes."""

    restored = Signal(object)  # the DeletedItem brought back

    def __init__(self, messages: StatusMessages, bar: QStatusBar) -> None:
        super().__init__(bar)
        self.messages = messages
        self.backend: Backend | None = None
        self.last: RemovalView | None = None
        self.button = QPushButton(self.tr("Undo delete"), bar)
        self.button.setObjectName("undoDelete")
        self.button.clicked.connect(self.undo)
        bar.addPermanentWidget(self.button)
        self.button.hide()
        self._expire = QTimer(self)
        self._expire.setSingleShot(True)
        self._expire.timeout.connect(self.withdraw)

    def offer(self, view: RemovalView) -> None:
        self.last = view
        self.messages.show(self.tr("Deleted the {kind} {label}. Undo: Ctrl+Z or the Undo "
                                   "button.").format(kind=kind_name(view.table),
                                                     label=view.label),
                           Priority.IMPORTANT, 15_000)
        self.button.show()
        self._expire.start(UNDO_OFFERED_MS)

    def forget(self, item: DeletedItem) -> None:
        """`item` was restored elsewhere: no Undo is offered for it any more."""
        if self.last is not None and (self.last.table, self.last.row_id) == (item.table,
                                                                            item.row_id):
            self.withdraw()

    def withdraw(self) -> None:
        self.last = None
        self.button.hide()

    def undo(self) -> None:
        """Restore the last delete on a worker (a cycle of a thousand notes takes a moment)."""
        view, backend = self.last, self.backend
        if view is None or backend is None:
            return
        self.withdraw()
        self.messages.show(self.tr("Restoring the {kind} {label}…").format(
            kind=kind_name(view.table), label=view.label), Priority.IMPORTANT, 8000)
        run_in_background(lambda: backend.removal.restore_deleted(view.table, view.row_id),
                          self._on_restored, self._on_not_restored, context=self)

    def _on_restored(self, item: DeletedItem) -> None:
        self.messages.show(self.tr("Restored the {kind} {label}.").format(
            kind=kind_name(item.table), label=item.label), Priority.IMPORTANT, 8000)
        self.restored.emit(item)

    def _on_not_restored(self, exc: BaseException) -> None:
        if not isinstance(exc, ObserveError):
            raise exc
        self.messages.show(self.tr("Not restored: {problem}").format(
            problem=exc.sentence()), Priority.ERROR)


class DeletedItemsDialog(QDialog):
    """People, cycles and visits deleted on this laptop, newest first, each restorable."""

    restored = Signal(object)  # a DeletedItem

    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Deleted items"))
        self.setObjectName("deletedItemsDialog")
        self.resize(640, 380)
        self.backend = backend
        self.items: list[DeletedItem] = []
        column = QVBoxLayout(self)
        intro = QLabel(self.tr("People, cycles and visits deleted here. Restore brings one back "
                               "with everything that went with it."), self)
        intro.setObjectName("muted")
        intro.setWordWrap(True)
        column.addWidget(intro)
        self.table = QTableWidget(0, 3, self)
        self.table.setHorizontalHeaderLabels([self.tr("Deleted"), self.tr("What"),
                                              self.tr("Which")])
        self.table.setAccessibleName(self.tr("Deleted items"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(0, 130)
        column.addWidget(self.table, 1)
        self.problem_label = QLabel(self)
        self.problem_label.setObjectName("notice")
        self.problem_label.setWordWrap(True)
        self.problem_label.hide()
        column.addWidget(self.problem_label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.restore_button = buttons.addButton(self.tr("Restore"),
                                                QDialogButtonBox.ButtonRole.ActionRole)
        self.restore_button.clicked.connect(self.restore_selected)
        buttons.rejected.connect(self.reject)
        column.addWidget(buttons)
        self.reload()

    def reload(self) -> None:
        try:
            self.items = self.backend.removal.list_deleted()
        except ObserveError as exc:
            self._say(exc.sentence())
            self.items = []
        self.table.setRowCount(len(self.items))
        for row, item in enumerate(self.items):
            when = (f"{local_date(item.deleted_at)} {local_time(item.deleted_at)}"
                    if item.deleted_at else "")
            for col, value in enumerate((when, kind_name(item.table), item.label)):
                cell = QTableWidgetItem(value)
                cell.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                self.table.setItem(row, col, cell)
        if self.items:
            self.table.selectRow(0)
        self.restore_button.setEnabled(bool(self.items))

    def _say(self, text: str) -> None:
        self.problem_label.setText(text)
        self.problem_label.setVisible(bool(text))

    def restore_selected(self) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.items):
            return
        item = self.items[row]
        self.restore_button.setEnabled(False)  # once: it runs on a worker
        removal = self.backend.removal
        run_in_background(lambda: removal.restore_deleted(item.table, item.row_id),
                          self._on_restored, self._on_not_restored, context=self)

    def _on_restored(self, restored: DeletedItem) -> None:
        self._say("")
        self.restored.emit(restored)
        self.reload()

    def _on_not_restored(self, exc: BaseException) -> None:
        if not isinstance(exc, ObserveError):
            raise exc
        self._say(exc.sentence())  # its cycle is deleted too, say: restore that first
        self.restore_button.setEnabled(bool(self.items))
