"""Deleting (undoable) and archiving people, cycles and visits; lists hide the archived."""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from observe_app.domain.enums import FeedbackKind
from observe_app.errors import BadInputError, NotFoundError
from observe_app.services import (
    cycles,
    goals,
    notes,
    observations,
    people,
    plain_cycles,
    ratings,
    removal,
    responses,
)
from observe_app.storage.engine import Database
from tests.services.helpers import T0, cycle_with_visit

SYNCED = ("people", "cycles", "goals", "feedback_items", "observations", "notes", "note_tags",
          "item_responses", "ratings", "rating_evidence", "goal_cycles", "timer_runs")


def _everything(s: Session) -> dict[str, list[tuple[Any, ...]]]:
    """Every synced row, value for value (rowids and local columns aside), in a fixed order."""
    out = {}
    for table in SYNCED:
        rows = s.execute(text(f"SELECT * FROM {table}")).all()  # noqa: S608
        out[table] = sorted(tuple(r) for r in rows)
    return out


@pytest.fixture
def full_cycle(db: Database) -> dict[str, str]:
    """A cycle with a visit, notes (tagged, one as evidence), a prompt's answer, a rating,
    feedback and a goal set in it."""
    with db.transaction() as s:
        teacher, cycle, visit, version = cycle_with_visit(s)
        rubric = next(i for i in version.items if i.kind == "rubric")
        prompt = next(i for i in version.items if i.kind == "prompt")
        first = notes.add_note(s, visit.id, "Asked why twice", wall_time=T0, elapsed_ms=1000,
                               item_ids=[rubric.id])
        second = notes.add_note(s, visit.id, "Pairs explained", wall_time=T0, elapsed_ms=2000)
        responses.set_text(s, visit.id, prompt.id, "Glow: the hook")
        ratings.rate(s, cycle.id, rubric.id, 3, "clear")
        ratings.link_evidence(s, cycle.id, rubric.id, first.id)
        cycles.add_feedback(s, cycle.id, FeedbackKind.GLOW, "Warm start")
        goals.set_goal(s, teacher.id, "More wait time", cycle_id=cycle.id)
    return {"teacher": teacher.id, "cycle": cycle.id, "visit": visit.id, "note": first.id,
            "second_note": second.id}


def _count(s: Session, sql: str, **values: Any) -> int:
    return int(s.scalar(text(sql), values) or 0)


def test_delete_cycle_removes_it_and_keeps_what_undo_needs(db: Database,
                                                           full_cycle: dict[str, str]) -> None:
    with db.transaction() as s:
        asked = removal.what_would_be_removed(s, "cycles", full_cycle["cycle"])
    assert (asked.visits, asked.notes, asked.responses, asked.ratings, asked.feedback) == (
        1, 2, 1, 1, 1)
    assert asked.label.startswith("Aino Mäkelä · ") and asked.label.endswith("Open questions")
    with db.transaction() as s:
        removed = removal.delete_cycle(s, full_cycle["cycle"])
    assert removed == asked
    with db.transaction() as s:
        assert _count(s, "SELECT count(*) FROM cycles") == 0
        assert _count(s, "SELECT count(*) FROM notes") == 0
        assert _count(s, "SELECT count(*) FROM observations") == 0
        # One tombstone, for the cycle itself; the rest went with it and is kept.
        assert s.execute(text("SELECT tbl, row_id, alive FROM sync_deleted")).all() == [
            ("cycles", full_cycle["cycle"], 0)]
        kept = {t for (t,) in s.execute(text("SELECT DISTINCT tbl FROM sync_archive"))}
        assert {"cycles", "observations", "notes", "note_tags", "ratings", "rating_evidence",
                "feedback_items", "item_responses", "goal_cycles"} <= kept
        deleted = removal.list_deleted(s)
    assert [(d.table, d.row_id, d.label) for d in deleted] == [
        ("cycles", full_cycle["cycle"], asked.label)]
    assert deleted[0].deleted_at is not None
    assert abs(deleted[0].deleted_at - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=1)


