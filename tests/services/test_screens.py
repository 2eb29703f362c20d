"""Screen read models: a teacher's growth (the growth view and the PDF), and a live visit as the
live view opens it, each against figures worked out by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from observe_app.domain.enums import GoalStatus, ItemKind
from observe_app.domain.formats import short_label
from observe_app.errors import NotFoundError
from observe_app.services import (
    cycles,
    goals,
    growth,
    notes,
    observations,
    people,
    ratings,
    responses,
    trends,
)
from observe_app.services.growth import DomainPoint
from tests.services.helpers import T0, version

DAY = dt.timedelta(days=1)


def _visit(s, teacher_id, slug, when):  # type: ignore[no-untyped-def]
    v = version(s, slug)
    c = cycles.plan_cycle(s, teacher_id=teacher_id, protocol_version_id=v.id, now=when)
    return c, observations.start_observation(s, c.id, now=when), v


def _school(s):  # type: ignore[no-untyped-def]
    """Hương: two questioning visits (open questions 3 then 14; wait time 2 s then 5 s), a
    scanned visit, two rated cycles and a goal."""
    t = people.add_person(s, "Nguyễn Thị Hương")
    q1, o1, q = _visit(s, t.id, "questioning-wait-time", T0)
    q2, o2, _ = _visit(s, t.id, "questioning-wait-time", T0 + 30 * DAY)
    open_q = next(i for i in q.items if i.key == "open-question")
    wait = next(i for i in q.items if i.key == "wait-time")
    responses.change_tally(s, o1.id, open_q.id, 3)
    responses.change_tally(s, o2.id, open_q.id, 14)
    responses.add_timer_run(s, o1.id, wait.id, 1_000, 2_000)
    responses.add_timer_run(s, o2.id, wait.id, 1_000, 5_000)
    e1, o3, e = _visit(s, t.id, "engagement-interval-scan", T0 + 40 * DAY)
    scan = e.items_of(ItemKind.INTERVAL)[0]
    for i, codes in enumerate((["listening"], ["group-work"], ["group-work", "asking"],
                               ["group-work"])):
        responses.record_interval(s, o3.id, scan.id, i, codes)
    r1, _o4, r = _visit(s, t.id, "new-teacher-growth", T0 + 50 * DAY)
    r2, _o5, _ = _visit(s, t.id, "new-teacher-growth", T0 + 80 * DAY)
    rubric = r.items_of(ItemKind.RUBRIC)
    for item in rubric:
        ratings.rate(s, r1.id, item.id, 2)
        ratings.rate(s, r2.id, item.id, 3)
    goal = goals.set_goal(s, t.id, "Wait three seconds after a question", cycle_id=q1.id)
    goals.update_goal(s, goal.id, GoalStatus.MET, cycle_id=q2.id)
    return t, (q1, q2, e1, r1, r2), (o1, o2, o3), open_q, rubric


def test_teacher_growth_is_shaped_for_a_chart(db) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        t, made, (o1, o2, o3), open_q, rubric = _school(s)
        seen = growth.teacher_growth(s, t.id)
    assert seen.teacher.name == "Nguyễn Thị Hương"
    assert [c.id for c in seen.cycles] == [c.id for c in made]
    assert [g.text for g in seen.goals] == ["Wait three seconds after a question"]
    # Tallies: one line per item, named short, one point per visit at its start.
    line = seen.tallies.line("Open question")
    assert line is not None and short_label(open_q.label) == line.name == "Open question"
    assert [(p.at, p.value) for p in line.points] == [(o1.id, 3), (o2.id, 14)]
    assert [at for at, _when in seen.tallies.moments] == [o1.id, o2.id]
    assert [p.when for p in line.points] == [T0, T0 + 30 * DAY]
    wait = seen.timers.line("Wait time after a question")
    assert wait is not None and [p.value for p in wait.points] == [2.0, 5.0]  # seconds
    # Scans: 4 intervals; group work in 3 (75 %), listening and asking in 1 (25 %).
    named = {line.name: [p.value for p in line.points] for line in seen.scans.lines}
    assert named == {"Listening": [25.0], "Group work": [75.0], "Asking": [25.0]}
    assert [line.key for line in seen.scans.strongest(1).lines] == ["group-work"]
    # Domains: every domain at 2 in the first rated cycle and 3 in the second.
    assert seen.domains and all([p.value for p in line.points] == [2.0, 3.0]
                                for line in seen.domains.lines)
    assert {line.name for line in seen.domains.lines} == {i.section for i in rubric}
    assert [round(mean, 2) for _c, _d, mean in seen.cycle_means] == [2.0, 3.0]
    assert seen.top_level == max(lv.level for i in rubric for lv in i.levels)


def test_growth_so_far_stops_at_the_cycle(db) -> None:  # type: ignore[no-untyped-def]
    """A cycle's PDF tells growth up to that cycle: later cycles and visits are left out."""
    with db.transaction() as s:
        t, (q1, q2, _e1, _r1, _r2), (o1, o2, _o3), _q, _r = _school(s)
        so_far = growth.teacher_growth(s, t.id, until_cycle_id=q2.id)
        first = growth.teacher_growth(s, t.id, until_cycle_id=q1.id)
        with pytest.raises(NotFoundError):
            growth.teacher_growth(s, t.id, until_cycle_id="no-such-cycle")
    assert [c.id for c in so_far.cycles] == [q1.id, q2.id]
    assert [at for at, _when in so_far.tallies.moments] == [o1.id, o2.id]
    assert not so_far.scans and not so_far.domains
    assert [c.id for c in first.cycles] == [q1.id]
    assert [at for at, _when in first.timers.moments] == [o1.id]


