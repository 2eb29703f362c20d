"""The window's one way to the data: typed calls to the services, and a signal of what changed.

Each call runs in a transaction of its own; a write then emits `changed` with the kinds of data
it changed, so every page showing them refreshes itself (no page reloads another by hand).
Service modules are imported on first use, so the window can paint before SQLAlchemy loads.
Every call goes through `storage.faults`: disk full, a read-only folder or a database locked
by another program arrive in every view as a StorageError whose message says what to do.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, Signal

from observe_app.domain.changes import Changes, Data
from observe_app.gui.service_calls import (
    CalendarCalls,
    CalibrationCalls,
    CoObservationCalls,
    CyclesCalls,
    ExchangeCalls,
    GoalsCalls,
    GrowthCalls,
    HistoryCalls,
    NotesCalls,
    ObservationsCalls,
    ParticipationCalls,
    PeopleCalls,
    ProtocolBuilderCalls,
    ProtocolsCalls,
    RatingsCalls,
    RedactionCalls,
    RemovalCalls,
    ResponsesCalls,
    RoundsCalls,
    SchoolCalls,
    SearchCalls,
)

if TYPE_CHECKING:
    from observe_app.reports.export import ExportResult
    from observe_app.reports.options import PdfOptions
    from observe_app.reports.school_csv import CsvResult
    from observe_app.reports.school_pdf import ReviewResult
    from observe_app.services.redaction import Redactor, Replacement
    from observe_app.services.school import SchoolPicture
    from observe_app.storage.engine import Database

T = TypeVar("T")

# How long a live write waits for another program's lock: well under what a person notices,
# far over what our own brief writes (a backup, a checkpoint) hold it for.
LIVE_LOCK_WAIT_MS = 10
# How long any other save from the window waits: a held lock is said in a quarter of a second
# (the text stays where it was typed), instead of the window freezing for the engine's 5 s.
WINDOW_LOCK_WAIT_MS = 250


class Clock:
    """The real clock: a monotonic one for elapsed lesson time, a wall one for the record."""

    def monotonic_ms(self) -> int:
        return time.monotonic_ns() // 1_000_000

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)


class Backend(QObject):
    """The database and the clock the views work with; `backend.notes.add_note(...)` commits.

    `changed` (a Changes) follows every successful write, on the GUI thread.
    """

    changed = Signal(object)

    def __init__(self, database: Database, clock: Clock | None = None, *,
                 lock_wait_ms: int | None = None, announce_to: Backend | None = None) -> None:
        super().__init__()
        self.database = database
        self.clock = clock or Clock()
        self.lock_wait_ms = lock_wait_ms
        self._announce_to = announce_to
        self.people = PeopleCalls(self)
        self.protocols = ProtocolsCalls(self)
        self.protocol_builder = ProtocolBuilderCalls(self)
        self.cycles = CyclesCalls(self)
        self.co_observation = CoObservationCalls(self)  # co-observers, visits handed in
        self.calibration = CalibrationCalls(self)  # how far the observers of a lesson agree
        self.exchange = ExchangeCalls(self)
        self.observations = ObservationsCalls(self)
        self.notes = NotesCalls(self)
        self.responses = ResponsesCalls(self)
        self.participation = ParticipationCalls(self)  # seats and who spoke from them
        self.ratings = RatingsCalls(self)
        self.goals = GoalsCalls(self)
        self.growth = GrowthCalls(self)
        self.search = SearchCalls(self)
        self.school = SchoolCalls(self)  # the School page: coverage, patterns, impact
        self.history = HistoryCalls(self)  # values replaced by packages, and putting them back
        self.removal = RemovalCalls(self)
        self.rounds = RoundsCalls(self)  # a round of peer observations
        self.calendar = CalendarCalls(self)  # visits and conferences as an .ics file
        self.redaction = RedactionCalls(self)  # class lists: student names an export replaces

    @property
    def read_only(self) -> bool:
        return bool(getattr(self.database, "read_only", False))

    def impatient(self, lock_wait_ms: int = LIVE_LOCK_WAIT_MS) -> Backend:
        """The same data, but a write waits at most `lock_wait_ms` for a lock another program
        holds, then fails as locked: for the live visit, where nothing may freeze the window
        (what fails waits in its queue of pending writes). Its changes are announced here."""
        return Backend(self.database, self.clock, lock_wait_ms=lock_wait_ms, announce_to=self)

    def announce(self, changed: Data) -> None:
        """Tell every page that `changed` data changed (after a write, or a restore)."""
        if self._announce_to is not None:
            self._announce_to.announce(changed)
        elif changed:
            self.changed.emit(Changes(changed))

    def run(
        self, function: Callable[..., T], /, *args: Any, what: str | None = None, **kwargs: Any
    ) -> T:
        """Call `function(session, ...)` in one transaction; known faults become StorageErrors."""
        from observe_app.errors import ReadOnlyError
        from observe_app.storage import faults

        try:
            wait = {} if self.lock_wait_ms is None else {"lock_wait_ms": self.lock_wait_ms}
            with faults.storage_faults(what), self.database.transaction(**wait) as session:
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

    def export_cycle(self, cycle_id: str, path: str, *, options: PdfOptions | None = None,
                     password: str | None = None, redactor: Redactor | None = None
                     ) -> ExportResult:
        """Write a cycle's PDF summary (safe on a worker thread: it opens its own session),
        on the chosen paper, encrypted when there is a password, with student names replaced
        when there is a redactor."""
        from observe_app import reports

        return reports.export_cycle(self.database, cycle_id, path, options=options,
                                    password=password, redactor=redactor)

    def preview_pdf_redaction(self, cycle_id: str, redactor: Redactor, *,
                              options: PdfOptions | None = None) -> list[Replacement]:
        """What the cycle's PDF would have replaced (on a worker: it reads the whole cycle)."""
        from observe_app.reports.export import preview_redaction

        return preview_redaction(self.database, cycle_id, redactor, options=options)

    def export_lesson_calibration(self, cycle_id: str, path: str) -> ExportResult:
        """Write the calibration PDF of a co-observed lesson (safe on a worker thread)."""
        from observe_app.reports import calibration_pdf

        return calibration_pdf.export_lesson(self.database, cycle_id, path)

    def export_observer_calibration(self, observer_id: str, path: str) -> ExportResult:
        """Write one observer's calibration over time (safe on a worker thread)."""
        from observe_app.reports import calibration_pdf

        return calibration_pdf.export_observer(self.database, observer_id, path)

    def export_school_review(self, picture: SchoolPicture, path: str) -> ReviewResult:
        """Write the PLC data review PDF of a picture read before (safe on a worker)."""
        from observe_app.reports import school_pdf

        return school_pdf.export_review(self.database, picture, path)

    def export_school_csv(self, picture: SchoolPicture, path: str) -> CsvResult:
        """Write the picture's anonymised aggregates as CSV (safe on a worker)."""
        from observe_app.reports import school_csv

        return school_csv.export_csv(self.database, picture, path)

    def pdf_file_name(self, cycle_id: str) -> str:
        from observe_app import reports

        return reports.file_name(self.cycles.get_summary(cycle_id))
