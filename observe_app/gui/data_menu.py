"""The window's Data menu (back up now, restore from a backup) and its read-only banner.

The menu asks the questions (which file, are you sure) and emits what was decided; the
composition root (app.py) does the work with the same storage code as the command line.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QObject, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSizePolicy,
    QToolBar,
)


class WrappingLabel(QLabel):
    """A label as tall as its words need at the width it has: a toolbar sizes its widgets by
    their size hint, and a word-wrapped QLabel's hint guesses a narrow width (too tall)."""

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        width = max(self.width(), self.minimumWidth())
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(self.minimumWidth(), self.heightForWidth(max(self.width(), 1)))

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        super().resizeEvent(event)
        self.updateGeometry()  # a new width may need another number of lines


class DataMenu(QObject):
    """`backup_requested(path)` and `restore_requested(path)` after the user has chosen."""

    backup_requested = Signal(str)
    restore_requested = Signal(str)

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.backup_folder: Path | None = None
        self.menu = menu = window.menuBar().addMenu(self.tr("&Data"))  # Send/Receive join it
        self.backup_action = menu.addAction(self.tr("Back up now…"))
        self.restore_action = menu.addAction(self.tr("Restore from backup…"))
        menu.addSeparator()
        self.deleted_action = menu.addAction(self.tr("Deleted items…"))
        self.deleted_action.triggered.connect(self._on_deleted_action_triggered)
        self.student_names_action = menu.addAction(self.tr("Student &names…"))
        self.student_names_action.triggered.connect(self._on_student_names_action_triggered)
        self.backup_action.triggered.connect(self._on_backup_action_triggered)
        self.restore_action.triggered.connect(self._on_restore_action_triggered)
        self.set_enabled(False)  # until the database is open
        self.banner: QToolBar | None = None
        # Tests replace these questions.
        self.ask_backup_path = self._ask_backup_path
        self.ask_restore_path = self._ask_restore_path
        self.confirm_restore = self._confirm_restore

    def set_enabled(self, enabled: bool, *, can_back_up: bool | None = None) -> None:
        self.backup_action.setEnabled(enabled if can_back_up is None else can_back_up)
        self.restore_action.setEnabled(enabled)
        self.deleted_action.setEnabled(enabled)
        self.student_names_action.setEnabled(enabled)

    # -- back up -------------------------------------------------------------------------------

    def _ask_backup_path(self) -> str:
        name = f"observe-backup-{dt.date.today().isoformat()}.db"
        path, _ = QFileDialog.getSaveFileName(
            self.window, self.tr("Back up now"), str(Path.home() / name),
            self.tr("Observe backups (*.db)"))
        return path

    def _on_backup_action_triggered(self) -> None:
        path = self.ask_backup_path()
        if path:
            self.backup_requested.emit(path)

    # -- restore -------------------------------------------------------------------------------

    def _ask_restore_path(self) -> str:
        start = str(self.backup_folder) if self.backup_folder else str(Path.home())
        path, _ = QFileDialog.getOpenFileName(
            self.window, self.tr("Restore from backup"), start,
            self.tr("Observe backups (*.db);;All files (*)"))
        return path

    def _confirm_restore(self, path: str) -> bool:
        answer = QMessageBox.question(
            self.window, self.tr("Restore from backup"),
            self.tr("Replace the database with the backup {name}?\n\nEverything saved since "
                    "that backup was taken is replaced. The database as it is now is kept "
                    "as a backup first, so this can be undone by restoring that one.")
            .format(name=Path(path).name))
        return answer == QMessageBox.StandardButton.Yes

    def _on_restore_action_triggered(self) -> None:
        if getattr(self.window, "live_view", None) is not None:
            QMessageBox.information(self.window, self.tr("Restore from backup"), self.tr(
                "End the observation first: a restore replaces the notes it is saving."))
            return
        path = self.ask_restore_path()
        if path and self.confirm_restore(path):
            self.restore_requested.emit(path)

    # -- deleted items -------------------------------------------------------------------------

    def _on_deleted_action_triggered(self) -> None:
        backend = getattr(self.window, "backend", None)
        if backend is None:
            return
        from observe_app.gui.removal import DeletedItemsDialog

        dialog = DeletedItemsDialog(backend, self.window)
        undo = getattr(self.window, "undo_offer", None)
        if undo is not None:  # restored here: the status bar's Undo has nothing left to do
            dialog.restored.connect(undo.forget)
        dialog.exec()
        dialog.deleteLater()

    # -- student names -------------------------------------------------------------------------

    def _on_student_names_action_triggered(self) -> None:
        backend = getattr(self.window, "backend", None)
        if backend is None:
            return
        from observe_app.gui.redaction_dialogs import ClassListsDialog

        dialog = ClassListsDialog(backend, self.window)
        dialog.exec()
        dialog.deleteLater()

    # -- read-only -----------------------------------------------------------------------------

    def set_read_only(self, message: str | None) -> None:
        """Show (message) or hide (None) a banner across the window's top."""
        if message is None:
            if self.banner is not None:
                self.banner.hide()
            return
        if self.banner is None:
            self.banner = QToolBar(self.window)
            self.banner.setObjectName("readOnlyBanner")
            self.banner.setMovable(False)
            self.banner.setFloatable(False)
            self.banner.toggleViewAction().setVisible(False)
            self.banner_label = WrappingLabel(self.banner)
            self.banner_label.setObjectName("readOnlyText")
            self.banner_label.setSizePolicy(QSizePolicy.Policy.Expanding,
                                            QSizePolicy.Policy.Preferred)
            self.banner_label.setContentsMargins(12, 6, 12, 6)
            # The reason and the way out are a sentence or two: on a small screen they wrap
            # rather than run off the window's edge.
            self.banner_label.setWordWrap(True)
            self.banner_label.setMinimumWidth(200)
            self.banner.addWidget(self.banner_label)
            self.window.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.banner)
        self.banner_label.setText(message)
        self.banner.show()
