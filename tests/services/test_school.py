"""The school's picture against hand-computed figures on a small fixture school, and the
anonymity rules: too few visits or teachers and a figure is withheld, with the reason."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest

from observe_app.domain.enums import CareerStage, CycleStage, GoalStatus, Role
from observe_app.errors import BadInputError
from observe_app.services import (
    cycles,
    goals,
    notes,
    observations,
    people,
    ratings,
    responses,
    school,
)
from observe_app.services.school_period import Scope, dates, school_year_of, term_of
from tests.services.helpers import version

AUTUMN = term_of(dt.date(2025, 10, 1))
SUMMER = AUTUMN.previous()


def _at(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=11, tzinfo=dt.UTC)


def _walk(s: Any, teacher: Any, observer: Any, day: str, seen: set[str],
          tagged: set[str] = frozenset(), room: str = "Room B12",  # type: ignore[assignment]
          version_id: str | None = None) -> str:
    from observe_app.services import protocols

    v = protocols.get_version(s, version_id) if version_id else version(s, "learning-walk")
    c = cycles.plan_cycle(s, teacher_id=teacher.id, observer_id=observer.id,
                          protocol_version_id=v.id, now=_at(day))
    visit = observations.start_observation(s, c.id, subject=teacher.subject, grade="8",
                                           room=room, now=_at(day))
    for item in v.items:
        if item.kind == "lookfor":
            responses.set_checked(s, visit.id, item.id, item.key in seen)
            if item.key in tagged:
                notes.add_note(s, visit.id, "Pairs explain to each other", elapsed_ms=60_000,
                               wall_time=_at(day), item_ids=[item.id])
    observations.end_observation(s, visit.id, 600_000, now=_at(day) + dt.timedelta(minutes=10))
    return c.id


@pytest.fixture
def school_data(db):  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        walker = people.add_person(s, "Walker Leader", role=Role.LEADER)
        maths = [people.add_person(s, name, subject="Maths")
                 for name in ("Aino Mäkelä", "Bruno Costa", "Chidi Okeke")]
        art = [people.add_person(s, name, subject="Art") for name in ("Dana Ionescu", "Eli Stern")]
        never = people.add_person(s, "Farah Haddad", subject="English")
        a, b, c = maths
        # The autumn term: 7 walks of 5 teachers; the goal was visible in 4, and student talk
        # was not ticked in any but had evidence tagged to it in one.
        for teacher, day, seen, tagged in (
                (a, "2025-09-10", {"goal-visible"}, set()),
                (a, "2025-10-10", {"goal-visible", "on-task"}, set()),
                (b, "2025-09-11", {"goal-visible"}, set()),
                (b, "2025-11-12", set(), {"student-talk"}),
                (c, "2025-12-01", {"goal-visible"}, set()),
                (art[0], "2025-10-20", {"on-task"}, set()),
                (art[1], "2025-10-21", set(), set())):
            _walk(s, teacher, walker, day, seen, tagged)
        # The summer term before: 5 walks of 3 teachers; the goal visible in 1.
        for teacher, day, seen in ((a, "2025-05-01", {"goal-visible"}), (b, "2025-05-02", set()),
                                   (c, "2025-06-03", set()), (a, "2025-06-04", set()),
                                   (b, "2025-07-01", set())):
            _walk(s, teacher, walker, day, seen)
    return {"walker": walker, "maths": maths, "art": art, "never": never}


def _pattern(found: Any, label: str) -> Any:
    [pattern] = [p for p in found if p.label == label]
    return pattern


def test_look_for_shares_against_the_term_before(db, school_data) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        found = school.patterns(s, AUTUMN, Scope())
    goal = _pattern(found, "Today's learning goal is visible")
    assert (goal.kind, goal.protocol, goal.measure) == (
        "lookfor", "Learning walk", "share of visits in which it was seen")
    assert (goal.now.value, goal.now.visits, goal.now.teachers) == (4 / 7, 7, 5)
    assert (goal.before.value, goal.before.visits, goal.before.teachers) == (1 / 5, 5, 3)
    assert goal.change == pytest.approx(4 / 7 - 1 / 5)
    talk = _pattern(found, "Students talk about the learning more than the teacher does")
    assert talk.now.value == 1 / 7  # evidence tagged counts as seen, as on the visit's page
    assert talk.before.value == 0
    with db.transaction() as s:  # a private note's tag stays on this laptop, as in the PDF
        [tagged] = s.connection().exec_driver_sql(
            "SELECT DISTINCT note_id FROM visit_note_tags").fetchall()
        notes.set_private(s, tagged[0], True)
        talk = _pattern(school.patterns(s, AUTUMN, Scope()), talk.label)
    assert talk.now.value == 0


def test_the_patterns_read_the_same_where_no_temporary_table_may_be_made(db, school_data) -> None:  # type: ignore[no-untyped-def]
    """The visits are read once into a temporary table for every reader; a connection that may
    only read (or a full disk) refuses it, and each reader then finds the visits itself."""
    with db.transaction() as s:
        found = school.patterns(s, AUTUMN, Scope())
        again = school.patterns(s, AUTUMN, Scope())  # the table is gone after each read
        raw = s.connection().connection.dbapi_connection
        raw.execute("PRAGMA query_only=1")
        try:
            reading_only = school.patterns(s, AUTUMN, Scope())
        finally:
            raw.execute("PRAGMA query_only=0")
    assert found == again == reading_only and len(found) > 5


def test_a_department_of_two_has_its_patterns_withheld(db, school_data) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        art = school.patterns(s, AUTUMN, Scope(subject="Art"))
        art_at_two = school.patterns(s, AUTUMN, Scope(subject="Art"), minimum=2)
    assert art and all(p.now.value is None for p in art + art_at_two)
    assert {p.now.withheld for p in art} == {"withheld: it comes from 2 visits, fewer than 5"}
    assert {p.now.withheld for p in art_at_two} == {
        "withheld: it comes from 2 teachers, fewer than 3, so a teacher could be picked out"}


def test_a_pattern_never_carries_a_name_class_or_room(db, school_data) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        found = school.patterns(s, AUTUMN, Scope())
    words = repr(found)
    for person in (*school_data["maths"], *school_data["art"], school_data["walker"]):
        assert person.name not in words
    assert "Room B12" not in words and "Maths" not in words


def test_the_minimum_is_a_setting_of_the_folder(db) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        assert school.minimum_visits(s) == 5
        school.set_minimum_visits(s, 8)
    with db.transaction() as s:
        assert school.minimum_visits(s) == 8
        with pytest.raises(BadInputError, match="between 2 and 100, not 1"):
            school.set_minimum_visits(s, 1)


def test_coverage_counts_who_observed_whom(db, school_data) -> None:  # type: ignore[no-untyped-def]
    a, b, c = school_data["maths"]
    walker = school_data["walker"]
    with db.transaction() as s:
        seen = school.coverage(s, AUTUMN, Scope(), today=dt.date(2025, 12, 10))
        maths = school.coverage(s, AUTUMN, Scope(subject="Maths"), today=dt.date(2025, 12, 10))
    counts = {t.name: (t.observed, t.observing) for t in seen.teachers}
    assert counts == {"Aino Mäkelä": (2, 0), "Bruno Costa": (2, 0), "Chidi Okeke": (1, 0),
                      "Dana Ionescu": (1, 0), "Eli Stern": (1, 0), "Farah Haddad": (0, 0)}
    assert [t.name for t in seen.never_observed] == ["Farah Haddad"]
    assert {(p.observer_id, p.teacher_id): p.visits for p in seen.pairs} == {
        (walker.id, a.id): 2, (walker.id, b.id): 2, (walker.id, c.id): 1,
        (walker.id, school_data["art"][0].id): 1, (walker.id, school_data["art"][1].id): 1}
    assert [t.name for t in maths.teachers] == ["Aino Mäkelä", "Bruno Costa", "Chidi Okeke"]
    assert dict(seen.stages)[CycleStage.POST_CONFERENCE] == 7  # ended walks wait for feedback


def test_a_scope_is_withheld_where_the_rest_would_show_by_subtraction(db, school_data) -> None:  # type: ignore[no-untyped-def]
    """The whole school's figure less a scope's is the rest's: the maths teachers' autumn
    figures are enough on their own, but beside the whole school's they would give away the
    two art teachers' (a PLC of everyone but art does the same)."""
    everyone_but_art = frozenset(t.id for t in school_data["maths"])
    everyone = everyone_but_art | {t.id for t in school_data["art"]} | {school_data["never"].id}
    with db.transaction() as s:
        maths = school.patterns(s, AUTUMN, Scope(subject="Maths"))
        plc = school.patterns(s, AUTUMN, Scope().with_members(everyone_but_art, "Not art"))
        at_two = school.patterns(s, AUTUMN, Scope(subject="Maths"), minimum=2)
        whole = school.patterns(s, AUTUMN, Scope())
        all_of_us = school.patterns(s, AUTUMN, Scope().with_members(everyone, "All of us"))
        impact = school.impact(s, AUTUMN, Scope(subject="Maths"))
    goal = "Today's learning goal is visible"
    for found in (maths, plc):
        assert {p.now.withheld for p in found} == {
            "withheld: the whole school's figure minus this one would show the rest of the "
            "school's, which comes from 2 visits, fewer than 5"}
        assert (_pattern(found, goal).now.visits, _pattern(found, goal).now.teachers) == (5, 3)
        # The summer term before had maths walks only: no rest to give away.
        assert _pattern(found, goal).before.value == _pattern(whole, goal).before.value == 1 / 5
    assert _pattern(at_two, goal).now.withheld.endswith(
        "which comes from 2 teachers, fewer than 3, so a teacher could be picked out")
    assert [p.now for p in all_of_us] == [p.now for p in whole]  # nothing left to subtract
    autumn_goals = impact.goals_met.points[-1][1]
    assert autumn_goals.value is None and autumn_goals.visits == 0  # no goal judged: nothing


