"""The SQLite engine with the pragmas that keep notes safe, and the session factory."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Engine
from sqlalchemy.orm import Session, sessionmaker

from observe_app.storage.paths import create_private_file, secure_data_folder, sqlite_uri
from observe_app.storage.pragmas import BUSY_TIMEOUT_MS, WAL_AUTOCHECKPOINT_PAGES

__all__ = ["BUSY_TIMEOUT_MS", "WAL_AUTOCHECKPOINT_PAGES", "Database", "make_engine"]


def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any, read_only: bool) -> None:
    cursor = dbapi_connection.cursor()
    try:
        if not read_only:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA wal_autocheckpoint={WAL_AUTOCHECKPOINT_PAGES}")
        cursor.execute("PRAGMA foreign_keys=ON")
        # FULL: a note that was acknowledged survives a power cut, even in WAL mode.
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    finally:
        cursor.close()


SQLITE_READONLY = 8


def make_engine(path: Path, *, read_only: bool = False, immutable: bool = False) -> Engine:
    """`immutable` (read-only only): read without locks, -wal or -shm files, for a folder that
    cannot be written (or a full disk) where no write-ahead log holds anything to read."""
    # URL.create, not a URL string: a string's path is percent-decoded, so a folder named with
    # `#` or `%41` would open another file.
    if read_only:
        flags = {"mode": "ro", "immutable": "1"} if immutable else {"mode": "ro"}
        url = URL.create("sqlite", database=sqlite_uri(path), query=flags | {"uri": "true"})
    else:
        url = URL.create("sqlite", database=str(path))
    # hide_parameters: an error's text (which may reach a log or a dialog) never carries the
    # values bound to the statement, i.e. never a teacher's note text.
    engine = create_engine(url, hide_parameters=True)
    event.listen(engine, "connect",
                 lambda conn, rec: _on_connect(conn, rec, read_only))
    return engine


def _make_private(path: Path) -> None:
    """Create a new database file owner-only before SQLite opens it (SQLite would use the
    umask, 0644 on most systems; its -wal and -shm files copy the database's mode), and
    tighten an existing data folder's files (see storage.paths)."""
    try:
        create_private_file(path)
    except OSError:
        return  # a missing or unwritable folder: SQLite says so in its own words on connect
    secure_data_folder(path)


def _refuse_writes(engine: Engine, refusal: Callable[[], Exception]) -> None:
    """A write to this read-only engine raises `refusal()` (why nothing can be saved)."""

    def on_error(context: Any) -> None:
        error = context.original_exception
        code = getattr(error, "sqlite_errorcode", None)
        if isinstance(error, sqlite3.Error) and (
                (code is not None and code & 0xFF == SQLITE_READONLY)
                or (code is None and "readonly" in str(error).lower())):
            raise refusal() from error

    event.listen(engine, "handle_error", on_error)


class Database:
    """An open Observe database: its file, its engine and a session factory.

    A read-only one may carry a `refusal`: the error a write raises, saying why nothing can be
    saved (a read-only folder, a full disk) instead of SQLite's "readonly database".
    """

    def __init__(self, path: Path, *, read_only: bool = False, immutable: bool = False,
                 refusal: Callable[[], Exception] | None = None) -> None:
        self.path = path
        self.read_only = read_only
        if not read_only:
            _make_private(path)
        self.refusal = refusal if read_only else None
        self.engine = make_engine(path, read_only=read_only, immutable=immutable)
        if self.refusal is not None:
            _refuse_writes(self.engine, self.refusal)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def session(self) -> Session:
        return self._sessions()

    @contextlib.contextmanager
    def transaction(self, *, lock_wait_ms: int | None = None) -> Iterator[Session]:
        """A session whose work is committed on leaving the block, or rolled back on error.

        `lock_wait_ms`: how long a write waits for a lock another program holds before it
        fails as locked (the engine's own wait is BUSY_TIMEOUT_MS); what runs on the window's
        thread waits only a moment, so a held lock never freezes the window.
        """
        with self._sessions() as session, session.begin():
            if lock_wait_ms is None:
                yield session
                return
            raw = session.connection().connection.dbapi_connection
            assert raw is not None
            raw.execute(f"PRAGMA busy_timeout={int(lock_wait_ms)}")
            try:
                yield session
                session.flush()  # the writes meet the lock here, not in a later COMMIT
            finally:
                # Back to the engine's wait before the connection goes back to the pool.
                raw.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")

    def checkpoint(self) -> None:
        """Copy the write-ahead log back into the database now, without blocking writers."""
        if not self.read_only:
            with self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
