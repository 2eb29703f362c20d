"""A cycle's PDF leaves private notes out everywhere: the evidence log, the times of the
evidence a glow or a rating rests on, and a look-for seen only through a private note's tag."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pdf_helpers import pdf_text

from observe_app import reports
from observe_app.domain.enums import FeedbackKind
from observe_app.services import cycles, notes, ratings
from observe_app.storage.engine import Database
from tests.services.helpers import T0, cycle_with_visit

SHARED = "Pairs explain their method to each other"
KEPT = "Ravi was upset after the quiz"
KEPT_AT = 47 * 60_000 + 51_000  # 47:51, a time nothing else in the PDF shows


def _visit_with_a_private_note(db: Database, protocol: str
                               ) -> tuple[str, list[str], list[str]]:
    """The shared note at 03:00 tagged to the first item, the private one at 47:51 tagged to
    the second; a glow rests on both. The cycle, the protocol's tag items, the two notes."""
    with db.transaction() as s:
        _t, cycle, visit, version = cycle_with_visit(s, protocol)
        items = [i.id for i in version.items if i.kind in ("lookfor", "rubric")]
        shared = notes.add_note(s, visit.id, SHARED, wall_time=T0, elapsed_ms=3 * 60_000,
                                item_ids=[items[0]])
        kept = notes.add_note(s, visit.id, KEPT, wall_time=T0, elapsed_ms=KEPT_AT,
                              item_ids=[items[1]])
        notes.set_private(s, kept.id, True)
        cycles.add_feedback(s, cycle.id, FeedbackKind.GLOW, "Students explained their steps",
                            evidence_note_ids=[shared.id, kept.id])
        return cycle.id, items, [shared.id, kept.id]


def _text(db: Database, cycle_id: str, tmp_path: Path) -> str:
    out = tmp_path / "summary.pdf"
    reports.export_cycle(db, cycle_id, out, tz=dt.UTC)
    return " ".join(pdf_text(out))


def test_the_pdf_shows_the_shared_note_and_nothing_of_the_private_one(
        db: Database, tmp_path: Path) -> None:
    cycle_id, _items, _notes = _visit_with_a_private_note(db, "peer-observation")
    text = _text(db, cycle_id, tmp_path)
    assert SHARED in text and "1 timestamped note" in text
    assert "Students explained their steps · evidence at 03:00" in text
    assert KEPT not in text and "47:51" not in text
    # Its look-for was tagged only by the private note: not seen, as far as the PDF knows.
    assert "1 of 6 look-fors seen:" in text
    assert "Students explain their thinking —" in text


def test_a_rating_resting_on_a_private_note_shows_only_the_shared_evidence(
        db: Database, tmp_path: Path) -> None:
    cycle_id, items, both = _visit_with_a_private_note(db, "new-teacher-growth")
    with db.transaction() as s:
        ratings.rate(s, cycle_id, items[0], 3)
        for note_id in both:
            ratings.link_evidence(s, cycle_id, items[0], note_id)
    text = _text(db, cycle_id, tmp_path)
    assert "Evidence at 03:00" in text
    assert KEPT not in text and "47:51" not in text