def _walk_doc(s: Any, goal_label: str, description: str) -> dict[str, Any]:
    from observe_app.services import protocols

    doc = copy.deepcopy(protocols.export_document(s, "learning-walk"))
    doc.update(id="our-walk", name="Our walk", description=description)
    doc.pop("version", None)
    for item in (i for section in doc["sections"] for i in section["items"]):
        if item["key"] == "goal-visible":
            item["label"] = goal_label
    return doc


def test_the_rest_is_found_by_the_items_key_whatever_a_version_calls_it(db) -> None:  # type: ignore[no-untyped-def]
    """Art's two walks were on version 1 of a walk; the look-for was reworded in version 2,
    which the maths teachers were walked with. The scope's figure and the rest's are the same
    look-for: Maths is withheld, or Art's two walks would show by subtraction."""
    from observe_app.services import protocols

    with db.transaction() as s:
        walker = people.add_person(s, "Walker Leader", role=Role.LEADER)
        v1 = protocols.import_document(s, _walk_doc(s, "Goal visible", "v1")).protocol
        art = [people.add_person(s, n, subject="Art") for n in ("Dana Ionescu", "Eli Stern")]
        for teacher, day in zip(art, ("2025-10-20", "2025-10-21"), strict=True):
            _walk(s, teacher, walker, day, {"goal-visible"}, version_id=v1.latest_version_id)
        v2 = protocols.import_document(s, _walk_doc(s, "Learning goal visible", "v2")).protocol
        assert v2.latest_version_id != v1.latest_version_id
        maths = [people.add_person(s, n, subject="Maths")
                 for n in ("Aino Mäkelä", "Bruno Costa", "Chidi Okeke")]
        for n, teacher in enumerate(maths * 2):
            _walk(s, teacher, walker, f"2025-11-{10 + n}", {"goal-visible"} if n % 2 else set(),
                  version_id=v2.latest_version_id)
        whole = school.patterns(s, AUTUMN, Scope())
        alone = school.patterns(s, AUTUMN, Scope(subject="Maths"))
    [goal] = [p for p in whole if p.protocol == "Our walk" and p.key == "goal-visible"]
    [maths_goal] = [p for p in alone if p.protocol == "Our walk" and p.key == "goal-visible"]
    assert goal.now.shown and (goal.now.visits, goal.now.teachers) == (8, 5)
    assert maths_goal.now.value is None and maths_goal.now.withheld == (
        "withheld: the whole school's figure minus this one would show the rest of the "
        "school's, which comes from 2 visits, fewer than 5")


