"""Export cycles to PDF files: one cycle to a file, or many into a folder with readable names."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import logging
import os
import secrets
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from sqlalchemy.orm import Session

from observe_app.errors import BadInputError, NotFoundError
from observe_app.logging_setup import HIDE_TEXT
from observe_app.reports.data import CycleReport, load_report, local
from observe_app.reports.document import render
from observe_app.reports.options import PdfOptions
from observe_app.reports.redact import redacted, report_texts
from observe_app.services import cycles, people
from observe_app.services.cycles import CycleSummary
from observe_app.services.redaction import Redactor, Replacement, preview
from observe_app.storage.engine import Database
from observe_app.storage.paths import database_of, refuse_own_file, safe_file_stem

log = logging.getLogger(__name__)

Progress = Callable[[int, int, "ExportResult"], None]
MAX_NAME_BYTES = 200  # most file systems allow 255 bytes; leave room for " (2).pdf"


@dataclass(frozen=True)
class ExportResult:
    cycle_id: str
    path: Path
    pages: int


@dataclass(frozen=True)
class ExportFailure:
    """A cycle whose summary could not be written; the others of a batch still are."""

    cycle_id: str
    path: Path
    reason: str


Failed = Callable[[ExportFailure], None]


@contextlib.contextmanager
def session_of(source: Database | Session) -> Iterator[Session]:
    """A session of `source`: its own transaction for a Database, else the caller's."""
    if isinstance(source, Database):
        with source.transaction() as session:
            yield session
    else:
        yield source


def file_name(summary: CycleSummary, tz: dt.tzinfo | None = None) -> str:
    """'2026-02-11 Aino Mäkelä - New-teacher growth rubric.pdf', safe on every file system:
    no control, bidi or zero-width characters and no separators (storage.paths)."""
    stem = f"{local(summary.date, tz):%Y-%m-%d} {summary.teacher_name} - {summary.protocol_name}"
    return f"{safe_file_stem(stem, MAX_NAME_BYTES) or summary.id}.pdf"


def _unwritable(folder: Path, exc: OSError) -> BadInputError:
    reason = exc.strerror or exc.__class__.__name__
    return BadInputError(f"cannot write to {folder} ({reason}); choose another folder")


