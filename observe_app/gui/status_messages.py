"""The status bar's messages, queued by importance so that none is overwritten before it is read.

A routine message ("Backup written") shows at once when nothing more important is on screen, and
otherwise waits. An important one ("Observation ended") stays at least `hold_ms` before anything
replaces it. An error stays until it has been on screen `hold_ms` *and* the user has pressed a
key or a mouse button since it appeared: what matters stays until it has been seen.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QStatusBar


class Priority(enum.IntEnum):
    ROUTINE = 0  # progress and confirmations nobody must act on
    IMPORTANT = 1  # the outcome of what the user just did
    ERROR = 2  # something went wrong: it stays until the user acts


@dataclass
class _Message:
    text: str
    priority: Priority
    timeout_ms: int  # how long it stays once shown; 0: until something replaces it


class StatusMessages(QObject):
    """One queue in front of a QStatusBar; every status message in the window goes through it."""

    hold_ms = 4000  # the least time an important message or an error is on screen
    user_events = (QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress)

    def __init__(self, bar: QStatusBar) -> None:
        super().__init__(bar)
        self.bar = bar
        self.current: _Message | None = None
        self.queue: list[_Message] = []
        self._seen = True  # an error on screen has been followed by a user action
        self._watching = False
        self._hold = QTimer(self)
        self._hold.setSingleShot(True)
        self._hold.timeout.connect(self._advance)
        self._expire = QTimer(self)
        self._expire.setSingleShot(True)
        self._expire.timeout.connect(self._advance)

    def show(self, text: str, priority: Priority = Priority.ROUTINE, timeout_ms: int = 0) -> None:
        """Show `text` now if what is on screen may be replaced, otherwise when it may."""
        message = _Message(text, priority, timeout_ms)
        if self.current is None or self._replaceable():
            self._display(message)
            return
        if priority is Priority.ROUTINE:  # an older routine message waiting is out of date
            self.queue = [m for m in self.queue if m.priority is not Priority.ROUTINE]
        if priority is Priority.ERROR and self.current.priority is not Priority.ERROR:
            self.queue.insert(0, self.current)  # an error comes first; this one shows after it
            self._display(message)
            return
        self.queue.append(message)
        self.queue.sort(key=lambda m: -m.priority)  # stable: first come, first shown

    def text(self) -> str:
        """What the status bar shows now."""
        return self.bar.currentMessage()

    # -- internals -------------------------------------------------------------------------

    def _held_long_enough(self) -> bool:
        return not self._hold.isActive()

    def _replaceable(self) -> bool:
        current = self.current
        if current is None or current.priority is Priority.ROUTINE:
            return True
        if not self._held_long_enough():
            return False
        return current.priority is not Priority.ERROR or self._seen

    def _display(self, message: _Message) -> None:
        self.current = message
        self.bar.showMessage(message.text)  # timed here, so the queue knows when it ends
        self._expire.stop()
        if message.timeout_ms > 0:
            self._expire.start(max(message.timeout_ms, self._min_ms(message)))
        self._hold.stop()
        if message.priority is not Priority.ROUTINE:
            self._hold.start(self.hold_ms)
        self._seen = message.priority is not Priority.ERROR
        if not self._seen:
            self._start_watching()

    def _min_ms(self, message: _Message) -> int:
        return 0 if message.priority is Priority.ROUTINE else self.hold_ms

    def _next(self) -> None:
        self._display(self.queue.pop(0))

    def _advance(self) -> None:
        """Called when a hold, a timeout or the user's action ends: move on if allowed."""
        if not self._replaceable():
            return
        if self.queue:
            self._next()
            return
        current = self.current
        if current is None:
            return
        error_seen = current.priority is Priority.ERROR and current.timeout_ms == 0
        timed_out = current.timeout_ms > 0 and not self._expire.isActive()
        if error_seen or timed_out:
            self.current = None
            self.bar.clearMessage()

    def _on_seen(self) -> None:
        self._seen = True
        self._stop_watching()
        self._advance()

    def _start_watching(self) -> None:
        app = QApplication.instance()
        if app is not None and not self._watching:
            app.installEventFilter(self)
            self._watching = True

    def _stop_watching(self) -> None:
        app = QApplication.instance()
        if app is not None and self._watching:
            app.removeEventFilter(self)
            self._watching = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in self.user_events and not self._seen:
            QTimer.singleShot(0, self, self._on_seen)  # after the event, not inside it
        return False
