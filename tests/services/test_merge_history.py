"""The history of values that lost a merge: real conflicts made on two laptops with packages,
listed in teachers' words, restored as a new edit here, refused for a deleted row."""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from observe_app.errors import BadInputError
from observe_app.services import cycles, merge_history, notes, observations, people, protocols
from observe_app.storage.engine import Database
from tests.exchange.replicas import Laptops, now


@dataclass
class Conflict:
    laptops: Laptops
    a: Database
    b: Database
    cycle: str
    other_cycle: str
    note: str


def _sql(db: Database, sql: str, *args: object) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db.path)
    try:
        return list(conn.execute(sql, args))
    finally:
        conn.close()


@pytest.fixture
def conflict(tmp_path: Path) -> Iterator[Conflict]:
    """A's reflection, note and other cycle's focus lost to B's newer edits, on both laptops."""
    laptops = Laptops(tmp_path / "laptops")
    a, b = laptops.new("A"), laptops.new("B")
    with a.transaction() as s:
        version = protocols.find_protocol(s, "peer-observation").latest_version_id
        teacher = people.add_person(s, "Ana Silva").id
        cycle = cycles.plan_cycle(s, teacher_id=teacher, protocol_version_id=version,
                                  focus="questions", planned_date=dt.date(2026, 3, 3)).id
        other = cycles.plan_cycle(s, teacher_id=teacher, protocol_version_id=version,
                                  focus="talk", planned_date=dt.date(2026, 4, 1)).id
        visit = observations.start_observation(
            s, cycle, now=dt.datetime(2026, 3, 3, 9, 0, tzinfo=dt.UTC)).id
        note = notes.add_note(s, visit, "students talk", wall_time=now(), elapsed_ms=5).id
    laptops.receive(b, laptops.send(a))
    for db, who in ((a, "A"), (b, "B")):
        with db.transaction() as s:
            cycles.set_reflection(s, cycle, f"reflection from {who}")
            notes.edit_note(s, note, f"students talk ({who})")
            cycles.update_pre_conference(s, other, focus=f"talk ({who})", evidence_to_collect="",
                                         planned_date=dt.date(2026, 4, 1))
        time.sleep(0.01)  # B's edits are the newer ones
    from_b, from_a = laptops.send(b), laptops.send(a)
    laptops.receive(a, from_b)
    laptops.receive(b, from_a)
    yield Conflict(laptops, a, b, cycle, other, note)
    laptops.close()


def test_the_lost_values_are_listed_newest_first_in_teachers_words(conflict: Conflict) -> None:
    with conflict.a.transaction() as s:
        entries = merge_history.list_history(s)
    assert {(e.what, e.field, e.kept, e.current) for e in entries} == {
        ("the cycle of Ana Silva (3 Mar 2026)", "reflection", "reflection from A",
         "reflection from B"),
        ("a note in Ana Silva's visit of 3 Mar 2026", "text", "students talk (A)",
         "students talk (B)"),
        ("the cycle of Ana Silva (1 Apr 2026)", "focus", "talk (A)", "talk (B)")}
    assert [e.id for e in entries] == sorted((e.id for e in entries), reverse=True)
    assert all(e.kept_at.tzinfo is not None and e.can_restore for e in entries)
    # On A, B's package replaced A's values: they came from its sender.
    assert {e.came_from for e in entries} == {"test"}
    with conflict.b.transaction() as s:
        on_b = merge_history.list_history(s)
    # On B, the package's (A's) values lost to B's own: this laptop made what stands.
    assert {(e.field, e.kept, e.came_from) for e in on_b} == {
        ("reflection", "reflection from A", "this laptop"),
        ("text", "students talk (A)", "this laptop"),
        ("focus", "talk (A)", "this laptop")}


def test_a_cycles_history_holds_only_its_own_rows(conflict: Conflict) -> None:
    with conflict.a.transaction() as s:
        mine = merge_history.list_history(s, cycle_id=conflict.cycle)
        other = merge_history.list_history(s, cycle_id=conflict.other_cycle)
        assert merge_history.has_history(s, conflict.cycle)
        assert not merge_history.has_history(s, "no-such-cycle")
    assert {(e.table, e.field) for e in mine} == {("cycles", "reflection"), ("notes", "text")}
    assert {e.cycle_id for e in mine} == {conflict.cycle}
    assert [(e.table, e.field, e.kept) for e in other] == [("cycles", "focus", "talk (A)")]


