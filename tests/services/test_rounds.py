"""A round of peer observations: the pairings proposed, the rules they keep (or say they
could not), and the cycles a round plans."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from observe_app.domain.enums import CycleStage
from observe_app.domain.models import Person
from observe_app.errors import BadInputError
from observe_app.services import cycles, people, protocols, rounds
from observe_app.storage.engine import Database
from tests.services.helpers import version

MONDAY = dt.date(2026, 3, 2)


def _staff(s: Session, *subjects: str) -> list[str]:
    return [people.add_person(s, f"Teacher {n}", subject=subject).id
            for n, subject in enumerate(subjects)]


def _past_cycle(s: Session, observer: str, teacher: str, when: dt.datetime) -> None:
    cycles.plan_cycle(s, teacher_id=teacher, observer_id=observer,
                      protocol_version_id=version(s, "peer-observation").id, now=when)


def _is_derangement(proposal: rounds.Proposal, ids: list[str]) -> None:
    observers = [p.observer_id for p in proposal.pairings]
    teachers = [p.teacher_id for p in proposal.pairings]
    assert sorted(observers) == sorted(ids) and sorted(teachers) == sorted(ids)
    assert all(p.observer_id != p.teacher_id for p in proposal.pairings)


@pytest.mark.parametrize("count", [2, 3, 5, 8, 13])
def test_everyone_observes_one_and_is_observed_by_one(db: Database, count: int) -> None:
    with db.transaction() as s:
        ids = _staff(s, *["Science"] * count)
        proposal = rounds.propose_pairings(s, ids)
        again = rounds.propose_pairings(s, list(reversed(ids)))
    _is_derangement(proposal, ids)
    assert proposal.warnings == ()
    # The same group, asked in another order, gets the same pairs (shown in the order asked).
    assert {(p.observer_id, p.teacher_id) for p in again.pairings} == \
        {(p.observer_id, p.teacher_id) for p in proposal.pairings}
    assert [p.observer_id for p in again.pairings] == list(reversed(ids))
    if count == 2:
        [a, b] = ids
        assert {(p.observer_id, p.teacher_id) for p in proposal.pairings} == {(a, b), (b, a)}
    named = {p.observer_id: p.observer_name for p in proposal.pairings}
    assert named[ids[0]] == "Teacher 0"


def test_fewer_than_two_teachers_are_refused_with_what_to_do(db: Database) -> None:
    with db.transaction() as s:
        [only] = _staff(s, "Art")
        for chosen in ([], [only], [only, only]):
            with pytest.raises(BadInputError, match="at least two teachers"):
                rounds.propose_pairings(s, chosen)


def test_no_one_observes_their_mentor_twice_in_a_row(db: Database) -> None:
    with db.transaction() as s:
        mentor, mentee, third = _staff(s, "Science", "Science", "Science")
        s.get(Person, mentee).mentor_id = mentor  # type: ignore[union-attr]
        _past_cycle(s, mentee, mentor, dt.datetime(2026, 1, 10, tzinfo=dt.UTC))
        proposal = rounds.propose_pairings(s, [mentor, mentee, third])
        # A later cycle of someone else as observer: the mentor is fine again.
        _past_cycle(s, mentee, third, dt.datetime(2026, 2, 10, tzinfo=dt.UTC))
        later = rounds.propose_pairings(s, [mentor, mentee, third])
    _is_derangement(proposal, [mentor, mentee, third])
    assert (mentee, mentor) not in {(p.observer_id, p.teacher_id) for p in proposal.pairings}
    assert proposal.warnings == ()
    # With three, the only other ring has the mentee observe the mentor: it is the one left.
    assert (mentee, mentor) in {(p.observer_id, p.teacher_id) for p in later.pairings}
    assert later.warnings == ()


def test_a_rule_that_cannot_be_kept_is_relaxed_and_said(db: Database) -> None:
    with db.transaction() as s:
        mentor, mentee = _staff(s, "Science", "Science")
        s.get(Person, mentee).mentor_id = mentor  # type: ignore[union-attr]
        _past_cycle(s, mentee, mentor, dt.datetime(2026, 1, 10, tzinfo=dt.UTC))
        proposal = rounds.propose_pairings(s, [mentor, mentee], across_subjects=True)
    _is_derangement(proposal, [mentor, mentee])
    assert proposal.warnings == (  # in the order the teachers were given
        "Teacher 0 observes Teacher 1 in the same subject (Science): not every pair of this "
        "group could be across subjects",
        "Teacher 1 observes their own mentor, Teacher 0, twice in a row: no other pairing of "
        "this group avoids it",
        "Teacher 1 observes Teacher 0 in the same subject (Science): not every pair of this "
        "group could be across subjects")


def test_across_subjects_wherever_the_group_allows(db: Database) -> None:
    with db.transaction() as s:
        ids = _staff(s, "Science", "science ", "Art", "Art", "Music", "History")
        subject = {pid: s.get(Person, pid).subject.strip().casefold()  # type: ignore[union-attr]
                   for pid in ids}
        across = rounds.propose_pairings(s, ids, across_subjects=True)
        odd = _staff(s, "Physics", "Physics", "Physics", "Drama")
        lopsided = rounds.propose_pairings(s, odd, across_subjects=True)
    _is_derangement(across, ids)
    assert across.warnings == ()
    assert all(subject[p.observer_id] != subject[p.teacher_id] for p in across.pairings)
    # Three physics teachers and one in drama: the drama teacher can be paired across twice
    # (observing one, observed by another); the third physics teacher cannot be. Two pairs at
    # least stay within physics, and exactly those are said.
    _is_derangement(lopsided, odd)
    same = [p for p in lopsided.pairings if p.teacher_id != odd[3] and p.observer_id != odd[3]]
    assert len(same) == 2
    assert lopsided.warnings == tuple(
        f"{p.observer_name} observes {p.teacher_name} in the same subject (Physics): not every "
        "pair of this group could be across subjects" for p in same)


def test_last_round_s_pairs_are_not_repeated_where_another_way_exists(db: Database) -> None:
    with db.transaction() as s:
        ids = _staff(s, "Art", "Art", "Art", "Art")
        first = rounds.propose_pairings(s, ids)
        for n, p in enumerate(first.pairings):
            _past_cycle(s, p.observer_id, p.teacher_id,
                        dt.datetime(2026, 1, 10 + n, tzinfo=dt.UTC))
        second = rounds.propose_pairings(s, ids)
        pair_of_two = _staff(s, "Art", "Art")
        rounds.create_round(s, rounds.propose_pairings(s, pair_of_two).pairings,
                            protocols.find_protocol(s, "peer-observation").id, MONDAY, MONDAY)
        again = rounds.propose_pairings(s, pair_of_two)
    before = {(p.observer_id, p.teacher_id) for p in first.pairings}
    assert not before & {(p.observer_id, p.teacher_id) for p in second.pairings}
    assert second.warnings == ()
    # Two teachers can only observe each other again: said, not refused.
    assert len(again.warnings) == 2 and all("again, as in their last cycle as observer" in w
                                            for w in again.warnings)


def test_check_pairings_says_what_an_adjusted_round_leaves_out(db: Database) -> None:
    with db.transaction() as s:
        a, b, c = _staff(s, "Art", "Art", "Music")
        assert rounds.check_pairings(s, [(a, b), (b, c), (c, a)]) == ()
        said = rounds.check_pairings(s, [(a, b), (b, a), (c, b)], across_subjects=True)
    assert said == ("Teacher 0 observes Teacher 1 in the same subject (Art)",
                    "Teacher 1 observes Teacher 0 in the same subject (Art)",
                    "Teacher 1 is observed by 2 colleagues in this round",
                    "nobody observes Teacher 2 in this round")


def test_a_round_plans_one_cycle_per_pairing_on_school_days(db: Database) -> None:
    with db.transaction() as s:
        ids = _staff(s, "Art", "Music", "History", "Science", "Drama")
        proposal = rounds.propose_pairings(s, ids)
        peer = protocols.find_protocol(s, "peer-observation")
        friday = MONDAY + dt.timedelta(days=4)
        made = rounds.create_round(s, proposal.pairings, peer.id, friday,
                                   friday + dt.timedelta(days=7), "Student talk")
        planned = [cycles.get_summary(s, cid) for cid in made]
    assert [(c.observer_id, c.teacher_id) for c in planned] == \
        [(p.observer_id, p.teacher_id) for p in proposal.pairings]
    days = [c.planned_date for c in planned]
    assert days == sorted(days)
    # Friday to the next Friday: six school days, the weekend skipped, five visits spread.
    assert all(d is not None and d.weekday() < 5 for d in days)
    assert days[0] is not None and days[-1] is not None
    assert friday <= days[0] and days[-1] <= friday + dt.timedelta(days=7)
    assert len(set(days)) == 5
    assert {c.stage for c in planned} == {CycleStage.PRE_CONFERENCE}
    assert {c.focus for c in planned} == {"Student talk"}
    assert {c.protocol_name for c in planned} == {"Peer observation"}


def test_visit_dates_spread_over_the_window() -> None:
    assert rounds.visit_dates(1, MONDAY, MONDAY + dt.timedelta(days=4)) == [
        MONDAY + dt.timedelta(days=2)]
    assert rounds.visit_dates(3, MONDAY, MONDAY) == [MONDAY] * 3
    assert rounds.school_days(dt.date(2026, 3, 6), dt.date(2026, 3, 9)) == [
        dt.date(2026, 3, 6), dt.date(2026, 3, 9)]


@pytest.mark.parametrize(("first", "last", "said"), [
    (dt.date(2026, 3, 9), dt.date(2026, 3, 6), "is before its first"),
    (dt.date(2026, 3, 7), dt.date(2026, 3, 8), "no school day"),
    (dt.date(2026, 3, 2), dt.date(2027, 6, 2), "more than a school year"),
])
def test_bad_dates_are_refused_and_nothing_is_planned(db: Database, first: dt.date,
                                                      last: dt.date, said: str) -> None:
    with db.transaction() as s:
        ids = _staff(s, "Art", "Music")
        proposal = rounds.propose_pairings(s, ids)
        peer = protocols.find_protocol(s, "peer-observation")
    with pytest.raises(BadInputError, match=said), db.transaction() as s:
        rounds.create_round(s, proposal.pairings, peer.id, first, last)
    with db.transaction() as s:
        assert cycles.list_cycles(s) == []


def test_a_pairing_the_round_cannot_take_is_refused(db: Database) -> None:
    with db.transaction() as s:
        a, b, c = _staff(s, "Art", "Music", "Drama")
        peer = protocols.find_protocol(s, "peer-observation").id
        with pytest.raises(BadInputError, match="cannot observe themselves"):
            rounds.create_round(s, [(a, b), (b, b)], peer, MONDAY, MONDAY)
        with pytest.raises(BadInputError, match="twice as an observer"):
            rounds.create_round(s, [(a, b), (a, c)], peer, MONDAY, MONDAY)
        with pytest.raises(BadInputError, match="no pairings yet"):
            rounds.create_round(s, [], peer, MONDAY, MONDAY)
        assert cycles.list_cycles(s) == []
