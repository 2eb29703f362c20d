"""Goals carried across cycles, and the growth queries against hand-computed figures."""

from __future__ import annotations

import datetime as dt

import pytest

from observe_app.domain.enums import CycleStage, GoalStatus, ItemKind
from observe_app.services import cycles, goals, growth, observations, people, ratings, responses
from tests.services.helpers import T0, version


def _cycle(s, teacher_id, slug, when):  # type: ignore[no-untyped-def]
    v = version(s, slug)
    c = cycles.plan_cycle(s, teacher_id=teacher_id, protocol_version_id=v.id, now=when)
    visit = observations.start_observation(s, c.id, now=when)
    return c, visit, v


def test_goal_is_carried_into_the_next_cycle_until_met(db) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        t = people.add_person(s, "Дмитрий Соколов")
        first, _v1, _ = _cycle(s, t.id, "peer-observation", T0)
        goal = goals.set_goal(s, t.id, "Give three seconds of wait time", cycle_id=first.id)
        second, _v2, _ = _cycle(s, t.id, "peer-observation", T0 + dt.timedelta(days=30))
        assert [g.id for g in goals.goals_for_cycle(s, second.id)] == [goal.id]
        goals.update_goal(s, goal.id, GoalStatus.MET, cycle_id=second.id, comment="Seen at 12:40")
        third, _v3, _ = _cycle(s, t.id, "peer-observation", T0 + dt.timedelta(days=60))
        assert goals.goals_for_cycle(s, third.id) == []
        [history] = goals.goals_for_teacher(s, t.id)
    assert history.status == GoalStatus.MET
    assert [(step.cycle_id, step.status) for step in history.history] == [
        (first.id, GoalStatus.OPEN),
        (second.id, GoalStatus.MET),
    ]


def test_domain_levels_are_means_per_cycle(db) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        t = people.add_person(s, "Aino Mäkelä")
        c1, _o1, v = _cycle(s, t.id, "new-teacher-growth", T0)
        c2, _o2, _ = _cycle(s, t.id, "new-teacher-growth", T0 + dt.timedelta(days=60))
        planning = [
            i for i in v.items_of(ItemKind.RUBRIC) if i.section == "Planning and preparation"
        ]
        environment = [
            i for i in v.items_of(ItemKind.RUBRIC) if i.section == "Classroom environment"
        ]
        ratings.rate(s, c1.id, planning[0].id, 1)
        ratings.rate(s, c1.id, planning[1].id, 2)
        ratings.mark_not_observed(s, c1.id, planning[2].id)
        ratings.rate(s, c1.id, environment[0].id, 2)
        ratings.rate(s, c2.id, planning[0].id, 3)
        ratings.rate(s, c2.id, planning[1].id, 4)
        points = growth.domain_levels(s, t.id)
    got = [(p.cycle_id, p.domain, p.mean_level, p.rated_items) for p in points]
    assert got == [
        (c1.id, "Classroom environment", 2.0, 1),
        (c1.id, "Planning and preparation", 1.5, 2),
        (c2.id, "Planning and preparation", 3.5, 2),
    ]


def test_tally_and_scan_trends(db) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        t = people.add_person(s, "Nguyễn Thị Hương")
        _c1, o1, q = _cycle(s, t.id, "questioning-wait-time", T0)
        _c2, o2, _ = _cycle(s, t.id, "questioning-wait-time", T0 + dt.timedelta(days=90))
        open_q = next(i for i in q.items if i.key == "open-question")
        responses.change_tally(s, o1.id, open_q.id, 3)
        responses.change_tally(s, o2.id, open_q.id, 14)
        _c3, o3, e = _cycle(s, t.id, "engagement-interval-scan", T0 + dt.timedelta(days=100))
        scan = e.items_of(ItemKind.INTERVAL)[0]
        responses.record_interval(s, o3.id, scan.id, 0, ["listening"])
        responses.record_interval(s, o3.id, scan.id, 1, ["group-work"])
        responses.record_interval(s, o3.id, scan.id, 2, ["group-work"])
        responses.record_interval(s, o3.id, scan.id, 3, ["group-work", "guiding"])
        responses.record_interval(s, o3.id, scan.id, 4, [], missed=True)
        tallies = growth.tally_trend(s, t.id)
        scans = growth.scan_trend(s, t.id)
    assert [(p.observation_id, p.item_key, p.count) for p in tallies] == [
        (o1.id, "open-question", 3),
        (o2.id, "open-question", 14),
    ]
    shares = {p.code: p.share for p in scans}
    assert shares == {
        "group-work": pytest.approx(0.75),
        "guiding": pytest.approx(0.25),
        "listening": pytest.approx(0.25),
    }


def test_demo_school(demo_db) -> None:  # type: ignore[no-untyped-def]
    with demo_db.transaction() as s:
        staff = people.list_people(s)
        every = cycles.list_cycles(s)
        names = {p.name for p in staff}
        aino = next(p for p in staff if p.name == "Aino Mäkelä")
        levels = growth.domain_levels(s, aino.id)
        open_questions = [
            p.count for p in growth.tally_trend(s, aino.id) if p.item_key == "open-question"
        ]
    assert len([p for p in staff if p.role.value == "teacher"]) >= 8
    assert {"Aino Mäkelä", "Nguyễn Thị Hương", "Ελένη Γεωργίου", "Дмитрий Соколов"} <= names
    assert len(every) >= 20
    assert {c.stage for c in every} == set(CycleStage)
    assert sum(1 for p in staff if p.mentor_id) >= 4
    by_cycle: dict[str, list[float]] = {}
    for p in levels:
        by_cycle.setdefault(p.cycle_id, []).append(p.mean_level)
    means = [sum(v) / len(v) for v in by_cycle.values()]
    assert means[-1] > means[0] + 1, "a new teacher's levels grow across the year"
    assert open_questions[-1] > open_questions[0] + 5
