"""A schema change commits whole or not at all: make each of its steps fail in turn.

For every way a data folder reaches the newest schema (a first start, and an upgrade from each
older revision), each statement of that run that writes (CREATE, DROP, ALTER, INSERT, UPDATE)
and then its COMMIT fails in turn, as a full disk makes it fail, in a run started as a user
starts it (`observe-app check`). Then: one `error:` line, the file exactly as it was (its
bytes, schema and rows), and the next start brings it to the newest schema with every row.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import signal
import sqlite3
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import event
from sqlalchemy.engine import Engine

from observe_app import cli
from observe_app.errors import DiskFullError
from observe_app.storage import backup, migrate
from observe_app.storage.engine import Database
from observe_app.storage.opening import open_database
from observe_app.storage.paths import database_path

WRITES = ("CREATE", "DROP", "ALTER", "INSERT", "UPDATE", "DELETE")
DDL = ("CREATE", "DROP", "ALTER")
OLDER = ("0001", "0002", "0003")


def _fill(db: Database) -> None:
    """A little of everything the migrations touch: notes with tags, evidence, feedback."""
    from observe_app.domain.enums import FeedbackKind, ItemKind
    from observe_app.services import (
        cycles,
        goals,
        notes,
        observations,
        people,
        protocols,
        ratings,
        search,
    )

    with db.transaction() as s:
        protocols.install_builtins(s)
        version = protocols.get_version(
            s, protocols.find_protocol(s, "new-teacher-growth").latest_version_id)
        teacher = people.add_person(s, "Aino Mäkelä")
        observer = people.add_person(s, "Nguyễn Văn An")
        cycle = cycles.plan_cycle(s, teacher_id=teacher.id, observer_id=observer.id,
                                  protocol_version_id=version.id, focus="học sinh questioning")
        obs = observations.start_observation(s, cycle.id, subject="History")
        items = [i.id for i in version.items]
        wall = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
        saved = [notes.add_note(s, obs.id, f"note {n}: học sinh ask why", wall_time=wall,
                                elapsed_ms=1000 * n, item_ids=items[n % 3:n % 3 + 2])
                 for n in range(6)]
        rubric = version.items_of(ItemKind.RUBRIC)[0]
        ratings.rate(s, cycle.id, rubric.id, rubric.levels[0].level)
        ratings.link_evidence(s, cycle.id, rubric.id, saved[0].id)
        cycles.add_feedback(s, cycle.id, FeedbackKind.GLOW, "Wait time after questions")
        goals.set_goal(s, teacher.id, "More think-pair-share", cycle_id=cycle.id)
    with db.transaction() as s:
        search.index_new_notes(s)
    with db.transaction() as s:  # one note saved after indexing: 0004 must keep it findable
        notes.add_note(s, obs.id, "late note about Mäkelä", wall_time=wall, elapsed_ms=9000)


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Data folders holding the same data at head and at each older revision."""
    base = tmp_path_factory.mktemp("atomic")
    out = {migrate.HEAD: base / migrate.HEAD}
    with open_database(out[migrate.HEAD]) as db:
        _fill(db)
    for revision in reversed(OLDER):
        out[revision] = base / revision
        out[revision].mkdir()
        shutil.copy(database_path(out[migrate.HEAD]), database_path(out[revision]))
        with Database(database_path(out[revision])) as db:
            migrate.run_migrations(db, command.downgrade, revision)
    for folder in out.values():  # closed: the log was copied back, one file each
        assert not database_path(folder).with_name("observe.db-wal").exists()
    return out


Snapshot = tuple[list[tuple[Any, ...]], dict[str, list[tuple[Any, ...]]]]


def _snapshot(path: Path) -> Snapshot:
    """Every schema object (type, name, sql) and every row of every real table (but the
    replica id, which each new database draws at random)."""
    with backup.connect(path, read_only=True) as conn:
        master = sorted(conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"),
                        key=repr)
        tables = [name for kind, name, _, sql in master
                  if kind == "table" and not (sql or "").upper().startswith("CREATE VIRTUAL")]
        rows = {t: sorted(conn.execute(f'SELECT * FROM "{t}"'), key=repr) for t in tables}
    if rows.get("sync_replica"):
        rows["sync_replica"] = [(one, "drawn", *rest) for one, _, *rest in rows["sync_replica"]]
    return master, rows


