"""`observe-app school report` end to end: the picture as JSON (names in the coordinator's
coverage, none in the patterns), the review written as PDF or CSV, and every bad option
refused in one line with nothing written and the database unchanged."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest

from observe_app import cli
from observe_app.services import protocols
from observe_app.services.school_period import school_year_of
from observe_app.storage.opening import open_database
from tests.cli.conftest import fingerprint, run_cli
from tests.school_helpers import GOAL_VISIBLE, TERM_DAY, School, build_school


@pytest.fixture(scope="module")
def school(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, School]:
    data = tmp_path_factory.mktemp("school") / "data"
    with open_database(data) as db:
        with db.transaction() as s:
            protocols.install_builtins(s)
        built = build_school(db)
    return data, built


def test_json_names_people_in_coverage_and_nobody_in_the_patterns(
        school: tuple[Path, School]) -> None:
    data, built = school
    result = run_cli("school", "report", "--term", TERM_DAY, "--json", data_dir=data)
    assert result.code == 0, result.err
    picture = json.loads(result.out)
    assert picture["period"] == {"name": "Spring term 2025–26", "start": "2026-01-01",
                                 "end": "2026-03-31", "kind": "term"}
    assert picture["before"]["name"] == "Autumn term 2025–26"
    assert {t["name"] for t in picture["coverage"]["teachers"]} == set(built.teachers)
    goal = next(p for p in picture["patterns"] if p["label"] == GOAL_VISIBLE)
    assert goal["now"] == {"value": 0.5, "visits": 12, "teachers": 6, "withheld": ""}
    assert goal["before"]["value"] == pytest.approx(0.2)  # 1 of 5 visits
    anonymous = json.dumps([picture["patterns"], picture["impact"]], ensure_ascii=False)
    for secret in built.secrets():
        assert secret not in anonymous


def test_subject_and_dates_choose_the_scope_and_period(school: tuple[Path, School]) -> None:
    data, _built = school
    result = run_cli("school", "report", "--from", "2026-01-01", "--to", "2026-03-31",
                     "--subject", "Drama", "--json", data_dir=data)
    assert result.code == 0, result.err
    picture = json.loads(result.out)
    assert picture["scope"]["name"] == "Drama" and picture["period"]["kind"] == "custom"
    assert {t["name"] for t in picture["coverage"]["teachers"]} == \
        {"Cressida Fairweather", "Bartholomew Ashgrove"}
    assert all(p["now"]["value"] is None and "2 teachers, fewer than 3" in p["now"]["withheld"]
               for p in picture["patterns"])


def test_the_default_period_is_the_school_year_of_today(school: tuple[Path, School]) -> None:
    data, _built = school
    result = run_cli("school", "report", data_dir=data)
    assert result.code == 0, result.err
    assert result.out.startswith(school_year_of(dt.date.today()).name)


def test_out_writes_the_review_as_pdf_or_csv(school: tuple[Path, School],
                                             tmp_path: Path) -> None:
    data, built = school
    pdf = run_cli("school", "report", "--term", TERM_DAY, "--out", tmp_path / "review.pdf",
                  data_dir=data)
    assert pdf.code == 0, pdf.err
    assert pdf.out.startswith(f"Wrote {tmp_path / 'review.pdf'} (") and "pages)" in pdf.out
    assert (tmp_path / "review.pdf").read_bytes().startswith(b"%PDF")
    table = run_cli("school", "report", "--term", TERM_DAY, "--json", "--out",
                    tmp_path / "figures.CSV", data_dir=data)
    assert table.code == 0, table.err
    json.loads(table.out)  # stdout stays JSON; the line about the file is on stderr
    assert "Wrote" in table.err and "rows)" in table.err
    text = (tmp_path / "figures.CSV").read_text(encoding="utf-8-sig")
    goal = next(r for r in csv.DictReader(text.splitlines()) if r["label"] == GOAL_VISIBLE)
    assert (goal["value"], goal["previous_value"], goal["change"]) == ("0.5", "0.2", "0.3")
    for secret in built.secrets():
        assert secret not in text


@pytest.mark.parametrize(("args", "says"), [
    (["--from", "2026-01-01"], "give both --from and --to, or neither"),
    (["--to", "2026-01-01"], "give both --from and --to, or neither"),
    (["--from", "2026-02-30", "--to", "2026-03-01"], "--from '2026-02-30' is not a date"),
    (["--term", "last spring"], "--term 'last spring' is not a date"),
    (["--from", "2026-03-01", "--to", "2026-02-01"], "ends (2026-02-01) before it starts"),
    (["--term", TERM_DAY, "--from", "2026-01-01", "--to", "2026-02-01"],
     "either --term or --from and --to"),
    (["--out", "{tmp}/review.txt"], "must end in .pdf (the PLC data review) or .csv"),
    (["--out", "{tmp}/missing/review.pdf"], "missing does not exist"),
    (["--out", "{tmp}"], "is a folder; give a file name ending in .pdf or .csv"),
    (["--subject", "Maths"], "no teacher's subject is 'Maths'; the subjects here: Drama, "
                             "History, Mathematics"),
])
def test_bad_options_are_refused_in_one_line_and_nothing_is_written(
        school: tuple[Path, School], tmp_path: Path, args: list[str], says: str,
        capsys: pytest.CaptureFixture[str]) -> None:
    """In this process (a subprocess each would cost the suite half a minute): the same
    `main` the command runs, with its stdout and stderr."""
    data, _built = school
    before = fingerprint(data)
    out = tmp_path / "out"
    out.mkdir()
    # With a file to write where the case has none: a refusal must not write it.
    extra = [] if "--out" in args else ["--out", str(out / "r.pdf")]
    code = cli.main(["--data-dir", str(data), "school", "report",
                     *[a.format(tmp=out) for a in args], *extra])
    printed = capsys.readouterr()
    assert code != 0
    lines = printed.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and says in lines[0], printed.err
    assert printed.out == ""
    assert list(out.iterdir()) == []
    assert fingerprint(data) == before