def test_a_rest_withheld_for_another_reason_is_said_plainly() -> None:
    from observe_app.services.school_figures import Figure, beside_the_rest

    part = Figure(0.5, 6, 3, "")
    rest = Figure(None, 9, 4, "withheld: beside the figure for everyone it would show the "
                              "one other teacher's mean")
    assert beside_the_rest(part, rest).withheld == (
        "withheld: the whole school's figure minus this one would show the rest of the "
        "school's, itself withheld")
    assert beside_the_rest(part, Figure(0.2, 9, 4, "")) == part


def test_the_patterns_read_the_same_when_the_temporary_store_is_full(db, school_data) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        found = school.patterns(s, AUTUMN, Scope())
        raw = s.connection().connection.dbapi_connection
        raw.execute("PRAGMA temp.max_page_count=1")
        assert school.patterns(s, AUTUMN, Scope()) == found


def test_a_grade_knows_its_teachers_by_the_visits_to_it(db, school_data) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        farah = school_data["never"]
        cycles.plan_cycle(s, teacher_id=farah.id, observer_id=school_data["walker"].id,
                          protocol_version_id=version(s, "learning-walk").id,
                          planned_date=dt.date(2025, 12, 15), now=_at("2025-11-01"))
        whole = school.coverage(s, AUTUMN, Scope(), today=dt.date(2025, 12, 10))
        eighth = school.coverage(s, AUTUMN, Scope(grade="8"), today=dt.date(2025, 12, 10))
        ninth = school.coverage(s, AUTUMN, Scope(grade="9"), today=dt.date(2025, 12, 10))
    assert [t.name for t in whole.never_observed] == ["Farah Haddad"]
    assert dict(whole.stages)[CycleStage.PRE_CONFERENCE] == 1  # planned for December
    assert [t.name for t in eighth.teachers] == [
        "Aino Mäkelä", "Bruno Costa", "Chidi Okeke", "Dana Ionescu", "Eli Stern"]
    assert eighth.never_observed == () and dict(eighth.stages)[CycleStage.PRE_CONFERENCE] == 0
    assert ninth.teachers == () and sum(n for _stage, n in ninth.stages) == 0


