"""The log file: rotating, in the data folder, and never holding what a teacher wrote.

Rule for every module: log ids, counts, file names and error kinds, never note text, feedback,
reflections or names typed by a user. As a second guard, the engine hides the values bound to
SQL statements (`hide_parameters`), and this formatter cuts any SQLAlchemy parameter list that
still reaches a record, so an exception's text cannot carry a note into the log.

The CLI calls `setup_logging(data_dir)`; the window does the same at start-up and offers
`log_file(data_dir)` in its crash dialog.
"""

from __future__ import annotations

import contextlib
import logging
import re
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path

LOG_FOLDER = "logs"
LOG_NAME = "observe.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 3
_MARK = "_observe_handler"

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


class ScrubbingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return scrub(super().format(record))


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
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = _QuietFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT,
                                    encoding="utf-8")
    except OSError:
        return None
    handler.setLevel(level)
    handler.setFormatter(formatter)
    setattr(handler, _MARK, True)
    root.addHandler(handler)
    return path
