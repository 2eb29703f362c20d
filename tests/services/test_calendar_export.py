"""The calendar of open cycles: UIDs from the cycles, a SEQUENCE that rises only when an event
changes, all-day dates, the --teacher filter, and nothing recorded when the file is not written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from observe_app.domain.enums import CycleStage
from observe_app.domain.models import CalendarEvent
from observe_app.errors import BadInputError, NotFoundError
from observe_app.services import calendar_export, co_observation, cycles, observations, people
from observe_app.storage.engine import Database
from tests.services.helpers import version

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _events(path: Path) -> dict[str, dict[str, object]]:
    calendar = Calendar.from_ical(path.read_bytes())
    return {str(e["UID"]): {"start": e.decoded("DTSTART"), "sequence": int(e["SEQUENCE"]),
                            "summary": str(e["SUMMARY"]),
                            "description": str(e.get("DESCRIPTION", ""))}
            for e in calendar.walk("VEVENT") if e.get("STATUS") != "CANCELLED"}


def _cancelled(path: Path) -> dict[str, tuple[dt.date, int]]:
    calendar = Calendar.from_ical(path.read_bytes())
    return {str(e["UID"]): (e.decoded("DTSTART"), int(e["SEQUENCE"]))
            for e in calendar.walk("VEVENT") if e.get("STATUS") == "CANCELLED"}


def _school(db: Database) -> dict[str, str]:
    """Ana observed by Ben (planned), Cleo observed by Ana (visited, post-conference due),
    Dev observed by Ben (closed), Ella observed by Ben with Ana co-observing."""
    with db.transaction() as s:
        ids = {name: people.add_person(s, name).id for name in ("Ana", "Ben", "Cleo", "Dev",
                                                               "Ella")}
        v = version(s, "peer-observation").id

        def plan(teacher: str, observer: str, day: dt.date | None) -> str:
            return cycles.plan_cycle(s, teacher_id=ids[teacher], observer_id=ids[observer],
                                     protocol_version_id=v, focus="Wait time",
                                     planned_date=day, now=T0).id

        ids["ana-cycle"] = plan("Ana", "Ben", dt.date(2026, 3, 10))
        ids["cleo-cycle"] = plan("Cleo", "Ana", dt.date(2026, 3, 4))
        visit = observations.start_observation(s, ids["cleo-cycle"], subject="Maths",
                                               grade="7", room="B12",
                                               now=T0 + dt.timedelta(days=2))
        observations.end_observation(s, visit.id, 40 * 60_000, now=T0 + dt.timedelta(days=2))
        cycles.set_next_visit_date(s, ids["cleo-cycle"], dt.date(2026, 4, 1))
        ids["dev-cycle"] = plan("Dev", "Ben", dt.date(2026, 3, 5))
        cycles.move_to_stage(s, ids["dev-cycle"], CycleStage.CLOSED)
        ids["ella-cycle"] = plan("Ella", "Ben", None)
        co_observation.add_co_observer(s, ids["ella-cycle"], ids["Ana"])
    return ids


def _export(db: Database, path: Path, teacher_id: str | None = None):  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        return calendar_export.export_calendar(s, path, teacher_id=teacher_id)


def test_open_cycles_become_all_day_events_with_uids_from_the_cycles(db: Database,
                                                                     tmp_path: Path) -> None:
    ids = _school(db)
    out = tmp_path / "school.ics"
    summary = _export(db, out)
    events = _events(out)
    ana, cleo = ids["ana-cycle"], ids["cleo-cycle"]
    assert set(events) == {f"{ana}-visit@observe-app", f"{cleo}-visit@observe-app",
                           f"{cleo}-post-conference@observe-app",
                           f"{cleo}-follow-up@observe-app"}  # none of the closed cycle's
    assert (summary.events, summary.new, summary.changed, summary.cycles) == (4, 4, 0, 3)
    visit = events[f"{ana}-visit@observe-app"]
    assert visit["start"] == dt.date(2026, 3, 10)  # a date: all day
    assert visit["summary"] == "Visit: Ana observed by Ben"
    assert "Focus: Wait time" in str(visit["description"])
    due = events[f"{cleo}-post-conference@observe-app"]
    assert due["summary"] == "Post-conference due: Cleo with Ana"
    assert due["start"] == dt.date(2026, 3, 4) + dt.timedelta(days=14)
    assert events[f"{cleo}-follow-up@observe-app"]["start"] == dt.date(2026, 4, 1)
    assert {e["sequence"] for e in events.values()} == {0}
    text = out.read_text(encoding="utf-8")
    assert "B12" not in text and "Maths" not in text  # no class or room in a calendar


def test_a_date_change_keeps_the_uid_and_raises_the_sequence(db: Database,
                                                            tmp_path: Path) -> None:
    ids = _school(db)
    out = tmp_path / "school.ics"
    _export(db, out)
    unchanged = _export(db, out)
    assert (unchanged.new, unchanged.changed) == (0, 0)
    assert {e["sequence"] for e in _events(out).values()} == {0}
    with db.transaction() as s:
        cycles.update_pre_conference(s, ids["ana-cycle"], focus="Wait time",
                                     evidence_to_collect="", planned_date=dt.date(2026, 3, 12))
    moved = _export(db, out)
    events = _events(out)
    uid = f"{ids['ana-cycle']}-visit@observe-app"
    assert (moved.new, moved.changed, moved.events) == (0, 1, 4)
    assert events[uid]["start"] == dt.date(2026, 3, 12) and events[uid]["sequence"] == 1
    assert sorted(e["sequence"] for e in events.values()) == [0, 0, 0, 1]
    _export(db, out)
    assert _events(out)[uid]["sequence"] == 1  # exported again unchanged: the same
    with db.transaction() as s:
        cycles.update_pre_conference(s, ids["ana-cycle"], focus="Student talk",
                                     evidence_to_collect="", planned_date=dt.date(2026, 3, 12))
    _export(db, out)
    assert _events(out)[uid]["sequence"] == 2  # what it says changed, not its date


def test_one_person_s_calendar_has_the_cycles_they_are_part_of(db: Database,
                                                               tmp_path: Path) -> None:
    ids = _school(db)
    out = tmp_path / "ana.ics"
    summary = _export(db, out, ids["Ana"])
    events = _events(out)
    # Her own cycle, the one she observes, and the one she co-observes (no date: no event).
    assert summary.cycles == 3
    assert {uid.split("-visit")[0].split("-post")[0].split("-follow")[0] for uid in events} \
        == {ids["ana-cycle"], ids["cleo-cycle"]}
    _export(db, tmp_path / "dev.ics", ids["Dev"])
    assert _events(tmp_path / "dev.ics") == {}  # his only cycle is closed
    with pytest.raises(NotFoundError, match="no person"):
        _export(db, tmp_path / "x.ics", "nobody")


def test_nothing_is_recorded_when_the_file_cannot_be_written(db: Database, tmp_path: Path,
                                                             monkeypatch) -> None:
    _school(db)
    with pytest.raises(BadInputError, match="does not exist"):
        _export(db, tmp_path / "missing" / "school.ics")
    with pytest.raises(BadInputError, match="is a folder"):
        _export(db, tmp_path)

    def disk_full(path: Path, data: bytes) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(calendar_export, "write_private", disk_full)
    with pytest.raises(BadInputError, match="No space left on device"):
        _export(db, tmp_path / "school.ics")
    assert not (tmp_path / "school.ics").exists()
    with db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(CalendarEvent)) == 0


def test_an_event_that_is_no_more_is_sent_as_cancelled(db: Database, tmp_path: Path) -> None:
    """The post-conference is held (the cycle moves on): a calendar that imported its "due"
    event must take it away, so it comes again as cancelled, one SEQUENCE up, once."""
    ids = _school(db)
    out = tmp_path / "school.ics"
    _export(db, out)
    uid = f"{ids['cleo-cycle']}-post-conference@observe-app"
    with db.transaction() as s:
        cycles.move_to_stage(s, ids["cleo-cycle"], CycleStage.REFLECTION)
    _export(db, out)
    assert uid not in _events(out)
    assert _cancelled(out) == {uid: (dt.date(2026, 3, 18), 1)}
    _export(db, out)
    assert _cancelled(out) == {uid: (dt.date(2026, 3, 18), 1)}  # again: the same
    assert _cancelled(tmp_path / "school.ics") and not _cancelled_for(db, tmp_path, ids["Dev"])


def _cancelled_for(db: Database, tmp_path: Path, teacher_id: str) -> dict[str, object]:
    out = tmp_path / "one.ics"
    _export(db, out, teacher_id)
    return dict(_cancelled(out))
