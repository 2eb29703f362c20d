"""`observe-app protocols validate FILE`: every problem in a sentence, or what the protocol holds;
a file alone, so no data folder is made, opened or logged to."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from observe_app.protocols import loader
from tests.cli.conftest import Result, run_cli


def _scan() -> dict[str, Any]:
    return json.loads(loader.resource_path("protocols", "engagement-interval-scan.json")
                      .read_text("utf-8"))


def _validate(tmp_path: Path, file: Path) -> Result:
    """Run with every way of naming a data folder pointing into tmp_path, to see none made."""
    home = tmp_path / "home"
    home.mkdir()
    return run_cli("protocols", "validate", file, env={
        "HOME": str(home), "XDG_DATA_HOME": str(home / "data"),
        "OBSERVE_APP_DATA_DIR": str(tmp_path / "data-folder")})


def _no_data_folder(tmp_path: Path) -> None:
    assert not (tmp_path / "data-folder").exists()
    assert list((tmp_path / "home").iterdir()) == []


def test_a_valid_protocol_is_described_and_exits_0(tmp_path: Path) -> None:
    file = tmp_path / "scan.json"
    file.write_text(json.dumps(_scan()), encoding="utf-8")
    result = _validate(tmp_path, file)
    assert (result.code, result.err) == (0, "")
    assert result.out == ("scan.json is a valid protocol: Student engagement interval scan, "
                          "2 sections, 3 items.\n")
    _no_data_folder(tmp_path)


def test_every_problem_is_printed_one_a_line_and_exits_1(tmp_path: Path) -> None:
    document = _scan()
    del document["name"]
    scan = document["sections"][0]["items"][0]
    scan["period_seconds"] = 5
    scan["codes"][1]["key"] = scan["codes"][0]["key"]
    file = tmp_path / "scan.json"
    file.write_text(json.dumps(document), encoding="utf-8")
    result = _validate(tmp_path, file)
    assert result.code == 1 and result.out == ""
    label = "“Every 2 minutes: what are students and the teacher doing?”"
    assert result.err.splitlines() == [
        "error: scan.json: A protocol needs a name. (at $.name)",
        f"error: scan.json: An interval scan needs a period of at least 10 seconds: {label} has "
        "5. (at $.sections[0].items[0].period_seconds)",
        f"error: scan.json: Codes in one scan must be different: “listening” is used twice in "
        f"{label}. (at $.sections[0].items[0].codes[1].key)",
    ]
    _no_data_folder(tmp_path)


def test_a_file_that_is_not_json_is_one_line_and_exits_1(tmp_path: Path) -> None:
    file = tmp_path / "notes.json"
    file.write_text('{"id": \n', encoding="utf-8")
    result = _validate(tmp_path, file)
    assert result.code == 1 and result.out == ""
    assert result.err == ("error: notes.json: The file is not valid JSON: line 2, column 1 "
                          "(Expecting value). Check it was saved from a protocol, not a "
                          "spreadsheet or a web page.\n")
    _no_data_folder(tmp_path)


def test_a_missing_file_is_one_line_and_exits_1(tmp_path: Path) -> None:
    result = _validate(tmp_path, tmp_path / "gone.json")
    assert (result.code, result.out) == (1, "")
    assert result.err == f"error: {tmp_path / 'gone.json'}: There is no such file.\n"
    _no_data_folder(tmp_path)


def test_validate_names_no_data_folder_even_when_given_one(tmp_path: Path) -> None:
    file = tmp_path / "scan.json"
    file.write_text(json.dumps(_scan()), encoding="utf-8")
    folder = tmp_path / "school"
    result = run_cli("protocols", "validate", file, data_dir=folder)
    assert result.code == 0, result.err
    assert not folder.exists()
