"""The one way the window runs slow work: on a QThreadPool, results posted back to the GUI thread.

    run_in_background(lambda: backup_now(folder, "startup"), on_done, on_failed)

`work` runs on a worker thread and must not touch widgets; `on_done(result)` or
`on_failed(exc)` run later on the GUI thread. Without `on_failed`, an unexpected exception
goes to sys.excepthook (the crash dialog), so nothing fails silently.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from shiboken6 import isValid

_running: set[Task] = set()  # keeps each task (and its signals) alive until it reports


class _Signals(QObject):
    succeeded = Signal(object)
    failed = Signal(object)


class Task(QRunnable):
    """One piece of work; its signals live in the GUI thread, so slots run there."""

    def __init__(self, work: Callable[[], Any]) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.work = work
        self.signals = _Signals()
        self.done = False

    def run(self) -> None:
        try:
            result = self.work()
        except BaseException as exc:  # reported on the GUI thread, never lost
            self.signals.failed.emit(exc)
        else:
            self.signals.succeeded.emit(result)


def _report(exc: BaseException) -> None:
    sys.excepthook(type(exc), exc, exc.__traceback__)


def run_in_background(work: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
                      on_failed: Callable[[BaseException], None] | None = None,
                      context: QObject | None = None) -> Task:
    """Run `work` on the pool; if `context` (a widget) is gone by then, nobody is called."""
    task = Task(work)

    def finish(callback: Callable[[Any], None] | None, value: Any) -> None:
        task.done = True
        _running.discard(task)
        if context is not None and not isValid(context):
            return
        if callback is not None:
            callback(value)

    task.signals.succeeded.connect(lambda result: finish(on_done, result))
    task.signals.failed.connect(lambda exc: finish(on_failed or _report, exc))
    _running.add(task)
    QThreadPool.globalInstance().start(task)
    return task


def busy() -> bool:
    """True while any background task has not reported yet (tests wait on this)."""
    return bool(_running)
