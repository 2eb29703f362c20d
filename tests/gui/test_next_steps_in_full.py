"""The post-conference by keys: a next step with who, support, success and its evidence, and
the next visit date, each checked in the database."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from observe_app.domain.enums import CycleStage, FeedbackKind
from observe_app.services import cycles
from tests.gui.conftest import activate, type_text
from tests.gui.review_helpers import people_and_cycle, visit
from tests.gui.test_keyboard import in_dialog


def test_a_next_step_in_full_and_the_next_visit_typed_by_keys(main_window, backend, db,
                                                              tmp_path):
    _t, _o, _v, cycle = people_and_cycle(backend)
    _obs, (first, second) = visit(backend, cycle.id, [("Asks 'why?'", 65, []),
                                                      ("Waits five seconds", 130, [])])
    backend.cycles.move_to_stage(cycle.id, CycleStage.POST_CONFERENCE)
    view = main_window.review.open_cycle(cycle.id)
    view.tabs.setCurrentWidget(view.feedback)

    def by_keys(dialog):
        activate(dialog)
        ui = dialog.ui
        assert ui.owner_edit.isVisible() and ui.success_edit.isVisible()
        ui.text_edit.setFocus()
        type_text(ui.text_edit, "Plan three open questions")
        QTest.keyClick(ui.text_edit, Qt.Key.Key_Tab)  # "Due by", then the date's parts
        for _ in range(5):
            if QApplication.focusWidget() is ui.owner_edit:
                break
            QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is ui.owner_edit
        type_text(ui.owner_edit, "Aino, with her mentor")
        QTest.keyClick(ui.owner_edit, Qt.Key.Key_Tab)
        type_text(ui.support_edit, "Co-planning on Tuesday")
        QTest.keyClick(ui.support_edit, Qt.Key.Key_Tab)
        type_text(ui.success_edit, "Half the class answers")
        QTest.keyClick(ui.success_edit, Qt.Key.Key_Tab)
        listing = ui.evidence_list
        assert QApplication.focusWidget() is listing and listing.count() == 2
        listing.setCurrentRow(1)
        QTest.keyClick(listing, Qt.Key.Key_Space)  # ticks the note
        QTest.keyClick(listing, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    errors: list[BaseException] = []
    in_dialog(by_keys, errors)
    view.feedback.add_feedback(FeedbackKind.NEXT_STEP)
    assert errors == []

    panel = view.feedback
    panel.next_visit_check.setFocus()
    QTest.keyClick(panel.next_visit_check, Qt.Key.Key_Space)
    with db.transaction() as s:
        detail = cycles.get_cycle(s, cycle.id)
    [step] = detail.feedback_of(FeedbackKind.NEXT_STEP)
    assert (step.text, step.owner, step.support, step.success_measure) == (
        "Plan three open questions", "Aino, with her mentor", "Co-planning on Tuesday",
        "Half the class answers")
    assert step.evidence_note_ids == (second.id,)
    assert detail.next_visit_date == backend.clock.now().astimezone().date() + dt.timedelta(
        days=28)
    assert first.id not in step.evidence_note_ids
    QTest.keyClick(panel.next_visit_check, Qt.Key.Key_Space)  # and untick: not agreed after all
    with db.transaction() as s:
        assert cycles.get_cycle(s, cycle.id).next_visit_date is None


def test_a_glow_has_no_next_step_fields(main_window, backend):
    _t, _o, _v, cycle = people_and_cycle(backend)
    view = main_window.review.open_cycle(cycle.id)
    view.tabs.setCurrentWidget(view.feedback)
    seen = {}

    def look(dialog):
        activate(dialog)
        seen["owner"] = dialog.ui.owner_edit.isVisible()
        seen["evidence"] = dialog.ui.evidence_list.isVisible()
        dialog.reject()

    errors: list[BaseException] = []
    in_dialog(look, errors)
    view.feedback.add_feedback(FeedbackKind.GLOW)
    assert errors == [] and seen == {"owner": False, "evidence": True}
