"""The person and plan-a-cycle dialogs open at once: the lists they offer are read on a
worker, and a Save pressed before those lists came goes ahead when they have."""

from __future__ import annotations

import time

from PySide6.QtWidgets import QDialog, QDialogButtonBox

from observe_app.domain.enums import Role
from observe_app.gui import tasks
from observe_app.gui.dialogs import CycleDialog, PersonDialog
from observe_app.services import people
from tests.gui.conftest import type_text
from tests.gui.heartbeat import Heartbeat

FROZEN_AT_MOST_MS = 50
SLOW_S = 0.3  # a school's whole staff on a slow disk


def _slow_people(monkeypatch) -> None:
    real = people.list_people

    def slow(session, *args, **kwargs):
        time.sleep(SLOW_S)
        return real(session, *args, **kwargs)

    monkeypatch.setattr(people, "list_people", slow)


def test_the_plan_dialog_opens_before_its_lists_come(qtbot, backend, monkeypatch):
    ana = backend.people.add_person("Ana Lima")
    backend.people.add_person("Ben Okafor")
    _slow_people(monkeypatch)
    started = time.perf_counter()
    dialog = CycleDialog(backend, ana.id)
    qtbot.addWidget(dialog)
    dialog.show()
    opened_ms = (time.perf_counter() - started) * 1000
    assert opened_ms < SLOW_S * 1000 / 2, f"it took {opened_ms:.0f} ms to open"
    assert not dialog.ready  # on screen, its lists still on their way
    qtbot.waitExposed(dialog)
    qtbot.wait(40)  # its first paint, which any dialog costs
    assert not dialog.ready
    with Heartbeat() as heart:  # and the window answers while they come
        qtbot.waitUntil(lambda: dialog.ready, timeout=5000)
        qtbot.wait(30)
    frozen = heart.longest_gap_ms()
    assert frozen < FROZEN_AT_MOST_MS, f"the window froze for {frozen:.0f} ms"
    ui = dialog.ui
    assert ui.teacher_combo.currentData() == ana.id
    assert ui.observer_combo.findText("Ben Okafor") > 0
    assert ui.protocol_combo.count() > 0


def test_save_before_the_lists_came_keeps_the_mentor(qtbot, backend, db, monkeypatch):
    mentor = backend.people.add_person("Ben Okafor", role=Role.MENTOR)
    ana = backend.people.add_person("Ana Lima", subject="Science", mentor_id=mentor.id)
    _slow_people(monkeypatch)
    dialog = PersonDialog(backend, backend.people.get_person(ana.id))
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.ready  # the mentors are still on their way
    dialog.ui.subject_edit.clear()
    type_text(dialog.ui.subject_edit, "Chemistry")
    dialog.ui.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert dialog.result() != QDialog.DialogCode.Accepted  # not yet: it waits for them
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=5000)
    assert dialog.ui.mentor_combo.currentData() == mentor.id
    with db.transaction() as s:
        saved = people.get_person(s, ana.id)
    assert (saved.subject, saved.mentor_id) == ("Chemistry", mentor.id)
    qtbot.waitUntil(lambda: not tasks.busy())


def test_cancel_after_an_early_save_saves_nothing(qtbot, backend, db, monkeypatch):
    _slow_people(monkeypatch)
    dialog = PersonDialog(backend)
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(dialog.ui.name_edit, "Chloe Adams")
    dialog.ui.buttons.button(QDialogButtonBox.StandardButton.Save).click()  # lists not here
    dialog.ui.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()
    qtbot.waitUntil(lambda: not tasks.busy(), timeout=5000)  # the lists have come
    qtbot.wait(50)
    with db.transaction() as s:
        assert people.list_people(s) == []


def test_a_list_read_that_failed_is_said_and_save_reads_again(qtbot, backend, db,
                                                              monkeypatch):
    from observe_app.errors import DatabaseLockedError

    real = people.list_people
    fail = [True]

    def locked_once(session, *args, **kwargs):
        if fail[0]:
            raise DatabaseLockedError("the database is locked by another program")
        return real(session, *args, **kwargs)

    monkeypatch.setattr(people, "list_people", locked_once)
    dialog = PersonDialog(backend)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.ui.error_label.isVisible(), timeout=5000)
    assert "locked" in dialog.ui.error_label.text() and not dialog.ready
    fail[0] = False
    type_text(dialog.ui.name_edit, "Chloe Adams")
    dialog.ui.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=5000)
    with db.transaction() as s:
        assert [p.name for p in people.list_people(s)] == ["Chloe Adams"]
