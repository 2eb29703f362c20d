"""The growth view on the demo school, Ctrl+F search in any script, the review models."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt, QThread
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from observe_app.domain.formats import local_date, short_label
from observe_app.gui.backend import Backend
from observe_app.gui.main_window import MainWindow
from observe_app.gui.review.charts import spread_labels
from observe_app.gui.review.growth_view import GrowthView
from observe_app.gui.review.models import (
    SNIPPET_ROLE,
    EvidenceTableModel,
    SearchResultsTableModel,
    VisitsTableModel,
)
from observe_app.gui.tasks import run_in_background
from tests.gui.conftest import activate, type_text
from tests.gui.review_helpers import people_and_cycle, visit

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def demo_backend(demo_db, clock):
    return Backend(demo_db, clock)


def _by_name(backend, name):
    return next(p for p in backend.people.list_people() if p.name == name)


@pytest.mark.parametrize("name", ["Aino Mäkelä", "Nguyễn Thị Hương", "Дмитрий Соколов"])
def test_the_growth_view_shows_new_teachers_growing(qtbot, demo_backend, name):
    teacher = _by_name(demo_backend, name)
    view = GrowthView(demo_backend, teacher.id)
    qtbot.addWidget(view)
    view.resize(1280, 680)
    view.show()
    qtbot.waitUntil(lambda: not view.loading, timeout=5000)  # read on a worker
    cycles = demo_backend.cycles.list_cycles(teacher_id=teacher.id)
    assert len(view.timeline.entries) == len(cycles) >= 6
    domains = view.domain_chart.series
    assert len(domains) >= 4
    for series in domains:  # every domain ends higher than it started
        assert series.points[-1][1] > series.points[0][1], series.name
    open_questions = next(s for s in view.tally_chart.series if s.name.startswith("Open"))
    assert open_questions.points[-1][1] > open_questions.points[0][1] + 5
    wait = next(s for s in view.timer_chart.series if s.name.startswith("Wait"))
    assert wait.points[-1][1] > wait.points[0][1]
    assert "Mean rubric level" in view.subtitle_label.text()
    assert view.goals and len(view.goals[0].history) >= 2  # the cycles that touched a goal
    goals_text = view.goals_view.toPlainText()
    assert view.goals[0].text in goals_text
    dates = {c.id: local_date(c.date) for c in cycles}
    for step in view.goals[0].history:  # each cycle that touched it: its date, where it stood
        assert f"{dates[step.cycle_id]}: {step.status.label}" in goals_text
    # Labels name the lines (no legend): the chart text says which line is which.
    assert "Open question:" in view.tally_chart.accessibleDescription()
    view.grab()  # paints without a warning


def test_growth_from_the_teachers_page_and_into_a_cycle(qtbot, demo_backend):
    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    window.attach(demo_backend)
    activate(window)
    teacher = _by_name(demo_backend, "Aino Mäkelä")
    window.show_page(2)
    qtbot.waitUntil(lambda: window.teachers_page.model.find_row(teacher.id) >= 0,
                    timeout=5000)  # the staff list is read on a worker
    window.teachers_page.select_id(teacher.id)
    QTest.keyClick(window.teachers_page.table, Qt.Key.Key_G,
                   CTRL | Qt.KeyboardModifier.ShiftModifier)
    growth = window.review.current_view
    assert isinstance(growth, GrowthView) and growth.teacher_id == teacher.id
    qtbot.waitUntil(lambda: bool(growth.timeline.entries), timeout=5000)  # read on a worker
    growth.timeline.setFocus()
    QTest.keyClick(growth.timeline, Qt.Key.Key_Left)
    QTest.keyClick(growth.timeline, Qt.Key.Key_Return)
    cycle_view = window.review.current_view
    assert cycle_view is not growth
    assert cycle_view.cycle_id == growth.timeline.entries[-2].cycle_id
    cycle_view.back_button.click()
    assert window.review.current_view is growth
    goal_cycle = growth.goals[0].history[0].cycle_id
    from PySide6.QtCore import QUrl

    growth.goals_view.anchorClicked.emit(QUrl(f"cycle:{goal_cycle}"))
    assert window.review.current_view.cycle_id == goal_cycle
    window.review.current_view.back_button.click()
    growth.teacher_combo.setCurrentIndex(growth.teacher_combo.findText("Nguyễn Thị Hương"))
    qtbot.waitUntil(lambda: "Nguyễn Thị Hương" in growth.title_label.text(), timeout=5000)


def test_only_the_newest_teachers_growth_is_shown(qtbot, demo_backend, monkeypatch):
    """Growth is read on a worker; a teacher chosen before the last one's answer came is
    never shown over the newer choice."""
    import time

    aino, dmitri, huong = (_by_name(demo_backend, n)
                           for n in ("Aino Mäkelä", "Дмитрий Соколов", "Nguyễn Thị Hương"))
    view = GrowthView(demo_backend, aino.id)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: not view.loading, timeout=5000)
    read = demo_backend.growth.teacher_growth

    def slow_for_dmitri(teacher_id: str):
        if teacher_id == dmitri.id:
            time.sleep(0.4)  # its answer comes after the newer one's
        return read(teacher_id)

    monkeypatch.setattr(demo_backend.growth, "teacher_growth", slow_for_dmitri)
    combo = view.teacher_combo
    combo.setFocus()
    combo.setCurrentIndex(combo.findData(dmitri.id))
    combo.setCurrentIndex(combo.findData(huong.id))  # before Dmitri's growth came
    qtbot.waitUntil(lambda: not view.loading, timeout=5000)
    qtbot.wait(600)  # Dmitri's answer has come too, and was dropped
    assert "Nguyễn Thị Hương" in view.title_label.text()
    assert [e.cycle_id for e in view.timeline.entries] == [
        c.id for c in demo_backend.cycles.list_cycles(teacher_id=huong.id)]


@pytest.mark.parametrize("words", ["Mäkelä", "học sinh", "ερώτηση"])
def test_ctrl_f_finds_notes_in_any_script_and_opens_the_visit(qtbot, main_window, backend,
                                                            words):
    _t, _o, _v, cycle = people_and_cycle(backend, slug="peer-observation")
    obs, notes = visit(backend, cycle.id, [
        ("Opening: the date on the board", 30, []),
        ("Aino Mäkelä asks: why does the ice float?", 75, []),
        ("Nhiều học sinh giơ tay trả lời", 130, []),
        ("Ανοιχτή ερώτηση προς την τάξη", 190, []),
    ])
    main_window.show_page(1)
    activate(main_window)
    QTest.keyClick(main_window.cycles_page.table, Qt.Key.Key_F, CTRL)
    dialog = main_window.review.search_dialog
    assert dialog is not None and dialog.isVisible()
    type_text(dialog.search_edit, words)
    qtbot.waitUntil(lambda: dialog.model.rowCount() > 0, timeout=3000)
    hit = dialog.model.row_at(0)
    expected = next(n for n in notes if words.split()[0] in n.text)
    assert (hit.kind, hit.ref_id, hit.observation_id) == ("note", expected.id, obs.id)
    C = SearchResultsTableModel.Column
    assert dialog.model.index(0, C.TEACHER).data() == "Aino Mäkelä"
    assert dialog.model.index(0, C.TIME).data() == f"{expected.elapsed_ms // 60000:02d}:" \
        f"{expected.elapsed_ms // 1000 % 60:02d}"
    assert f"<b>{words.split()[0]}" in dialog.model.index(0, C.SNIPPET).data(SNIPPET_ROLE)
    QTest.keyClick(dialog.search_edit, Qt.Key.Key_Return)
    view = main_window.review.current_view
    assert view is not None and view.cycle_id == cycle.id
    assert view.tabs.currentWidget() is view.visits
    row = view.visits.evidence_table.currentIndex().row()
    assert view.visits.evidence_proxy.index(row, 2).data() == expected.text
    assert not dialog.isVisible()


def test_search_finds_feedback_and_says_when_nothing_matches(qtbot, main_window, backend):
    _t, _o, _v, cycle = people_and_cycle(backend)
    backend.cycles.add_feedback(cycle.id, "glow", "Τhe pairs explained with diagrams")
    dialog = main_window.review.open_search()
    type_text(dialog.search_edit, "diagrams")  # searched on a worker as the typing pauses
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=3000)
    assert dialog.model.row_at(0).kind == "feedback"
    dialog.open_current()
    view = main_window.review.current_view
    assert view.tabs.currentWidget() is view.feedback
    dialog.search_edit.clear()
    type_text(dialog.search_edit, "zzzz")
    qtbot.waitUntil(lambda: "Nothing found" in dialog.count_label.text(), timeout=3000)
    assert dialog.model.rowCount() == 0


def test_only_the_answer_to_the_newest_search_is_shown(qtbot, main_window, backend,
                                                      monkeypatch):
    """Searches run on a worker; an older answer arriving late never replaces a newer one."""
    import time

    _t, _o, _v, cycle = people_and_cycle(backend)
    backend.cycles.add_feedback(cycle.id, "glow", "Diagrams on the board")
    search = backend.search.search

    def slow_for_the_first(text: str):
        if text == "diagrams":
            time.sleep(0.4)  # its answer comes after the newer one's
        return search(text)

    monkeypatch.setattr(backend.search, "search", slow_for_the_first)
    dialog = main_window.review.open_search()
    dialog.search_edit.setText("diagrams")
    dialog.run_search()
    dialog.search_edit.setText("nothing like it")
    dialog.run_search()  # asked before the first answer came
    qtbot.waitUntil(lambda: not dialog._query.running, timeout=3000)
    qtbot.wait(600)  # the first answer has come too, and was dropped
    assert dialog.model.rowCount() == 0 and "Nothing found" in dialog.count_label.text()


def test_review_models_pass_the_model_tester(qtmodeltester, backend):
    _t, _o, version, cycle = people_and_cycle(backend, slug="peer-observation")
    obs, _notes = visit(backend, cycle.id, [("Ερώτηση ανοιχτή", 40, [version.items[0].id]),
                                             ("học sinh", 80, [])])
    visits = VisitsTableModel()
    visits.set_rows(backend.observations.list_observations(cycle.id))
    qtmodeltester.check(visits)
    evidence = EvidenceTableModel()
    evidence.set_item_labels({i.id: i.label for i in version.items})
    evidence.set_rows(backend.notes.list_notes(obs.id))
    qtmodeltester.check(evidence)
    assert evidence.index(0, 3).data() == version.items[0].label
    results = SearchResultsTableModel()
    results.set_rows(backend.search.search("học"))
    qtmodeltester.check(results)
    assert results.rowCount() == 1


def test_background_task_posts_results_to_the_gui_thread(qtbot):
    gui = QThread.currentThread()
    seen = []

    def work():
        seen.append(threading.current_thread() is threading.main_thread())
        return 42

    def fail():
        raise OSError(28, "No space left on device")

    done = []
    run_in_background(work, on_done=lambda v: done.append(
        ("ok", v, QThread.currentThread() is gui)), on_failed=done.append)
    run_in_background(fail, on_done=done.append, on_failed=lambda e: done.append(
        ("failed", type(e).__name__, QThread.currentThread() is gui)))
    qtbot.waitUntil(lambda: len(done) == 2, timeout=5000)
    assert sorted(done) == [("failed", "OSError", True), ("ok", 42, True)]
    assert seen == [False]  # the work itself ran on a worker thread
    QApplication.processEvents()


def test_line_labels_never_overlap():
    placed = spread_labels([50, 52, 51, 200], 14, 0, 210)
    ordered = sorted(placed)
    assert all(b - a >= 14 for a, b in zip(ordered, ordered[1:], strict=False))
    assert placed[3] == 200
    crowded = spread_labels([100, 100, 100], 14, 0, 110)  # pushed back up from the bottom
    ordered = sorted(crowded)
    assert all(b - a >= 14 - 1e-9 for a, b in zip(ordered, ordered[1:], strict=False))
    assert max(crowded) <= 110 + 1e-9
    assert short_label("Open questions (several answers)") == "Open questions"
