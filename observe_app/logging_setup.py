"""The log file: rotating, in the data folder, owner-only, and never holding what a teacher wrote.

Rule for every module: log ids, counts and error kinds, never note text, feedback, reflections,
people's names or emails, nor the path of an exported file (a PDF is named after the teacher).
An exception whose words may carry such text is logged with `extra=HIDE_TEXT`: its traceback
keeps the frames and the exception types, not the messages. As further guards, the engine
hides the values bound to SQL statements (`hide_parameters`), this formatter cuts any
SQLAlchemy parameter list that still reaches a record, and it hides the file names an OSError
carries (`[Errno 28] ...: '<file>'`).

The CLI calls `setup_logging(data_dir)`; the window does the same at start-up and offers
`log_file(data_dir)` in its crash dialog.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
import sys
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType
from typing import cast

from observe_app.storage.paths import LOG_FOLDER, private_dir, private_opener, tighten

LOG_NAME = "observe.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 3
_MARK = "_observe_handler"
# `log.error("...", exc_info=exc, extra=HIDE_TEXT)`: the exception's messages stay out.
HIDE_TEXT = {"hide_text": True}

_PARAMETERS = re.compile(r"\[parameters: .*?(?=\n\(Background on this error|\Z)", re.DOTALL)


def scrub(text: str) -> str:
    """Remove SQL parameter lists (which may hold note text) from a log line or traceback."""
    return _PARAMETERS.sub("[parameters hidden]", text)


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever sys.stderr is now (tests and the window may replace it)."""

    @property  # type: ignore[override]
    def stream(self):  # type: ignore[no-untyped-def]
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:  # type: ignore[no-untyped-def]
        pass


class _QuietFileHandler(RotatingFileHandler):
    """The log file; a record it cannot write (a full disk, a folder made read-only) is dropped
    without a word: logging's default would print a traceback on stderr, before the one
    `error:` line the command line promises (or over the window's terminal)."""

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 (logging's name)
        # Drop the stream with whatever it could not write; the next record opens the file
        # afresh, so the log goes on once there is room again.
        stream, self.stream = self.stream, None  # type: ignore[assignment]
        if stream is not None:
            with contextlib.suppress(OSError, ValueError):
                stream.close()

    def close(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            super().close()


def _chain(value: BaseException) -> list[BaseException]:
    """The exception and those it was raised from or during, outermost last."""
    chain: list[BaseException] = []
    seen: set[int] = set()
    current: BaseException | None = value
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append(current)
        current = current.__cause__ or (None if current.__suppress_context__
                                        else current.__context__)
    return chain[::-1]


def _message(exc: BaseException, hide_text: bool) -> str:
    if hide_text:
        return "(message hidden)"
    text = str(exc)
    if isinstance(exc, OSError):
        for name in (exc.filename, exc.filename2):
            if name:
                text = text.replace(repr(name), "'<file>'").replace(str(name), "<file>")
    return text


def exception_text(value: BaseException, tb: TracebackType | None, *,
                   hide_text: bool = False) -> str:
    """A traceback like Python's, with file names (and, if asked, messages) left out."""
    parts = []
    chain = _chain(value)
    for exc, after in zip(chain, [*chain[1:], None], strict=True):
        frames = tb if exc is value else exc.__traceback__
        if frames is not None:
            parts.append("Traceback (most recent call last):\n")
            parts.extend(traceback.format_tb(frames))
        kind = type(exc).__qualname__
        if type(exc).__module__ != "builtins":
            kind = f"{type(exc).__module__}.{kind}"
        parts.append(f"{kind}: {_message(exc, hide_text)}\n")
        if after is not None:
            parts.append("\nThe above exception was the direct cause of the following "
                         "exception:\n\n" if after.__cause__ is exc else
                         "\nDuring handling of the above exception, another exception "
                         "occurred:\n\n")
    return "".join(parts).rstrip("\n")


class ScrubbingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        # Our own exception text each time, not a cached one another handler may have made.
        saved = record.exc_text
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = exception_text(record.exc_info[1], record.exc_info[2],
                                             hide_text=getattr(record, "hide_text", False))
        try:
            return scrub(super().format(record))
        finally:
            record.exc_text = saved


class _PrivateFileHandler(_QuietFileHandler):
    """A rotating log whose files are readable by their owner only."""

    def _open(self) -> io.TextIOWrapper:  # the type logging.FileHandler._open declares
        # A text mode held in a variable: typeshed can only say IO[Any].
        return cast(io.TextIOWrapper, open(  # noqa: SIM115
            self.baseFilename, self.mode, encoding=self.encoding, errors=self.errors,
            opener=private_opener))


def log_file(data_dir: Path) -> Path:
    return data_dir / LOG_FOLDER / LOG_NAME


def setup_logging(data_dir: Path | None, *, level: int = logging.INFO,
                  stderr_level: int = logging.ERROR) -> Path | None:
    """Log to a rotating file in the data folder (if it can be written) and errors to stderr.

    Calling it again replaces the handlers it added before. Returns the log file, or None when
    the data folder cannot hold one (then there is no file log: records are not moved to
    stderr, which keeps its errors only).
    """
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, _MARK, False)]:
        root.removeHandler(handler)
        handler.close()
    formatter = ScrubbingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    stderr = _StderrHandler()
    stderr.setLevel(stderr_level)
    stderr.setFormatter(ScrubbingFormatter("%(levelname)s %(name)s: %(message)s"))
    setattr(stderr, _MARK, True)
    root.addHandler(stderr)
    root.setLevel(min(level, stderr_level))
    if data_dir is None:
        return None
    path = log_file(data_dir)
    try:
        private_dir(data_dir)
        private_dir(path.parent)
        for old in path.parent.glob(LOG_NAME + "*"):  # written by a version before 0600 logs
            tighten(old)
        handler = _PrivateFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT,
                                      encoding="utf-8")
    except OSError:
        return None
    handler.setLevel(level)
    handler.setFormatter(formatter)
    setattr(handler, _MARK, True)
    root.addHandler(handler)
    return path
