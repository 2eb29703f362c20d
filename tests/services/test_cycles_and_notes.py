"""Cycles through their stages, visits, notes with tags and drafts, live results and ratings."""

from __future__ import annotations

import datetime as dt

import pytest

from observe_app.domain.enums import CycleStage, FeedbackKind, ItemKind
from observe_app.errors import BadInputError, NotFoundError
from observe_app.services import cycles, notes, observations, ratings, responses
from tests.services.helpers import T0, cycle_with_visit, version


def test_stages_move_both_ways_and_keep_their_dates(db) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        _t, c, visit, _v = cycle_with_visit(s)
        assert cycles.get_summary(s, c.id).stage == CycleStage.OBSERVATION
        observations.end_observation(s, visit.id, 45 * 60_000, now=T0 + dt.timedelta(minutes=45))
        assert cycles.get_summary(s, c.id).stage == CycleStage.POST_CONFERENCE
        later = T0 + dt.timedelta(days=3)
        cycles.move_to_stage(s, c.id, CycleStage.REFLECTION, later)
        cycles.move_to_stage(s, c.id, CycleStage.POST_CONFERENCE, later + dt.timedelta(days=1))
        detail = cycles.get_cycle(s, c.id)
    assert detail.summary.stage == CycleStage.POST_CONFERENCE
    assert detail.stage_dates[CycleStage.POST_CONFERENCE] == T0 + dt.timedelta(minutes=45)
    assert detail.stage_dates[CycleStage.REFLECTION] == later
    assert detail.stage_dates[CycleStage.CLOSED] is None


def test_feedback_with_due_dates(db) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        _t, c, _visit, _v = cycle_with_visit(s)
        cycles.add_feedback(s, c.id, FeedbackKind.GLOW, "Clear learning intention")
        step = cycles.add_feedback(
            s,
            c.id,
            FeedbackKind.NEXT_STEP,
            "Plan three open questions",
            due_date=dt.date(2026, 3, 20),
        )
        with pytest.raises(BadInputError):
            cycles.add_feedback(s, c.id, FeedbackKind.GROW, "  ")
        cycles.update_feedback(s, step.id, "Plan four open questions", dt.date(2026, 3, 27))
        detail = cycles.get_cycle(s, c.id)
    assert [f.text for f in detail.feedback_of(FeedbackKind.NEXT_STEP)] == [
        "Plan four open questions"
    ]
    assert detail.feedback_of(FeedbackKind.NEXT_STEP)[0].due_date == dt.date(2026, 3, 27)


def test_closed_cycle_cannot_be_observed(db) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        _t, c, _visit, _v = cycle_with_visit(s)
        cycles.move_to_stage(s, c.id, CycleStage.CLOSED)
        with pytest.raises(BadInputError, match="closed"):
            observations.start_observation(s, c.id)


def test_unknown_cycle(db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotFoundError, match="no cycle"), db.transaction() as s:
        cycles.get_cycle(s, "f00")


def test_note_keeps_its_start_time_and_tags(db) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        _t, _c, visit, v = cycle_with_visit(s)
        item = v.items_of(ItemKind.RUBRIC)[0]
        began = T0 + dt.timedelta(seconds=75)
        note = notes.add_note(
            s,
            visit.id,
            "  T asks 'Why?' and waits  ",
            wall_time=began,
            elapsed_ms=75_400,
            item_ids=[item.id, item.id],
        )
    with db.transaction() as s:
        [saved] = notes.list_notes(s, visit.id)
    assert saved.text == "T asks 'Why?' and waits"
    assert saved.wall_time == began and saved.mm_ss == "01:15"
    assert saved.item_ids == (item.id,)
    assert note == saved


def test_edit_delete_and_restore_note(db) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        _t, _c, visit, v = cycle_with_visit(s)
        note = notes.add_note(s, visit.id, "first", wall_time=T0, elapsed_ms=1000)
        tag = v.items_of(ItemKind.RUBRIC)[2].id
        notes.edit_note(s, note.id, "first, edited", item_ids=[tag])
        gone = notes.delete_note(s, note.id)
        assert notes.list_notes(s, visit.id) == []
        notes.restore_note(s, gone)
        [back] = notes.list_notes(s, visit.id)
    assert back.id == note.id and back.text == "first, edited" and back.item_ids == (tag,)


def test_tag_from_another_protocol_is_refused(db) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        _t, _c, visit, _v = cycle_with_visit(s)
        foreign = version(s, "learning-walk").items[0].id
        with pytest.raises(BadInputError, match="not part of this observation's protocol"):
            notes.add_note(s, visit.id, "x", wall_time=T0, elapsed_ms=0, item_ids=[foreign])


