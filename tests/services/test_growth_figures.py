"""More growth queries against figures worked out by hand: timers, scans over two visits,
cleared ratings and other teachers' cycles left out."""

from __future__ import annotations

import datetime as dt

import pytest

from observe_app.domain.enums import ItemKind
from observe_app.services import cycles, growth, observations, people, ratings, responses
from tests.services.helpers import T0, version


def _visit(s, teacher_id, slug, when):  # type: ignore[no-untyped-def]
    v = version(s, slug)
    c = cycles.plan_cycle(s, teacher_id=teacher_id, protocol_version_id=v.id, now=when)
    return c, observations.start_observation(s, c.id, now=when), v


def test_timer_trend_mean_per_visit(db) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        t = people.add_person(s, "Ελένη Γεωργίου")
        _c1, o1, v = _visit(s, t.id, "questioning-wait-time", T0)
        _c2, o2, _ = _visit(s, t.id, "questioning-wait-time", T0 + dt.timedelta(days=40))
        wait = next(i for i in v.items if i.key == "wait-time")
        think = next(i for i in v.items if i.key == "think-time")
        for start, length in ((10_000, 2_000), (60_000, 3_000), (90_000, 4_000)):
            responses.add_timer_run(s, o1.id, wait.id, start, length)
        responses.add_timer_run(s, o1.id, think.id, 120_000, 1_000)
        responses.add_timer_run(s, o2.id, wait.id, 5_000, 5_000)
        responses.add_timer_run(s, o2.id, wait.id, 50_000, 6_000)
        points = growth.timer_trend(s, t.id)
    # Visit 1: wait (2+3+4)/3 = 3.0 s over 3 runs, think 1.0 s; visit 2: wait (5+6)/2 = 5.5 s.
    assert [(p.observation_id, p.item_key, p.runs, p.mean_ms) for p in points] == [
        (o1.id, "wait-time", 3, 3000.0),
        (o1.id, "think-time", 1, 1000.0),
        (o2.id, "wait-time", 2, 5500.0),
    ]


def test_scan_shares_count_empty_intervals_not_missed(db) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        t = people.add_person(s, "Jürgen Weiß")
        _a, first, v = _visit(s, t.id, "engagement-interval-scan", T0)
        _b, second, _ = _visit(s, t.id, "engagement-interval-scan", T0 + dt.timedelta(days=7))
        scan = v.items_of(ItemKind.INTERVAL)[0]
        for i, codes in enumerate((["listening"], ["listening", "group-work"])):
            responses.record_interval(s, first.id, scan.id, i, codes)
        responses.record_interval(s, first.id, scan.id, 2, [], missed=True)
        for i, codes in enumerate((["group-work"], ["group-work"], ["guiding"], [])):
            responses.record_interval(s, second.id, scan.id, i, codes)
        points = growth.scan_trend(s, t.id)
    got = {(p.observation_id, p.code): p.share for p in points}
    # First visit: 2 recorded intervals (the missed one is left out): listening 2/2, group 1/2.
    # Second: 4 recorded (one with nothing ticked still counts): group 2/4, guiding 1/4.
    assert got == {
        (first.id, "listening"): pytest.approx(1.0),
        (first.id, "group-work"): pytest.approx(0.5),
        (second.id, "group-work"): pytest.approx(0.5),
        (second.id, "guiding"): pytest.approx(0.25),
    }
    assert [p.observation_id for p in points][0] == first.id  # oldest visit first


def test_domain_levels_skip_cleared_and_others(db) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        t = people.add_person(s, "José Muñoz")
        other = people.add_person(s, "Zofia Wójcik")
        c, _o, v = _visit(s, t.id, "new-teacher-growth", T0)
        c_other, _o2, _ = _visit(s, other.id, "new-teacher-growth", T0)
        instruction = [i for i in v.items_of(ItemKind.RUBRIC) if i.section == "Instruction"]
        ratings.rate(s, c.id, instruction[0].id, 4)
        ratings.rate(s, c.id, instruction[1].id, 1)
        ratings.rate(s, c.id, instruction[2].id, 3)
        ratings.rate(s, c.id, instruction[2].id, None)  # cleared again
        ratings.rate(s, c_other.id, instruction[0].id, 1)
        points = growth.domain_levels(s, t.id)
    # (4 + 1) / 2 = 2.5 over the two items still rated; Zofia's rating is not José's.
    assert [(p.cycle_id, p.domain, p.mean_level, p.rated_items) for p in points] == [
        (c.id, "Instruction", 2.5, 2),
    ]
