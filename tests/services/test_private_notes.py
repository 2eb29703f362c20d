"""Private notes: marked and unmarked, said by every read of a note, kept through a delete and
its undo, and refused on a visit that has been handed in."""

from __future__ import annotations

import datetime as dt

import pytest

from observe_app.errors import BadInputError
from observe_app.services import calibration, co_observation, notes, observations, people
from observe_app.storage.engine import Database
from tests.services.helpers import T0, cycle_with_visit


def _two_notes(db: Database) -> tuple[str, str, str]:
    with db.transaction() as s:
        _t, _c, visit, version = cycle_with_visit(s)
        item = version.items[0].id
        shared = notes.add_note(s, visit.id, "Pairs explain their method", wall_time=T0,
                                elapsed_ms=60_000, item_ids=[item])
        kept = notes.add_note(s, visit.id, "Ravi was upset after the quiz", wall_time=T0,
                              elapsed_ms=120_000, item_ids=[item])
        return visit.id, shared.id, kept.id


def _flags(db: Database, visit_id: str) -> dict[str, bool]:
    with db.transaction() as s:
        return {n.id: n.private for n in notes.list_notes(s, visit_id)}


def test_a_note_marked_private_says_so_wherever_it_is_read(db: Database) -> None:
    visit_id, shared_id, kept_id = _two_notes(db)
    with db.transaction() as s:
        marked = notes.set_private(s, kept_id, True)
        assert marked.private and marked.text == "Ravi was upset after the quiz"
        notes.set_private(s, kept_id, True)  # twice: still one mark
    assert _flags(db, visit_id) == {shared_id: False, kept_id: True}
    with db.transaction() as s:
        assert notes.get_note(s, kept_id).private
        assert notes.edit_note(s, kept_id, "Ravi was upset after the test").private
        assert not notes.set_tags(s, shared_id, []).private
        assert notes.set_private(s, kept_id, False).private is False
    assert _flags(db, visit_id) == {shared_id: False, kept_id: False}


def test_a_private_note_stays_private_through_a_delete_and_its_undo(db: Database) -> None:
    visit_id, shared_id, kept_id = _two_notes(db)
    with db.transaction() as s:
        notes.set_private(s, kept_id, True)
        deleted = notes.delete_note(s, kept_id)
    assert deleted.private
    assert _flags(db, visit_id) == {shared_id: False}
    with db.transaction() as s:
        assert notes.restore_note(s, deleted).private
    assert _flags(db, visit_id) == {shared_id: False, kept_id: True}


def test_a_handed_in_visit_keeps_its_notes_as_they_were_sent(db: Database) -> None:
    with db.transaction() as s:
        _t, cycle, visit, _v = cycle_with_visit(s)
        co_observation.add_co_observer(s, cycle.id, people.add_person(s, "Carla Ruiz").id)
        note = notes.add_note(s, visit.id, "Sent as it is", wall_time=T0, elapsed_ms=5)
        observations.end_observation(s, visit.id, 60_000, now=T0 + dt.timedelta(minutes=1))
        co_observation.hand_in(s, visit.id)
    with db.transaction() as s, pytest.raises(BadInputError, match="handed in"):
        notes.set_private(s, note.id, True)
    assert _flags(db, visit.id) == {note.id: False}


def test_the_calibration_compares_only_what_both_observers_could_see(db: Database) -> None:
    """The other observer never receives a private note, so it is no one's evidence there
    (nor in the calibration PDF, which leaves the laptop)."""
    with db.transaction() as s:
        _t, cycle, first, version = cycle_with_visit(s)
        carla = people.add_person(s, "Carla Ruiz")
        co_observation.add_co_observer(s, cycle.id, carla.id)
        second = observations.start_observation(s, cycle.id, subject="Maths", now=T0,
                                                observer_id=carla.id)
        item = version.items[0].id
        for visit, text in ((first, "Open question at the start"),
                            (second, "Carla saw the open question")):
            notes.add_note(s, visit.id, text, wall_time=T0, elapsed_ms=5, item_ids=[item])
            co_observation.rate_from_visit(s, visit.id, item, 3)
        kept = notes.add_note(s, first.id, "Ravi was upset after the quiz", wall_time=T0,
                              elapsed_ms=9, item_ids=[item])
        notes.set_private(s, kept.id, True)
        for visit in (first, second):
            observations.end_observation(s, visit.id, 60_000, now=T0 + dt.timedelta(hours=1))
            co_observation.hand_in(s, visit.id)
        [pair] = calibration.lesson_agreement(s, cycle.id).pairs
    [rated] = [r for r in pair.ratings if r.item_id == item]
    assert sorted(rated.a_evidence + rated.b_evidence) == [
        "Carla saw the open question", "Open question at the start"]
