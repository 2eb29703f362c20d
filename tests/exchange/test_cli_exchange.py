"""`observe-app exchange export|import` as a user runs them (in this process: `cli.main`).

The sender is a copy of the demo school; the receiver a data folder of its own. A dry run
and a second receipt must leave the receiver's database byte for byte as it was.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from observe_app import cli
from observe_app.services import exchange
from observe_app.storage.opening import open_database
from tests.exchange import package_files as pf


def _run(capsys: pytest.CaptureFixture[str], data_dir: Path, *args: str | Path
         ) -> tuple[int, str, str]:
    capsys.readouterr()
    code = cli.main(["--data-dir", str(data_dir), *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def _export_cycle(capsys: pytest.CaptureFixture[str], data_dir: Path, cycle_id: str,
                  out: Path) -> Path:
    """`exchange export --cycle` as a user types it; the package written."""
    assert _run(capsys, data_dir, "exchange", "export", "--cycle", cycle_id, "--out", out)[0] == 0
    return out


def _refused(result: tuple[int, str, str]) -> str:
    code, out, err = result
    assert code != 0 and out == "", (code, out, err)
    assert err.count("\n") == 1 and err.startswith("error: "), err
    return err


_state = pf.folder_state


def _cycles(capsys: pytest.CaptureFixture[str], data_dir: Path) -> list[dict[str, Any]]:
    code, out, _ = _run(capsys, data_dir, "cycles", "list", "--json")
    assert code == 0
    result: list[dict[str, Any]] = json.loads(out)
    return result


def _count(data_dir: Path, table: str) -> int:
    conn = sqlite3.connect(f"file:{data_dir / 'observe.db'}?mode=ro", uri=True)
    try:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        conn.close()


@pytest.fixture
def receiver(tmp_path: Path) -> Path:
    folder = tmp_path / "colleague"
    open_database(folder).close()
    return folder


@pytest.fixture
def a_cycle(demo_dir: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    """A closed demo cycle with notes, of a new teacher (who has goals) on the rubric."""
    return next(c for c in _cycles(capsys, demo_dir) if c["observations"] and
                c["stage"] == "closed" and c["protocol"] == "New-teacher growth rubric")


def test_export_a_cycle_writes_it_with_what_it_refers_to(
        demo_dir: Path, tmp_path: Path, a_cycle: dict[str, Any],
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, demo_dir, "exchange", "export", "--cycle", a_cycle["id"],
                          "--out", tmp_path / "cycle", "--from", "Margaret Osei")
    assert code == 0 and err == ""
    path = tmp_path / "cycle.observe"  # the suffix is added
    assert out.startswith(f"Wrote {path}: the cycle of {a_cycle['teacher']}, ")
    opened = exchange.open_package(path)
    assert opened.what == "cycle" and opened.ids == [a_cycle["id"]]
    assert opened.sender == "Margaret Osei" and not opened.sealed
    cycle_ids = {r.values["id"] for r in opened.rows if r.table == "cycles"}
    people = {r.values["id"] for r in opened.rows if r.table == "people"}
    assert a_cycle["id"] in cycle_ids
    assert a_cycle["teacher_id"] in people
    notes = sum(r.table == "notes" for r in opened.rows)
    assert notes > 0 and f"{notes} notes" in out
    assert len(opened.protocols) >= 1


def test_export_a_teacher_sends_all_their_cycles(
        demo_dir: Path, tmp_path: Path, a_cycle: dict[str, Any],
        capsys: pytest.CaptureFixture[str]) -> None:
    teacher = a_cycle["teacher_id"]
    theirs = {c["id"] for c in _cycles(capsys, demo_dir) if c["teacher_id"] == teacher}
    code, out, _ = _run(capsys, demo_dir, "exchange", "export", "--teacher", teacher,
                        "--out", tmp_path / "teacher.observe")
    assert code == 0 and f"everything about {a_cycle['teacher']}" in out
    opened = exchange.open_package(tmp_path / "teacher.observe")
    assert opened.what == "teacher" and opened.ids == [teacher]
    sent_cycles = {r.values["id"] for r in opened.rows if r.table == "cycles"
                   and r.values["teacher_id"] == teacher}
    assert sent_cycles == theirs
    assert any(r.table == "goals" and r.values["teacher_id"] == teacher for r in opened.rows)


def test_export_all_then_import_gives_the_same_cycles(
        demo_dir: Path, receiver: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, demo_dir, "exchange", "export", "--all",
                        "--out", tmp_path / "all.observe")
    notes = _count(demo_dir, "notes")
    assert code == 0 and f"{notes} notes" in out
    code, out, err = _run(capsys, receiver, "exchange", "import", tmp_path / "all.observe")
    assert code == 0 and err == "" and "Received." in out
    assert _count(receiver, "notes") == notes
    mine = sorted(json.dumps(c, sort_keys=True) for c in _cycles(capsys, demo_dir))
    theirs = sorted(json.dumps(c, sort_keys=True) for c in _cycles(capsys, receiver))
    assert mine == theirs


def test_a_dry_run_changes_nothing_and_prints_counts_per_table(
        demo_dir: Path, receiver: Path, tmp_path: Path, a_cycle: dict[str, Any],
        capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "cycle.observe"
    _export_cycle(capsys, demo_dir, a_cycle["id"], path)
    opened = exchange.open_package(path)
    before = _state(receiver)
    code, out, err = _run(capsys, receiver, "exchange", "import", path, "--dry-run", "--json")
    assert code == 0 and err == ""
    assert _state(receiver) == before
    preview = json.loads(out)
    assert preview["applied"] is False and preview["backup"] is None
    assert preview["package"] == opened.package_id
    for table in {r.table for r in opened.rows}:
        assert preview["tables"][table]["added"] == sum(r.table == table for r in opened.rows)
        assert preview["tables"][table]["changed"] == preview["tables"][table]["conflicts"] == 0
    assert any(a_cycle["teacher"] in label for label in preview["new_cycles"])
    # In words, too.
    code, out, _ = _run(capsys, receiver, "exchange", "import", path, "--dry-run")
    assert code == 0 and "notes: " in out and out.endswith("Nothing was changed (--dry-run).\n")
    assert _state(receiver) == before


def test_importing_twice_changes_nothing_the_second_time(
        demo_dir: Path, receiver: Path, tmp_path: Path, a_cycle: dict[str, Any],
        capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "cycle.observe"
    _export_cycle(capsys, demo_dir, a_cycle["id"], path)
    code, out, err = _run(capsys, receiver, "exchange", "import", path, "--json")
    assert code == 0 and err == ""
    first = json.loads(out)
    assert first["applied"] is True and first["tables"]["notes"]["added"] > 0
    assert first["backup"] and Path(first["backup"]).is_file()
    assert a_cycle["id"] in {c["id"] for c in _cycles(capsys, receiver)}
    after_first = _state(receiver)
    code, out, err = _run(capsys, receiver, "exchange", "import", path)
    assert code == 0 and err == ""
    assert "Already received on " in out and "nothing to do" in out
    assert _state(receiver) == after_first
    code, out, _ = _run(capsys, receiver, "exchange", "import", path, "--json")
    again = json.loads(out)
    assert again["already_received"] and again["applied"] is False and again["tables"] == {}
    assert _state(receiver) == after_first


def test_a_fresh_export_of_the_same_cycle_changes_nothing_either(
        demo_dir: Path, receiver: Path, tmp_path: Path, a_cycle: dict[str, Any],
        capsys: pytest.CaptureFixture[str]) -> None:
    """A second package (a new package id) with the same content adds nothing."""
    for name in ("one.observe", "two.observe"):
        _export_cycle(capsys, demo_dir, a_cycle["id"], tmp_path / name)
    assert _run(capsys, receiver, "exchange", "import", tmp_path / "one.observe")[0] == 0
    notes = _count(receiver, "notes")
    code, out, _ = _run(capsys, receiver, "exchange", "import", tmp_path / "two.observe",
                        "--json")
    assert code == 0
    counts = json.loads(out)["tables"]
    assert all(c["added"] == c["changed"] == c["deleted"] == 0 for c in counts.values())
    assert _count(receiver, "notes") == notes


def test_a_passphrase_file_round_trip(demo_dir: Path, receiver: Path, tmp_path: Path,
                                      a_cycle: dict[str, Any],
                                      capsys: pytest.CaptureFixture[str]) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("Lámpa és tükör 42\nthe second line is not part of it\n",
                      encoding="utf-8")
    path = tmp_path / "sealed.observe"
    code, out, _ = _run(capsys, demo_dir, "exchange", "export", "--cycle", a_cycle["id"],
                        "--out", path, "--passphrase-file", secret)
    assert code == 0 and out.rstrip().endswith("protected with the passphrase.")
    assert b"Open questions" not in path.read_bytes()  # nothing readable without it
    before = _state(receiver)
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("Lámpa és tükör 43\n", encoding="utf-8")
    line = _refused(_run(capsys, receiver, "exchange", "import", path,
                         "--passphrase-file", wrong))
    assert "that passphrase does not open this package" in line
    line = _refused(_run(capsys, receiver, "exchange", "import", path))
    assert "--passphrase-file" in line
    assert _state(receiver) == before
    code, out, err = _run(capsys, receiver, "exchange", "import", path,
                          "--passphrase-file", secret)
    assert code == 0 and err == "" and "Received." in out
    assert a_cycle["id"] in {c["id"] for c in _cycles(capsys, receiver)}


@pytest.mark.parametrize("content", [None, "", "\n\n", "   \n"],
                         ids=["missing", "empty", "blank lines", "spaces"])
def test_a_missing_or_empty_passphrase_file_is_a_clear_error(
        demo_dir: Path, receiver: Path, tmp_path: Path, a_cycle: dict[str, Any],
        content: str | None, capsys: pytest.CaptureFixture[str]) -> None:
    secret = tmp_path / "secret.txt"
    if content is not None:
        secret.write_text(content, encoding="utf-8")
    out_file = tmp_path / "sealed.observe"
    line = _refused(_run(capsys, demo_dir, "exchange", "export", "--cycle", a_cycle["id"],
                         "--out", out_file, "--passphrase-file", secret))
    assert str(secret) in line
    assert ("cannot be read" if content is None else "is empty") in line
    assert not out_file.exists() and list(tmp_path.glob("*.observe*")) == []
    # Receiving: the same sentence, before the package or the database is looked at.
    _export_cycle(capsys, demo_dir, a_cycle["id"], out_file)
    before = _state(receiver)
    assert _refused(_run(capsys, receiver, "exchange", "import", out_file,
                         "--passphrase-file", secret)) == line
    assert _state(receiver) == before


@pytest.mark.parametrize("option", ["--cycle", "--teacher"])
def test_an_unknown_id_is_a_clear_error(demo_dir: Path, tmp_path: Path, option: str,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    before = _state(demo_dir)
    line = _refused(_run(capsys, demo_dir, "exchange", "export", option,
                         "00000000-0000-4000-8000-000000000000", "--out",
                         tmp_path / "x.observe"))
    assert "00000000-0000-4000-8000-000000000000" in line
    assert list(tmp_path.glob("*.observe*")) == []
    assert _state(demo_dir)[1:] == before[1:]


def test_a_package_that_is_not_there_is_a_clear_error(
        receiver: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = _state(receiver)
    line = _refused(_run(capsys, receiver, "exchange", "import", tmp_path / "nowhere.observe"))
    assert "does not exist" in line
    assert _state(receiver) == before
