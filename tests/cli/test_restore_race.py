"""`restore` racing the commands that use the data folder, and commands racing each other: real
processes, started in three orders (the other command first, restore first, both at once; the
one started second waits until the first holds the folder); no acknowledged write is ever
lost, no traceback, each refusal one `error:` line.

Before the folder lock, `restore` started while `people import` ran kept "the database as it
was" before the import committed, then wrote the backup over what the import committed: both
said they had succeeded, and the 3,000 people were in neither file.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from observe_app.storage import backup
from observe_app.storage.folder_lock import holders
from observe_app.storage.paths import database_path
from tests.cli.conftest import Result, run_cli

pytestmark = pytest.mark.slow

ORDERS = ("writer first", "restore first", "together")
RESTORE_REFUSED = ("restore needs the data folder", "Observe is already open")
WRITER_REFUSED = ("is being restored by", "is busy:")


def _start(*args: str | Path, data_dir: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "observe_app", "--data-dir", str(data_dir),
                             *map(str, args)], text=True, encoding="utf-8",
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _finish(proc: subprocess.Popen[str]) -> Result:
    out, err = proc.communicate(timeout=120)
    return Result(proc.returncode, out, err)


def _wait_until(seen: Callable[[], bool], proc: subprocess.Popen[str]) -> None:
    """The barrier: until the first process holds the folder (or has already finished)."""
    deadline = time.monotonic() + 60
    while not seen() and proc.poll() is None:
        assert time.monotonic() < deadline, "the first process never took the folder"
        time.sleep(0.01)


def _count(db: Path, sql: str) -> int:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


def _one_line_or_none(result: Result) -> None:
    assert "Traceback" not in result.err, result.err
    lines = result.err.strip().splitlines()
    if result.code == 0:
        assert lines == [], result.err
    else:
        assert result.code in (2, 5), result.err  # bad input, or the folder in use
        assert len(lines) == 1 and lines[0].startswith("error: "), result.err


@dataclass(frozen=True)
class Writer:
    args: tuple[str | Path, ...]
    said: str  # the start of its success line
    command: str  # as the folder lock names it
    present: Callable[[Path], bool]  # is its write in this database file?


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A data folder with the built-in protocols and no people, and a backup of it."""
    root = tmp_path_factory.mktemp("race")
    folder = root / "data"
    assert run_cli("protocols", "list", data_dir=folder).code == 0
    saved = root / "base.db"
    assert run_cli("backup", "--out", saved, data_dir=folder).code == 0
    return folder, saved


@pytest.fixture(scope="module")
def writers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Writer]:
    from observe_app.protocols import loader

    root = tmp_path_factory.mktemp("files")
    roster = root / "staff.csv"
    roster.write_text("name,email,role,subject,start_date\n" + "".join(
        f"Teacher {i},t{i}@race.test,teacher,Maths,2020-09-01\n" for i in range(3000)),
        encoding="utf-8")
    document = json.loads(loader.builtin_files()[0].read_text(encoding="utf-8"))
    document |= {"id": "race-protocol", "name": "Race protocol"}
    protocol = root / "race.json"
    protocol.write_text(json.dumps(document), encoding="utf-8")
    return {
        "demo": Writer(("demo",), "Demo school ready", "observe-app demo",
                       lambda db: _count(db, "SELECT count(*) FROM people") == 21),
        "people import": Writer(
            ("people", "import", roster), "Imported 3000 people", "observe-app people import",
            lambda db: _count(db, "SELECT count(*) FROM people WHERE email LIKE '%@race.test'")
            == 3000),
        "protocols import": Writer(
            ("protocols", "import", protocol), "Imported Race protocol",
            "observe-app protocols import",
            lambda db: _count(db, "SELECT count(*) FROM protocols WHERE slug = 'race-protocol'")
            == 1),
    }


def _race(folder: Path, first: tuple, second: tuple,  # type: ignore[type-arg]
          first_holds: Callable[[], bool]) -> tuple[Result, Result]:
    one = _start(*first, data_dir=folder)
    _wait_until(first_holds, one)
    two = _start(*second, data_dir=folder)
    return _finish(one), _finish(two)


def _holding(folder: Path, command: str) -> Callable[[], bool]:
    return lambda: any(h["command"] == command for h in holders(folder))


def _restore_against(folder: Path, saved: Path, order: str, other: tuple,  # type: ignore[type-arg]
                     other_command: str) -> tuple[Result, Result]:
    """(the other command's result, restore's result), started in `order`."""
    restore = ("restore", saved)
    if order == "writer first":  # restore starts once the other holds the folder
        return _race(folder, other, restore, _holding(folder, other_command))
    if order == "restore first":  # the other starts once restore holds it
        restored, result = _race(folder, restore, other, _holding(folder, "observe-app restore"))
        return result, restored
    return _race(folder, other, restore, lambda: True)  # together