def protect(pdf: bytes, password: str) -> bytes:
    """The PDF encrypted with AES-256 (PDF 2.0, revision 6): it opens only with `password`.

    pypdf, not ReportLab: ReportLab's own encryption is RC4 or AES-128, and its 256-bit mode
    is not one that qpdf and poppler open. The owner password is random and thrown away:
    nobody can lift the restrictions without the user password, and there are none to lift.
    """
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    writer.encrypt(user_password=password, owner_password=secrets.token_urlsafe(24),
                   algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _write(report: CycleReport, path: Path, tz: dt.tzinfo | None, options: PdfOptions,
           password: str | None = None) -> int:
    """With a password, the PDF is encrypted before it reaches the disk."""

    def draw(handle: BinaryIO) -> int:
        if not password:
            return render(report, handle, tz, options)
        plain = io.BytesIO()
        pages = render(report, plain, tz, options)
        handle.write(protect(plain.getvalue(), password))
        return pages

    return write_atomically(path, draw)


def write_atomically(path: Path, draw: Callable[[BinaryIO], int]) -> int:
    """Have `draw` write a PDF next to `path` and move it into place: no half-written PDF is
    left behind. Returns what `draw` returns (the number of pages)."""
    folder = path.parent
    if not folder.is_dir():
        raise BadInputError(f"folder {folder} does not exist; create it or choose another")
    try:
        # mkstemp makes the file readable by its owner only, which the PDF keeps: a feedback
        # summary is confidential, and is shared on purpose, not by a folder's permissions.
        fd, temp = tempfile.mkstemp(dir=folder, prefix=".observe-", suffix=".pdf.part")
    except OSError as exc:
        raise _unwritable(folder, exc) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            pages = draw(handle)
        os.replace(temp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise BadInputError(f"cannot write {path} ({exc.strerror or exc}); "
                            "check the folder and the free space") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    return pages


def export_cycle(source: Database | Session, cycle_id: str, path: Path | str, *,
                 tz: dt.tzinfo | None = None, options: PdfOptions | None = None,
                 password: str | None = None,
                 redactor: Redactor | None = None) -> ExportResult:
    """Write one cycle's feedback summary to `path` (a file, or a folder to name it in).

    `options` are the paper, where the evidence log goes (A4, appendix by default) and
    whether seat labels are shown (not by default);
    a `password` encrypts the file (AES-256) and is neither logged nor kept; a `redactor`
    replaces its student names in every free text ("Student A"; labels start afresh in
    each PDF).

    Reads the cycle in a short transaction and renders outside it, so a worker thread
    does not hold the database while ReportLab works. Raises NotFoundError for an unknown
    cycle and BadInputError for a folder that is missing or cannot be written.
    """
    target = Path(path).expanduser()
    options = options or PdfOptions()
    with session_of(source) as session:
        report = load_report(session, cycle_id, seat_labels=options.seat_labels)
    if redactor:
        report = redacted(report, redactor.fresh())
    if target.is_dir():
        target = target / file_name(report.summary, tz)
    refuse_own_file(database_of(source), target, "PDF")
    pages = _write(report, target, tz, options, password)
    # Not the path: a summary is named after the teacher, and the log holds no names.
    log.info("exported cycle %s (%d pages, %s, evidence %s%s%s%s)", cycle_id, pages,
             options.page_size.value, options.evidence.value,
             ", with seat labels" if options.seat_labels else "",
             ", with a password" if password else "",
             ", student names replaced" if redactor else "")
    return ExportResult(cycle_id, target, pages)


def preview_redaction(source: Database | Session, cycle_id: str, redactor: Redactor, *,
                      options: PdfOptions | None = None) -> list[Replacement]:
    """What the cycle's PDF with these options would have replaced: each name found, its
    label and how often (the labels are the ones the PDF will carry)."""
    options = options or PdfOptions()
    with session_of(source) as session:
        report = load_report(session, cycle_id, seat_labels=options.seat_labels)
    return preview(redactor, report_texts(report))


def cycles_to_export(source: Database | Session, *, teacher_id: str | None = None
                     ) -> list[CycleSummary]:
    """Every cycle (or one teacher's), oldest first; an unknown teacher is a NotFoundError."""
    with session_of(source) as session:
        if teacher_id is not None:
            try:
                people.get_person(session, teacher_id)
            except NotFoundError:
                raise NotFoundError(f"no teacher with id {teacher_id!r}; `observe-app people "
                                    "list` shows them") from None
        return cycles.list_cycles(session, teacher_id=teacher_id)


def prepare_folder(folder: Path) -> Path:
    """Make sure the output folder exists and can be written, before any work is done."""
    folder = folder.expanduser()
    if folder.exists() and not folder.is_dir():
        raise BadInputError(f"{folder} is a file, not a folder; choose a folder for the PDFs")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise _unwritable(folder, exc) from None
    return folder


def export_cycles(source: Database | Session, summaries: Sequence[CycleSummary],
                  folder: Path | str, *, tz: dt.tzinfo | None = None,
                  options: PdfOptions | None = None, password: str | None = None,
                  redactor: Redactor | None = None, progress: Progress | None = None,
                  failed: Failed | None = None) -> list[ExportResult]:
    """Write a summary per cycle into `folder`; names that would clash get ' (2)', ' (3)'.

    Each cycle is exported on its own: one that fails (a layout ReportLab cannot do, a
    cycle deleted meanwhile) is passed to `failed` and logged, and the others are written.
    Without `failed`, the first failure is raised after the remaining cycles are written.
    A folder that cannot be written stops the batch at once.
    """
    refuse_own_file(database_of(source), Path(folder), "PDFs")
    out = prepare_folder(Path(folder))
    taken: set[str] = set()
    results = []
    first_error: Exception | None = None
    for n, summary in enumerate(summaries, start=1):
        name = file_name(summary, tz)
        stem, k = name[:-4], 2
        while name.casefold() in taken:
            name, k = f"{stem} ({k}).pdf", k + 1
        taken.add(name.casefold())
        try:
            result = export_cycle(source, summary.id, out / name, tz=tz, options=options,
                                  password=password, redactor=redactor)
        except BadInputError:
            raise  # the folder: every later cycle would fail the same way
        except Exception as exc:  # one cycle's failure must not cost the batch
            # A layout error quotes the paragraph it could not place: a note, a name.
            log.error("could not export cycle %s: %s", summary.id, type(exc).__name__,
                      exc_info=exc, extra=HIDE_TEXT)
            failure = ExportFailure(summary.id, out / name, f"{type(exc).__name__}: {exc}")
            if failed is None:
                first_error = first_error or exc
            else:
                failed(failure)
            continue
        results.append(result)
        if progress is not None:
            progress(n, len(summaries), result)
    if first_error is not None:
        raise first_error
    return results
