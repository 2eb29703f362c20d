"""Full-text search over notes and feedback, in any script, kept in step with edits."""

from __future__ import annotations

import pytest

from observe_app.domain.enums import FeedbackKind
from observe_app.services import cycles, notes, search
from tests.services.helpers import T0, cycle_with_visit


@pytest.mark.parametrize("words", ["Mäkelä", "Makela", "học sinh", "hoc sinh", "ερώτηση",
                                   "вопрос", "Opettaja kysyy"])
def test_demo_notes_found_in_any_script(demo_db, words: str) -> None:  # type: ignore[no-untyped-def]
    with demo_db.transaction() as s:
        hits = search.search(s, words)
    assert hits, f"nothing found for {words!r}"
    assert all(h.kind in ("note", "feedback", "cycle") for h in hits)
    found = [h for h in hits if h.kind == "note"]
    assert found and all(h.observation_id and h.elapsed_ms is not None for h in found)
    matched = "".join(t for part in found[:5] for t, is_match in part.snippet_parts() if is_match)
    assert matched


def test_index_follows_add_edit_delete(db) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        _t, c, visit, _v = cycle_with_visit(s)
        note = notes.add_note(s, visit.id, "Students explain with number lines", wall_time=T0,
                              elapsed_ms=61_000)
        cycles.add_feedback(s, c.id, FeedbackKind.GLOW, "Wonderful number talk")
        assert [h.ref_id for h in search.search(s, "number lines")] == [note.id]
        assert {h.kind for h in search.search(s, "number")} == {"note", "feedback"}
        notes.edit_note(s, note.id, "Students explain with fraction walls")
        assert search.search(s, "lines") == []
        assert [h.elapsed_ms for h in search.search(s, "fraction")] == [61_000]
        notes.delete_note(s, note.id)
        assert search.search(s, "fraction") == []


@pytest.mark.parametrize(("typed", "query"), [
    ("wait time", '"wait" "time"*'),
    ("w", '"w"'),
    ('"OR -* NEAR(', '"OR" "NEAR"*'),
    ("   ", None),
    ("ερώτ", '"ερώτ"*'),
])
def test_typed_text_becomes_a_safe_query(typed: str, query: str | None) -> None:
    assert search.fts_query(typed) == query


def test_punctuation_only_search_is_empty(db) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        assert search.search(s, "*** ((") == []


def _fts_sound(s) -> bool:  # type: ignore[no-untyped-def]
    """FTS5's own check of the index against the notes; it raises if they disagree."""
    from sqlalchemy import text
    from sqlalchemy.exc import DatabaseError

    try:
        s.execute(text("INSERT INTO notes_fts(notes_fts, rank) VALUES ('integrity-check', 1)"))
    except DatabaseError:
        return False
    return True


def test_notes_edited_or_deleted_before_indexing_keep_the_index_sound(db) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        _t, _c, visit, _v = cycle_with_visit(s)
        kept = notes.add_note(s, visit.id, "Pairs compare fraction walls", wall_time=T0,
                              elapsed_ms=1000)
        gone = notes.add_note(s, visit.id, "Hands up for every question", wall_time=T0,
                              elapsed_ms=2000)
    with db.transaction() as s:  # neither note is in the index yet
        notes.edit_note(s, kept.id, "Pairs compare number lines")
        notes.delete_note(s, gone.id)
    with db.transaction() as s:
        assert [h.ref_id for h in search.search(s, "number lines")] == [kept.id]
        assert search.search(s, "fraction") == [] and search.search(s, "hands") == []
        assert search.index_new_notes(s) == 0  # caught up by the search
        assert _fts_sound(s)


def test_saving_a_note_leaves_the_index_to_later(db) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    with db.transaction() as s:
        _t, _c, visit, _v = cycle_with_visit(s)
        notes.add_note(s, visit.id, "Exit ticket on wait time", wall_time=T0, elapsed_ms=0)
        pending = s.scalar(text("SELECT count(*) FROM notes WHERE search_indexed = 0"))
        assert pending == 1
        assert search.index_new_notes(s) == 1
        assert [h.kind for h in search.search(s, "exit ticket")] == ["note"]
        assert _fts_sound(s)


def test_a_search_never_waits_for_a_lock(db) -> None:  # type: ignore[no-untyped-def]
    """Another program holding the write lock: the search answers at once, from the index."""
    import sqlite3
    import time

    with db.transaction() as s:
        _t, _c, visit, _v = cycle_with_visit(s)
        notes.add_note(s, visit.id, "Indexed before the lock", wall_time=T0, elapsed_ms=0)
        search.index_new_notes(s)
        notes.add_note(s, visit.id, "Saved before the lock", wall_time=T0, elapsed_ms=1)
    other = sqlite3.connect(db.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        began = time.monotonic()
        with db.transaction() as s:
            hits = search.search(s, "before the lock")
        assert time.monotonic() - began < 1.0
        assert [h.elapsed_ms for h in hits] == [0]  # the other note waits for the next search
    finally:
        other.execute("ROLLBACK")
        other.close()
    with db.transaction() as s:
        assert len(search.search(s, "before the lock")) == 2