def test_the_window_and_the_pdf_read_the_same_growth(db) -> None:  # type: ignore[no-untyped-def]
    from observe_app.reports.data import load_report

    with db.transaction() as s:
        t, made, _visits, _q, _r = _school(s)
        report = load_report(s, made[-1].id)
        whole = growth.teacher_growth(s, t.id)
    assert report.growth == whole  # the last cycle's PDF sees all of it
    assert report.history == whole.cycles and report.teacher == whole.teacher


def test_trend_lines_keep_first_seen_order_and_strongest_is_stable() -> None:
    when = [T0 + i * DAY for i in range(3)]
    points = [DomainPoint("c1", when[0], "Planning", 2.0, 2),
              DomainPoint("c1", when[0], "Instruction", 1.0, 3),
              DomainPoint("c2", when[1], "Planning", 3.0, 2),
              DomainPoint("c3", when[2], "Instruction", 3.5, 3)]
    trend = trends.domain_trend(points)
    assert [line.key for line in trend.lines] == ["Planning", "Instruction"]
    assert trend.position() == {"c1": 0, "c2": 1, "c3": 2}
    assert trend.top == 3.5
    assert [line.key for line in trend.strongest(1).lines] == ["Instruction"]
    assert [line.key for line in trends.Trend(trend.lines[:1] * 2).strongest(5).lines] == [
        "Planning", "Planning"]
    assert trends.cycle_means(points) == [("c1", when[0], 1.5), ("c2", when[1], 3.0),
                                          ("c3", when[2], 3.5)]


def test_live_visit_is_what_the_live_view_opens_with(db) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        t = people.add_person(s, "Ελένη Γεωργίου")
        c, o, v = _visit(s, t.id, "questioning-wait-time", T0)
        open_q = next(i for i in v.items if i.key == "open-question")
        responses.change_tally(s, o.id, open_q.id, 4)
        note = notes.add_note(s, o.id, "Why does ice float?",
                              wall_time=T0 + dt.timedelta(minutes=2), elapsed_ms=120_000)
        notes.save_draft(s, o.id, "Pairs talk", wall_time=T0 + dt.timedelta(minutes=3),
                         elapsed_ms=180_000)
        observations.pause(s, o.id, 300_000, now=T0 + dt.timedelta(minutes=5))
        visit = observations.live_visit(s, o.id, T0 + dt.timedelta(minutes=20))
        with pytest.raises(NotFoundError):
            observations.live_visit(s, "no-such-visit", T0)
    assert visit.observation.id == o.id and visit.observation.paused
    assert visit.cycle.id == c.id and visit.protocol.id == v.id
    assert visit.elapsed_ms == 300_000  # paused at 5:00: the clock waits there
    assert visit.results.counts == {open_q.id: 4}
    assert [n.id for n in visit.notes] == [note.id]
    assert visit.draft is not None and visit.draft.text == "Pairs talk"
