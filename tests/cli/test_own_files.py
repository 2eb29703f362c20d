"""The data folder's own files are never written over, and an emptied database is reported,
never started afresh (issue 11, first steps)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.cli.conftest import fingerprint, run_cli

# Each test runs the command line three or four times (seconds each).
pytestmark = pytest.mark.slow


@pytest.fixture
def school(demo_template: Path) -> Path:
    """The demo school, built once per run; each test copies it before changing anything."""
    return demo_template


def _cycle_id(folder: Path) -> str:
    listed = run_cli("cycles", "list", "--json", data_dir=folder)
    return json.loads(listed.out)[0]["id"]


@pytest.mark.parametrize("target", ["observe.db", "observe.db-wal", "observe.db-shm",
                                    "observe.lock", "observe.use", "backups/observe-1.db",
                                    "logs/observe.log"])
def test_no_export_or_backup_writes_over_the_folder_s_own_files(school: Path, tmp_path: Path,
                                                                 target: str) -> None:
    folder = tmp_path / "data"
    shutil.copytree(school, folder)
    (folder / "backups").mkdir(exist_ok=True)
    (folder / "logs").mkdir(exist_ok=True)
    before = fingerprint(folder)
    out = folder / target
    existed = out.read_bytes() if out.exists() else None
    cycle = _cycle_id(folder)
    for command in (("protocols", "export", "peer-observation", out),
                    ("export-pdf", "--cycle", cycle, "--out", out),
                    ("backup", "--out", out)):
        result = run_cli(*command, data_dir=folder)
        assert result.code != 0, command
        assert result.err.startswith("error: ") and "Observe's own files" in result.err
        assert "Traceback" not in result.err
    assert fingerprint(folder) == before
    if target in ("observe.lock", "backups/observe-1.db"):  # SQLite and the log move the rest
        assert (out.read_bytes() if out.exists() else None) == existed


def test_pdfs_are_never_written_into_backups_or_logs(school: Path, tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(school, folder)
    for inside in ("backups", "logs"):
        result = run_cli("export-pdf", "--all", "--out", folder / inside, data_dir=folder)
        assert result.code != 0 and "Observe's own files" in result.err
        assert not list((folder / inside).glob("*.pdf"))


def test_an_emptied_database_is_reported_never_started_afresh(school: Path,
                                                              tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(school, folder)
    good = tmp_path / "good.db"
    assert run_cli("backup", "--out", good, data_dir=folder).code == 0
    (folder / "backups").mkdir(exist_ok=True)
    kept = folder / "backups" / "observe-20261130T100000000000Z-startup.db"
    shutil.copy(good, kept)
    (folder / "observe.db").write_bytes(b"")  # a failing disk, a sync tool, a bad copy
    for command in (("people", "list"), ("check",), ("demo",)):
        result = run_cli(*command, data_dir=folder)
        assert result.code != 0, command
        assert "is empty (0 bytes)" in result.err and str(kept) in result.err
    assert (folder / "observe.db").stat().st_size == 0
    assert sorted(p.name for p in (folder / "backups").iterdir()) == [kept.name]
    assert run_cli("restore", kept, data_dir=folder).code == 0
    assert "Aino Mäkelä" in run_cli("people", "list", data_dir=folder).out
