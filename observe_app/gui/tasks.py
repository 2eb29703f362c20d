"""Slow work off the GUI thread: run a function on a QThreadPool, get the result back on the GUI.

    run_in_background(lambda: backend.export_cycle(cid, path),
                      on_success=self._on_export_succeeded, on_failure=self._on_export_failed,
                      owner=self)

The function runs on a worker thread and must not touch widgets. Success or failure is posted
to the GUI thread through a queued signal; if `owner` has been deleted by then, nothing is
called. Tasks still running are kept alive here until they finish.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

_running: set[Task] = set()


class _Relay(QObject):
    """Lives on the GUI thread; its signals cross back from the worker queued."""

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
    def __init__(self, function: Callable[[], Any]) -> None:
        super().__init__()
        self.setAutoDelete(False)  # we drop our reference once the result has arrived
        self.function = function
        self.relay = _Relay()
        self.receiver: _Receiver | None = None

    def run(self) -> None:  # on the worker thread
        try:
            result = self.function()
        except BaseException as exc:  # noqa: BLE001 - every failure goes back to the GUI
            log.info("background task failed: %s", exc, exc_info=exc)
            self.relay.failed.emit(exc)
        else:
            self.relay.succeeded.emit(result)


def run_in_background(function: Callable[[], Any], *,
                      on_success: Callable[[Any], None],
                      on_failure: Callable[[BaseException], None],
                      owner: QObject | None = None,
                      pool: QThreadPool | None = None) -> Task:
    """Start `function` on the pool; exactly one of the callbacks runs later on the GUI thread."""
    task = Task(function)
    _running.add(task)
    alive = [True]
    if owner is not None:
        owner.destroyed.connect(lambda *_: alive.__setitem__(0, False))

    def finish(ok: bool, value: Any) -> None:
        _running.discard(task)
        if alive[0]:
            (on_success if ok else on_failure)(value)

    task.receiver = _Receiver(finish)
    queued = Qt.ConnectionType.QueuedConnection
    task.relay.succeeded.connect(task.receiver.on_succeeded, queued)
    task.relay.failed.connect(task.receiver.on_failed, queued)
    (pool or QThreadPool.globalInstance()).start(task)
    return task
