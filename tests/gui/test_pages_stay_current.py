"""Every page shows what is in the database now, wherever the change was made: no page is
reopened, and no page reloads another by hand (the backend's `changed` signal carries it)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox

from observe_app.domain.changes import Data
from observe_app.domain.enums import CycleStage
from observe_app.errors import ObserveError
from observe_app.gui.table_models import PeopleTableModel
from observe_app.services import cycles
from tests.gui.conftest import activate, type_text
from tests.gui.modal import when_modal

ALT = Qt.KeyboardModifier.AltModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def _in_dialog(act) -> None:
    """Run `act(dialog)` on the modal dialog that the next key opens, once it is ready."""

    def run(dialog) -> None:
        assert dialog is not None
        act(dialog)

    when_modal(run)


def _save(dialog) -> None:
    box = dialog.ui.buttons
    (box.button(QDialogButtonBox.StandardButton.Save)
     or box.button(QDialogButtonBox.StandardButton.Ok)).click()


def _page_key(window, letter: Qt.Key) -> None:
    activate(window)
    QTest.keyClick(window.pages_stack.currentWidget().table, letter, ALT)


def _add_person(window, name: str) -> None:
    def fill(dialog) -> None:
        type_text(dialog.ui.name_edit, name)
        _save(dialog)

    activate(window)
    _in_dialog(fill)
    QTest.keyClick(window.teachers_page.table, Qt.Key.Key_A, CTRL_SHIFT)


def _teachers_count(window, name: str) -> str:
    model = window.teachers_page.model
    for row in range(model.rowCount()):
        if model.row_at(row).name == name:
            return model.index(row, PeopleTableModel.Column.CYCLES).data()
    raise AssertionError(f"{name} is not on the Teachers page")


def test_a_cycle_planned_on_the_teachers_page_is_on_every_page_at_once(main_window, db,
                                                                       qtbot):
    window = main_window
    assert window.observe_page.empty_label.isVisible()  # each page is built and showing
    _page_key(window, Qt.Key.Key_C)
    assert window.cycles_page.model.rowCount() == 0
    _page_key(window, Qt.Key.Key_T)

    _add_person(window, "Ana Lima")
    _add_person(window, "Ben Okafor")
    teachers = window.teachers_page.model
    qtbot.waitUntil(lambda: [teachers.row_at(r).name for r in range(teachers.rowCount())]
                    == ["Ana Lima", "Ben Okafor"], timeout=5000)  # read again, on a worker
    window.teachers_page.select_id(teachers.row_at(0).id)

    def plan(dialog) -> None:
        ui = dialog.ui
        ui.observer_combo.setCurrentIndex(ui.observer_combo.findText("Ben Okafor"))
        type_text(ui.focus_edit, "Students explain their thinking")
        _save(dialog)

    activate(window)
    _in_dialog(plan)
    QTest.keyClick(window.teachers_page.table, Qt.Key.Key_P, CTRL_SHIFT)
    with db.transaction() as s:
        [cycle] = cycles.list_cycles(s)
    qtbot.waitUntil(lambda: _teachers_count(window, "Ana Lima") == "1",
                    timeout=5000)  # the page it was planned on

    _page_key(window, Qt.Key.Key_O)  # the first-day dead end: Observe said "No cycle…"
    assert window.pages_stack.currentWidget() is window.observe_page
    assert not window.observe_page.empty_label.isVisible()
    assert [window.observe_page.model.row_at(r).id
            for r in range(window.observe_page.model.rowCount())] == [cycle.id]
    _page_key(window, Qt.Key.Key_C)
    assert window.cycles_page.model.find_row(cycle.id) >= 0


def test_what_a_visit_and_the_cycle_view_change_shows_on_the_pages(main_window, backend):
    window = main_window
    teacher = backend.people.add_person("Ana Lima")
    version = backend.protocols.find_protocol("peer-observation").latest_version_id
    cycle = backend.cycles.plan_cycle(teacher_id=teacher.id, protocol_version_id=version)
    assert window.observe_page.model.find_row(cycle.id) >= 0  # on screen: refreshed at once

    # A visit, made and ended while the Cycles page is hidden, is there when it is shown.
    visit = backend.observations.start_observation(cycle.id, now=backend.clock.now())
    backend.observations.end_observation(visit.id, 60_000, now=backend.clock.now())
    _page_key(window, Qt.Key.Key_C)
    row = window.cycles_page.model.row_at(window.cycles_page.model.find_row(cycle.id))
    assert row.observation_count == 1 and row.stage == CycleStage.POST_CONFERENCE

    # Closing the cycle in its view: the Observe page no longer offers it, the Cycles page
    # shows it closed, with nobody asking either page to reload.
    view = window.review.open_cycle(cycle.id)
    view.confirm = lambda *_args: True
    view.move_to(CycleStage.CLOSED)
    QTest.keyClick(view, Qt.Key.Key_Escape)
    assert window.cycles_page.model.row_at(
        window.cycles_page.model.find_row(cycle.id)).stage == CycleStage.CLOSED
    _page_key(window, Qt.Key.Key_O)
    assert window.observe_page.model.find_row(cycle.id) < 0


def test_a_hidden_page_costs_nothing_until_it_is_shown(main_window, backend, monkeypatch):
    """A lesson's notes do not make the pages under the live view read the database."""
    window = main_window
    teacher = backend.people.add_person("Ana Lima")
    version = backend.protocols.find_protocol("peer-observation").latest_version_id
    cycle = backend.cycles.plan_cycle(teacher_id=teacher.id, protocol_version_id=version)
    _page_key(window, Qt.Key.Key_C)
    reads: list[object] = []
    real = backend.cycles.page_cycles
    monkeypatch.setattr(backend.cycles, "page_cycles",
                        lambda **kw: reads.append(kw) or real(**kw))
    _page_key(window, Qt.Key.Key_T)
    for _ in range(5):
        backend.cycles.set_post_conference_notes(cycle.id, "notes")
    assert reads == []  # both cycle pages are hidden: noted, not read
    _page_key(window, Qt.Key.Key_C)
    assert len(reads) == 1  # shown: read once, however many changes it missed


