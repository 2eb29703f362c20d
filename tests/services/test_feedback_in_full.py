"""A next step in full (who, support, success), feedback tied to its evidence, the next visit."""

from __future__ import annotations

import datetime as dt

import pytest

from observe_app.domain import limits
from observe_app.domain.enums import FeedbackKind
from observe_app.errors import BadInputError
from observe_app.services import cycles, notes
from tests.services.helpers import T0, cycle_with_visit


def test_a_next_step_keeps_who_support_success_and_its_evidence(db) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        _t, c, visit, _v = cycle_with_visit(s)
        late = notes.add_note(s, visit.id, "Asked 'why?' twice", wall_time=T0, elapsed_ms=90_000)
        early = notes.add_note(s, visit.id, "Waited 4 s", wall_time=T0, elapsed_ms=30_000)
        step = cycles.add_feedback(
            s, c.id, FeedbackKind.NEXT_STEP, "Plan three open questions",
            dt.date(2026, 3, 20), owner="  Aino,   with her mentor ",
            support="Co-planning on Tuesday",
            success_measure="Three open questions in the next visit",
            evidence_note_ids=[late.id, early.id])
        assert step.owner == "Aino, with her mentor"
        assert step.evidence_note_ids == (early.id, late.id)  # in lesson order
        cycles.update_feedback(s, step.id, "Plan four open questions", dt.date(2026, 3, 27),
                               owner="Aino", support="", success_measure="Four",
                               evidence_note_ids=[late.id])
        cycles.update_feedback(s, step.id, "Plan four open questions", dt.date(2026, 3, 27))
        assert cycles.get_cycle(s, c.id).feedback[0].owner == "Aino"  # details kept
        cycles.set_next_visit_date(s, c.id, dt.date(2026, 4, 2))
        detail = cycles.get_cycle(s, c.id)
    [saved] = detail.feedback_of(FeedbackKind.NEXT_STEP)
    assert (saved.text, saved.owner, saved.support, saved.success_measure) == (
        "Plan four open questions", "Aino", "", "Four")
    assert saved.evidence_note_ids == (late.id,)
    assert detail.next_visit_date == dt.date(2026, 4, 2)


def test_evidence_from_another_cycle_or_an_overlong_owner_is_refused(db) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        _t, c, _visit, _v = cycle_with_visit(s)
        _t2, _c2, other_visit, _v2 = cycle_with_visit(s, teacher="Ana Silva", observer="Bo Li")
        other = notes.add_note(s, other_visit.id, "Elsewhere", wall_time=T0, elapsed_ms=1)
        with pytest.raises(BadInputError, match="notes from this cycle"):
            cycles.add_feedback(s, c.id, FeedbackKind.GLOW, "Calm start",
                                evidence_note_ids=[other.id])
        with pytest.raises(BadInputError, match="who does it"):
            cycles.add_feedback(s, c.id, FeedbackKind.NEXT_STEP, "Try",
                                owner="x" * (limits.NEXT_STEP_OWNER + 1))
        assert cycles.get_cycle(s, c.id).feedback == ()


def test_deleting_a_note_drops_it_from_the_feedback_evidence(db) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        _t, c, visit, _v = cycle_with_visit(s)
        note = notes.add_note(s, visit.id, "Wait time", wall_time=T0, elapsed_ms=5)
        glow = cycles.add_feedback(s, c.id, FeedbackKind.GLOW, "Patient",
                                   evidence_note_ids=[note.id])
        notes.delete_note(s, note.id)
        [kept] = cycles.get_cycle(s, c.id).feedback
    assert kept.id == glow.id and kept.evidence_note_ids == ()
