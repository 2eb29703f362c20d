"""The School page: opened by its key, period and scope switched by keys, the figures the
services give, a department of two withheld in words, the setting saved and read again, and
an older answer dropped when a newer choice was made meanwhile."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QModelIndex, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from observe_app.domain.enums import CycleStage, Role
from observe_app.gui.school.coverage_models import (
    CoverageTableModel,
    OverdueTableModel,
    PairingTableModel,
)
from observe_app.gui.school.patterns_model import Heading, PatternsTableModel
from observe_app.services import cycles, observations, people, responses, school
from observe_app.services.school_choices import scope_choices
from observe_app.services.school_period import Scope, term_of
from tests.gui.conftest import activate
from tests.gui.modal import when_modal
from tests.services.helpers import version

ALT = Qt.KeyboardModifier.AltModifier
SPRING = term_of(dt.date(2026, 3, 2))  # the term the test clock is in (conftest.START)
AUTUMN = SPRING.previous()
GOAL = "Today's learning goal is visible"
TWO_TEACHERS = ("Withheld: it comes from 2 teachers, fewer than 3, so a teacher could be "
                "picked out.")


def _at(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=11, tzinfo=dt.UTC)


def _walk(s, teacher, observer, day: str, seen: set[str]) -> str:
    v = version(s, "learning-walk")
    c = cycles.plan_cycle(s, teacher_id=teacher.id, observer_id=observer.id,
                          protocol_version_id=v.id, now=_at(day))
    visit = observations.start_observation(s, c.id, subject=teacher.subject, grade="8",
                                           room="B12", now=_at(day))
    for item in v.items:
        if item.kind == "lookfor":
            responses.set_checked(s, visit.id, item.id, item.key in seen)
    observations.end_observation(s, visit.id, 600_000, now=_at(day) + dt.timedelta(minutes=10))
    cycles.move_to_stage(s, c.id, CycleStage.CLOSED, now=_at(day))  # a walk needs no more
    return c.id


@pytest.fixture
def school_data(db):
    """Spring term 2026 (the clock's): 10 walks of 5 teachers, the goal visible in 6, Art's
    2 teachers walked 5 times; the autumn before: 5 walks of 3 teachers, the goal in 2. One
    peer observation waits for its post-conference since 1 February."""
    with db.transaction() as s:
        walker = people.add_person(s, "Walker Leader", role=Role.LEADER)
        a, b, c = (people.add_person(s, n, subject="Maths")
                   for n in ("Aino Mäkelä", "Bruno Costa", "Chidi Okeke"))
        d, e = (people.add_person(s, n, subject="Art") for n in ("Dana Ionescu", "Eli Stern"))
        people.add_person(s, "Farah Haddad", subject="English")
        goal = {"goal-visible"}
        for teacher, day, seen in (
                (a, "2026-01-10", goal), (a, "2026-02-10", goal | {"on-task"}),
                (b, "2026-01-12", goal), (b, "2026-02-12", set()), (c, "2026-02-20", goal),
                (d, "2026-01-20", {"on-task"}), (d, "2026-02-03", set()), (d, "2026-02-24", goal),
                (e, "2026-01-21", set()), (e, "2026-02-25", goal),
                (a, "2025-10-01", goal), (b, "2025-10-02", set()), (c, "2025-11-03", set()),
                (a, "2025-11-04", goal), (b, "2025-12-01", set())):
            _walk(s, teacher, walker, day, seen)
        peer = cycles.plan_cycle(s, teacher_id=a.id, observer_id=b.id,
                                 protocol_version_id=version(s, "peer-observation").id,
                                 now=_at("2026-02-01"))
        visit = observations.start_observation(s, peer.id, now=_at("2026-02-01"))
        observations.end_observation(s, visit.id, 1_800_000, now=_at("2026-02-01"))
    return {"overdue": peer.id, "art": (d, e)}


def _open(window, qtbot):
    """The School page, by its key, once its first answer is on screen."""
    QTest.keyClick(window.observe_page.table, Qt.Key.Key_S, ALT)
    page = window.school_page
    assert window.pages_stack.currentWidget() is page
    qtbot.waitUntil(lambda: page.shown is not None and not page.loading, timeout=5000)
    return page


def _wait(page, qtbot, check) -> None:
    qtbot.waitUntil(lambda: not page.loading and page.shown is not None and check(),
                    timeout=5000)


def _patterns(model: PatternsTableModel) -> list:
    rows = (model.row_at(n) for n in range(model.rowCount()))
    return [r for r in rows if not isinstance(r, Heading)]


def _row(model: PatternsTableModel, label: str, protocol: str = "Learning walk") -> int:
    [row] = [n for n in range(model.rowCount())
             if not isinstance(model.row_at(n), Heading) and model.row_at(n).label == label
             and model.row_at(n).protocol == protocol]
    return row


def _text(model, row: int, column: int) -> str:
    return model.index(row, column).data()


def _key(widget_key: Qt.Key, then: Qt.Key) -> None:
    """A mnemonic (Alt+key) to reach a box, then a key in it, as a person types them."""
    QTest.keyClick(QApplication.focusWidget(), widget_key, ALT)
    QTest.keyClick(QApplication.focusWidget(), then)


def test_the_page_opens_by_its_key_and_shows_the_services_figures(main_window, db, qtbot,
                                                                  school_data):
    page = _open(main_window, qtbot)
    with db.transaction() as s:
        expected = school.school_picture(s, SPRING, Scope(), today=dt.date(2026, 3, 2))
    picture = page.shown.picture
    assert picture.period == SPRING and "Spring term 2025–26" in page.subtitle_label.text()
    assert "compared with Autumn term 2025–26" in page.subtitle_label.text()
    assert sorted(_patterns(page.patterns.model), key=repr) == sorted(expected.patterns, key=repr)
    model, C = page.patterns.model, PatternsTableModel.Column
    goal = _row(model, GOAL)
    assert (_text(model, goal, C.NOW), _text(model, goal, C.BEFORE)) == ("60 %", "40 %")
    assert _text(model, goal, C.CHANGE) == "+20 points"
    assert _text(model, goal, C.BASIS) == "From 10 visits, 5 teachers"
    # Coverage, with names: the coordinator's view.
    teachers = page.coverage.teachers_model
    assert [teachers.row_at(n) for n in range(teachers.rowCount())] == list(
        expected.coverage.teachers)
    [farah] = [n for n in range(teachers.rowCount()) if teachers.row_at(n).name == "Farah Haddad"]
    assert teachers.index(farah, CoverageTableModel.Column.NOTE).data().startswith(
        "Never observed")  # in words, not only the colour
    assert "Farah Haddad" in page.coverage.summary_label.text()
    pairs = page.coverage.pairs_model
    assert sum(pairs.visits(r, c) for r in range(pairs.rowCount())
               for c in range(pairs.columnCount())) == 11  # 10 walks and a peer observation
    overdue = page.coverage.overdue_model
    assert [(overdue.row_at(n).cycle_id, overdue.row_at(n).days)
            for n in range(overdue.rowCount())] == [(school_data["overdue"], 29)]
    # Impact: the terms up to this one, each figure as the service gives it.
    assert page.impact.goals_chart.terms == [t.name for t in expected.impact.terms]


def test_period_and_scope_switch_by_keys_and_a_department_of_two_is_withheld(
        main_window, db, qtbot, school_data):
    page = _open(main_window, qtbot)
    _key(Qt.Key.Key_R, Qt.Key.Key_Down)  # Period: Last term
    _wait(page, qtbot, lambda: page.shown.picture.period == AUTUMN)
    assert "Autumn term 2025–26" in page.subtitle_label.text()
    with db.transaction() as s:
        autumn = school.patterns(s, AUTUMN, Scope())
    assert sorted(_patterns(page.patterns.model), key=repr) == sorted(autumn, key=repr)
    _key(Qt.Key.Key_R, Qt.Key.Key_Up)  # back to This term
    _wait(page, qtbot, lambda: page.shown.picture.period == SPRING)
    _key(Qt.Key.Key_E, Qt.Key.Key_Down)  # Scope: the first subject, Art
    assert page.top_bar.scope_combo.currentText() == "Subject: Art"
    _wait(page, qtbot, lambda: page.shown.picture.scope == Scope(subject="Art"))
    model = page.patterns.model
    goal = _row(model, GOAL)
    assert _text(model, goal, PatternsTableModel.Column.NOW) == "withheld"
    assert _text(model, goal, PatternsTableModel.Column.BASIS) == TWO_TEACHERS
    art = _patterns(model)
    assert art and all(p.now.value is None for p in art)
    assert {t.name for t in page.shown.picture.coverage.teachers} == {"Dana Ionescu",
                                                                       "Eli Stern"}
    while page.top_bar.scope_combo.currentText() != "Grade 8":  # past the other subjects
        _key(Qt.Key.Key_E, Qt.Key.Key_Down)
    _wait(page, qtbot, lambda: page.shown.picture.scope == Scope(grade="8"))
    # A grade is the visit's: its teachers are those whose lessons in it were visited.
    assert page.coverage.summary_label.text().startswith("Grade 8 in Spring term 2025–26: the ")
    assert "Who was never observed shows for the whole school" in (
        page.coverage.summary_label.text())
    assert all(t.observed for t in page.shown.picture.coverage.teachers)


def test_the_fewest_visits_is_saved_as_a_setting_and_the_page_reads_again(main_window, db,
                                                                          qtbot, school_data):
    page = _open(main_window, qtbot)
    spin = page.top_bar.minimum_spin
    assert spin.value() == 5
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_W, ALT)
    assert QApplication.focusWidget() is spin or spin.isAncestorOf(QApplication.focusWidget())
    QTest.keyClick(spin, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(spin, "12")
    _wait(page, qtbot, lambda: page.shown.picture.minimum_visits == 12)
    with db.transaction() as s:
        assert school.minimum_visits(s) == 12
        expected = school.patterns(s, SPRING, Scope())
    model = page.patterns.model
    assert _text(model, _row(model, GOAL), PatternsTableModel.Column.BASIS) == (
        "Withheld: it comes from 10 visits, fewer than 12.")
    assert sorted(_patterns(model), key=repr) == sorted(expected, key=repr)
    assert "fewer than 12 visits" in page.patterns.note_label.text()


def test_an_older_answer_is_dropped_when_a_newer_choice_was_made(main_window, backend, qtbot,
                                                                 school_data, monkeypatch):
    page = _open(main_window, qtbot)
    picture = backend.school.school_picture

    def slow_for_this_term(period, scope, *, today=None):
        if period == SPRING:
            time.sleep(0.4)  # its answer comes after the newer one's
        return picture(period, scope, today=today)

    monkeypatch.setattr(backend.school, "school_picture", slow_for_this_term)
    seen = []
    page.read_done.connect(lambda: seen.append(page.shown.picture.period))
    page.reload()  # this term again, slowly
    page.top_bar.period_combo.setCurrentIndex(1)  # last term, before the first answer came
    qtbot.waitUntil(lambda: not page.loading, timeout=5000)
    qtbot.wait(600)  # the first answer has come too, and was dropped
    assert seen == [AUTUMN]
    assert page.shown.picture.period == AUTUMN


def test_dates_that_end_before_they_start_are_refused_in_words(main_window, qtbot, school_data):
    page = _open(main_window, qtbot)
    page.top_bar.period_combo.setCurrentIndex(4)  # Dates…: the term shown until now
    _wait(page, qtbot, lambda: page.shown.picture.period.kind == "custom")
    assert (page.shown.picture.period.start, page.shown.picture.period.end) == (
        SPRING.start, SPRING.end)
    page.top_bar.end_edit.setDate(QDate(2025, 12, 1))
    qtbot.waitUntil(lambda: page.problem_label.isVisible(), timeout=5000)
    assert "choose an end date on or after the start date" in page.problem_label.text()
    assert page.shown.picture.period.end == SPRING.end  # the figures shown are kept


def test_chosen_teachers_make_the_scope(main_window, qtbot, school_data):
    page = _open(main_window, qtbot)
    art = {p.id for p in school_data["art"]}

    def tick(dialog):
        items = [dialog.list.item(n) for n in range(dialog.list.count())]
        for item in items:
            if item.data(Qt.ItemDataRole.UserRole) in art:
                item.setCheckState(Qt.CheckState.Checked)
        dialog.name_edit.setText("Art PLC")
        dialog.accept()

    when_modal(tick)
    page.top_bar.members_button.click()
    _wait(page, qtbot, lambda: page.shown.picture.scope.teacher_ids == art)
    assert page.top_bar.scope_combo.currentText() == "Art PLC (2 teachers)"
    assert "Art PLC" in page.subtitle_label.text()
    model = page.patterns.model
    assert _text(model, _row(model, GOAL), PatternsTableModel.Column.BASIS) == TWO_TEACHERS


def test_enter_on_an_overdue_post_conference_opens_the_cycle(main_window, qtbot, school_data):
    page = _open(main_window, qtbot)
    table = page.coverage.overdue_table
    assert table.isVisible()
    table.setFocus()
    table.selectRow(0)
    activate(main_window)
    QTest.keyClick(table, Qt.Key.Key_Return)
    assert main_window.review.current_view.cycle_id == school_data["overdue"]


def test_the_page_refreshes_itself_when_a_visit_is_added(main_window, backend, qtbot,
                                                        school_data):
    page = _open(main_window, qtbot)
    farah = next(p for p in backend.people.list_people() if p.name == "Farah Haddad")
    walker = next(p for p in backend.people.list_people() if p.name == "Walker Leader")
    cycle = backend.cycles.plan_cycle(
        teacher_id=farah.id, observer_id=walker.id, now=_at("2026-02-27"),
        protocol_version_id=backend.protocols.find_protocol("learning-walk").latest_version_id)
    backend.observations.start_observation(cycle.id, now=_at("2026-02-27"))
    _wait(page, qtbot, lambda: not page.shown.picture.coverage.never_observed)
    assert "Every one of the 6 teachers was observed" in page.coverage.summary_label.text()


def test_the_models_pass_the_model_tester(qtmodeltester, db, school_data):
    with db.transaction() as s:
        picture = school.school_picture(s, SPRING, Scope(), today=dt.date(2026, 3, 2))
        names = scope_choices(s).names
    for model, fill in ((CoverageTableModel(), lambda m: m.set_rows(picture.coverage.teachers)),
                        (OverdueTableModel(), lambda m: m.set_rows(picture.coverage.overdue)),
                        (PatternsTableModel(), lambda m: m.set_rows(picture.patterns)),
                        (PairingTableModel(),
                         lambda m: m.set_rows(picture.coverage.pairs, names))):
        fill(model)
        assert model.rowCount(QModelIndex()) > 0
        qtmodeltester.check(model, force_py=True)
    empty = PairingTableModel()
    empty.set_rows([], {})
    qtmodeltester.check(empty, force_py=True)
    from observe_app.gui.school import patterns_model
    from observe_app.services import school_json

    assert patterns_model.PERCENT_KINDS == school_json.PERCENT_KINDS  # read as the PDF reads


def test_the_page_fits_a_small_screen_names_its_controls_and_tab_reaches_them(
        qtbot, backend, school_data):
    from observe_app.gui.main_window import MainWindow
    from tests.gui.test_accessibility import _unnamed
    from tests.gui.test_keyboard import _buttons, _reached_by_tab
    from tests.gui.test_small_screen import SMALL, cut_off, settle

    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(SMALL)
    window.show()
    window.attach(backend)
    activate(window)
    page = _open(window, qtbot)
    for tab in range(page.tabs.count()):
        page.tabs.setCurrentIndex(tab)
        settle(window)
        assert cut_off(window) == [], page.tabs.tabText(tab)
        assert _unnamed(page) == []
        missing = [b.text() for b in _buttons(page) - _reached_by_tab(page.top_bar.period_combo)]
        assert missing == [], page.tabs.tabText(tab)


def test_the_review_and_its_figures_are_exported_without_a_name(main_window, qtbot, tmp_path,
                                                                school_data):
    from tests.reports.pdf_helpers import pdf_text

    page = _open(main_window, qtbot)
    said = []
    page.status_said.connect(said.append)
    exports = page.exports
    exports.choose_path = lambda _title, suggested, _kind: str(
        tmp_path / Path(suggested).name.replace(".pdf", "").replace(".csv", ""))
    assert exports.pdf_button.isEnabled()
    QTest.keyClick(page.top_bar.period_combo, Qt.Key.Key_E,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: any(s.startswith("Saved") for s in said), timeout=15000)
    pdf = tmp_path / "PLC data review, Spring term 2025–26.pdf"
    text = " ".join(pdf_text(pdf))
    assert "Spring term 2025–26" in text and GOAL in text
    exports.csv_button.click()
    qtbot.waitUntil(lambda: sum(s.startswith("Saved") for s in said) == 2, timeout=15000)
    csv = (tmp_path / "PLC data review, Spring term 2025–26.csv").read_text("utf-8-sig")
    assert GOAL in csv
    for name in ("Aino", "Bruno", "Chidi", "Dana", "Eli Stern", "Farah", "Walker", "B12"):
        assert name not in text and name not in csv


def test_a_round_is_planned_from_the_coverage_tab(main_window, qtbot, school_data):
    from observe_app.gui.round_dialog import RoundDialog

    page = _open(main_window, qtbot)
    page.coverage.round_button.click()
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), RoundDialog),
                    timeout=5000)
    QApplication.activeModalWidget().close()
