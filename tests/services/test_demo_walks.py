"""The demo school's year of learning walks gives every chart of the School page data: many
short visits to many rooms each term, look-fors that grow and some that stay rare, a subject
too small to show, and each term's scans, tallies, timers and rubric levels."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

import pytest
from sqlalchemy import select

from observe_app.domain.enums import Role
from observe_app.domain.models import (
    Cycle,
    ItemResponse,
    Observation,
    Person,
    Protocol,
    ProtocolItem,
    ProtocolVersion,
)
from observe_app.services import school
from observe_app.services.school_period import Period, Scope, term_of
from observe_app.storage.engine import Database

# The school year 2025–26: autumn (Sept–Dec), spring (Jan–Mar), summer (Apr–Aug).
TERMS = [term_of(dt.date(2025, 10, 1)), term_of(dt.date(2026, 2, 1)),
         term_of(dt.date(2026, 5, 1))]
GROWING = ("goal-visible", "can-say-learning", "challenge")
RARE = ("student-talk", "work-displayed")


def _walks(demo_db: Database) -> list[tuple[Observation, str, str]]:
    """Every learning-walk visit, with its observed teacher's and its walker's ids."""
    with demo_db.transaction() as s:
        rows = s.execute(select(Observation, Cycle.teacher_id, Cycle.observer_id)
                         .join(Cycle, Cycle.id == Observation.cycle_id)
                         .join(ProtocolVersion, ProtocolVersion.id == Cycle.protocol_version_id)
                         .join(Protocol, Protocol.id == ProtocolVersion.protocol_id)
                         .where(Protocol.slug == "learning-walk")).all()
        s.expunge_all()
    return [(obs, teacher, walker) for obs, teacher, walker in rows]


def _term(visit: Observation) -> Period | None:
    day = visit.started_at.astimezone(dt.UTC).date()
    return next((t for t in TERMS if t.holds(day)), None)


def test_a_year_of_short_walks_in_many_rooms_every_term(demo_db: Database) -> None:
    walks = _walks(demo_db)
    in_year = [(v, t) for v, t, _w in walks if _term(v) is not None]
    assert len(in_year) >= 120
    for term in TERMS:
        mine = [(v, t) for v, t in in_year if _term(v) == term]
        assert len(mine) >= 30, term.name
        assert len({t for _v, t in mine}) >= 3, term.name
    for visit, _teacher, _walker in walks:
        assert visit.ended_at is not None
        assert visit.subject and visit.grade and visit.room
        assert 5 * 60_000 <= (visit.duration_ms or 0) <= 15 * 60_000
    assert len({v.room for v, _t, _w in walks}) >= 15
    assert len({v.grade for v, _t, _w in walks}) >= 5
    assert len({v.subject for v, _t, _w in walks}) >= 8
    # Walks are visits of three to five rooms in a row: a walker sees several on one day.
    by_day = Counter((v.started_at.date(), walker) for v, _t, walker in walks)
    assert max(by_day.values()) >= 3


def test_a_subject_of_two_teachers_and_subjects_of_three_or_more(demo_db: Database) -> None:
    with demo_db.transaction() as s:
        subjects = Counter(s.scalars(select(Person.subject).where(Person.role != Role.LEADER)))
    assert 18 <= sum(subjects.values()) <= 20
    assert 2 in subjects.values()
    assert len([n for n in subjects.values() if n >= 3]) >= 2


def test_every_look_for_of_the_walk_is_seen_and_not_seen(demo_db: Database) -> None:
    with demo_db.transaction() as s:
        rows = s.execute(select(ProtocolItem.key, ItemResponse.checked)
                         .join(ItemResponse, ItemResponse.item_id == ProtocolItem.id)
                         .join(ProtocolVersion, ProtocolVersion.id == ProtocolItem.version_id)
                         .join(Protocol, Protocol.id == ProtocolVersion.protocol_id)
                         .where(Protocol.slug == "learning-walk",
                                ProtocolItem.kind == "lookfor")).all()
        keys = set(s.scalars(select(ProtocolItem.key)
                             .join(ProtocolVersion, ProtocolVersion.id == ProtocolItem.version_id)
                             .join(Protocol, Protocol.id == ProtocolVersion.protocol_id)
                             .where(Protocol.slug == "learning-walk",
                                    ProtocolItem.kind == "lookfor")))
    ticks: dict[str, set[bool | None]] = defaultdict(set)
    for key, checked in rows:
        ticks[key].add(checked)
    assert set(ticks) == keys and len(keys) == 7
    for key in keys:
        assert {True, False} <= ticks[key], key


def _walk_shares(demo_db: Database, period: Period, scope: Scope) -> dict[str, float | None]:
    with demo_db.transaction() as s:
        found = school.patterns(s, period, scope)
        keys = dict(s.execute(select(ProtocolItem.label, ProtocolItem.key)
                              .where(ProtocolItem.kind == "lookfor")).all())
    return {keys[p.label]: p.now.value for p in found if p.protocol == "Learning walk"}


def test_the_school_grows_on_its_focus_and_some_look_fors_stay_rare(demo_db: Database) -> None:
    autumn, summer = (_walk_shares(demo_db, t, Scope()) for t in (TERMS[0], TERMS[2]))
    for key in GROWING:
        assert summer[key] is not None and autumn[key] is not None
        assert summer[key] > autumn[key] + 0.1, key
    for key in RARE:
        for shares in (autumn, summer):
            assert shares[key] is not None and 0 < shares[key] < 0.3, key


@pytest.mark.parametrize("subject", ["", "Mathematics", "English", "Science"])
def test_walk_patterns_are_shown_every_term(demo_db: Database, subject: str) -> None:
    for term in TERMS + [term_of(dt.date(2026, 10, 1))]:
        shares = _walk_shares(demo_db, term, Scope(subject=subject))
        assert len(shares) == 7 and None not in shares.values(), (term.name, subject)


def test_a_department_of_two_is_withheld(demo_db: Database) -> None:
    with demo_db.transaction() as s:
        found = [p for p in school.patterns(s, TERMS[1], Scope(subject="History"))
                 if p.protocol == "Learning walk"]
    assert len(found) == 7
    for p in found:
        assert p.now.value is None and p.now.visits >= 5 and p.now.teachers == 2
        assert "2 teachers, fewer than 3" in p.now.withheld


def test_every_kind_of_figure_has_data_every_term(demo_db: Database) -> None:
    for term in TERMS + [term_of(dt.date(2026, 10, 1))]:
        with demo_db.transaction() as s:
            found = school.patterns(s, term, Scope())
        shown = {p.kind for p in found if p.now.shown}
        assert {"lookfor", "interval", "tally", "timer", "rubric"} <= shown, term.name


def test_impact_has_goals_and_new_teachers_levels_every_term(demo_db: Database) -> None:
    for term in TERMS + [term_of(dt.date(2026, 10, 1))]:
        with demo_db.transaction() as s:
            found = school.impact(s, term, Scope())
        assert found.goals_met.points[-1][1].shown, term.name
        assert found.school and all(line.points[-1][1].shown for line in found.school)
        # The new teachers' points: shown, or withheld where the demo has too few others
        # rated that term (the two lines would give those teachers' mean away).
        assert found.new_teachers and all(
            line.points[-1][1].shown or "would show" in line.points[-1][1].withheld
            for line in found.new_teachers), term.name
