"""Commands that only read check the file at a cost that does not grow with it, and still say
clearly when it is damaged; `cycles list --teacher` lists one teacher's cycles."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from observe_app import cli
from observe_app.storage import backup, startup
from tests.cli.conftest import run_cli


def _no_page_by_page_check(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every quick_check or integrity_check SQLite is asked for."""
    asked: list[str] = []
    real = backup.check_problems

    def spy(conn: sqlite3.Connection, pragma: str) -> list[str]:
        asked.append(pragma)
        return real(conn, pragma)

    monkeypatch.setattr(backup, "check_problems", spy)
    return asked


def test_read_commands_check_the_header_not_every_page(
        demo_dir: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    asked = _no_page_by_page_check(monkeypatch)
    for command in (["cycles", "list", "--json"], ["people", "list"]):
        assert cli.main(["--data-dir", str(demo_dir), *command]) == 0
    assert asked == []
    assert cli.main(["--data-dir", str(demo_dir), "check"]) == 0  # `check` stays thorough
    assert asked == ["integrity_check"]
    capsys.readouterr()


def test_cycles_list_for_one_teacher(demo_dir: Path) -> None:
    every = json.loads(run_cli("cycles", "list", "--json", data_dir=demo_dir).out)
    teacher = every[0]["teacher_id"]
    result = run_cli("cycles", "list", "--json", "--teacher", teacher, data_dir=demo_dir)
    assert result.code == 0, result.err
    mine = json.loads(result.out)
    assert mine and {c["teacher_id"] for c in mine} == {teacher}
    assert sorted(c["id"] for c in mine) == sorted(
        c["id"] for c in every if c["teacher_id"] == teacher)
    assert [c["date"] for c in mine] == sorted(c["date"] for c in mine)  # in date order


def test_a_file_cut_short_is_called_damaged_by_a_read(demo_dir: Path) -> None:
    path = demo_dir / "observe.db"
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 6 // 10])
    assert startup.header_problems(path)[0].startswith("the file is cut short")
    result = run_cli("cycles", "list", "--json", data_dir=demo_dir)
    assert result.code == 3 and result.out == ""
    [line] = result.err.splitlines()
    assert line.startswith("error: the database") and "is damaged" in line
    assert "observe-app restore" in line


def test_damage_a_read_meets_is_diagnosed_with_the_way_back(demo_dir: Path) -> None:
    from observe_app.storage import autobackup

    good = autobackup.backup_now(demo_dir, "startup")
    path = demo_dir / "observe.db"
    with sqlite3.connect(path) as conn:  # everything in the file itself, none in the log
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        root, = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'people'").fetchone()
        size, = conn.execute("PRAGMA page_size").fetchone()
    conn.close()
    with path.open("r+b") as fh:  # the people table's first page: not a b-tree page any more
        fh.seek((root - 1) * size)
        fh.write(b"\xee" * 64)
    assert startup.header_problems(path) == []  # the header alone cannot see it ...
    result = run_cli("people", "list", data_dir=demo_dir)
    assert result.code == 3, result.err  # ... the read meets it, and says it in full
    [line] = result.err.splitlines()
    assert line.startswith("error: the database") and "is damaged" in line
    assert f"observe-app restore {good}" in line


def test_a_backup_of_a_damaged_database_says_so_with_the_way_back(demo_dir: Path,
                                                                  tmp_path: Path) -> None:
    from observe_app.storage import autobackup

    good = autobackup.backup_now(demo_dir, "startup")
    path = demo_dir / "observe.db"
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        root, = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'notes'").fetchone()
        size, = conn.execute("PRAGMA page_size").fetchone()
    conn.close()
    with path.open("r+b") as fh:
        fh.seek((root - 1) * size)
        fh.write(b"\xee" * 64)
    result = run_cli("backup", "--out", str(tmp_path / "copy.db"), data_dir=demo_dir)
    assert result.code == 3, result.err
    [line] = result.err.splitlines()
    assert "is damaged" in line and f"observe-app restore {good}" in line
    assert not (tmp_path / "copy.db").exists()
