"""What the window is given to reach data: services called in their own transaction, and a clock.

Service modules are imported on first use, so the window can paint before SQLAlchemy loads.
Every call goes through `storage.faults`: disk full, a read-only folder or a database locked
by another program arrive in every view as a StorageError whose message says what to do.
"""

from __future__ import annotations

import datetime as dt
import importlib
import time
from collections.abc import Callable
from typing import Any


class Clock:
    """The real clock: a monotonic one for elapsed lesson time, a wall one for the record."""

    def monotonic_ms(self) -> int:
        return time.monotonic_ns() // 1_000_000

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)


class _ServiceModule:
    """A service module whose functions each run in a transaction of their own."""

    def __init__(self, backend: Backend, name: str) -> None:
        self._backend = backend
        self._name = name

    def __getattr__(self, function: str) -> Callable[..., Any]:
        module = importlib.import_module(f"observe_app.services.{self._name}")
        target = getattr(module, function)

        what = "your note" if self._name == "notes" else None

        def call(*args: Any, **kwargs: Any) -> Any:
            return self._backend.run(target, *args, what=what, **kwargs)

        call.__name__ = function
        return call


class Backend:
    """The database and the clock the views work with; `backend.notes.add_note(...)` commits."""

    SERVICES = ("people", "protocols", "cycles", "observations", "notes", "responses",
                "ratings", "goals", "growth", "search")

    def __init__(self, database: Any, clock: Clock | None = None) -> None:
        self.database = database
        self.clock = clock or Clock()

    @property
    def read_only(self) -> bool:
        return bool(getattr(self.database, "read_only", False))

    def run(self, function: Callable[..., Any], *args: Any, what: str | None = None,
            **kwargs: Any) -> Any:
        """Call `function(session, ...)` in one transaction; known faults become StorageErrors."""
        from observe_app.errors import ReadOnlyError
        from observe_app.storage import faults

        try:
            with faults.storage_faults(what), self.database.transaction() as session:
                return function(session, *args, **kwargs)
        except ReadOnlyError as exc:
            # Opened read-only on purpose for a damaged database (a database that cannot be
            # written, or on a full disk, refuses with its own reason).
            if self.read_only and getattr(self.database, "refusal", None) is None:
                raise ReadOnlyError(
                    "this database is open read-only, so nothing can be saved; copy what you "
                    "need, then restore a backup (Data ▸ Restore from backup…) and reopen"
                ) from exc
            raise

    def probe_write(self) -> None:
        """Raise the fault that would stop a save right now (waits at most a moment)."""
        from observe_app.storage import faults

        faults.probe_write(self.database)

    def export_cycle(self, cycle_id: str, path: str) -> Any:
        """Write a cycle's PDF summary (safe on a worker thread: it opens its own session)."""
        from observe_app import reports

        return reports.export_cycle(self.database, cycle_id, path)

    def pdf_file_name(self, cycle_id: str) -> str:
        from observe_app import reports

        return reports.file_name(self.cycles.get_summary(cycle_id))

    def __getattr__(self, name: str) -> _ServiceModule:
        if name in self.SERVICES:
            return _ServiceModule(self, name)
        raise AttributeError(name)
