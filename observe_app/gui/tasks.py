"""The one way the window runs slow work: on a QThreadPool, results posted back to the GUI thread.

    run_in_background(lambda: backend.export_cycle(cid, path),
                      on_done=self._on_export_succeeded, on_failed=self._on_export_failed,
                      context=self)

`work` runs on a worker thread and must not touch widgets. Exactly one of `on_done(result)` or
`on_failed(exc)` runs later on the GUI thread, through a queued signal; if `context` (a widget)
has been deleted by then, neither is called. Without `on_failed`, an unexpected exception goes
to sys.excepthook (the crash dialog), so nothing fails silently.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from shiboken6 import isValid

from observe_app.logging_setup import HIDE_TEXT

log = logging.getLogger(__name__)

_running: set[Task] = set()  # keeps each task (and its signals) alive until it reports


class _Relay(QObject):
    """Emits from the worker; its connections to the receiver are queued."""

    succeeded = Signal(object)
    failed = Signal(object)


class _Receiver(QObject):
    """Made on the GUI thread, so queued calls to its slots run there."""

    def __init__(self, finish: Callable[[bool, Any], None]) -> None:
        super().__init__()
        self._finish = finish

    @Slot(object)
    def on_succeeded(self, value: Any) -> None:
        self._finish(True, value)

    @Slot(object)
    def on_failed(self, exc: Any) -> None:
        self._finish(False, exc)


class Task(QRunnable):
    """One piece of work handed to the pool."""

    def __init__(self, work: Callable[[], Any]) -> None:
        super().__init__()
        self.setAutoDelete(False)  # _running drops the reference once the result has arrived
        self.work = work
        self.relay = _Relay()
        self.receiver: _Receiver | None = None
        self.done = False

    def run(self) -> None:  # on the worker thread
        try:
            result = self.work()
        except BaseException as exc:  # noqa: BLE001 - every failure goes back to the GUI
            # Its words may name a teacher (a PDF's path) or quote a note: types and frames only.
            log.info("background task failed: %s", type(exc).__name__, exc_info=exc,
                     extra=HIDE_TEXT)
            self.relay.failed.emit(exc)
        else:
            self.relay.succeeded.emit(result)


def _report(exc: BaseException) -> None:
    sys.excepthook(type(exc), exc, exc.__traceback__)


def run_in_background(work: Callable[[], Any],
                      on_done: Callable[[Any], None] | None = None,
                      on_failed: Callable[[BaseException], None] | None = None,
                      context: QObject | None = None,
                      pool: QThreadPool | None = None) -> Task:
    """Start `work` on the pool; see the module's docstring for what comes back, and where."""
    task = Task(work)

    def finish(ok: bool, value: Any) -> None:
        task.done = True
        _running.discard(task)
        if context is not None and not isValid(context):
            return
        callback = on_done if ok else (on_failed or _report)
        if callback is not None:
            callback(value)

    task.receiver = _Receiver(finish)
    queued = Qt.ConnectionType.QueuedConnection
    task.relay.succeeded.connect(task.receiver.on_succeeded, queued)
    task.relay.failed.connect(task.receiver.on_failed, queued)
    _running.add(task)
    (pool or QThreadPool.globalInstance()).start(task)
    return task


def busy() -> bool:
    """True while any background task has not reported yet (tests wait on this)."""
    return bool(_running)
