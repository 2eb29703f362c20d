"""Builders for the review-view tests: a window on the backend, a cycle with a visit and notes."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox

from tests.gui.conftest import activate
from tests.gui.modal import when_modal


def in_dialog(act):
    """Run `act(dialog)` on the modal dialog that the next call opens, once it is ready."""
    def run(dialog):
        assert dialog is not None
        act(dialog)
    when_modal(run)


def press_save(dialog):
    box = dialog.ui.buttons
    (box.button(QDialogButtonBox.StandardButton.Save)
     or box.button(QDialogButtonBox.StandardButton.Ok)).click()


def people_and_cycle(backend, slug="new-teacher-growth", teacher="Aino Mäkelä",
                     observer="Νίκος Παπαδόπουλος"):
    t = backend.people.add_person(teacher, subject="Mathematics")
    o = backend.people.add_person(observer)
    version = backend.protocols.get_version(backend.protocols.find_protocol(slug)
                                            .latest_version_id)
    cycle = backend.cycles.plan_cycle(teacher_id=t.id, observer_id=o.id,
                                      protocol_version_id=version.id, focus="Wait time",
                                      now=backend.clock.now())
    return t, o, version, cycle


def visit(backend, cycle_id, notes=(), minutes=30):
    """A finished visit with notes: [(text, seconds, [item ids])]; returns (visit, note views)."""
    clock = backend.clock
    obs = backend.observations.start_observation(cycle_id, subject="Mathematics", grade="7B",
                                                 room="H2", students=26, now=clock.now())
    views = []
    for text, seconds, items in notes:
        views.append(backend.notes.add_note(
            obs.id, text, wall_time=clock.now() + dt.timedelta(seconds=seconds),
            elapsed_ms=seconds * 1000, item_ids=items))
    clock.advance(minutes * 60)
    backend.observations.end_observation(obs.id, minutes * 60_000, now=clock.now())
    return obs, views


def open_from_cycles_page(window, cycle_id):
    """The cycle view, opened as a user does: its row on the Cycles page, then Enter. Its
    questions (go back? close?) are answered yes."""
    window.show_page(1)
    window.cycles_page.reload()
    window.cycles_page.select_id(cycle_id)
    activate(window)
    QTest.keyClick(window.cycles_page.table, Qt.Key.Key_Return)
    view = window.review.current_view
    assert view is not None and window.pages_stack.currentWidget() is view
    assert view.cycle_id == cycle_id
    view.confirm = lambda title, text: True
    return view
