"""A form of several fields that saves itself: after a pause, on leaving, before closing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from observe_app.errors import BadInputError, ObserveError

DELAY_MS = 800  # as AutoSavedText: a pause in typing, not every keystroke
RETRY_MS = 3000


class FormAutoSaver(QObject):
    """Calls `save()` a moment after `touch()` (any field changed) and on `flush()`.

    A save the database refuses (locked, disk full) keeps the form marked unsaved, reports
    the problem once through `failed`, and is tried again every few seconds until it
    succeeds; the window asks before closing while anything is unsaved. A refused value
    (BadInputError) is not retried, since only a change can help: it waits for the next edit.
    """

    saved = Signal()
    failed = Signal(str)

    def __init__(self, save: Callable[[], object], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._save = save
        self._dirty = False
        self._failing = False
        self.error: ObserveError | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DELAY_MS)
        self._timer.timeout.connect(self.flush)

    @property
    def unsaved(self) -> bool:
        return self._dirty

    def touch(self, *_args: Any) -> None:
        """Something was typed or chosen: save after a pause (the arguments of any signal)."""
        self._dirty = True
        self._timer.start(DELAY_MS)

    def mark_saved(self) -> None:
        """The fields were just filled from the database: nothing to save."""
        self._timer.stop()
        self._dirty = self._failing = False
        self.error = None

    def flush(self) -> None:
        if not self._dirty:
            return
        self._timer.stop()
        try:
            self._save()
        except ObserveError as exc:
            self.error = exc
            if not isinstance(exc, BadInputError):
                self._timer.start(RETRY_MS)
            if not self._failing:
                self._failing = True
                self.failed.emit(str(exc))
            return
        self.mark_saved()
        self.saved.emit()
