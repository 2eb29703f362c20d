"""A visit left open for days and resumed: the PDF header gives lesson time, not the absence."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pdf_helpers import pdf_text

from observe_app import reports
from observe_app.services import cycles, notes, observations, people, protocols
from observe_app.storage.engine import Database

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)  # a Monday
BACK = START + dt.timedelta(days=3, hours=1)  # Thursday 10:00


def _left_open(db: Database) -> tuple[str, str]:
    with db.transaction() as s:
        teacher = people.add_person(s, "Ana Lima")
        version = protocols.find_protocol(s, "peer-observation").latest_version_id
        cycle = cycles.plan_cycle(s, teacher_id=teacher.id, protocol_version_id=version,
                                  now=START - dt.timedelta(days=1))
        visit = observations.start_observation(s, cycle.id, subject="Maths", now=START)
        notes.add_note(s, visit.id, "Pairs explain their method",
                       wall_time=START + dt.timedelta(minutes=5), elapsed_ms=5 * 60_000)
        notes.add_note(s, visit.id, "Exit ticket handed out",
                       wall_time=START + dt.timedelta(minutes=20), elapsed_ms=20 * 60_000)
        return cycle.id, visit.id


def _header(db: Database, cycle_id: str, tmp_path: Path) -> str:
    out = tmp_path / "summary.pdf"
    reports.export_cycle(db, cycle_id, out, tz=dt.UTC)
    return pdf_text(out)[0]


def test_ended_at_its_last_note_the_header_shows_the_lesson(db: Database,
                                                            tmp_path: Path) -> None:
    cycle_id, visit_id = _left_open(db)
    with db.transaction() as s:
        observations.end_at_last_note(s, visit_id)
    text = _header(db, cycle_id, tmp_path)
    assert "Monday 2 March 2026, 09:00–09:20 · 20 minutes of lesson" in text


def test_resumed_days_later_the_header_counts_only_lesson_time(db: Database,
                                                               tmp_path: Path) -> None:
    cycle_id, visit_id = _left_open(db)
    with db.transaction() as s:
        observations.go_on_after_gap(s, visit_id, now=BACK)
        ended_ms = observations.elapsed_ms_at(s, visit_id, BACK + dt.timedelta(minutes=15))
        observations.end_observation(s, visit_id, ended_ms, now=BACK + dt.timedelta(minutes=15))
    text = _header(db, cycle_id, tmp_path)
    # 20 minutes on Monday and 15 on Thursday: 35 minutes of lesson, not three days.
    assert "Monday 2 March 2026, 09:00 – 5 March 2026, 10:15 · 35 minutes of lesson" in text
