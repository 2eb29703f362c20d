"""The School page's exports: the PLC data review (PDF) and its anonymised figures (CSV), of
the picture on screen. Asked where to save, written on a worker thread."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton, QWidget

from observe_app.errors import ObserveError
from observe_app.gui import shortcuts
from observe_app.gui.settings import EXPORT_FOLDER, WindowSettings
from observe_app.gui.tasks import Task, run_in_background

if TYPE_CHECKING:
    from observe_app.gui.backend import Backend
    from observe_app.services.school import SchoolPicture

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')  # characters no file system takes everywhere


def file_name(picture: SchoolPicture, extension: str) -> str:
    """'PLC data review, Spring term 2025–26, Maths.pdf' (the whole school is not named)."""
    parts = ["PLC data review", picture.period.name]
    if picture.scope.name != "Whole school":
        parts.append(picture.scope.name)
    return _UNSAFE.sub(" ", ", ".join(parts)).strip() + extension


class SchoolExports(QObject):
    """Two buttons; `said(text)` tells the status bar what was written."""

    said = Signal(str)

    def __init__(self, page: QWidget, picture: Callable[[], SchoolPicture | None]) -> None:
        super().__init__(page)
        self.page = page
        self.picture = picture  # the picture on screen, or None before the first one
        self.backend: Backend | None = None
        self.task: Task | None = None
        self.pdf_button = QPushButton(self.tr("Export PLC review (PDF)…  {key}").format(
            key=shortcuts.EXPORT_SCHOOL_REVIEW.label()), page)
        self.pdf_button.setToolTip(self.tr(
            "The figures shown, anonymised, with how to read them and a page for the team's "
            "questions and next steps: no teacher, class or room is named"))
        self.pdf_button.clicked.connect(self.export_pdf)
        shortcuts.bind(shortcuts.EXPORT_SCHOOL_REVIEW, page, self.export_pdf)
        self.csv_button = QPushButton(self.tr("Export CSV…"), page)
        self.csv_button.setToolTip(self.tr(
            "The anonymised figures shown, one row each, for a spreadsheet"))
        self.csv_button.clicked.connect(self.export_csv)
        self.set_ready(False)

    def set_ready(self, ready: bool) -> None:
        """Exports wait for a picture on screen, and for the export under way."""
        for button in (self.pdf_button, self.csv_button):
            button.setEnabled(ready and self.task is None)

    def choose_path(self, title: str, suggested: str, kind: str) -> str:
        """Ask where to save (tests replace this); '' when the person cancels."""
        path, _filter = QFileDialog.getSaveFileName(self.page, title, suggested, kind)
        return path

    def export_pdf(self) -> None:
        self._export(self.tr("Export the PLC data review"), ".pdf", self.tr("PDF (*.pdf)"),
                     self.tr("Writing the PLC data review…"), "export_school_review")

    def export_csv(self) -> None:
        self._export(self.tr("Export the figures as CSV"), ".csv",
                     self.tr("CSV, for a spreadsheet (*.csv)"),
                     self.tr("Writing the figures…"), "export_school_csv")

    def _export(self, title: str, extension: str, kind: str, working: str, call: str) -> None:
        picture = self.picture()
        if self.task is not None or self.backend is None or picture is None:
            return
        settings = WindowSettings(Path(self.backend.database.path).parent)
        folder = settings.get(EXPORT_FOLDER) or str(Path.home())
        path = self.choose_path(title, str(Path(folder) / file_name(picture, extension)), kind)
        if not path:
            return
        if not path.lower().endswith(extension):
            path += extension
        settings.set(EXPORT_FOLDER, str(Path(path).parent))
        settings.sync()
        write = getattr(self.backend, call)
        self.said.emit(working)
        self.task = run_in_background(lambda: write(picture, path), on_done=self._done,
                                      on_failed=self._failed, context=self)
        self.set_ready(False)

    def _done(self, result: Any) -> None:
        self.task = None
        self.set_ready(True)
        pages = getattr(result, "pages", None)
        if pages is not None:
            self.said.emit(self.tr("Saved {path} ({pages} pages).").format(path=result.path,
                                                                           pages=pages))
        else:
            self.said.emit(self.tr("Saved {path} ({rows} rows).").format(path=result.path,
                                                                         rows=result.rows))

    def _failed(self, exc: BaseException) -> None:
        self.task = None
        self.set_ready(True)
        self.said.emit("")
        self.warn(self.tr("Nothing was saved"), self._why(exc))

    def _why(self, exc: BaseException) -> str:
        if isinstance(exc, ObserveError):
            return exc.sentence()
        if isinstance(exc, OSError):
            return self.tr("The file could not be written ({reason}). Choose another folder, "
                           "or free some space, and export again.").format(
                reason=exc.strerror or type(exc).__name__)
        raise exc  # a bug: the crash dialog, as everywhere

    def warn(self, title: str, text: str) -> None:
        """Tell the person what went wrong (tests replace this)."""
        QMessageBox.warning(self.page, title, text)