def test_restore_brings_the_cycle_back_value_for_value(db: Database,
                                                       full_cycle: dict[str, str]) -> None:
    with db.transaction() as s:
        before = _everything(s)
        removal.delete_cycle(s, full_cycle["cycle"])
    with db.transaction() as s:
        restored = removal.restore_deleted(s, "cycles", full_cycle["cycle"])
    assert restored.row_id == full_cycle["cycle"]
    with db.transaction() as s:
        assert _everything(s) == before  # the goal set in it points at it again, too
        assert s.execute(text("SELECT alive FROM sync_deleted WHERE row_id = :id"),
                         {"id": full_cycle["cycle"]}).scalar() == 1
        assert _count(s, "SELECT count(*) FROM sync_archive") == 0
        assert removal.list_deleted(s) == []
        # The cycle reads as before, through the services, and is listed again.
        assert cycles.get_summary(s, full_cycle["cycle"]).observation_count == 1
        assert [n.text for n in notes.list_notes(s, full_cycle["visit"])] == [
            "Asked why twice", "Pairs explained"]
    with db.transaction() as s, pytest.raises(BadInputError, match="restored already"):
        removal.restore_deleted(s, "cycles", full_cycle["cycle"])


def test_a_note_deleted_before_its_cycle_stays_deleted(db: Database,
                                                       full_cycle: dict[str, str]) -> None:
    with db.transaction() as s:
        notes.delete_note(s, full_cycle["second_note"])
    with db.transaction() as s:
        removal.delete_cycle(s, full_cycle["cycle"])
    with db.transaction() as s:
        removal.restore_deleted(s, "cycles", full_cycle["cycle"])
    with db.transaction() as s:
        assert [n.text for n in notes.list_notes(s, full_cycle["visit"])] == ["Asked why twice"]
        assert s.execute(text("SELECT alive FROM sync_deleted WHERE row_id = :id"),
                         {"id": full_cycle["second_note"]}).scalar() == 0


def test_a_visit_deleted_before_its_cycle_is_restored_by_itself(
        db: Database, full_cycle: dict[str, str]) -> None:
    with db.transaction() as s:
        removal.delete_visit(s, full_cycle["visit"])
        removal.delete_cycle(s, full_cycle["cycle"])
    with db.transaction() as s:
        assert {d.table for d in removal.list_deleted(s)} == {"cycles", "observations"}
        with pytest.raises(BadInputError, match="restore that first"):
            removal.restore_deleted(s, "observations", full_cycle["visit"])
    with db.transaction() as s:
        removal.restore_deleted(s, "cycles", full_cycle["cycle"])
    with db.transaction() as s:
        assert observations.list_observations(s, full_cycle["cycle"]) == []
        removal.restore_deleted(s, "observations", full_cycle["visit"])
    with db.transaction() as s:
        assert len(notes.list_notes(s, full_cycle["visit"])) == 2
        rating = ratings.ratings_for_cycle(s, full_cycle["cycle"])
        assert [r.evidence_note_ids for r in rating.values()] == [(full_cycle["note"],)]


def test_delete_visit_counts_and_removes_only_that_visit(db: Database,
                                                         full_cycle: dict[str, str]) -> None:
    with db.transaction() as s:
        view = removal.delete_visit(s, full_cycle["visit"])
    assert (view.table, view.visits, view.notes, view.responses) == ("observations", 1, 2, 1)
    with db.transaction() as s:
        assert cycles.get_summary(s, full_cycle["cycle"]).observation_count == 0
        assert _count(s, "SELECT count(*) FROM ratings") == 1  # the cycle's, not the visit's
        assert _count(s, "SELECT count(*) FROM rating_evidence") == 0


