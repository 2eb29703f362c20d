"""Migration 0012's note tags by visit follow the note tags whoever writes them: the window's
services, undo, a deleted note or visit, plain SQL (what a package's merge runs), and a
migration down and up again."""

from __future__ import annotations

import datetime as dt
from typing import Any

from observe_app.services import notes, observations, removal
from observe_app.storage import migrate
from tests.services.helpers import T0, cycle_with_visit


def _by_visit(s: Any) -> set[tuple[str, str, str]]:
    return {tuple(r) for r in s.connection().exec_driver_sql(
        "SELECT observation_id, item_id, note_id FROM visit_note_tags")}


def _from_notes(s: Any) -> set[tuple[str, str, str]]:
    return {tuple(r) for r in s.connection().exec_driver_sql(
        "SELECT n.observation_id, t.item_id, t.note_id FROM note_tags t "
        "JOIN notes n ON n.id = t.note_id")}


def test_each_tag_is_kept_beside_its_visit(db) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        _t, cycle, visit, version = cycle_with_visit(s, slug="learning-walk")
        first, second, *_ = [i.id for i in version.items if i.kind == "lookfor"]
        note = notes.add_note(s, visit.id, "Pairs explain their method", wall_time=T0,
                              elapsed_ms=60_000, item_ids=[first, second])
        assert _by_visit(s) == {(visit.id, first, note.id), (visit.id, second, note.id)}
        notes.set_tags(s, note.id, [second])
        assert _by_visit(s) == {(visit.id, second, note.id)}
        gone = notes.delete_note(s, note.id)
        assert _by_visit(s) == set()
        notes.restore_note(s, gone)  # undo
        assert _by_visit(s) == {(visit.id, second, note.id)}
        # Plain SQL, as the merge of a package writes: a note moved to another visit of the
        # cycle, and a tag changed in place.
        other = observations.start_observation(s, cycle.id, subject="Maths",
                                               now=T0 + dt.timedelta(days=7))
        s.connection().exec_driver_sql("UPDATE notes SET observation_id = ? WHERE id = ?",
                                       (other.id, note.id))
        s.connection().exec_driver_sql("UPDATE note_tags SET item_id = ? WHERE note_id = ?",
                                       (first, note.id))
        assert _by_visit(s) == _from_notes(s) == {(other.id, first, note.id)}
        removal.delete_visit(s, other.id)
        assert _by_visit(s) == set()


def test_a_migration_down_and_up_fills_them_from_the_notes(demo_db) -> None:  # type: ignore[no-untyped-def]
    from alembic import command

    with demo_db.transaction() as s:
        before = _by_visit(s)
        assert before and before == _from_notes(s)
    migrate.run_migrations(demo_db, command.downgrade, "0011")
    migrate.run_migrations(demo_db, command.upgrade, "head")
    with demo_db.transaction() as s:
        assert _by_visit(s) == before


def test_a_tag_written_before_its_note_is_kept_too(db) -> None:  # type: ignore[no-untyped-def]
    """A package's merge checks foreign keys at commit: a note's tags may come first."""
    with db.transaction() as s:
        _t, _cycle, visit, version = cycle_with_visit(s, slug="learning-walk")
        item = next(i.id for i in version.items if i.kind == "lookfor")
        conn = s.connection()
        conn.exec_driver_sql("PRAGMA defer_foreign_keys=ON")
        conn.exec_driver_sql("INSERT INTO note_tags (note_id, item_id) VALUES ('n-1', ?)", (item,))
        notes.add_note(s, visit.id, "Arrived after its tag", wall_time=T0, elapsed_ms=1,
                       note_id="n-1")
        assert _by_visit(s) == _from_notes(s) == {(visit.id, item, "n-1")}
