"""The calibration PDF from the window: one lesson (the Calibration tab) or one observer over
time (their calibration dialog). Asked where to save, written on a worker thread."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton, QWidget

from observe_app.errors import ObserveError
from observe_app.gui.settings import EXPORT_FOLDER, WindowSettings
from observe_app.gui.tasks import Task, run_in_background

if TYPE_CHECKING:
    from observe_app.gui.backend import Backend
    from observe_app.reports.export import ExportResult


def pdf_path_in_last_folder(settings: WindowSettings, choose: Callable[[str], str],
                            name: str) -> str:
    """Ask where to save a PDF, starting in the folder of the last export, and remember the
    folder chosen; '' when the person cancels. The name always ends in .pdf."""
    folder = settings.get(EXPORT_FOLDER) or str(Path.home())
    path = choose(str(Path(folder) / name))
    if not path:
        return ""
    if not path.lower().endswith(".pdf"):
        path += ".pdf"
    settings.set(EXPORT_FOLDER, str(Path(path).parent))
    settings.sync()
    return path


def why_not_written(asker: QObject, exc: BaseException) -> str:
    """Why a PDF was not written, and what to do (any export's failure)."""
    if isinstance(exc, ObserveError):
        return exc.sentence()
    if isinstance(exc, OSError):
        return asker.tr("The PDF could not be written ({reason}). Choose another folder, or "
                        "free some space, and export again.").format(
            reason=exc.strerror or type(exc).__name__)
    return asker.tr("Observe could not write the PDF ({error}). The details are in the log "
                    "file in the data folder.").format(error=type(exc).__name__)


class CalibrationExport(QObject):
    """A button's export: `write(path)` is the backend call; `said` shows what happened."""

    def __init__(self, backend: Backend, button: QPushButton, suggested_name: str,
                 write: Callable[[str], ExportResult], said: Callable[[str], None],
                 parent: QWidget) -> None:
        super().__init__(parent)
        self.backend, self.button, self.parent_widget = backend, button, parent
        self.suggested_name, self.write, self.said = suggested_name, write, said
        self.task: Task | None = None
        button.clicked.connect(self.export)

    def choose_path(self, suggested: str) -> str:
        """Ask where to save (tests replace this); '' when the person cancels."""
        path, _filter = QFileDialog.getSaveFileName(
            self.parent_widget, self.tr("Export the calibration"), suggested,
            self.tr("PDF (*.pdf)"))
        return path

    def export(self) -> None:
        if self.task is not None:
            return
        path = pdf_path_in_last_folder(WindowSettings(self.backend.database.path.parent),
                                       self.choose_path, self.suggested_name)
        if not path:
            return
        self.button.setEnabled(False)
        self.said(self.tr("Writing the calibration PDF…"))
        write = self.write
        self.task = run_in_background(lambda: write(path), on_done=self._done,
                                      on_failed=self._failed, context=self)

    def _done(self, result: ExportResult) -> None:
        self.task = None
        self.button.setEnabled(True)
        self.said(self.tr("Saved {path} ({pages} pages).").format(path=result.path,
                                                                  pages=result.pages))

    def _failed(self, exc: BaseException) -> None:
        self.task = None
        self.button.setEnabled(True)
        self.said("")
        self.warn(self.tr("The PDF was not saved"), why_not_written(self, exc))

    def warn(self, title: str, text: str) -> None:
        """Tell the person what went wrong (tests replace this)."""
        QMessageBox.warning(self.parent_widget, title, text)
