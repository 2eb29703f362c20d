"""Nothing typed is silently dropped: the pre-conference saves itself, notes are corrected after
the visit (with undo), prompt text becomes post-conference feedback, and tagged look-fors count."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QPlainTextEdit

from observe_app import reports
from observe_app.domain.enums import FeedbackKind, ItemKind
from observe_app.errors import DatabaseLockedError
from observe_app.gui import main_window as main_window_module
from observe_app.gui.review import autosave
from observe_app.services import cycles, notes, observations, responses, search
from tests.gui.conftest import activate, type_text
from tests.gui.review_helpers import people_and_cycle, visit
from tests.reports.pdf_helpers import pdf_text

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.fixture(autouse=True)
def _close_without_asking(monkeypatch):
    """A test that fails with text unsaved must not hang its teardown on a question."""
    monkeypatch.setattr(main_window_module.QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Yes)


def _detail(db, cycle_id):
    with db.transaction() as s:
        return cycles.get_cycle(s, cycle_id)


def _notes(db, obs_id):
    with db.transaction() as s:
        return notes.list_notes(s, obs_id)


def _found(db, words):
    with db.transaction() as s:
        return [h.ref_id for h in search.search(s, words) if h.kind == "note"]


# -- 1. the pre-conference ----------------------------------------------------------------------

def test_pre_conference_saves_itself_keeps_text_through_a_fault_and_asks_on_close(
        main_window, backend, db, qtbot, monkeypatch):
    monkeypatch.setattr(autosave, "RETRY_MS", 200)
    _t, _o, _v, cycle = people_and_cycle(backend)
    view = main_window.review.open_cycle(cycle.id)
    ui = view.pre
    ui.focus_edit.setFocus()
    ui.focus_edit.selectAll()
    type_text(ui.focus_edit, "Μαθητές εξηγούν")  # no Save button pressed, ever
    ui.evidence_edit.setFocus()  # leaving the field saves at once
    assert _detail(db, cycle.id).summary.focus == "Μαθητές εξηγούν"
    QTest.keyClicks(ui.evidence_edit, "Open questions")
    qtbot.waitUntil(lambda: _detail(db, cycle.id).evidence_to_collect == "Open questions",
                    timeout=3000)  # a pause in typing is enough
    assert ui.status_label.text() == "Saved."
    assert "Μαθητές εξηγούν" in view.subtitle_label.text()

    # The database is locked: the text stays, marked unsaved, and the problem is said.
    update = cycles.update_pre_conference

    def locked(*_args, **_kwargs):
        raise DatabaseLockedError("the database is locked by another program; close it")

    monkeypatch.setattr(cycles, "update_pre_conference", locked)
    QTest.keyClicks(ui.evidence_edit, ", wait time")
    qtbot.waitUntil(lambda: "Not saved yet" in ui.status_label.text(), timeout=3000)
    assert "locked" in ui.status_label.text()
    assert view.pre_saver.unsaved
    assert ui.evidence_edit.toPlainText() == "Open questions, wait time"

    # Leaving the cycle now is refused (the text would go with the view) ...
    with qtbot.capture_exceptions() as raised:
        activate(main_window)
        QTest.keyClick(view.tabs, Qt.Key.Key_Escape)
    assert [type(e[1]) for e in raised] == [DatabaseLockedError]
    assert main_window.review.current_view is view
    # ... by a click on another section too: the cycle stays on top with its text.
    nav = main_window.navigation
    with qtbot.capture_exceptions() as raised:
        QTest.mouseClick(nav.viewport(), Qt.MouseButton.LeftButton,
                         pos=nav.visualItemRect(nav.item(2)).center())
    assert [type(e[1]) for e in raised] == [DatabaseLockedError]
    assert main_window.pages_stack.currentWidget() is view
    # ... and closing the window asks first; "No" keeps the window and the text.
    asked = []
    monkeypatch.setattr(main_window_module.QMessageBox, "question",
                        lambda *a, **k: asked.append(a[1]) or QMessageBox.StandardButton.No)
    assert not main_window.close()
    assert asked == ["Text not saved"]
    assert ui.evidence_edit.toPlainText() == "Open questions, wait time"

    # The lock goes: the retry saves it without anyone pressing anything.
    monkeypatch.setattr(cycles, "update_pre_conference", update)
    qtbot.waitUntil(lambda: _detail(db, cycle.id).evidence_to_collect ==
                    "Open questions, wait time", timeout=3000)
    assert not view.pre_saver.unsaved and ui.status_label.text() == "Saved."


# -- 2. correcting notes after the visit --------------------------------------------------------

def test_a_note_is_corrected_in_the_visits_tab_with_undo_and_search_follows(
        main_window, backend, db, qtbot, tmp_path):
    _t, _o, version, cycle = people_and_cycle(backend)
    rubric = version.items_of(ItemKind.RUBRIC)[0]
    obs, [first, second] = visit(backend, cycle.id, [
        ("T asks why and waits", 95, [rubric.id]),
        ("Stdents plan in pairs", 300, []),
    ])
    assert _found(db, "Stdents") == [second.id]
    view = main_window.review.open_cycle(cycle.id)
    view.tabs.setCurrentWidget(view.visits)
    panel = view.visits
    activate(main_window)
    table = panel.evidence_table
    table.setFocus()
    table.setCurrentIndex(panel.evidence_proxy.index(1, panel.evidence_model.Column.NOTE))
    QTest.keyClick(table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QPlainTextEdit) and editor.toPlainText() == "Stdents plan in pairs"
    editor.selectAll()
    type_text(editor, "Students plan in pairs —")
    QTest.keyClick(editor, Qt.Key.Key_Return, SHIFT)
    type_text(editor, "Ωραία")
    Path(os.environ.get("OBSERVE_SHOTS", tmp_path)).mkdir(parents=True, exist_ok=True)
    panel.grab().save(str(Path(os.environ.get("OBSERVE_SHOTS", tmp_path))
                          / "visits-note-editing.png"))
    QTest.keyClick(editor, Qt.Key.Key_Return)
    corrected = "Students plan in pairs —\nΩραία"
    qtbot.waitUntil(lambda: _notes(db, obs.id)[1].text == corrected, timeout=3000)
    after = _notes(db, obs.id)[1]
    assert (after.id, after.wall_time, after.elapsed_ms, after.item_ids) == (
        second.id, second.wall_time, second.elapsed_ms, second.item_ids)  # its time stays
    assert panel.evidence_model.row_at(1).text == corrected  # the screen agrees
    assert _found(db, "Students") == [second.id] and _found(db, "Stdents") == []
    assert _found(db, "Ωραία") == [second.id]
    view.tabs.setCurrentWidget(view.rating)  # the Ratings tab, opened next, shows it too
    assert corrected in {n.text for n in view.rating.notes.values()}
    view.tabs.setCurrentWidget(view.visits)
    table.setFocus()

    # Ctrl+Z takes the correction back, Ctrl+Shift+Z makes it again; search follows each.
    QTest.keyClick(table, Qt.Key.Key_Z, CTRL)
    assert _notes(db, obs.id)[1].text == "Stdents plan in pairs"
    assert panel.evidence_model.row_at(1).text == "Stdents plan in pairs"
    assert _found(db, "Stdents") == [second.id] and _found(db, "Ωραία") == []
    QTest.keyClick(table, Qt.Key.Key_Z, CTRL | SHIFT)
    assert _notes(db, obs.id)[1].text == corrected
    assert _found(db, "Ωραία") == [second.id]
    assert _notes(db, obs.id)[0].item_ids == (rubric.id,)  # the other note is untouched

    # A closed cycle's notes are read, not corrected.
    view._set_editable(False)
    QTest.keyClick(table, Qt.Key.Key_F2)
    assert not isinstance(QApplication.focusWidget(), QPlainTextEdit)


def test_a_correction_the_database_refuses_is_said_with_the_text(main_window, backend, db,
                                                                  monkeypatch):
    _t, _o, _v, cycle = people_and_cycle(backend)
    obs, [note] = visit(backend, cycle.id, [("first words", 60, [])])
    view = main_window.review.open_cycle(cycle.id)
    view.tabs.setCurrentWidget(view.visits)
    panel = view.visits

    def locked(*_args, **_kwargs):
        raise DatabaseLockedError("the database is locked by another program")

    monkeypatch.setattr(notes, "edit_note", locked)
    activate(main_window)
    panel.evidence_table.setFocus()
    panel.evidence_table.setCurrentIndex(
        panel.evidence_proxy.index(0, panel.evidence_model.Column.NOTE))
    QTest.keyClick(panel.evidence_table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    editor.selectAll()
    QTest.keyClicks(editor, "better words")
    QTest.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()
    assert panel.problem_label.isVisible()
    assert "locked" in panel.problem_label.text() and "better words" in panel.problem_label.text()
    assert _notes(db, obs.id)[0].text == "first words"
    assert panel.undo_stack.count() == 0


# -- 3. prompt text becomes feedback ------------------------------------------------------------

def test_glow_grow_and_next_step_prompts_become_feedback_once(open_live, backend, db, qtbot):
    live = open_live("peer-observation")
    prompts = {i.prompt_kind: i for i in live.version.items_of(ItemKind.PROMPT)}
    glow_box = live.panel.prompts[prompts["glow"].id]
    type_text(glow_box, "Cold call drew in the quiet table")
    QTest.keyClick(glow_box, Qt.Key.Key_Return)
    QTest.keyClick(glow_box, Qt.Key.Key_Return)  # a blank line is no item
    type_text(glow_box, "- Pairs re-explained in their own words")
    type_text(live.panel.prompts[prompts["grow"].id], "Wait longer after a question")
    type_text(live.panel.prompts[prompts["next_step"].id], "Try think–pair–share in 7B")
    with qtbot.waitSignal(live.observation_ended):
        QTest.keyClick(live.note_edit, Qt.Key.Key_E, CTRL)  # ended at once: no pause first

    with db.transaction() as s:
        cycle_id = observations.get_observation(s, live.observation_id).cycle_id
    detail = _detail(db, cycle_id)
    assert [f.text for f in detail.feedback_of(FeedbackKind.GLOW)] == [
        "Cold call drew in the quiet table", "Pairs re-explained in their own words"]
    assert [f.text for f in detail.feedback_of(FeedbackKind.GROW)] == [
        "Wait longer after a question"]
    assert [f.text for f in detail.feedback_of(FeedbackKind.NEXT_STEP)] == [
        "Try think–pair–share in 7B"]

    # Done twice, nothing is doubled; a point removed afterwards stays removed when the
    # visit is ended again (only the first end turns prompts into feedback).
    assert backend.cycles.feedback_from_prompts(live.observation_id) == []
    assert len(_detail(db, cycle_id).feedback) == 4
    backend.cycles.remove_feedback(detail.feedback_of(FeedbackKind.GROW)[0].id)
    backend.observations.end_observation(live.observation_id, 1000)
    again = _detail(db, cycle_id)
    assert len(again.feedback_of(FeedbackKind.GLOW)) == 2
    assert again.feedback_of(FeedbackKind.GROW) == []

    # The post-conference tab shows them without retyping.
    from observe_app.gui.review.cycle_view import CycleView

    view = CycleView(backend, cycle_id)
    qtbot.addWidget(view)
    glows = view.feedback.lists[FeedbackKind.GLOW]
    assert [glows.item(r).text() for r in range(glows.count())] == [
        "Cold call drew in the quiet table", "Pairs re-explained in their own words"]


def test_prompts_map_by_their_kind_not_their_label(backend, db):
    _t, _o, version, cycle = people_and_cycle(backend, slug="learning-walk")
    wondering = version.items_of(ItemKind.PROMPT)[0]  # prompt_kind "other": no feedback
    obs = backend.observations.start_observation(cycle.id, now=backend.clock.now())
    backend.responses.set_text(obs.id, wondering.id, "Glow: why do rooms differ?")
    backend.observations.end_observation(obs.id, 60_000)
    assert _detail(db, cycle.id).feedback == ()


# -- 4. a look-for with tagged notes counts as seen ---------------------------------------------

def test_a_tagged_look_for_is_seen_in_the_window_and_in_the_pdf(open_live, backend, db, qtbot,
                                                              tmp_path):
    live = open_live("peer-observation")
    lookfors = live.version.items_of(ItemKind.LOOKFOR)
    type_text(live.note_edit, "S: because the angles add up")
    QTest.keyClick(live.note_edit, Qt.Key.Key_2, CTRL)  # tagged to the 2nd look-for, not ticked
    QTest.keyClick(live.note_edit, Qt.Key.Key_Return)
    with qtbot.waitSignal(live.observation_ended):
        QTest.keyClick(live.note_edit, Qt.Key.Key_E, CTRL)
    with db.transaction() as s:
        results = responses.observation_results(s, live.observation_id)
        cycle_id = observations.get_observation(s, live.observation_id).cycle_id
    assert results.checked.get(lookfors[1].id) is None and results.tagged[lookfors[1].id] == 1
    assert results.seen(lookfors[1].id) is True and results.seen(lookfors[0].id) is None
    assert responses.lookfor_seen(False, 0) is False and responses.lookfor_seen(False, 2)

    from observe_app.gui.review.cycle_view import CycleView

    view = CycleView(backend, cycle_id)
    qtbot.addWidget(view)
    shown = view.visits.results_view.toPlainText()
    assert f"{lookfors[1].label}\n✓ seen" in shown
    assert f"{lookfors[0].label}\n– not seen" in shown

    pdf = tmp_path / "summary.pdf"
    reports.export_cycle(db, cycle_id, pdf)
    text = " ".join(pdf_text(pdf))
    assert f"1 of {len(lookfors)} look-fors seen during the visit." in text
    assert f"{lookfors[1].label} ✓ Seen" in text

