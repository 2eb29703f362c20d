"""The cycle view through the window: stages, ratings with evidence, feedback, goals, export."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox, QPlainTextEdit

from observe_app.domain.enums import CycleStage, FeedbackKind, GoalStatus, ItemKind
from observe_app.services import cycles, goals, ratings
from tests.gui.conftest import activate, type_text
from tests.gui.review_helpers import (
    in_dialog,
    open_from_cycles_page,
    people_and_cycle,
    press_save,
    visit,
)

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def window(main_window):
    return main_window


def _stage(db, cycle_id):
    with db.transaction() as s:
        return cycles.get_cycle(s, cycle_id)


def test_walk_a_cycle_from_pre_conference_to_closed(window, backend, db, clock):
    teacher, _observer, version, cycle = people_and_cycle(backend)
    view = open_from_cycles_page(window, cycle.id)
    assert view.tabs.currentIndex() == 0  # a planned cycle opens on its pre-conference
    assert view.strip.labels[CycleStage.PRE_CONFERENCE].property("state") == "current"

    # Pre-conference: focus and evidence, typed in any script, saved.
    ui = view.pre
    ui.focus_edit.clear()
    type_text(ui.focus_edit, "Μαθητές εξηγούν")
    type_text(ui.evidence_edit, "Open questions, wait time")
    ui.save_button.click()
    detail = _stage(db, cycle.id)
    assert detail.summary.focus == "Μαθητές εξηγούν"
    assert detail.evidence_to_collect == "Open questions, wait time"
    assert "Μαθητές εξηγούν" in view.subtitle_label.text()

    # Forward to the observation, back (asked first), forward again: the first dates stay.
    clock.advance(86400)
    view.next_button.click()
    first_observation = _stage(db, cycle.id).stage_dates[CycleStage.OBSERVATION]
    assert _stage(db, cycle.id).summary.stage == CycleStage.OBSERVATION
    asked = []
    view.confirm = lambda title, text: asked.append(title) or True
    view.previous_button.click()
    assert asked == ["Go back a stage"]
    assert _stage(db, cycle.id).summary.stage == CycleStage.PRE_CONFERENCE
    clock.advance(86400)
    view.next_button.click()
    assert _stage(db, cycle.id).stage_dates[CycleStage.OBSERVATION] == first_observation
    assert first_observation.date().isoformat() in \
        view.strip.labels[CycleStage.OBSERVATION].text()

    # The visit happens (the live view is tested elsewhere); the cycle view shows it.
    rubric = [i for i in version.items if i.kind == ItemKind.RUBRIC]
    _obs, notes = visit(backend, cycle.id, [
        ("T asks 'why?' and waits four seconds", 95, [rubric[0].id]),
        ("Students plan in pairs", 300, [rubric[0].id, rubric[1].id]),
        ("Exit ticket", 1500, []),
    ])
    view.reload()
    view.visits.reload()
    assert _stage(db, cycle.id).summary.stage == CycleStage.POST_CONFERENCE
    view.tabs.setCurrentWidget(view.visits)
    assert view.visits.visits_model.rowCount() == 1
    assert view.visits.evidence_model.rowCount() == 3
    assert view.visits.evidence_model.index(0, 0).data() == "01:35"

    # Ratings: a level by key, evidence linked and unlinked, another item not observed.
    panel = view.rating
    panel.reload()
    view.tabs.setCurrentWidget(panel)
    activate(window)
    panel.select_item(rubric[0].id)
    panel.item_list.setFocus()
    QTest.keyClick(panel.item_list, Qt.Key.Key_3)
    assert panel.level_group.button(3).isChecked()
    assert panel.evidence_list.count() == 2  # the two notes tagged to the item
    for row in range(2):
        panel.evidence_list.item(row).setCheckState(Qt.CheckState.Checked)
    panel.evidence_list.item(1).setCheckState(Qt.CheckState.Unchecked)
    with db.transaction() as s:
        rated = ratings.ratings_for_cycle(s, cycle.id)[rubric[0].id]
    assert rated.level == 3 and rated.evidence_note_ids == (notes[0].id,)
    panel.level_group.button(4).click()
    type_text(panel.comment_edit, "Next: students set 2 success criteria")
    QTest.keyClick(panel.comment_edit, Qt.Key.Key_Return)
    panel.select_item(rubric[2].id)
    panel.not_observed_check.click()
    panel.all_notes_check.click()  # an untagged note can be linked too
    assert panel.evidence_list.count() == 3
    panel.evidence_list.item(2).setCheckState(Qt.CheckState.Checked)
    with db.transaction() as s:
        every = ratings.ratings_for_cycle(s, cycle.id)
    assert every[rubric[0].id].level == 4
    assert every[rubric[0].id].comment == "Next: students set 2 success criteria"
    assert every[rubric[2].id].not_observed and every[rubric[2].id].level is None
    assert every[rubric[2].id].evidence_note_ids == (notes[2].id,)
    assert "level 4" in panel.entries[rubric[0].id].text()
    assert "not observed" in panel.entries[rubric[2].id].text()

    # Post-conference: a glow and a next step with its due date, notes, a goal.
    feedback = view.feedback
    view.tabs.setCurrentWidget(feedback)

    def glow(dialog):
        type_text(dialog.ui.text_edit, "Wait time after 'why?' drew in three more students")
        press_save(dialog)

    in_dialog(glow)
    feedback.add_buttons[FeedbackKind.GLOW].click()

    def step(dialog):
        assert dialog.ui.due_check.isChecked()
        type_text(dialog.ui.text_edit, "Count to five after every open question")
        dialog.ui.due_edit.setDate(dialog.ui.due_edit.date().addDays(7))
        press_save(dialog)

    in_dialog(step)
    feedback.add_buttons[FeedbackKind.NEXT_STEP].click()
    type_text(feedback.notes_edit, "Agreed: try it with 7B first.")
    feedback.notes_edit.flush()

    def goal(dialog):
        type_text(dialog.findChild(QPlainTextEdit), "Give three seconds of wait time")
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()

    in_dialog(goal)
    feedback.goal_button.click()
    detail = _stage(db, cycle.id)
    [g] = detail.feedback_of(FeedbackKind.GLOW)
    [n] = detail.feedback_of(FeedbackKind.NEXT_STEP)
    assert g.text.startswith("Wait time after") and g.due_date is None
    assert n.due_date == clock.now().date() + dt.timedelta(days=21)
    assert detail.post_conference_notes == "Agreed: try it with 7B first."
    assert feedback.lists[FeedbackKind.NEXT_STEP].count() == 1
    with db.transaction() as s:
        [set_goal] = goals.goals_for_teacher(s, teacher.id)
    assert set_goal.set_in_cycle_id == cycle.id and set_goal.status == GoalStatus.OPEN

    # Reflection and acknowledgment, then closed (confirmed).
    view.next_button.click()
    assert view.tabs.currentIndex() == 4
    type_text(view.reflection_edit, "Ich warte jetzt länger.")
    view.acknowledge_check.click()
    detail = _stage(db, cycle.id)
    assert detail.summary.stage == CycleStage.REFLECTION
    assert detail.reflection == "Ich warte jetzt länger."
    assert detail.acknowledged_at == clock.now()
    asked.clear()
    view.confirm = lambda title, text: asked.append(title) or True
    view.next_button.click()
    assert asked == ["Close the cycle"]
    detail = _stage(db, cycle.id)
    assert detail.summary.stage == CycleStage.CLOSED
    assert all(detail.stage_dates[s] is not None for s in CycleStage)
    assert not view.next_button.isVisible()
    assert view.message_label.isVisible()
    # Closed: read, not changed; one step back makes it editable again.
    assert not view.feedback.add_buttons[FeedbackKind.GROW].isEnabled()
    assert view.reflection_edit.isReadOnly() and not view.pre.save_button.isEnabled()
    assert not view.rating.level_group.button(4).isEnabled()
    QTest.keyClick(view.rating.item_list, Qt.Key.Key_2)
    with db.transaction() as s:
        assert ratings.ratings_for_cycle(s, cycle.id)[rubric[0].id].level == 4
    view.previous_button.click()
    assert view.feedback.add_buttons[FeedbackKind.GROW].isEnabled()
    assert view.rating.level_group.button(4).isEnabled()
    view.next_button.click()

    # Esc goes back to the list, which shows the new stage.
    activate(window)
    view.tabs.setFocus()
    QTest.keyClick(view.tabs, Qt.Key.Key_Escape)
    assert window.review.current_view is None
    assert window.pages_stack.currentWidget() is window.cycles_page
    assert window.cycles_page.model.row_at(0).stage == CycleStage.CLOSED


def test_a_refused_move_changes_nothing(window, backend, db):
    _t, _o, _v, cycle = people_and_cycle(backend)
    view = open_from_cycles_page(window, cycle.id)
    view.next_button.click()  # to the observation
    view.confirm = lambda title, text: False
    view.next_button.click()  # no visit yet: asked, refused
    view.previous_button.click()
    assert _stage(db, cycle.id).summary.stage == CycleStage.OBSERVATION


def test_a_goal_is_carried_into_the_next_cycle(window, backend, db, clock):
    teacher, observer, version, first = people_and_cycle(backend)
    view = open_from_cycles_page(window, first.id)
    view.feedback.set_goal("Ask more open questions")
    assert len(view.feedback.status_combos) == 1
    view.back_button.click()

    clock.advance(30 * 86400)
    second = backend.cycles.plan_cycle(teacher_id=teacher.id, observer_id=observer.id,
                                       protocol_version_id=version.id, now=clock.now())
    view = open_from_cycles_page(window, second.id)
    [combo] = view.feedback.status_combos.values()
    goal_row = combo.parentWidget()
    assert "carried from an earlier cycle" in goal_row.findChildren(type(view.title_label))[0]\
        .text()
    combo.setCurrentIndex(combo.findData(GoalStatus.MET))
    with db.transaction() as s:
        [goal] = goals.goals_for_teacher(s, teacher.id)
    assert goal.status == GoalStatus.MET
    assert [(h.cycle_id, h.status) for h in goal.history] == [
        (first.id, GoalStatus.OPEN), (second.id, GoalStatus.MET)]

    # Met: a third cycle does not carry it.
    third = backend.cycles.plan_cycle(teacher_id=teacher.id, protocol_version_id=version.id,
                                      now=clock.now())
    assert backend.goals.goals_for_cycle(third.id) == []


def test_visit_results_are_summarised(window, backend):
    _t, _o, version, cycle = people_and_cycle(backend, slug="engagement-interval-scan")
    obs, _notes = visit(backend, cycle.id, [("Most students writing", 120, [])])
    scan = next(i for i in version.items if i.kind == ItemKind.INTERVAL)
    codes = [c.key for c in scan.codes]
    for index, ticked in enumerate([[codes[0]], [codes[0], codes[1]], [codes[1]], [codes[0]]]):
        backend.responses.record_interval(obs.id, scan.id, index, ticked)
    backend.responses.record_interval(obs.id, scan.id, 4, [], missed=True)
    view = window.review.open_cycle(cycle.id)
    view.tabs.setCurrentWidget(view.visits)
    view.visits.reload()
    html = view.visits.results_view.toPlainText()
    assert "share of 4 intervals (missed 1)" in html
    # The first code was ticked in 3 of the 4 recorded intervals, the second in 2 of 4.
    assert "75%" in html and "50%" in html
    assert view.rating.empty_label.isVisibleTo(view.rating)  # no rubric in a scan protocol


def test_export_pdf_from_the_cycle_view(qtbot, window, backend, tmp_path):
    _t, _o, _v, cycle = people_and_cycle(backend)
    visit(backend, cycle.id, [("Ερώτηση: γιατί;", 60, [])])
    view = window.review.open_cycle(cycle.id)
    offered = []
    target = tmp_path / "out" / "summary.pdf"
    target.parent.mkdir()
    view.choose_pdf_path = lambda suggested: offered.append(suggested) or str(target)
    activate(window)
    in_dialog(lambda options: QTest.keyClick(options, Qt.Key.Key_Return))  # as they were
    QTest.keyClick(view.tabs, Qt.Key.Key_E, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert not view.export_button.isEnabled()  # the export runs off the GUI thread
    qtbot.waitUntil(lambda: view.export_task is None, timeout=30_000)
    assert target.read_bytes().startswith(b"%PDF")
    assert "summary.pdf" in view.message_label.text() and "pages" in view.message_label.text()
    assert offered[0].endswith("Aino Mäkelä - New-teacher growth rubric.pdf")

    # The folder is remembered; a folder that is gone gives a clear message.
    warnings = []
    view.warn = lambda title, text: warnings.append(text)
    view.choose_pdf_path = lambda suggested: offered.append(suggested) or \
        str(tmp_path / "gone" / "x.pdf")
    in_dialog(lambda options: options.ok_button.click())
    view.export_pdf()
    qtbot.waitUntil(lambda: view.export_task is None, timeout=30_000)
    assert offered[1].startswith(str(target.parent))
    assert warnings and "does not exist" in warnings[0]
    assert view.export_button.isEnabled()
