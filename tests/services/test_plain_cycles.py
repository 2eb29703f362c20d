"""The cycle lists read with plain sqlite3 give exactly what the ORM's services give (the demo
school and edge cases), and `cycles list` takes that path without importing SQLAlchemy."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from observe_app import cli
from observe_app.domain.enums import CycleStage
from observe_app.services import cycle_pages, cycles, observations, people, plain_cycles
from observe_app.storage import migrate
from observe_app.storage.engine import Database
from observe_app.storage.folder_lock import FolderLock
from observe_app.storage.plain_reads import open_for_reading
from tests.processes import finish
from tests.services.helpers import T0, version

OBSERVE = (CycleStage.PRE_CONFERENCE, CycleStage.OBSERVATION)


@contextlib.contextmanager
def _plain(data_dir: Path) -> Iterator[sqlite3.Connection]:
    lock = FolderLock(data_dir, "test")
    conn = open_for_reading(data_dir, lock)
    assert conn is not None
    try:
        yield conn
    finally:
        conn.close()
        lock.release()


def _assert_same(db: Database, data_dir: Path) -> None:
    with db.transaction() as s:
        teachers = [p.id for p in people.list_people(s)]
        orm_lists = {t: cycles.list_cycles(s, teacher_id=t) for t in [None, *teachers]}
        orm_pages = {(stages, offset, limit): cycle_pages.page_cycles(
            s, stages=stages, sort="date", descending=True, offset=offset, limit=limit)
            for stages in (None, OBSERVE, tuple(CycleStage), (CycleStage.CLOSED,))
            for offset, limit in ((0, 200), (0, 3), (3, 3), (5, 1000))}
    with _plain(data_dir) as conn:
        for teacher, rows in orm_lists.items():
            assert plain_cycles.list_cycles(conn, teacher_id=teacher) == rows, teacher
        for (stages, offset, limit), rows in orm_pages.items():
            assert plain_cycles.newest_first(conn, stages=stages, offset=offset,
                                             limit=limit) == rows, (stages, offset, limit)
    assert orm_lists[None] and any(orm_pages.values())  # something was compared


def test_the_demo_school_reads_the_same_both_ways(demo_db: Database, demo_dir: Path) -> None:
    _assert_same(demo_db, demo_dir)


def test_edge_cases_read_the_same_both_ways(db: Database, data_dir: Path) -> None:
    """No observer, no visit, a planned day (its midday, local), none (when it was planned),
    several visits, and cycles filed at one moment (ties keep the order they were planned)."""
    with db.transaction() as s:
        aino = people.add_person(s, "Aino Mäkelä")
        ben = people.add_person(s, "Ben Okafor")
        v = version(s, "peer-observation").id
        lone = cycles.plan_cycle(s, teacher_id=aino.id, protocol_version_id=v, now=T0)
        planned = cycles.plan_cycle(s, teacher_id=aino.id, observer_id=ben.id,
                                    protocol_version_id=v, focus="Wait time",
                                    planned_date=dt.date(2026, 3, 2), now=T0)
        visited = cycles.plan_cycle(s, teacher_id=ben.id, observer_id=aino.id,
                                    protocol_version_id=v, now=T0)
        for n in range(3):
            obs = observations.start_observation(s, visited.id, now=T0 + dt.timedelta(days=n))
            observations.end_observation(s, obs.id, 3_600_000,
                                          now=T0 + dt.timedelta(days=n, hours=1))
        for _ in range(4):  # one moment, no date of their own: ties
            cycles.plan_cycle(s, teacher_id=ben.id, protocol_version_id=v, now=T0)
        cycles.move_to_stage(s, planned.id, CycleStage.CLOSED)
    with db.transaction() as s:
        shown = {c.id: c for c in cycles.list_cycles(s)}
    assert shown[lone.id].observer_id is None and shown[lone.id].observation_count == 0
    assert shown[planned.id].planned_date == dt.date(2026, 3, 2)
    assert shown[visited.id].observation_count == 3
    _assert_same(db, data_dir)


def test_only_an_up_to_date_database_is_read_plainly(demo_dir: Path, data_dir: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """No database yet, or one whose schema is not the newest: the normal path decides."""
    lock = FolderLock(data_dir, "test")
    assert open_for_reading(data_dir, lock) is None  # no database: made by the normal path
    lock.release()
    monkeypatch.setattr(migrate, "HEAD", "0004")
    lock = FolderLock(demo_dir, "test")
    assert open_for_reading(demo_dir, lock) is None  # a migration would run first
    lock.release()


def _run_cli(data_dir: Path, *args: str) -> tuple[str, str]:
    """`observe-app cycles list ...` in a process of its own; its stdout, and on stderr the
    database libraries it imported."""
    code = ("import sys\nfrom observe_app.cli import main\ncode = main(sys.argv[1:])\n"
            "print(sorted(m for m in ('sqlalchemy', 'alembic') if m in sys.modules), "
            "file=sys.stderr)\nsys.exit(code)\n")
    env = os.environ | {"PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    proc = subprocess.Popen([sys.executable, "-c", code, "--data-dir", str(data_dir), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        out, err = proc.communicate(timeout=60)
    finally:
        finish(proc)
    assert proc.returncode == 0, err
    return out, err.strip().splitlines()[-1]


def test_cycles_list_imports_no_sqlalchemy_and_prints_what_the_orm_lists(
        demo_db: Database, demo_dir: Path) -> None:
    with demo_db.transaction() as s:
        everyone = [cli._cycle_json(c) for c in cycles.list_cycles(s)]
        teacher = everyone[0]["teacher_id"]
        theirs = [cli._cycle_json(c) for c in cycles.list_cycles(s, teacher_id=teacher)]
    demo_db.close()
    out, imported = _run_cli(demo_dir, "cycles", "list", "--json")
    assert imported == "[]"
    assert json.loads(out) == everyone
    out, imported = _run_cli(demo_dir, "cycles", "list", "--json", "--teacher", teacher)
    assert imported == "[]"
    assert json.loads(out) == theirs and len(theirs) < len(everyone)
