"""Resuming visits left open days ago, from the Observe page, by keyboard only."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from observe_app.gui.resume_dialog import ResumeDialog
from observe_app.services import observations
from tests.gui.conftest import START, activate, start_visit, type_text

CTRL = Qt.KeyboardModifier.ControlModifier


def _left_open(backend, clock, *, days: float = 3) -> str:
    """Ana's visit: notes at 5 and 20 lesson minutes, then the app closed for `days`."""
    obs_id = start_visit(backend, "peer-observation")
    for minutes, text in ((5, "Pairs explain their method"), (20, "Exit ticket handed out")):
        backend.notes.add_note(obs_id, text, wall_time=START + dt.timedelta(minutes=minutes),
                               elapsed_ms=minutes * 60_000)
    clock.advance(days * 86_400)
    return obs_id


def _second_visit(backend, clock) -> str:
    """Another teacher's visit, started an hour ago and not ended either."""
    teacher = backend.people.add_person("Chloé Martin", subject="French")
    version = backend.protocols.find_protocol("peer-observation").latest_version_id
    cycle = backend.cycles.plan_cycle(teacher_id=teacher.id, protocol_version_id=version,
                                      now=clock.now())
    clock.advance(-3600)
    obs = backend.observations.start_observation(cycle.id, subject="French",
                                                 now=clock.now())
    clock.advance(3600)
    return obs.id


def _resume_with_keys(window, qtbot) -> ResumeDialog:
    page = window.observe_page
    window.show_page(0)
    activate(window)
    QTest.keyClick(page.table, Qt.Key.Key_R, CTRL)
    dialog = page.resume_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    activate(dialog)
    return dialog


def test_every_unfinished_visit_is_offered_with_teacher_date_and_age(main_window, backend,
                                                                      clock):
    _left_open(backend, clock)
    _second_visit(backend, clock)
    page = main_window.observe_page
    page.reload()
    assert page.resume_bar.isVisible()
    items = [page.resume_list.item(i).text() for i in range(page.resume_list.count())]
    assert len(items) == 2
    assert "Chloé Martin" in items[0] and "1 hour ago" in items[0]
    assert "Ana Lima" in items[1] and "3 days ago" in items[1]
    assert "Ctrl+R" in page.resume_button.text()


def test_ctrl_r_then_enter_ends_a_visit_left_for_days_at_its_last_note(main_window, backend,
                                                                       clock, qtbot, db):
    obs_id = _left_open(backend, clock)
    main_window.observe_page.reload()
    dialog = _resume_with_keys(main_window, qtbot)
    assert "3 days ago" in dialog.facts_label.text()
    assert dialog.default_choice == ResumeDialog.END  # three days: that lesson is over
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    with db.transaction() as s:
        view = observations.get_observation(s, obs_id)
        assert view.ended_at == START + dt.timedelta(minutes=20)
        assert view.lesson_ms == 20 * 60_000
    assert main_window.live_view is None
    assert not main_window.observe_page.resume_bar.isVisible()


def test_tab_to_go_on_keeps_the_days_away_as_a_pause(main_window, backend, clock, qtbot, db):
    obs_id = _left_open(backend, clock)
    main_window.observe_page.reload()
    dialog = _resume_with_keys(main_window, qtbot)
    assert QApplication.focusWidget() is dialog.end_button
    QTest.keyClick(dialog.end_button, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.go_on_button
    QTest.keyClick(dialog.go_on_button, Qt.Key.Key_Return)
    live = main_window.live_view
    assert live is not None and live.observation_id == obs_id
    assert live.elapsed_label.text() == "20:00"  # where the evidence stopped, not 72 hours on
    activate(main_window)
    clock.advance(60)
    type_text(live.note_edit, "Back after the weekend")
    QTest.keyClick(live.note_edit, Qt.Key.Key_Return)
    live.confirm_end = lambda: True
    clock.advance(60)
    QTest.keyClick(live.note_edit, Qt.Key.Key_E, CTRL)
    with db.transaction() as s:
        view = observations.get_observation(s, obs_id)
        assert view.ended_at == clock.now()
        assert view.lesson_ms == 22 * 60_000
        later = clock.now() + dt.timedelta(days=9)
        assert observations.elapsed_ms_at(s, obs_id, later) == 22 * 60_000
        from observe_app.services import notes

        last = notes.list_notes(s, obs_id)[-1]
        assert last.text == "Back after the weekend" and last.elapsed_ms == 21 * 60_000


def test_escape_leaves_the_visit_open_and_a_short_gap_goes_on_by_default(main_window,
                                                                         backend, clock,
                                                                         qtbot, db):
    obs_id = _left_open(backend, clock, days=10 / (24 * 60))  # closed for ten minutes
    main_window.observe_page.reload()
    dialog = _resume_with_keys(main_window, qtbot)
    assert dialog.default_choice == ResumeDialog.GO_ON
    assert QApplication.focusWidget() is dialog.go_on_button
    QTest.keyClick(dialog.go_on_button, Qt.Key.Key_Escape)
    assert main_window.observe_page.resume_dialog is None
    assert main_window.live_view is None
    with db.transaction() as s:
        assert [v.id for v in observations.list_unfinished_visits(s)] == [obs_id]


def test_enter_on_a_cycle_whose_visit_was_left_open_resumes_it(main_window, backend, clock,
                                                                qtbot, db):
    """Never a second visit beside the open one; ending it backs up as any visit's end."""
    obs_id = _left_open(backend, clock)
    page = main_window.observe_page
    page.reload()
    window_ended = []
    main_window.observation_finished.connect(window_ended.append)
    main_window.show_page(0)
    activate(main_window)
    with db.transaction() as s:
        cycle_id = observations.get_observation(s, obs_id).cycle_id
    page.select_id(cycle_id)
    assert page.current_row().id == cycle_id
    QTest.keyClick(page.table, Qt.Key.Key_Return)
    dialog = page.resume_dialog
    assert isinstance(dialog, ResumeDialog), "Enter offered a new visit, not the open one"
    qtbot.waitUntil(dialog.isVisible)
    activate(dialog)
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)  # end at its last note
    assert window_ended == [obs_id]
    with db.transaction() as s:
        assert observations.list_unfinished_visits(s) == []
        assert len(observations.list_observations(s, cycle_id)) == 1


def test_a_restart_opens_where_a_visit_left_open_waits(main_window, backend, clock):
    _left_open(backend, clock)
    main_window.navigation.setCurrentRow(2)  # the Teachers page was the last one shown
    main_window.attach(backend)
    assert main_window.pages_stack.currentIndex() == 0
    assert main_window.observe_page.resume_bar.isVisible()
