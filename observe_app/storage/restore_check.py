"""Can this file be restored? The checks an import makes, before the data folder changes.

In order, cheapest first: the file itself (a regular file, not empty, SQLite's magic bytes, a
whole number of pages, UTF-8); its schema revision (`alembic_version`); its schema, which must
equal what the app's migrations make at that revision (`schema_check`); SQLite's integrity and
foreign-key checks; and every value, as the app will read it (`values`). The candidate is
opened `immutable`: reading it never writes a byte, not even a -wal or -shm beside it.

`prepare_staged` then works on the copy staged inside the data folder: it brings it to the
current schema, rebuilds its search index and checks it again, so the file that replaces the
live database is one this version of Observe has made and checked.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

from observe_app.errors import (
    BadInputError,
    DatabaseLockedError,
    DiskFullError,
    ObserveError,
    ReadOnlyError,
    StorageError,
)
from observe_app.storage import schema_check
from observe_app.storage.backup import check_problems
from observe_app.storage.pragmas import SQLITE_MAGIC

log = logging.getLogger(__name__)

HEADER_BYTES = 100
UTF8 = 1  # the header's text encoding: 1 UTF-8, 2 UTF-16le, 3 UTF-16be
# Files that passed every check, by their SHA-256: the command line checks a backup before it
# takes the data folder's lock, `restore_from` checks it again, then checks its staged copy;
# the same bytes are read through once.
_validated: dict[tuple[str, frozenset[str]], str] = {}
_memo_lock = threading.Lock()


def refusal(shown: Path, problem: str) -> BadInputError:
    return BadInputError(f"{shown} cannot be restored: {problem}; the database in use was not "
                         "changed. Choose another backup")


@contextlib.contextmanager
def open_frozen(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection that only reads and never writes beside the file (`immutable=1`)."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        conn.execute("PRAGMA trusted_schema=OFF")  # nothing in the file's schema runs our code
        conn.execute("PRAGMA cell_size_check=ON")
        yield conn
    finally:
        conn.close()


def check_file(path: Path, shown: Path) -> None:
    """What can be told without SQLite, in microseconds: is this a database file at all?"""
    if not path.exists():
        raise BadInputError(f"{shown}: no such file; the database in use was not changed")
    if path.is_dir():
        raise refusal(shown, "it is a folder, not a backup file")
    if not path.is_file():
        raise refusal(shown, "it is not a regular file")
    size = path.stat().st_size
    if size == 0:
        raise refusal(shown, "it is empty (0 bytes)")
    try:
        with path.open("rb") as fh:
            header = fh.read(HEADER_BYTES)
    except OSError as exc:
        raise refusal(shown, f"it cannot be read ({exc.strerror})") from None
    if len(header) < HEADER_BYTES or not header.startswith(SQLITE_MAGIC):
        raise refusal(shown, "it is not an Observe backup (not an SQLite database)")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        raise refusal(shown, "it is damaged (its header names no valid page size)")
    if size % page_size:
        raise refusal(shown, f"it is damaged: cut short or padded ({size} bytes is not a whole "
                             f"number of its {page_size}-byte pages)")
    pages = int.from_bytes(header[28:32], "big")
    counted = header[24:28] == header[92:96]  # else SQLite ignores the page count
    if counted and pages and pages != size // page_size:
        raise refusal(shown, f"it is damaged: its header counts {pages} pages but the file "
                             f"holds {size // page_size}")
    encoding = int.from_bytes(header[56:60], "big")
    if encoding not in (0, UTF8):
        raise refusal(shown, "it keeps its text as UTF-16, which Observe never writes")


def _revision(conn: sqlite3.Connection, shown: Path, known: set[str]) -> str:
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if "alembic_version" not in tables:
        raise refusal(shown, "it is an SQLite database but not an Observe backup")
    rows = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    if len(rows) != 1:
        raise refusal(shown, f"its schema version table holds {len(rows)} rows instead of one")
    revision = rows[0][0]
    if not isinstance(revision, str) or not revision.isascii() or not revision.isalnum():
        raise refusal(shown, "its schema version is not one Observe ever wrote")
    if revision not in known:
        raise BadInputError(f"{shown} was made by a newer version of Observe (schema "
                            f"{revision[:40]}); install that version to restore it; the "
                            "database in use was not changed")
    return revision


def integrity_problem(conn: sqlite3.Connection) -> str | None:
    problems = check_problems(conn, "integrity_check")
    if problems:
        return f"it is damaged ({problems[0]})"
    broken = conn.execute("PRAGMA foreign_key_check").fetchone()
    if broken:
        return f"row {broken[1]} of {broken[0]} points at a missing row of {broken[2]}"
    return None


def check_backup(path: Path, known: set[str], shown: Path | None = None) -> str:
    """Refuse, with one sentence naming the first problem, anything this version of Observe
    cannot use; returns the file's schema revision. `shown` is the name used in messages."""
    from observe_app.storage import value_check

    shown = shown or path
    check_file(path, shown)
    key = (_digest(path, shown), frozenset(known))
    with _memo_lock:
        if key in _validated:  # these very bytes passed every check a moment ago
            return _validated[key]
    try:
        with open_frozen(path) as conn:
            revision = _revision(conn, shown, known)
            reference = schema_check.reference_schema(revision)
            problem = (schema_check.schema_problem(schema_check.read_schema(conn), reference,
                                                   revision)
                       or integrity_problem(conn)
                       or value_check.value_problem(conn, reference))
    except (sqlite3.Error, UnicodeDecodeError) as exc:  # SQLite's message may quote broken bytes
        raise refusal(shown, f"it is damaged or not an Observe backup ({_short(exc)})") from None
    if problem:
        raise refusal(shown, problem)
    if _digest(path, shown) != key[0]:
        raise refusal(shown, "it changed while it was being checked; try again when no other "
                             "program is writing to it")
    with _memo_lock:
        if len(_validated) > 16:
            _validated.clear()
        _validated[key] = revision
    return revision


