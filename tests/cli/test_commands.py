"""The command line end to end, as subprocesses."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.cli.conftest import fingerprint, run_cli


@pytest.mark.slow
def test_demo_then_cycles_list_json(tmp_path: Path) -> None:
    data = tmp_path / "school"
    made = run_cli("demo", data_dir=data)
    assert made.code == 0, made.err
    assert "245 cycles" in made.out  # 8 in this term's round, 192 learning walks and peer visits
    listed = run_cli("cycles", "list", "--json", data_dir=data)
    assert listed.code == 0, listed.err
    cycles = json.loads(listed.out)
    assert len(cycles) == 245
    assert {"Aino Mäkelä", "Дмитрий Соколов"} <= {c["teacher"] for c in cycles}
    assert {c["stage"] for c in cycles} == {
        "pre_conference",
        "observation",
        "post_conference",
        "reflection",
        "closed",
    }
    shown = run_cli("cycles", "show", cycles[0]["id"], data_dir=data)
    assert json.loads(shown.out)["id"] == cycles[0]["id"]
    again = run_cli("demo", data_dir=data)
    assert again.code != 0 and "already has people" in again.err


def test_protocols_list_shows_the_eight_builtins(tmp_path: Path) -> None:
    result = run_cli("protocols", "list", data_dir=tmp_path)
    assert result.code == 0, result.err
    for name in (
        "Peer observation",
        "Learning walk",
        "New-teacher growth rubric",
        "Student engagement interval scan",
        "Questioning and wait time",
        "Classroom discourse scan (COPUS-style)",
        "Questioning, wait time and engagement",
        "Participation and talk",
    ):
        assert name in result.out
    lines = result.out.splitlines()
    assert len(lines) == 8
    # The longest id does not push its row out of line.
    assert len({line.index(" v1 ") for line in lines}) == 1


def test_data_dir_from_environment(tmp_path: Path) -> None:
    result = run_cli("protocols", "list", env={"OBSERVE_APP_DATA_DIR": str(tmp_path / "env")})
    assert result.code == 0, result.err
    assert (tmp_path / "env" / "observe.db").exists()


@pytest.mark.slow
def test_protocol_export_edit_import_makes_version_two(tmp_path: Path) -> None:
    out = tmp_path / "walk.json"
    assert run_cli("protocols", "export", "learning-walk", out, data_dir=tmp_path / "d").code == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    doc["id"], doc["name"] = "our-walk", "Our learning walk"  # a built-in itself never changes
    out.write_text(json.dumps(doc), encoding="utf-8")
    assert "version 1" in run_cli("protocols", "import", out, data_dir=tmp_path / "d").out
    doc["sections"][0]["items"][0]["label"] = "Today's learning goal is visible and referred to"
    out.write_text(json.dumps(doc), encoding="utf-8")
    imported = run_cli("protocols", "import", out, data_dir=tmp_path / "d")
    assert imported.code == 0 and "version 2" in imported.out, imported.err


@pytest.mark.slow
def test_people_import_roster(tmp_path: Path) -> None:
    roster = tmp_path / "staff.csv"
    roster.write_text(
        "name,email,role,subject,start_date\n"
        "Ελένη Γεωργίου,eleni@school.gr,teacher,English,2018-09-03\n"
        "Trần Văn Minh,minh@school.vn,teacher,PE,2025-08-25\n",
        encoding="utf-8",
    )
    result = run_cli("people", "import", roster, data_dir=tmp_path / "d")
    assert result.code == 0, result.err
    listed = json.loads(run_cli("people", "list", "--json", data_dir=tmp_path / "d").out)
    assert {p["name"]: p["career_stage"] for p in listed}["Trần Văn Minh"] == "new"
    # The folder as it was before the import is kept (a roster may update people it knows).
    [before] = (tmp_path / "d" / "backups").glob("observe-*-before-import-roster.db")
    conn = sqlite3.connect(before)
    try:
        assert conn.execute("SELECT count(*) FROM people").fetchone()[0] == 0
    finally:
        conn.close()


@pytest.mark.slow
def test_backup_restore_and_check(tmp_path: Path) -> None:
    data = tmp_path / "d"
    run_cli("people", "list", data_dir=data)
    roster = tmp_path / "staff.csv"
    roster.write_text(
        "name,email,role,subject,start_date\nAino Mäkelä,a@x.fi,teacher,Maths,\n", encoding="utf-8"
    )
    backup = tmp_path / "before.db"
    assert run_cli("backup", "--out", backup, data_dir=data).code == 0
    assert run_cli("people", "import", roster, data_dir=data).code == 0
    restored = run_cli("restore", backup, data_dir=data)
    assert restored.code == 0, restored.err
    assert json.loads(run_cli("people", "list", "--json", data_dir=data).out) == []
    checked = run_cli("check", data_dir=data)
    assert checked.code == 0 and "integrity ok" in checked.out


@pytest.fixture
def school(tmp_path: Path, demo_dir: Path) -> Path:
    return demo_dir


def _bad_files(tmp: Path) -> dict[str, Path]:
    files = {
        "not-json.json": b"<html>not a protocol</html>",
        "empty.json": b"",
        "latin1.json": '{"name": "Caf\u00e9"}'.encode("latin-1"),
        "schema.json": json.dumps({"id": "x", "name": "No sections"}).encode(),
        "huge.json": b"[" + b"1," * 600_000 + b"1]",
        "missing.csv": b"name,email\nAino,a@x.fi\n",
        "dates.csv": b"name,email,role,subject,start_date\nAino,a@x.fi,teacher,Maths,31/08/2025\n",
        "notadb.db": b"This is a shopping list, not a backup.\n" * 50,
    }
    out = {}
    for name, content in files.items():
        (tmp / name).write_bytes(content)
        out[name] = tmp / name
    sqlite_other = tmp / "other.db"
    with sqlite3.connect(sqlite_other) as conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.close()
    out["other.db"] = sqlite_other
    return out


@pytest.mark.parametrize(
    ("command", "file", "message"),
    [
        (("protocols", "import"), "not-json.json", "not-json.json: The file is not valid JSON"),
        (("protocols", "import"), "empty.json", "empty.json: The file is empty"),
        (("protocols", "import"), "latin1.json", "not UTF-8"),
        (("protocols", "import"), "schema.json", "schema.json: A protocol needs a version "
         "number. Nothing was imported. (at $.version)"),
        (("protocols", "import"), "huge.json", "too large"),
        (("people", "import"), "missing.csv", "missing the column(s) role, subject, start_date"),
        (("people", "import"), "dates.csv", "start_date '31/08/2025' is not a date"),
        (("restore",), "notadb.db", "not an Observe backup"),
        (("restore",), "other.db", "not an Observe backup"),
    ],
)
def test_bad_input_leaves_the_database_exactly_as_it_was(
    school: Path, tmp_path: Path, command: tuple[str, ...], file: str, message: str
) -> None:
    bad = _bad_files(tmp_path)[file]
    before = fingerprint(school)
    result = run_cli(*command, bad, data_dir=school)
    assert result.code != 0
    assert result.err.count("\n") == 1 and result.err.startswith("error: ")
    assert message in result.err
    assert fingerprint(school) == before


def test_unknown_cycle_id(school: Path) -> None:
    before = fingerprint(school)
    result = run_cli("cycles", "show", "no-such-cycle", data_dir=school)
    assert result.code == 2 and result.err == "error: no cycle with id 'no-such-cycle'\n"
    assert fingerprint(school) == before