def test_a_post_conference_not_held_two_weeks_after_the_visit_is_overdue(db) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        t = people.add_person(s, "Gao Yan")
        o = people.add_person(s, "Hana Novak")
        v = version(s, "peer-observation")
        ids = []
        for day in ("2025-11-01", "2025-11-20"):
            c = cycles.plan_cycle(s, teacher_id=t.id, observer_id=o.id, protocol_version_id=v.id,
                                  now=_at(day))
            visit = observations.start_observation(s, c.id, now=_at(day))
            observations.end_observation(s, visit.id, 1_800_000, now=_at(day))
            ids.append(c.id)
        cover = school.coverage(s, AUTUMN, Scope(), today=dt.date(2025, 11, 25))
        assert [(x.cycle_id, x.days) for x in cover.overdue] == [(ids[0], 24)]
        cycles.move_to_stage(s, ids[0], CycleStage.REFLECTION, now=_at("2025-11-26"))
        assert school.coverage(s, AUTUMN, Scope(), today=dt.date(2025, 11, 30)).overdue == ()


def test_impact_term_by_term_for_new_teachers_and_everyone(db) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        v = version(s, "new-teacher-growth")
        item = next(i for i in v.items if i.kind == "rubric")
        observer = people.add_person(s, "Iris Mentor", role=Role.MENTOR)
        new = [people.add_person(s, f"New {n}", start_date=dt.date(2025, 8, 25),
                                 career_stage=CareerStage.NEW) for n in range(3)]
        old = [people.add_person(s, f"Old Hand {n}", start_date=dt.date(2001, 9, 1))
               for n in range(3)]
        levels = {new[0].id: (1, 2), new[1].id: (2, 3), new[2].id: (1, 3),
                  **{o.id: (4, 4) for o in old}}

        def cycles_of(teacher: Any) -> None:
            for n, day in enumerate(("2025-10-01", "2026-02-02")):
                c = cycles.plan_cycle(s, teacher_id=teacher.id, observer_id=observer.id,
                                      protocol_version_id=v.id, now=_at(day))
                observations.start_observation(s, c.id, now=_at(day))
                ratings.rate(s, c.id, item.id, levels[teacher.id][n])
                if n == 0:
                    goal = goals.set_goal(s, teacher.id, "Wait three seconds", cycle_id=c.id)
                else:
                    goals.update_goal(s, goal.id, GoalStatus.MET if teacher in new[:2]
                                      else GoalStatus.NOT_YET, cycle_id=c.id)

        for teacher in (*new, old[0]):
            cycles_of(teacher)
        year = school_year_of(dt.date(2026, 2, 2))
        # One other teacher: the two lines would give away that teacher's mean.
        alone = school.impact(s, year, Scope(), minimum=3).new_teachers[0].points[-3][1]
        for teacher in old[1:]:
            cycles_of(teacher)
        seen = school.impact(s, year, Scope(), minimum=3)
    assert (alone.value, alone.withheld) == (
        None, "withheld: beside the figure for everyone it would show the one other "
        "teacher's mean")
    assert [t.name for t in seen.terms][-3:] == [
        "Autumn term 2025–26", "Spring term 2025–26", "Summer term 2025–26"]
    [new_line] = seen.new_teachers
    [everyone] = seen.school
    assert new_line.label == everyone.label == item.section
    autumn, spring = new_line.points[-3][1], new_line.points[-2][1]
    assert (autumn.value, autumn.visits, autumn.teachers) == (4 / 3, 3, 3)
    assert spring.value == pytest.approx(8 / 3)
    assert everyone.points[-3][1].value == pytest.approx((1 + 2 + 1 + 4 * 3) / 6)
    assert new_line.points[-1][1].withheld == "nothing was recorded"
    goals_autumn, goals_spring = (f for _t, f in seen.goals_met.points[-3:-1])
    assert (goals_autumn.value, goals_autumn.visits) == (None, 0)  # set, none judged yet
    assert (goals_spring.value, goals_spring.visits) == (2 / 6, 6)


