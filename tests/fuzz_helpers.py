"""What the fuzz tests share: a deadline per case, and the stored bytes of a data folder."""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

DEADLINE_S = 10.0


@contextmanager
def deadline(seconds: float, name: str) -> Iterator[None]:
    """A case that runs longer than `seconds` fails as a hang (main thread: a timer signal)."""
    if threading.current_thread() is not threading.main_thread():
        started = time.monotonic()
        yield
        assert time.monotonic() - started < seconds, f"{name} took too long"
        return

    def hang(_signum: int, _frame: Any) -> None:
        raise TimeoutError(f"{name} ran past {seconds} s")

    previous = signal.signal(signal.SIGALRM, hang)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def stored_bytes(data: Path) -> bytes:
    """The database and its WAL as they are on disk: a refusal must leave them so."""
    return b"".join(p.read_bytes() if p.exists() else b"-"
                    for p in (data / "observe.db", data / "observe.db-wal"))