def test_a_teacher_of_cycles_is_refused_and_nothing_changes(db: Database, data_dir,
                                                             full_cycle: dict[str, str]) -> None:
    with db.transaction() as s:
        before = _everything(s)
        with pytest.raises(BadInputError) as refused:
            removal.delete_person(s, full_cycle["teacher"])
    assert str(refused.value) == ("Aino Mäkelä is the observed teacher of 1 cycle: delete "
                                  "those cycles first, or archive Aino Mäkelä instead")
    with db.transaction() as s:
        assert _everything(s) == before
        assert _count(s, "SELECT count(*) FROM sync_deleted") == 0


def test_an_observer_or_mentor_is_refused_too(db: Database, full_cycle: dict[str, str]) -> None:
    with db.transaction() as s:
        observer = cycles.get_summary(s, full_cycle["cycle"]).observer_id
        assert observer is not None
        with pytest.raises(BadInputError, match="the observer of 1 cycle"):
            removal.what_would_be_removed(s, "people", observer)
        mentor = people.add_person(s, "Mentor Mia")
        people.add_person(s, "Mentee Max", mentor_id=mentor.id)
        with pytest.raises(BadInputError, match="the mentor of a teacher: choose another"):
            removal.delete_person(s, mentor.id)


def test_delete_and_restore_a_person_with_goals(db: Database) -> None:
    with db.transaction() as s:
        person = people.add_person(s, "Wrong Entry", email="wrong@school.org")
        goals.set_goal(s, person.id, "A goal")
        before = _everything(s)
    with db.transaction() as s:
        view = removal.delete_person(s, person.id)
    assert (view.label, view.goals) == ("Wrong Entry", 1)
    with db.transaction() as s:
        assert people.list_people(s, include_archived=True) == []
        assert _count(s, "SELECT count(*) FROM goals") == 0
        removal.restore_deleted(s, "people", person.id)
    with db.transaction() as s:
        assert _everything(s) == before


def test_restore_of_something_never_deleted_is_refused(db: Database) -> None:
    with db.transaction() as s, pytest.raises(NotFoundError):
        removal.restore_deleted(s, "cycles", "no-such-id")
    with db.transaction() as s, pytest.raises(BadInputError):
        removal.restore_deleted(s, "notes_fts", "x")


def test_archived_people_and_cycles_are_hidden_from_lists(db: Database, data_dir,
                                                          full_cycle: dict[str, str]) -> None:
    with db.transaction() as s:
        removal.archive_person(s, full_cycle["teacher"])
        removal.archive_cycle(s, full_cycle["cycle"])
    with db.transaction() as s:
        names = [p.name for p in people.list_people(s)]
        assert "Aino Mäkelä" not in names and names  # the observer stays
        shown = {p.name: p.archived for p in people.list_people(s, include_archived=True)}
        assert shown["Aino Mäkelä"] is True
        assert cycles.page_cycles(s) == []
        assert [c.archived for c in cycles.page_cycles(s, include_archived=True)] == [True]
        assert cycles.cycle_position(s, full_cycle["cycle"]) is None
        assert cycles.cycle_position(s, full_cycle["cycle"], include_archived=True) == 0
        assert cycles.list_cycles(s, include_archived=False) == []
        # History keeps them: the teacher's cycles and growth.
        assert len(cycles.list_cycles(s, teacher_id=full_cycle["teacher"])) == 1
    conn = sqlite3.connect(db.path)
    try:
        assert plain_cycles.newest_first(conn) == []
        assert plain_cycles.list_cycles(conn, include_archived=False) == []
        assert [c.archived for c in plain_cycles.list_cycles(conn)] == [True]
    finally:
        conn.close()
    with db.transaction() as s:
        removal.unarchive_person(s, full_cycle["teacher"])
        removal.unarchive_cycle(s, full_cycle["cycle"])
    with db.transaction() as s:
        assert "Aino Mäkelä" in [p.name for p in people.list_people(s)]
        assert [c.id for c in cycles.page_cycles(s)] == [full_cycle["cycle"]]