def test_restoring_writes_the_old_value_as_a_new_edit_and_keeps_the_one_replaced(
        conflict: Conflict) -> None:
    with conflict.a.transaction() as s:
        [entry] = [e for e in merge_history.list_history(s) if e.field == "reflection"]
        merge_history.restore_value(s, entry.id)
    assert _sql(conflict.a, "SELECT reflection FROM cycles WHERE id = ?", conflict.cycle) == [
        ("reflection from A",)]
    [(stamp,)] = _sql(conflict.a, "SELECT stamp FROM sync_stamps WHERE tbl = 'cycles' AND "
                      "row_id = ? AND field = 'reflection'", conflict.cycle)
    [(replica,)] = _sql(conflict.a, "SELECT replica_id FROM sync_replica")
    assert stamp.endswith(replica)  # a new edit here, stamped by the triggers
    with conflict.a.transaction() as s:
        undo = [e for e in merge_history.list_history(s) if e.field == "reflection"][0]
        assert (undo.kept, undo.current, undo.came_from) == (
            "reflection from B", "reflection from A", "this laptop")
        restored = [e for e in merge_history.list_history(s) if e.id == entry.id][0]
        assert not restored.can_restore  # it is the value in use now
        with pytest.raises(BadInputError, match="already"):
            merge_history.restore_value(s, entry.id)
    # The restore wins on B when B next receives from A.
    conflict.laptops.receive(conflict.b, conflict.laptops.send(conflict.a))
    assert _sql(conflict.b, "SELECT reflection FROM cycles WHERE id = ?", conflict.cycle) == [
        ("reflection from A",)]
    # And a restore can itself be undone.
    with conflict.a.transaction() as s:
        merge_history.restore_value(s, undo.id)
    assert _sql(conflict.a, "SELECT reflection FROM cycles WHERE id = ?", conflict.cycle) == [
        ("reflection from B",)]


def test_restoring_into_a_deleted_row_is_refused_and_changes_nothing(
        conflict: Conflict) -> None:
    with conflict.a.transaction() as s:
        notes.delete_note(s, conflict.note)
    before = _sql(conflict.a, "SELECT * FROM sync_history ORDER BY id")
    stamps = _sql(conflict.a, "SELECT * FROM sync_stamps ORDER BY tbl, row_id, field")
    with conflict.a.transaction() as s:
        [entry] = [e for e in merge_history.list_history(s) if e.table == "notes"]
        assert (entry.current, entry.can_restore) == ("(deleted)", False)
        assert entry.what == "a note in Ana Silva's visit of 3 Mar 2026"  # from the archive
        with pytest.raises(BadInputError, match="that note was deleted since; restore it first"):
            merge_history.restore_value(s, entry.id)
    assert _sql(conflict.a, "SELECT * FROM sync_history ORDER BY id") == before
    assert _sql(conflict.a, "SELECT * FROM sync_stamps ORDER BY tbl, row_id, field") == stamps
    assert _sql(conflict.a, "SELECT count(*) FROM notes WHERE id = ?", conflict.note) == [(0,)]


def test_values_are_shown_as_a_teacher_reads_them(conflict: Conflict) -> None:
    """Times in local time, people by name, an empty value as '(empty)'."""
    with conflict.a.transaction() as s:
        words = merge_history._Words(s.connection())
        teacher = _sql(conflict.a, "SELECT id FROM people")[0][0]
        assert words.shown("cycles", "teacher_id", teacher) == "Ana Silva"
        assert words.shown("cycles", "reflection", "") == "(empty)"
        assert words.shown("cycles", "acknowledged_at", None) == "(empty)"
        utc = dt.datetime(2026, 3, 3, 12, 30, tzinfo=dt.UTC)
        assert words.shown("cycles", "acknowledged_at", "2026-03-03 12:30:00.000000") == \
            utc.astimezone().strftime("%d %b %Y, %H:%M")
        assert words.shown("cycles", "stage", "post_conference") == "Post-conference"
        assert words.shown("ratings", "not_observed", 1) == "yes"
        assert words.shown("notes", "elapsed_ms", 65_000) == "01:05"
