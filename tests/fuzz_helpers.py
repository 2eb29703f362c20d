"""What the fuzz tests share: a deadline per case, the stored bytes of a data folder, and the
loop that hands each case to the app and sorts what comes back."""

from __future__ import annotations

import shutil
import signal
import sys
import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from observe_app.errors import ObserveError
from observe_app.storage.engine import Database
from observe_app.storage.opening import open_database

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


def run_shard(cases: list[tuple[str, bytes]], template: Path, work: Path, *, fresh_every: int,
              store: Callable[[Database, Path, str], Any],
              check: Callable[[Session, Any], None],
              refusal: Callable[[ObserveError, str], str],
              ) -> tuple[Counter[str], list[str], Database]:
    """Each case written to a file and handed to `store(db, path, name)`: either a refusal
    (an ObserveError, whose `refusal(exc, name)` category is counted, with the stored bytes
    unchanged) or a result that `check(session, result)` finds whole. Tracebacks and hangs
    are collected, not raised, so one shard reports them all. A fresh copy of `template`
    every `fresh_every` cases keeps the byte comparisons cheap. Returns the tally, the
    failures and the last database, still open."""
    files = work / "files"
    files.mkdir()
    tally: Counter[str] = Counter()
    failures: list[str] = []
    db: Database | None = None
    folder = work
    for n, (name, data) in enumerate(cases):
        if db is None or n % fresh_every == 0:
            if db is not None:
                db.close()
            folder = Path(shutil.copytree(template, work / f"data-{n}"))
            db = open_database(folder)
        path = files / name
        path.write_bytes(data)
        before = stored_bytes(folder)
        try:
            with deadline(DEADLINE_S, name):
                try:
                    result = store(db, path, name)
                except ObserveError as exc:
                    tally[refusal(exc, name)] += 1
                    assert stored_bytes(folder) == before, f"{name}: refused, yet the files changed"
                    continue
                with db.transaction() as s:
                    check(s, result)
                tally["accepted"] += 1
                with db.engine.connect() as conn:  # keep the WAL small for the next compare
                    conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        except Exception:  # a traceback or a hang: collect them all, then fail
            failures.append(f"{name}:\n{traceback.format_exc(limit=6)}")
    assert db is not None
    return tally, failures, db


def report(what: str, shard: int, cases: int, tally: Counter[str], failures: list[str]) -> None:
    print(f"\n{what} fuzz shard {shard}: {cases} files, "
          + ", ".join(f"{k}: {v}" for k, v in tally.most_common()), file=sys.stderr)
    assert not failures, f"{len(failures)} of {cases} failed:\n" + "\n".join(failures[:5])