def test_draft_round_trip_and_cleared_by_saving(db) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        _t, _c, visit, _v = cycle_with_visit(s)
        notes.save_draft(s, visit.id, "Students in the back row", wall_time=T0, elapsed_ms=9000)
    with db.transaction() as s:
        draft = notes.get_draft(s, visit.id)
        assert draft is not None and draft.elapsed_ms == 9000 and draft.wall_time == T0
        notes.add_note(
            s, visit.id, draft.text, wall_time=draft.wall_time, elapsed_ms=draft.elapsed_ms
        )
        assert notes.get_draft(s, visit.id) is None


def test_live_results(db) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        _t, _c, visit, v = cycle_with_visit(s, "questioning-wait-time")
        open_q = next(i for i in v.items if i.key == "open-question")
        wait = next(i for i in v.items if i.key == "wait-time")
        for _ in range(3):
            responses.change_tally(s, visit.id, open_q.id, +1)
        assert responses.change_tally(s, visit.id, open_q.id, -1) == 2
        responses.add_timer_run(s, visit.id, wait.id, 60_000, 1_500)
        responses.add_timer_run(s, visit.id, wait.id, 120_000, 3_000)
        with pytest.raises(BadInputError, match="is a timer, not a tally"):
            responses.change_tally(s, visit.id, wait.id, 1)
        results = responses.observation_results(s, visit.id)
    assert results.counts[open_q.id] == 2
    assert [r.duration_ms for r in results.timer_runs[wait.id]] == [1_500, 3_000]


def test_tally_never_goes_below_zero(db) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        _t, _c, visit, v = cycle_with_visit(s, "questioning-wait-time")
        tally = v.items_of(ItemKind.TALLY)[0]
        assert responses.change_tally(s, visit.id, tally.id, -1) == 0


def test_interval_codes_as_shares_of_recorded_intervals(db) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        _t, _c, visit, v = cycle_with_visit(s, "engagement-interval-scan")
        scan = v.items_of(ItemKind.INTERVAL)[0]
        responses.record_interval(s, visit.id, scan.id, 0, ["listening", "lecturing"])
        responses.record_interval(s, visit.id, scan.id, 1, ["group-work", "guiding"])
        responses.record_interval(s, visit.id, scan.id, 2, [], missed=True)
        responses.record_interval(s, visit.id, scan.id, 3, ["group-work", "feedback"])
        with pytest.raises(BadInputError, match="not one of"):
            responses.record_interval(s, visit.id, scan.id, 4, ["dancing"])
        results = responses.observation_results(s, visit.id)
    shares = results.code_shares(scan.id)
    assert shares["group-work"] == pytest.approx(2 / 3)
    assert shares["listening"] == pytest.approx(1 / 3)
    assert [r.missed for r in results.intervals[scan.id]] == [False, False, True, False]


def test_ratings_with_evidence_and_not_observed(db) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        _t, c, visit, v = cycle_with_visit(s)
        first, second = v.items_of(ItemKind.RUBRIC)[:2]
        note = notes.add_note(
            s, visit.id, "Outcome on the board", wall_time=T0, elapsed_ms=0, item_ids=[first.id]
        )
        assert [n.id for n in notes.notes_for_item(s, c.id, first.id)] == [note.id]
        ratings.rate(s, c.id, first.id, 3)
        ratings.link_evidence(s, c.id, first.id, note.id)
        with pytest.raises(BadInputError, match="level 7 is not one of"):
            ratings.rate(s, c.id, first.id, 7)
        ratings.rate(s, c.id, second.id, 2)
        ratings.mark_not_observed(s, c.id, second.id)
        got = ratings.ratings_for_cycle(s, c.id)
        assert got[first.id].level == 3 and got[first.id].evidence_note_ids == (note.id,)
        assert got[second.id].not_observed and got[second.id].level is None
        ratings.unlink_evidence(s, c.id, first.id, note.id)
        assert ratings.ratings_for_cycle(s, c.id)[first.id].evidence_note_ids == ()


def test_a_glow_longer_than_a_feedback_item_never_blocks_the_end(db) -> None:
    """A prompt takes more than a feedback item does: the line is split, the visit ends."""
    from observe_app.domain import limits

    with db.transaction() as s:
        _t, c, obs, _v = cycle_with_visit(s, "peer-observation")
        glow = next(i for i in version(s, "peer-observation").items if i.key == "glow")
        words = "Students explained their thinking to a partner, and then to the class. "
        long_line = (words * (limits.FEEDBACK * 3 // len(words)))[:limits.FEEDBACK * 2 + 10]
        responses.set_text(s, obs.id, glow.id, long_line)
        observations.end_observation(s, obs.id, 45 * 60_000, now=T0)
        glows = cycles.get_cycle(s, c.id).feedback_of(FeedbackKind.GLOW)
    assert len(glows) == 3
    assert all(len(g.text) <= limits.FEEDBACK for g in glows)
    assert " ".join(g.text for g in glows).split() == long_line.split()
