"""`observe-app export-pdf` as a user runs it: a subprocess on a copy of the demo school."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pdf_helpers import qpdf_check, unwritable_folder
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[2]


def run(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONIOENCODING="utf-8")
    env.pop("OBSERVE_APP_DATA_DIR", None)
    return subprocess.run([sys.executable, "-m", "observe_app", "--data-dir", str(data_dir),
                           *args], capture_output=True, text=True, env=env, cwd=ROOT,
                          timeout=300)


@pytest.fixture(scope="module")
def school(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the demo school for this module (export only reads, so tests share it)."""
    folder = tmp_path_factory.mktemp("cli-demo") / "data"
    shutil.copytree(demo_template, folder)
    return folder


@pytest.fixture(scope="module")
def demo_cycles_json(school: Path) -> list[dict]:
    result = run(school, "cycles", "list", "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _one_line_error(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    for word in words:
        assert word in lines[0]


def test_one_cycle_to_a_file(school: Path, demo_cycles_json: list[dict], tmp_path: Path) -> None:
    cycle = next(c for c in demo_cycles_json if c["teacher"] == "Ελένη Γεωργίου")
    out = tmp_path / "summary.pdf"
    result = run(school, "export-pdf", "--cycle", cycle["id"], "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert f"Wrote {out}" in result.stdout
    assert len(PdfReader(out).pages) >= 2
    qpdf_check(out)


@pytest.mark.slow
def test_one_teachers_cycles_into_a_folder(school: Path, demo_cycles_json: list[dict],
                                           tmp_path: Path) -> None:
    mine = [c for c in demo_cycles_json if c["teacher"] == "Jürgen Weiß"]
    out = tmp_path / "jürgen"
    result = run(school, "export-pdf", "--teacher", mine[0]["teacher_id"], "--out", str(out))
    assert result.returncode == 0, result.stderr
    files = sorted(p.name for p in out.glob("*.pdf"))
    assert len(files) == len(mine)
    # Named by the local date, as `cycles list` shows it (e.g. 2026-03-04 in Europe).
    assert files == sorted(f"{c['date']} Jürgen Weiß - {c['protocol']}.pdf" for c in mine)
    assert {c["protocol"] for c in mine} == {"Student engagement interval scan", "Learning walk"}
    progress = result.stderr.strip().splitlines()
    assert progress[0].startswith(f"[1/{len(mine)}] ") and progress[-1].startswith(
        f"[{len(mine)}/{len(mine)}] ")


@pytest.mark.slow
def test_all_cycles_batch(school: Path, demo_cycles_json: list[dict], tmp_path: Path) -> None:
    out = tmp_path / "all"
    result = run(school, "export-pdf", "--all", "--out", str(out))
    assert result.returncode == 0, result.stderr
    files = sorted(out.glob("*.pdf"))
    assert len(files) == len(demo_cycles_json) == 36
    assert f"Wrote 36 PDFs to {out}" in result.stdout
    assert len(result.stderr.strip().splitlines()) == 36
    for path in files:
        qpdf_check(path)
    assert not list(out.glob(".*"))  # no temporary files left


@pytest.mark.parametrize(("args", "words"), [
    (["--cycle", "no-such-cycle"], ["no cycle with id 'no-such-cycle'"]),
    (["--teacher", "no-such-teacher"], ["no teacher with id 'no-such-teacher'"]),
])
def test_unknown_ids(school: Path, tmp_path: Path, args: list[str], words: list[str]) -> None:
    _one_line_error(run(school, "export-pdf", *args, "--out", str(tmp_path / "x")), *words)
    assert list(tmp_path.iterdir()) == []


def test_missing_folder_for_a_file(school: Path, demo_cycles_json: list[dict],
                                   tmp_path: Path) -> None:
    out = tmp_path / "missing" / "x.pdf"
    result = run(school, "export-pdf", "--cycle", demo_cycles_json[0]["id"], "--out", str(out))
    _one_line_error(result, "does not exist")


def test_unwritable_output_folder(school: Path, demo_cycles_json: list[dict],
                                  tmp_path: Path) -> None:
    folder = unwritable_folder(tmp_path)
    one = run(school, "export-pdf", "--cycle", demo_cycles_json[0]["id"],
              "--out", str(folder / "x.pdf"))
    _one_line_error(one, "cannot write to", str(folder))


def test_choose_exactly_one_of_cycle_all_teacher(school: Path, tmp_path: Path) -> None:
    result = run(school, "export-pdf", "--all", "--cycle", "x", "--out", str(tmp_path))
    assert result.returncode == 2 and "not allowed with" in result.stderr
