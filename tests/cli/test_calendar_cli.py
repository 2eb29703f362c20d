"""`observe-app calendar --out FILE.ics [--teacher ID]` as a user runs it: one line said, the
file parsed back with icalendar, and a bad --out refused in one line with nothing changed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from icalendar import Calendar

from observe_app.services import cycles, people
from observe_app.storage.engine import Database
from tests.cli.conftest import fingerprint, run_cli
from tests.services.helpers import version


@pytest.fixture
def school(db: Database, data_dir: Path) -> dict[str, str]:
    with db.transaction() as s:
        ana, ben, cleo = (people.add_person(s, n).id for n in ("Ana Lima", "Ben Okafor",
                                                               "Cleo Park"))
        v = version(s, "peer-observation").id
        mine = cycles.plan_cycle(s, teacher_id=ana, observer_id=ben, protocol_version_id=v,
                                 planned_date=dt.date(2026, 3, 10)).id
        cycles.plan_cycle(s, teacher_id=cleo, observer_id=ben, protocol_version_id=v,
                          planned_date=dt.date(2026, 3, 11))
    db.close()
    return {"ana": ana, "ben": ben, "cycle": mine}


def _uids(path: Path) -> dict[str, int]:
    calendar = Calendar.from_ical(path.read_bytes())
    return {str(e["UID"]): int(e["SEQUENCE"]) for e in calendar.walk("VEVENT")}


def test_the_calendar_is_written_and_said_in_one_line(school: dict[str, str], data_dir: Path,
                                                      tmp_path: Path) -> None:
    out = tmp_path / "round.ics"
    result = run_cli("calendar", "--out", out, data_dir=data_dir)
    assert result.code == 0, result.err
    assert result.out == f"Wrote 2 events to {out} (2 new, 0 changed).\n"
    assert len(_uids(out)) == 2 and set(_uids(out).values()) == {0}
    again = run_cli("calendar", "--out", out, "--teacher", school["ana"], data_dir=data_dir)
    assert again.code == 0, again.err
    assert again.out == f"Wrote 1 event to {out} (0 new, 0 changed).\n"
    assert _uids(out) == {f"{school['cycle']}-visit@observe-app": 0}


@pytest.mark.parametrize("where", ["missing/round.ics", ".", "observe.db"])
def test_a_bad_out_is_refused_in_one_line_and_nothing_changes(
        school: dict[str, str], data_dir: Path, tmp_path: Path, where: str) -> None:
    out = (data_dir / where) if where == "observe.db" else (tmp_path / where)
    before = fingerprint(data_dir)
    result = run_cli("calendar", "--out", out, data_dir=data_dir)
    assert result.code != 0 and result.out == ""
    assert result.err.startswith("error: ") and result.err.count("\n") == 1, result.err
    assert fingerprint(data_dir) == before


def test_an_unknown_teacher_is_refused(school: dict[str, str], data_dir: Path,
                                       tmp_path: Path) -> None:
    result = run_cli("calendar", "--out", tmp_path / "x.ics", "--teacher", "nobody",
                     data_dir=data_dir)
    assert result.code != 0
    assert result.err == ("error: no person with id 'nobody'; `observe-app people list` shows "
                          "everyone's id\n")
    assert not (tmp_path / "x.ics").exists()
