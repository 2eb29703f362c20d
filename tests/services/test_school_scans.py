"""Interval-scan patterns against hand-computed shares, and the codes of a scan read in Python
exactly as SQLite's json_each reads them (the reader counts combinations of codes in SQL and
splits them here)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any

import pytest

from observe_app.domain.enums import Role
from observe_app.services import cycles, observations, people, responses, school
from observe_app.services.school_patterns import _json_each
from observe_app.services.school_period import Scope, term_of
from tests.services.helpers import version

AUTUMN = term_of(dt.date(2025, 10, 1))


def _at(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=11, tzinfo=dt.UTC)


def _scan(s: Any, teacher: Any, observer: Any, day: str,
          intervals: list[list[str] | None]) -> None:
    """A visit whose scan recorded `intervals` in turn (None: a missed interval)."""
    v = version(s, "engagement-interval-scan")
    [item] = [i for i in v.items if i.kind == "interval"]
    c = cycles.plan_cycle(s, teacher_id=teacher.id, observer_id=observer.id,
                          protocol_version_id=v.id, now=_at(day))
    visit = observations.start_observation(s, c.id, now=_at(day))
    for index, codes in enumerate(intervals):
        responses.record_interval(s, visit.id, item.id, index, codes or [],
                                  missed=codes is None, now=_at(day))
    observations.end_observation(s, visit.id, 600_000, now=_at(day) + dt.timedelta(minutes=10))


def test_scan_codes_as_shares_of_the_intervals_recorded(db) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        coach = people.add_person(s, "Iris Coach", role=Role.MENTOR)
        a, b, c = (people.add_person(s, name) for name in ("Ada", "Ben", "Cy"))
        # Autumn: 5 visits of 3 teachers, 11 intervals recorded (and 2 missed), one with
        # no code ticked.
        _scan(s, a, coach, "2025-09-15", [["listening"], ["listening", "group-work"], None])
        _scan(s, a, coach, "2025-10-15", [["group-work", "listening"], ["listening"]])
        _scan(s, b, coach, "2025-10-16", [["listening"], [], ["asking"]])
        _scan(s, b, coach, "2025-11-16", [["group-work"], None, ["listening"]])
        _scan(s, c, coach, "2025-12-01", [["asking", "listening"], ["lecturing"]])
        # The summer term before: one visit, one teacher: withheld.
        _scan(s, c, coach, "2025-06-01", [["listening"]])
        found = {p.label: p for p in school.patterns(s, AUTUMN, Scope())
                 if p.kind == "interval"}
    assert set(found) == {"Listening", "Group work", "Asking", "Lecturing"}
    listening = found["Listening"]
    assert (listening.group, listening.measure) == (
        "Every 2 minutes: what are students and the teacher doing?",
        "share of intervals in which it was seen")
    assert (listening.now.value, listening.now.visits, listening.now.teachers) == (7 / 11, 5, 3)
    assert found["Group work"].now.value == 3 / 11
    assert found["Asking"].now.value == 2 / 11
    assert found["Lecturing"].now.value == 1 / 11
    assert listening.before.withheld == "withheld: it comes from 1 visit, fewer than 5"
    assert found["Asking"].before.withheld == "nothing was recorded"


@pytest.mark.parametrize("codes", [
    '["listening", "group-work"]', '["a","a"]', "[]", '[1, 2.5, true, false, null]',
    '[["nested", 1], {"k": "v"}]', '{"x": "a", "y": 2}', '"alone"', "7", "null",
    '["Ä ünïcode", "\\u00e9"]'])
def test_codes_read_as_json_each_reads_them(codes: str) -> None:
    conn = sqlite3.connect(":memory:")
    expected = [value for (value,) in conn.execute("SELECT value FROM json_each(?)", (codes,))]
    assert _json_each(codes) == expected
