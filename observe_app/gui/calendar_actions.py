"""Export calendar…: the open cycles' visits and conferences written to an .ics file on a
worker, from the School menu, the round dialog and (later) the School page."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from observe_app.errors import ObserveError
from observe_app.gui.tasks import run_in_background

if TYPE_CHECKING:
    from observe_app.gui.backend import Backend
    from observe_app.services.calendar_export import CalendarSummary


def problem_sentence(exc: BaseException) -> str:
    """A known problem as the window says it; anything else is a bug, for the crash dialog."""
    if isinstance(exc, ObserveError):
        return exc.sentence()
    raise exc  # a bug: to the crash dialog


class CalendarExport(QObject):
    """Writes the calendar on a worker; `done(summary)` or `failed(sentence)` follows."""

    done = Signal(object)
    failed = Signal(str)

    def __init__(self, backend: Backend, parent: QObject) -> None:
        super().__init__(parent)
        self._backend = backend

    def ask_path(self, parent: QWidget) -> str:
        """The file to write ('' when the person cancels); tests replace this question."""
        suggested = Path.home() / f"observe-calendar-{dt.date.today().isoformat()}.ics"
        path, _ = QFileDialog.getSaveFileName(parent, self.tr("Export calendar"),
                                              str(suggested),
                                              self.tr("Calendar files (*.ics)"))
        if path and not path.lower().endswith(".ics"):
            path += ".ics"
        return path

    def start(self, path: str) -> None:
        calendar = self._backend.calendar
        run_in_background(lambda: calendar.export_calendar(Path(path)), self.done.emit,
                          lambda exc: self.failed.emit(problem_sentence(exc)), context=self)


def export_calendar(parent: QWidget, backend: Backend) -> CalendarExport | None:
    """Ask for a file and write the calendar there; a message box says how it went."""
    export = CalendarExport(backend, parent)
    path = export.ask_path(parent)
    if not path:
        export.deleteLater()
        return None

    def tell(title: str, text: str, icon: QMessageBox.Icon) -> None:
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()  # not exec(): the window goes on while it is shown
        export.deleteLater()

    export.done.connect(lambda summary: tell(
        export.tr("Calendar exported"), calendar_words(export, summary),
        QMessageBox.Icon.Information))
    export.failed.connect(lambda sentence: tell(
        export.tr("Calendar not exported"), sentence, QMessageBox.Icon.Warning))
    export.start(path)
    return export


def calendar_words(source: QObject, summary: CalendarSummary) -> str:
    return source.tr("{count} events written to {path} ({new} new, {changed} changed). "
                     "Import the file into a calendar: events exported before are updated, "
                     "not added twice.").format(count=summary.events, path=summary.path,
                                                new=summary.new, changed=summary.changed)
