"""The SQLite engine with the pragmas that keep notes safe, and the session factory."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from observe_app.storage.paths import create_private_file, secure_data_folder

BUSY_TIMEOUT_MS = 5000
# Pages the write-ahead log may hold before a commit copies them back into the database
# (SQLite's default is 1000). A checkpoint makes that one commit several times slower, so
# with 4000 a whole lesson's notes are saved without one; Database.checkpoint() runs it at
# quiet moments instead (an observation ends, the window closes).
WAL_AUTOCHECKPOINT_PAGES = 4000


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


def make_engine(path: Path, *, read_only: bool = False) -> Engine:
    if read_only:
        url = f"sqlite:///file:{path.as_posix()}?mode=ro&uri=true"
    else:
        url = f"sqlite:///{path.as_posix()}"
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


class Database:
    """An open Observe database: its file, its engine and a session factory."""

    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        if not read_only:
            _make_private(path)
        self.engine = make_engine(path, read_only=read_only)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def session(self) -> Session:
        return self._sessions()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed on leaving the block, or rolled back on error."""
        with self._sessions() as session, session.begin():
            yield session

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
