"""Reads off the GUI thread: a query runs on a worker with its own session, and its answer is
posted back; a newer query of the same kind makes an older answer stale, and it is dropped.

    self.rows_query = LatestOnly(self)
    self.rows_query.run(lambda: backend.cycles.list_cycles(), self._show_rows)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject

from observe_app.errors import ObserveError
from observe_app.gui.tasks import run_in_background

T = TypeVar("T")


class LatestOnly(Generic[T]):
    """One kind of query for one widget (`context`): only the newest answer is shown."""

    def __init__(self, context: QObject) -> None:
        self._context = context
        self._asked = 0  # queries started
        self._answered = 0  # the newest query whose answer (or failure) has arrived

    @property
    def running(self) -> bool:
        """A query is out whose answer would still be shown."""
        return self._answered < self._asked

    def run(self, read: Callable[[], T], on_done: Callable[[T], None],
            on_failed: Callable[[ObserveError], None] | None = None) -> None:
        """`read` on a worker (it must not touch widgets); `on_done(answer)` on the GUI
        thread, unless a newer query was started meanwhile. A known fault goes to
        `on_failed`; anything else to the crash dialog, as everywhere."""
        self._asked += 1
        number = self._asked

        def done(answer: Any) -> None:
            if number == self._asked:
                self._answered = number
                on_done(answer)

        def failed(exc: BaseException) -> None:
            if not isinstance(exc, ObserveError):
                raise exc  # a bug: to the crash dialog, stale or not
            if number != self._asked:
                return
            self._answered = number
            if on_failed is None:
                raise exc
            on_failed(exc)

        run_in_background(read, done, failed, context=self._context)
