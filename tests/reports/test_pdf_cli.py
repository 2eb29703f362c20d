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


def run(data_dir: Path, *args: str,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environ = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONIOENCODING="utf-8") | (env or {})
    environ.pop("OBSERVE_APP_DATA_DIR", None)
    return subprocess.run([sys.executable, "-m", "observe_app", "--data-dir", str(data_dir),
                           *args], capture_output=True, text=True, env=environ, cwd=ROOT,
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
    assert {c["protocol"] for c in mine} == {"Student engagement interval scan", "Learning walk",
                                             "Questioning, wait time and engagement",
                                             "Peer observation"}
    progress = result.stderr.strip().splitlines()
    width = len(str(len(mine)))  # the counts line up: "[ 1/12]"
    assert progress[0].startswith(f"[{1:>{width}}/{len(mine)}] ") and progress[-1].startswith(
        f"[{len(mine)}/{len(mine)}] ")


@pytest.mark.slow
def test_all_cycles_batch(school: Path, demo_cycles_json: list[dict], tmp_path: Path) -> None:
    out = tmp_path / "all"
    result = run(school, "export-pdf", "--all", "--out", str(out))
    assert result.returncode == 0, result.stderr
    files = sorted(out.glob("*.pdf"))
    assert len(files) == len(demo_cycles_json) == 245
    assert f"Wrote 245 PDFs to {out}" in result.stdout
    assert len(result.stderr.strip().splitlines()) == 245
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


def _mediabox(path: Path, password: str | None = None) -> tuple[int, int]:
    box = PdfReader(path, password=password).pages[0].mediabox
    return round(float(box.width)), round(float(box.height))


@pytest.mark.parametrize(("args", "env", "size"), [
    (["--page-size", "letter"], {"LANG": "fi_FI.UTF-8"}, (612, 792)),
    (["--page-size", "a4"], {"LANG": "en_US.UTF-8"}, (595, 842)),
    ([], {"LANG": "en_US.UTF-8"}, (612, 792)),  # the locale's paper
    ([], {"LANG": "de_DE.UTF-8", "LC_PAPER": "es_MX.UTF-8"}, (612, 792)),
    ([], {"LANG": "en_GB.UTF-8"}, (595, 842)),
])
def test_letter_and_a4(school: Path, demo_cycles_json: list[dict], tmp_path: Path,
                       args: list[str], env: dict[str, str], size: tuple[int, int]) -> None:
    out = tmp_path / "summary.pdf"
    result = run(school, "export-pdf", "--cycle", demo_cycles_json[0]["id"], "--out", str(out),
                 "--evidence", "none", *args, env={"LC_ALL": "", "LC_PAPER": ""} | env)
    assert result.returncode == 0, result.stderr
    assert _mediabox(out) == size
    qpdf_check(out)


def test_a_password_from_a_file(school: Path, demo_cycles_json: list[dict],
                                tmp_path: Path) -> None:
    secret = tmp_path / "password.txt"
    secret.write_text("sesame öffne dich\nsecond line is not part of it\n", encoding="utf-8")
    out = tmp_path / "locked.pdf"
    result = run(school, "export-pdf", "--cycle", demo_cycles_json[0]["id"], "--out", str(out),
                 "--page-size", "letter", "--password-file", str(secret))
    assert result.returncode == 0, result.stderr
    assert "protected with the password" in result.stdout
    assert "sesame" not in result.stdout + result.stderr
    reader = PdfReader(out)
    assert reader.is_encrypted and reader.decrypt("sesame") == 0
    assert reader.decrypt("sesame öffne dich") != 0
    assert _mediabox(out, "sesame öffne dich") == (612, 792)
    qpdf = shutil.which("qpdf")
    if qpdf is None:
        pytest.skip("qpdf is not installed")
    assert subprocess.run([qpdf, "--check", str(out)], capture_output=True).returncode != 0
    opened = subprocess.run([qpdf, "--password=sesame öffne dich", "--check", str(out)],
                            capture_output=True, text=True)
    assert opened.returncode == 0, opened.stdout + opened.stderr


def test_an_empty_or_missing_password_file_is_refused(school: Path, demo_cycles_json: list[dict],
                                                     tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("\n", encoding="utf-8")
    out = tmp_path / "x.pdf"
    cycle = demo_cycles_json[0]["id"]
    _one_line_error(run(school, "export-pdf", "--cycle", cycle, "--out", str(out),
                        "--password-file", str(empty)), "password file", "is empty")
    _one_line_error(run(school, "export-pdf", "--cycle", cycle, "--out", str(out),
                        "--password-file", str(tmp_path / "nope.txt")), "cannot be read")
    assert not out.exists()


def test_a_bad_paper_or_evidence_choice_is_refused(school: Path, tmp_path: Path) -> None:
    for option, value in (("--page-size", "legal"), ("--evidence", "half")):
        result = run(school, "export-pdf", "--all", "--out", str(tmp_path), option, value)
        assert result.returncode == 2 and "invalid choice" in result.stderr