class FailAt:
    """On every engine, counts the statements that write and the COMMITs that follow them;
    the k-th of those fails as a full disk makes it fail."""

    def __init__(self, k: int | None) -> None:
        self.k = k
        self.writes: list[str] = []

    def _count(self, what: str) -> None:
        self.writes.append(what)
        if len(self.writes) == self.k:
            raise sqlite3.OperationalError("database or disk is full")

    def before_execute(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        words = statement.split(None, 1)
        if words and words[0].upper() in WRITES:
            self._count(statement)

    def commit(self, conn: Any) -> None:
        raw = conn.connection.dbapi_connection
        if raw is not None and raw.in_transaction:  # a COMMIT with something to commit
            self._count("COMMIT")

    @contextlib.contextmanager
    def listening(self) -> Iterator[FailAt]:
        event.listen(Engine, "before_cursor_execute", self.before_execute)
        event.listen(Engine, "commit", self.commit)
        try:
            yield self
        finally:
            event.remove(Engine, "before_cursor_execute", self.before_execute)
            event.remove(Engine, "commit", self.commit)


def _start(folder: Path, hook: FailAt, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    with hook.listening():
        code = cli.main(["--data-dir", str(folder), "check"])
    return code, capsys.readouterr().err


def _fresh(folders: dict[str, Path], start: str | None, target: Path) -> Path:
    target.mkdir()
    if start is not None:
        shutil.copy(database_path(folders[start]), database_path(target))
    return target


@dataclass(frozen=True)
class CleanRun:
    writes: list[str]  # the statements that write, then COMMIT: the injection points
    at_head: Snapshot  # the file after the run


@pytest.fixture(scope="module")
def clean_runs(folders: dict[str, Path],
               tmp_path_factory: pytest.TempPathFactory) -> dict[str | None, CleanRun]:
    """Each path run once with nothing failing."""
    base = tmp_path_factory.mktemp("clean")
    out: dict[str | None, CleanRun] = {}
    for start in (None, *OLDER):
        folder = _fresh(folders, start, base / (start or "empty"))
        with FailAt(None).listening() as counted:
            open_database(folder).close()
        out[start] = CleanRun(counted.writes, _snapshot(database_path(folder)))
    return out


@pytest.fixture(scope="module")
def new_empty_file(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A database file as SQLite makes it before any schema: one page, in WAL mode."""
    path = tmp_path_factory.mktemp("empty") / "observe.db"
    db = Database(path)
    db.engine.connect().close()
    db.close()
    return path.read_bytes()


def test_the_injection_points_are_every_statement_that_writes(
        clean_runs: dict[str | None, CleanRun]) -> None:
    """What the failing runs below count on: each path writes DDL, stamps its revision, and
    commits once, at the end."""
    for start, run in clean_runs.items():
        assert sum(w.split(None, 1)[0].upper() in DDL for w in run.writes) >= 3, start
        assert run.writes[-2].startswith("UPDATE alembic_version"), (start, run.writes[-2])
        assert run.writes.count("COMMIT") == 1 and run.writes[-1] == "COMMIT", start
    assert "CREATE TABLE alembic_version" in " ".join(clean_runs[None].writes[0].split())
    # A first start makes the whole schema; each older revision has fewer steps to go.
    sizes = [len(clean_runs[s].writes) for s in (None, *OLDER)]
    assert sizes == sorted(sizes, reverse=True) and sizes[-1] > 0, sizes


@pytest.mark.parametrize("which", ["ends", pytest.param("rest", marks=pytest.mark.slow)])
@pytest.mark.parametrize("start", [None, *OLDER], ids=["first-start", *OLDER])
def test_a_migration_failing_at_any_statement_leaves_the_file_as_it_was(
        start: str | None, which: str, folders: dict[str, Path],
        clean_runs: dict[str | None, CleanRun], new_empty_file: bytes, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    """`ends`: the first, middle and last statement and the COMMIT, each followed by the next
    start; `rest`: every other statement. A file left byte for byte as the run found it starts
    again exactly as that file does, so the next start is tried at the ends only."""
    run = clean_runs[start]
    points = len(run.writes)
    ends = sorted({1, (points + 1) // 2, points - 1, points})
    ks = ends if which == "ends" else [k for k in range(1, points + 1) if k not in ends]
    source = database_path(folders[start]) if start else None
    before = _snapshot(source) if source else ([], {})
    before_bytes = source.read_bytes() if source else new_empty_file

    for k in ks:
        folder = _fresh(folders, start, tmp_path / f"fail-{k}")
        db_path = database_path(folder)
        hook = FailAt(k)
        code, err = _start(folder, hook, capsys)
        what = f"statement {k} of {points} failing: {' '.join(run.writes[k - 1].split())[:70]}"
        assert len(hook.writes) == k, what  # it did fail there, and nothing ran after it
        assert code == DiskFullError.exit_code, what  # the disk-full status, 7
        lines = err.splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: the disk is full"), (what, err)
        assert "stopped and undone" in err and "nothing was lost" in err, (what, err)
        # The log held only the undone run, and it is gone (looked at before anything reads).
        assert not db_path.with_name("observe.db-wal").exists(), what
        assert db_path.read_bytes() == before_bytes, what

        assert backup.integrity_problems(db_path) == [], what
        assert _snapshot(db_path) == before, what
        assert migrate.schema_state(db_path) == ((start, True) if start else (None, False)), what

        if k in ends:  # the next start, with nothing failing, gets every row to the head
            code, err = _start(folder, FailAt(None), capsys)
            assert (code, err) == (0, ""), (what, err)
            assert _snapshot(db_path) == run.at_head, what


def _killed_mid_write(path: Path, statements: list[str]) -> None:
    """A process SIGKILLed in the middle of a write in rollback-journal mode, its changes
    already spilled into the file: what a start killed while it switches a new database (or a
    restored backup) to WAL leaves behind, made here at a known moment."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            conn = sqlite3.connect(path, isolation_level=None)
            conn.execute("PRAGMA journal_mode=DELETE")
            conn.execute("PRAGMA cache_size=1")  # every change goes to the file at once
            conn.execute("BEGIN IMMEDIATE")
            for statement in statements:
                conn.execute(statement)
            os.kill(os.getpid(), signal.SIGKILL)
        finally:
            os._exit(1)
    os.waitpid(pid, 0)
    # Only a connection that may write can undo it; a read-only one is refused.
    with pytest.raises(sqlite3.OperationalError) as refused, \
            backup.connect(path, read_only=True) as conn:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    assert refused.value.sqlite_errorcode == 776  # SQLITE_READONLY_ROLLBACK: a hot journal


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and fork")
def test_a_first_start_killed_while_making_the_file_is_made_afresh(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    _killed_mid_write(database_path(folder), [
        "CREATE TABLE people (id TEXT)",
        *[f"INSERT INTO people VALUES ('{'x' * 900}{n}')" for n in range(100)]])

    assert cli.main(["--data-dir", str(folder), "check"]) == 0  # not "damaged", at every start
    assert f"integrity ok, schema {migrate.HEAD}" in capsys.readouterr().out
    with backup.connect(database_path(folder), read_only=True) as conn:
        assert conn.execute("SELECT count(*) FROM people").fetchone()[0] == 0
    assert not database_path(folder).with_name("observe.db-journal").exists()


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and fork")
def test_a_restored_backup_killed_on_its_first_opening_opens_as_it_was(
        folders: dict[str, Path], clean_runs: dict[str | None, CleanRun], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    folder = _fresh(folders, "0001", tmp_path / "data")
    path = database_path(folder)
    with backup.connect(path, read_only=False) as conn:  # as backups are kept: no WAL
        conn.execute("PRAGMA journal_mode=DELETE")
    _killed_mid_write(path, ["UPDATE notes SET text = 'half written'",
                             "DELETE FROM note_tags", "DELETE FROM people"])

    assert cli.main(["--data-dir", str(folder), "check"]) == 0
    assert f"integrity ok, schema {migrate.HEAD}" in capsys.readouterr().out
    assert _snapshot(path) == clean_runs["0001"].at_head  # the cut-short write is undone