@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize("kind", ["people import", "demo", "protocols import"])
def test_restore_racing_a_write_never_loses_an_acknowledged_write(
        kind: str, order: str, base: tuple[Path, Path], writers: dict[str, Writer],
        tmp_path: Path) -> None:
    template, saved = base
    writer = writers[kind]
    folder = tmp_path / "data"
    shutil.copytree(template, folder)
    db = database_path(folder)
    wrote, restored = _restore_against(folder, saved, order, writer.args, writer.command)
    for result in (wrote, restored):
        _one_line_or_none(result)
    assert backup.integrity_problems(db) == []
    kept = None
    if restored.code == 0:
        found = re.search(r"kept in (.+)\.$", restored.out.strip())
        assert found, restored.out
        kept = Path(found.group(1))
    else:
        assert any(words in restored.err for words in RESTORE_REFUSED), restored.err
    if wrote.code == 0:
        assert wrote.out.startswith(writer.said), wrote.out
        where = ("live" if writer.present(db) else
                 "before-restore copy" if kept and writer.present(kept) else None)
        assert where is not None, f"acknowledged write lost: {wrote.out} / {restored.out}"
        if kept is None:
            assert where == "live"  # the restore refused: the write stays where it was made
    else:
        assert any(words in wrote.err for words in WRITER_REFUSED), wrote.err
        assert not writer.present(db)  # refused: the restored database has nothing of it
        where = "refused"
    print(f"\n{kind}, {order}: {'restored' if kept else 'restore refused'}, write: {where}")
    # Which of the two gets the folder depends on timing (a roster is checked before the
    # folder is taken, so its import holds it only while storing): either way, nothing
    # acknowledged is lost, which is what the lines above check.


@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize("kind", ["export-pdf", "backup"])
def test_restore_racing_a_read_gives_whole_files_or_one_line(
        kind: str, order: str, demo_dir: Path, tmp_path: Path) -> None:
    db = database_path(demo_dir)
    saved = backup.backup_to(db, tmp_path / "school.db")
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    cycle = conn.execute("SELECT id FROM cycles ORDER BY id LIMIT 1").fetchone()[0]
    conn.close()
    out = tmp_path / ("out.pdf" if kind == "export-pdf" else "out.db")
    args = (("export-pdf", "--cycle", cycle, "--out", out) if kind == "export-pdf"
            else ("backup", "--out", out))
    read, restored = _restore_against(demo_dir, saved, order, args, f"observe-app {kind}")
    for result in (read, restored):
        _one_line_or_none(result)
    assert backup.integrity_problems(db) == []
    if restored.code:
        assert any(words in restored.err for words in RESTORE_REFUSED), restored.err
    if read.code == 0:
        if kind == "export-pdf":
            data = out.read_bytes()
            assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF")
        else:
            assert backup.integrity_problems(out) == []
            assert _count(out, "SELECT count(*) FROM notes") == _count(
                saved, "SELECT count(*) FROM notes")
    else:
        assert any(words in read.err for words in WRITER_REFUSED), read.err
    print(f"\n{kind}, {order}: restore exit {restored.code}, {kind} exit {read.code}")


# -- two writes at once ----------------------------------------------------------------------


def _together(folder: Path, args: tuple) -> list[Result]:  # type: ignore[type-arg]
    both = [_start(*args, data_dir=folder), _start(*args, data_dir=folder)]
    return [_finish(p) for p in both]


def test_two_demos_at_once_on_an_empty_folder(tmp_path: Path) -> None:
    folder = tmp_path / "data"  # both find no database: one makes it, the other waits for it
    results = _together(folder, ("demo",))
    for result in results:
        _one_line_or_none(result)
    assert [r.code for r in results].count(0) == 1, results
    [refused] = [r for r in results if r.code]
    assert any(words in refused.err for words in (
        "is busy: `observe-app demo`", "already has people", "is being upgraded",
        "needs the data folder")), refused.err  # the last: both still trying when time ran out
    assert _count(database_path(folder), "SELECT count(*) FROM people") == 21


def test_two_imports_of_one_roster_at_once(tmp_path: Path, base: tuple[Path, Path]) -> None:
    roster = tmp_path / "staff.csv"
    roster.write_text("name,email,role,subject,start_date\n" + "".join(
        f"Teacher {i},t{i}@twice.test,teacher,Maths,2020-09-01\n" for i in range(300)),
        encoding="utf-8")
    for run in range(2):
        folder = tmp_path / f"run{run}"
        shutil.copytree(base[0], folder)
        results = _together(folder, ("people", "import", roster))
        for result in results:
            _one_line_or_none(result)
            if result.code:
                assert "is busy: `observe-app people import`" in result.err
            else:
                assert result.out.startswith("Imported 300 people")
        assert 0 in [r.code for r in results]
        assert _count(database_path(folder), "SELECT count(*) FROM people") == 300  # no twins


def test_two_imports_of_one_protocol_at_once(tmp_path: Path, base: tuple[Path, Path],
                                             writers: dict[str, Writer]) -> None:
    for run in range(2):
        folder = tmp_path / f"run{run}"
        shutil.copytree(base[0], folder)
        results = _together(folder, writers["protocols import"].args)
        for result in results:
            _one_line_or_none(result)
        assert 0 in [r.code for r in results]
        assert _count(database_path(folder), "SELECT count(*) FROM protocol_versions v JOIN "
                      "protocols p ON p.id = v.protocol_id WHERE p.slug = 'race-protocol'") == 1