def _digest(path: Path, shown: Path) -> str:
    try:
        with path.open("rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()
    except OSError as exc:
        raise refusal(shown, f"it cannot be read ({exc.strerror})") from None


def _short(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:120]


def prepare_staged(staged: Path, shown: Path, known: set[str]) -> None:
    """Check the staged copy (the very bytes that will be swapped in), bring it to the current
    schema, rebuild its search index and check it again. Works on the copy only."""
    from observe_app.storage.migrate import HEAD

    revision = check_backup(staged, known, shown)
    try:
        if revision != HEAD:
            _migrate(staged)
        _rebuild_search(staged)
        with open_frozen(staged) as conn:
            problem = (schema_check.schema_problem(schema_check.read_schema(conn),
                                                   schema_check.reference_schema(HEAD), HEAD)
                       or integrity_problem(conn))
    except ObserveError:
        raise
    except (sqlite3.Error, OSError) as exc:
        from observe_app.storage.faults import translate

        fault = translate(exc, what=None)
        if isinstance(fault, (DiskFullError, ReadOnlyError, DatabaseLockedError)) or (
                fault is None and not isinstance(exc, sqlite3.Error)):
            raise StorageError(f"could not prepare {shown} for restoring ({fault or exc}); the "
                               "database in use was not changed") from exc
        log.warning("staged copy refused: %s", type(exc).__name__)
        raise refusal(shown, f"it could not be brought up to this version of Observe "
                             f"({_short(exc)})") from None
    except Exception as exc:  # a migration that cannot run on this copy: the copy is dropped
        log.warning("staged copy could not be migrated: %s", type(exc).__name__)
        raise refusal(shown, f"it could not be brought up to this version of Observe "
                             f"({_short(exc)})") from None
    if problem:
        raise refusal(shown, f"after bringing it up to date, {problem}")


def _migrate(staged: Path) -> None:
    from alembic import command

    from observe_app.storage.engine import Database
    from observe_app.storage.migrate import run_migrations

    with schema_check.MIGRATION_LOCK:
        db = Database(staged)
        try:
            run_migrations(db, command.upgrade, "head")
        finally:
            db.close()


def _rebuild_search(staged: Path) -> None:
    """The search index is rebuilt from the notes themselves, never taken from the backup, and
    every note is then marked as indexed; SQLite's statistics tables are dropped."""
    conn = sqlite3.connect(staged, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=DELETE")  # one file again, whatever the migration left
        conn.execute("BEGIN IMMEDIATE")
        for stats in sorted(schema_check.SQLITE_STATS):
            conn.execute(f"DROP TABLE IF EXISTS {stats}")
        conn.execute("UPDATE notes SET search_indexed = 1 WHERE search_indexed = 0")
        for fts in schema_check.SEARCH_INDEXES:
            conn.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")
        conn.execute("COMMIT")
        for fts in schema_check.SEARCH_INDEXES:  # reads only, but FTS5 takes it as a write
            conn.execute(f"INSERT INTO {fts}({fts}) VALUES ('integrity-check')")
    finally:
        conn.close()
