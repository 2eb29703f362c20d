"""The demo school reads true: tags fit their notes, reflections fit their protocol, and one
visit was left open days ago (to show resuming a visit)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from observe_app.domain.models import (
    Cycle,
    FeedbackItem,
    Note,
    NoteTag,
    Observation,
    Protocol,
    ProtocolItem,
    ProtocolVersion,
)
from observe_app.services import demo
from observe_app.storage.engine import Database

# A word of each look-for or rubric item's label that a note tagged to it should carry (in
# some form), for the English evidence; a spot check that NOTE_TAGS itself is sensible.
ITEM_WORDS = {
    "learning-intention": ("learning intention", "lesson"), "students-explain": ("explain",
    "how do you know", "build on", "presents", "question"),
    "checks-understanding": ("whiteboards", "exit question", "cold call", "self-assess",
                             "every student"),
    "every-student-responds": ("every student", "pairs", "quiet students", "24 of 27",
                               "wait time"),
    "feedback-in-lesson": ("feedback", "praises", "corrects", "asks a question"),
    "routines": ("transition", "attendance", "countdown", "seating plan"),
    "goal-visible": ("board",), "work-displayed": ("student work",),
    "on-task": ("off task", "copying", "settles"),
}


def test_every_tag_is_one_the_note_is_evidence_of(demo_db: Database) -> None:
    with demo_db.transaction() as s:
        rows = s.execute(select(Note.text, ProtocolItem.key)
                         .join(NoteTag, NoteTag.note_id == Note.id)
                         .join(ProtocolItem, ProtocolItem.id == NoteTag.item_id)).all()
    assert len(rows) > 100  # the demo does tag notes
    wrong = [(text, key) for text, key in rows if key not in demo.tags_for(text)]
    assert wrong == []
    for text, key in rows:
        words = ITEM_WORDS.get(key)
        if words and text in demo.EVIDENCE:
            assert any(w in text.lower() for w in words), (text, key)


def test_every_reflection_is_about_its_protocol(demo_db: Database) -> None:
    with demo_db.transaction() as s:
        rows = s.execute(select(Protocol.slug, Cycle.reflection)
                         .join(ProtocolVersion, ProtocolVersion.id == Cycle.protocol_version_id)
                         .join(Protocol, Protocol.id == ProtocolVersion.protocol_id)
                         .where(Cycle.reflection != "")).all()
    assert {slug for slug, _text in rows} == set(demo.SUBJECTS)
    for slug, text in rows:
        assert demo.SUBJECTS[slug] in text.lower(), (slug, text)


def test_one_visit_was_left_open_days_ago_with_a_few_notes(demo_db: Database) -> None:
    with demo_db.transaction() as s:
        open_visits = s.scalars(select(Observation).where(Observation.ended_at.is_(None))).all()
        assert len(open_visits) == 1
        [visit] = open_visits
        started = visit.started_at.astimezone(dt.UTC).date()
        count = len(s.scalars(select(Note.id).where(Note.observation_id == visit.id)).all())
    assert 3 <= (demo.DEMO_TODAY - started).days <= 7
    assert 2 <= count <= 8


def test_no_cycle_has_the_same_feedback_twice(demo_db: Database) -> None:
    """The live prompts become feedback when a visit ends; the demo's post-conferences add
    to them without repeating a point."""
    with demo_db.transaction() as s:
        rows = s.execute(select(FeedbackItem.cycle_id, FeedbackItem.kind,
                                FeedbackItem.text)).all()
    assert rows
    assert len(rows) == len(set(rows))
