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
