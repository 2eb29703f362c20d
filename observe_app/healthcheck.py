"""`observe-app --healthcheck`: prove an installation works end to end on a throwaway data folder.

Migrates a new database, writes a note with a tag and reads it back, searches for it, renders a
PDF feedback summary, and (when Qt can start) builds the main window offscreen. Used on the
packaged bundle in CI, where a missing module or data file shows up as a failed step.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

NOTE = "Healthcheck: Mäkelä asks «Γιατί;» and waits — học sinh answer"


def _steps(folder: Path, window_check: Callable[[Path], str] | None):  # type: ignore[no-untyped-def]
    from observe_app.storage.migrate import HEAD
    from observe_app.storage.opening import open_database

    db = open_database(folder)
    yield f"database created and migrated to schema {HEAD} (WAL, synchronous=FULL)"
    from observe_app.services import cycles, notes, observations, people, protocols, search

    with db.transaction() as s:
        installed = protocols.install_builtins(s)
        teacher = people.add_person(s, "Aino Mäkelä")
        observer = people.add_person(s, "Νίκος Παπαδόπουλος")
        version = protocols.get_version(
            s, protocols.find_protocol(s, "new-teacher-growth").latest_version_id)
        cycle = cycles.plan_cycle(s, teacher_id=teacher.id, observer_id=observer.id,
                                  protocol_version_id=version.id, focus="Open questions")
        visit = observations.start_observation(s, cycle.id, subject="Maths")
    yield f"{len(installed)} built-in protocols validated and installed"  # a new database
    began = dt.datetime.now(dt.UTC)
    tag = version.items[0].id
    with db.transaction() as s:
        saved = notes.add_note(s, visit.id, NOTE, wall_time=began, elapsed_ms=61_000,
                               item_ids=[tag])
    with db.transaction() as s:
        [back] = notes.list_notes(s, visit.id)
        found = search.search(s, "hoc sinh")
    if back != saved or back.text != NOTE or back.item_ids != (tag,):
        raise RuntimeError("the note read back differs from the note written")
    if [h.ref_id for h in found] != [saved.id]:
        raise RuntimeError("full-text search did not find the note")
    yield "note written, read back whole with its tag, and found by full-text search"
    from observe_app import reports

    result = reports.export_cycle(db, cycle.id, folder / "summary.pdf")
    head = result.path.read_bytes()[:5]
    if head != b"%PDF-" or result.pages < 1:
        raise RuntimeError("the PDF summary is not a PDF")
    yield f"PDF feedback summary rendered ({result.pages} pages, fonts embedded)"
    from pypdf import PdfReader

    locked = reports.export_cycle(db, cycle.id, folder / "locked.pdf", password="healthcheck")
    reader = PdfReader(locked.path)
    if not reader.is_encrypted or not reader.decrypt("healthcheck") or not reader.pages:
        raise RuntimeError("the password-protected PDF does not open with its password")
    yield "password-protected PDF written (AES-256) and opened with its password"
    db.close()
    if window_check is not None:
        yield window_check(folder)


def run(print_line: Callable[[str], None] = print,
        window_check: Callable[[Path], str] | None = None) -> int:
    """Run every step on a temporary data folder; 0 if all passed."""
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="observe-healthcheck-") as tmp:
        try:
            for line in _steps(Path(tmp), window_check):
                print_line(f"ok   {line}")
        except Exception as exc:  # noqa: BLE001  (a healthcheck reports whatever went wrong)
            print_line(f"FAIL {type(exc).__name__}: {exc}")
            return 1
    print_line(f"healthy ({time.perf_counter() - started:.1f} s)")
    return 0
