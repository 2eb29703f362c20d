"""Elapsed lesson time from a monotonic clock, so a changed system clock cannot reorder notes."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from observe_app.gui.backend import Clock


class ElapsedClock:
    """Counts lesson time from `offset_ms`; stands still while paused."""

    def __init__(self, clock: Clock, offset_ms: int = 0, *, paused: bool = False) -> None:
        self._clock = clock
        self._base = offset_ms
        self._since: int | None = None if paused else clock.monotonic_ms()

    @property
    def running(self) -> bool:
        return self._since is not None

    def elapsed_ms(self) -> int:
        if self._since is None:
            return self._base
        return self._base + max(0, self._clock.monotonic_ms() - self._since)

    def pause(self) -> None:
        self._base = self.elapsed_ms()
        self._since = None

    def resume(self) -> None:
        if self._since is None:
            self._since = self._clock.monotonic_ms()
