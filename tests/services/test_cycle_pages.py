"""Cycle lists paged in SQL: pages join up with nothing lost or repeated, in every sort and
filter, and a cycle's date (kept by triggers) follows its planning and its visits."""

from __future__ import annotations

import datetime as dt

import pytest

from observe_app.domain.enums import CycleStage
from observe_app.domain.models import Observation
from observe_app.services import cycle_pages, cycles, observations, people
from tests.services.helpers import T0, version

NAMES = ("Aino Mäkelä", "Ólafur Jónsson", "ben okafor", "Дмитрий Соколов")
FOCUSES = ("Open questions", "Wait time", "Exit tickets", "open-ended TASKS")


@pytest.fixture
def school(db):  # type: ignore[no-untyped-def]
    """23 cycles over four teachers, three protocols and every stage; some visited."""
    with db.transaction() as s:
        staff = [people.add_person(s, n) for n in NAMES]
        slugs = ("new-teacher-growth", "peer-observation", "questioning-wait-time")
        for n in range(23):
            teacher, observer = staff[n % 4], staff[(n + 1) % 4]
            c = cycles.plan_cycle(
                s, teacher_id=teacher.id, observer_id=observer.id if n % 5 else None,
                protocol_version_id=version(s, slugs[n % 3]).id, focus=FOCUSES[n % 4],
                planned_date=dt.date(2026, 1, 1) + dt.timedelta(days=n * 3 % 23),
                now=T0 + dt.timedelta(minutes=n))
            if n % 3 == 0:
                observations.start_observation(s, c.id, now=T0 + dt.timedelta(days=40 + n))
            cycles.move_to_stage(s, c.id, list(CycleStage)[n % 5])
    return db


def _all_pages(s, limit: int, **query) -> list[cycles.CycleSummary]:  # type: ignore[no-untyped-def]
    rows: list[cycles.CycleSummary] = []
    while True:
        page = cycles.page_cycles(s, offset=len(rows), limit=limit, **query)
        rows += page
        if len(page) < limit:
            return rows


def _shown_key(sort: str, c: cycles.CycleSummary):  # type: ignore[no-untyped-def]
    return {"date": c.date, "teacher": c.teacher_name.lower(),
            "observer": (c.observer_name or "").lower(), "protocol": c.protocol_name.lower(),
            "stage": list(CycleStage).index(c.stage), "visits": c.observation_count,
            "focus": c.focus.lower()}[sort]


def test_pages_join_up_in_every_sort(school) -> None:  # type: ignore[no-untyped-def]
    with school.transaction() as s:
        every = cycles.list_cycles(s)
        for sort in cycle_pages.SORTS:
            for descending in (False, True):
                for limit in (1, 5, 23, 200):
                    rows = _all_pages(s, limit, sort=sort, descending=descending)
                    # none lost, none twice, in the order the column shows
                    assert sorted(c.id for c in rows) == sorted(c.id for c in every)
                    keys = [_shown_key(sort, c) for c in rows]
                    assert keys == sorted(keys, reverse=descending), (sort, descending)
                for n, c in enumerate(rows):
                    assert cycles.cycle_position(s, c.id, sort=sort,
                                                 descending=descending) == n
        # the date sort is exactly list_cycles' order
        assert [c.id for c in _all_pages(s, 6)] == [c.id for c in every]


def test_past_the_end_is_an_empty_page(school) -> None:  # type: ignore[no-untyped-def]
    with school.transaction() as s:
        assert len(cycles.page_cycles(s, offset=20, limit=5)) == 3
        assert cycles.page_cycles(s, offset=23, limit=5) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("mäkelä", lambda c: "Mäkelä" in c.teacher_name or "Mäkelä" in (c.observer_name or "")),
    ("óLAFUR", lambda c: "Ólafur" in c.teacher_name or "Ólafur" in (c.observer_name or "")),
    ("ДМИТ", lambda c: "Дмитрий" in c.teacher_name or "Дмитрий" in (c.observer_name or "")),
    ("open", lambda c: "open" in c.focus.lower()),
    ("Wait", lambda c: "wait" in c.focus.lower() or "wait" in c.protocol_name.lower()),
    ("reflection", lambda c: c.stage is CycleStage.REFLECTION),
    ("2026-01-0", lambda c: c.date.astimezone().date().isoformat().startswith("2026-01-0")),
    ("100%", lambda c: False),  # LIKE's wildcards are the user's text, not wildcards
    ("nobody", lambda c: False),
])
def test_the_filter_matches_shown_text_in_sql(school, text, expected) -> None:  # type: ignore[no-untyped-def]
    with school.transaction() as s:
        every = cycles.list_cycles(s)
        rows = _all_pages(s, 4, text=text, descending=True)
        assert sorted(c.id for c in rows) == sorted(c.id for c in every if expected(c))
        assert [c.date for c in rows] == sorted((c.date for c in rows), reverse=True)
        outside = [c for c in every if not expected(c)]
        if outside:
            assert cycles.cycle_position(s, outside[0].id, text=text) is None


def test_stages_and_filter_together(school) -> None:  # type: ignore[no-untyped-def]
    waiting = (CycleStage.PRE_CONFERENCE, CycleStage.OBSERVATION)
    with school.transaction() as s:
        rows = _all_pages(s, 2, stages=waiting, text="aino")
        assert rows and all(c.stage in waiting for c in rows)
        assert all("Aino" in c.teacher_name or "Aino" in (c.observer_name or "") for c in rows)
        assert len(rows) == len([c for c in cycles.list_cycles(s, stages=waiting)
                                 if "Aino" in c.teacher_name + (c.observer_name or "")])


def test_a_cycles_date_follows_its_plan_and_its_visits(school) -> None:  # type: ignore[no-untyped-def]
    with school.transaction() as s:
        newest = cycles.page_cycles(s, descending=True, limit=1)[0]
        oldest = next(c for c in _all_pages(s, 50) if c.stage is not CycleStage.CLOSED)
        before = cycles.cycle_position(s, oldest.id)
        # A visit a year on makes the oldest open cycle the newest.
        visit = observations.start_observation(s, oldest.id, now=T0 + dt.timedelta(days=400))
        assert cycles.page_cycles(s, descending=True, limit=1)[0].id == oldest.id
        # Planning a cycle without visits for later moves it, too.
        unvisited = next(c for c in cycles.list_cycles(s) if not c.observation_count)
        cycles.update_pre_conference(s, unvisited.id, focus="", evidence_to_collect="",
                                     planned_date=dt.date(2028, 1, 1))
        assert cycles.page_cycles(s, descending=True, limit=1)[0].id == unvisited.id
        assert cycles.cycle_position(s, newest.id, descending=True) == 2
        # A deleted visit no longer dates its cycle.
        s.delete(s.get(Observation, visit.id))
        s.flush()
        assert cycles.cycle_position(s, oldest.id) == before
        every = cycles.list_cycles(s)
        assert [c.id for c in _all_pages(s, 7)] == [c.id for c in every]


def test_an_unknown_sort_is_refused(school) -> None:  # type: ignore[no-untyped-def]
    with school.transaction() as s, pytest.raises(ValueError, match="sorted by"):
        cycles.page_cycles(s, sort="shoe size")
