"""The event loop's own latency: how long the window was frozen while a test worked."""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer


class Heartbeat:
    """Beats every 5 ms on the event loop; `longest_gap_ms()` is the longest freeze seen."""

    def __init__(self) -> None:
        self.beats: list[float] = []
        self.timer = QTimer()
        self.timer.setInterval(5)
        self.timer.timeout.connect(lambda: self.beats.append(time.perf_counter()))

    def __enter__(self) -> Heartbeat:
        self.beats.clear()
        self.timer.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.timer.stop()

    def longest_gap_ms(self) -> float:
        gaps = [b - a for a, b in zip(self.beats, self.beats[1:], strict=False)]
        return max(gaps, default=float("inf")) * 1000


def freeze_ms(qtbot, action, window_ms: int = 300) -> float:  # type: ignore[no-untyped-def]
    """How long `action`, run from the event loop as a key press is, froze the window: the
    longest gap between beats around it, less the longest gap in an idle window of the same
    length just before (what a busy machine's scheduler costs anyway; a lock waited on for
    seconds still shows in full)."""
    with Heartbeat() as idle:
        qtbot.wait(window_ms)
    with Heartbeat() as heart:
        qtbot.wait(60)
        QTimer.singleShot(0, action)
        qtbot.wait(window_ms)
    return max(0.0, heart.longest_gap_ms() - idle.longest_gap_ms())