def test_only_a_write_that_succeeded_says_what_changed(qtbot, backend):
    seen: list[Data] = []
    backend.changed.connect(lambda changes: seen.append(changes.what))
    with pytest.raises(ObserveError):
        backend.people.add_person("")  # refused: nothing changed
    backend.people.list_people()  # a read changes nothing
    assert seen == []
    backend.people.add_person("Ana Lima")
    assert seen == [Data.PEOPLE]


def test_the_teachers_page_reads_the_staff_on_a_worker(main_window, backend, qtbot,
                                                       monkeypatch):
    """A school's whole staff, counted, on a slow disk: the window answers while it comes."""
    import time

    from observe_app.services import people
    from tests.gui.heartbeat import freeze_ms

    window = main_window
    _page_key(window, Qt.Key.Key_T)
    real = people.list_people

    def slow(session, *args, **kwargs):  # type: ignore[no-untyped-def]
        time.sleep(0.3)
        return real(session, *args, **kwargs)

    monkeypatch.setattr(people, "list_people", slow)
    frozen = freeze_ms(qtbot, lambda: backend.people.add_person("Chloe Adams"))
    assert frozen < 50, f"the window froze for {frozen:.0f} ms"
    qtbot.waitUntil(lambda: window.teachers_page.model.rowCount() == 1, timeout=5000)


def test_a_failed_staff_read_is_said_and_gone_with_the_next_one(main_window, backend, qtbot,
                                                                 monkeypatch):
    from observe_app.errors import DatabaseLockedError
    from observe_app.services import people

    window = main_window
    _page_key(window, Qt.Key.Key_T)
    page = window.teachers_page
    qtbot.waitUntil(lambda: not page._rows_query.running, timeout=5000)  # its first read
    intro = page.intro_label.text()
    real, fail = people.list_people, [True]

    def locked_once(session, *args, **kwargs):  # type: ignore[no-untyped-def]
        if fail.pop() if fail else False:
            raise DatabaseLockedError("the database is locked by another program")
        return real(session, *args, **kwargs)

    monkeypatch.setattr(people, "list_people", locked_once)
    backend.people.add_person("Ana Lima")
    qtbot.waitUntil(lambda: page.intro_label.text().startswith("Not read"), timeout=5000)
    page.filter_edit.setFocus()
    backend.people.add_person("Ben Okafor")  # read again: the right list, the usual words
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=5000)
    assert page.intro_label.text() == intro
    assert page.filter_edit.hasFocus()