def test_periods_and_the_one_before() -> None:
    assert (AUTUMN.start, AUTUMN.end, AUTUMN.name) == (
        dt.date(2025, 9, 1), dt.date(2025, 12, 31), "Autumn term 2025–26")
    assert (SUMMER.start, SUMMER.end, SUMMER.name) == (
        dt.date(2025, 4, 1), dt.date(2025, 8, 31), "Summer term 2024–25")
    assert term_of(dt.date(2026, 1, 1)).previous() == AUTUMN
    year = school_year_of(dt.date(2026, 3, 1))
    assert (year.start, year.end, year.previous().name) == (
        dt.date(2025, 9, 1), dt.date(2026, 8, 31), "School year 2024–25")
    chosen = dates(dt.date(2025, 10, 1), dt.date(2025, 10, 10))
    assert (chosen.previous().start, chosen.previous().end) == (
        dt.date(2025, 9, 21), dt.date(2025, 9, 30))
    with pytest.raises(BadInputError, match="ends .* before it starts"):
        dates(dt.date(2025, 10, 2), dt.date(2025, 10, 1))


def test_rubric_levels_per_domain_as_shares_of_its_ratings(db) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        v = version(s, "new-teacher-growth")
        item = next(i for i in v.items if i.kind == "rubric")
        mentor = people.add_person(s, "Iris Mentor", role=Role.MENTOR)
        teachers = [people.add_person(s, f"Teacher {n}") for n in range(3)]
        for n, (level, day) in enumerate(((1, "2025-10-01"), (1, "2025-10-02"),
                                          (2, "2025-10-03"), (3, "2025-10-04"),
                                          (3, "2025-10-05"), (4, "2025-06-01"))):
            c = cycles.plan_cycle(s, teacher_id=teachers[n % 3].id, observer_id=mentor.id,
                                  protocol_version_id=v.id, now=_at(day))
            observations.start_observation(s, c.id, now=_at(day))
            ratings.rate(s, c.id, item.id, level)
        found = [p for p in school.patterns(s, AUTUMN, Scope()) if p.kind == "rubric"]
    shares = {p.label: (p.now.value, p.now.visits, p.now.teachers) for p in found}
    assert shares == {"1 Beginning": (2 / 5, 5, 3), "2 Developing": (1 / 5, 5, 3),
                      "3 Proficient": (2 / 5, 5, 3), "4 Accomplished": (0, 5, 3)}
    assert {p.group for p in found} == {item.section}
    before = {p.label: p.before for p in found}
    assert before["4 Accomplished"].withheld == "withheld: it comes from 1 cycle, fewer than 5"
