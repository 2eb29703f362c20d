"""Choosing a protocol when planning a cycle: the dialog says what the chosen one is for and
what it records, offers no retired protocol, and begins with the one used last time."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog
from sqlalchemy import update

from observe_app.domain.models import Protocol
from observe_app.domain.types import utc_now
from observe_app.gui import tasks
from observe_app.gui.dialogs import CycleDialog
from observe_app.services import cycles, protocols
from tests.gui.conftest import activate, type_text

ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier

DISCOURSE = "Discourse scan: 1 interval scan, every 2 minutes · Feedback: 3 feedback prompts"
QUESTIONING = "Question tallies: 6 tallies · Wait time: 2 timers · Feedback: 3 feedback prompts"
MIXED = ("Look-fors: 2 look-fors · Question tallies: 4 tallies · Wait time: 1 timer · "
         "Engagement scan: 1 interval scan, every 3 minutes · Feedback: 3 feedback prompts")


def _open(qtbot, backend, teacher_id: str) -> CycleDialog:
    dialog = CycleDialog(backend, teacher_id)
    qtbot.addWidget(dialog)
    dialog.show()
    activate(dialog)
    qtbot.waitUntil(lambda: dialog.ready and not tasks.busy(), timeout=5000)
    return dialog


def _records(dialog: CycleDialog) -> str:
    return dialog.ui.protocol_outline_label.text().removeprefix("Records: ")


def _to_protocol_combo(dialog: CycleDialog) -> None:
    QTest.keyClick(dialog, Qt.Key.Key_P, ALT)  # the label's mnemonic: &Protocol
    assert QApplication.focusWidget() is dialog.ui.protocol_combo


def _down(qtbot, dialog: CycleDialog, times: int = 1) -> None:
    for _ in range(times):
        QTest.keyClick(dialog.ui.protocol_combo, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: not tasks.busy(), timeout=5000)


def _retire(db, slug: str) -> None:
    with db.transaction() as s:
        s.execute(update(Protocol).where(Protocol.slug == slug).values(retired_at=utc_now()))


def test_what_the_chosen_protocol_records_follows_the_choice(qtbot, backend, monkeypatch):
    ana = backend.people.add_person("Ana Lima")
    read_on: list[threading.Thread] = []
    real = protocols.get_version

    def get_version(session, version_id):
        read_on.append(threading.current_thread())
        return real(session, version_id)

    monkeypatch.setattr(protocols, "get_version", get_version)
    dialog = _open(qtbot, backend, ana.id)
    ui = dialog.ui
    assert ui.protocol_combo.currentText() == "Classroom discourse scan (COPUS-style) (version 1)"
    assert "inspired by COPUS" in ui.protocol_description_label.text()
    assert _records(dialog) == DISCOURSE
    _to_protocol_combo(dialog)
    _down(qtbot, dialog, 5)
    assert ui.protocol_combo.currentText() == "Questioning and wait time (version 1)"
    assert ui.protocol_description_label.text().startswith("Count the kinds of questions")
    assert _records(dialog) == QUESTIONING
    _down(qtbot, dialog)
    assert ui.protocol_combo.currentText().startswith("Questioning, wait time and engagement")
    assert ui.protocol_description_label.text().startswith("One visit, three lenses")
    assert _records(dialog) == MIXED
    QTest.keyClick(ui.protocol_combo, Qt.Key.Key_Up)  # back: read once, shown again
    qtbot.waitUntil(lambda: _records(dialog) == QUESTIONING, timeout=5000)
    assert len(read_on) == 7  # each version read once, and never on the window's thread
    assert threading.main_thread() not in read_on


def test_the_protocol_of_the_last_cycle_planned_is_chosen_next_time(qtbot, backend, db):
    ana = backend.people.add_person("Ana Lima")
    dialog = _open(qtbot, backend, ana.id)
    _to_protocol_combo(dialog)
    _down(qtbot, dialog, 6)
    type_text(dialog.ui.focus_edit, "Open questions and wait time")
    QTest.keyClick(dialog.ui.focus_edit, Qt.Key.Key_Return, CTRL)
    assert dialog.result() == QDialog.DialogCode.Accepted
    with db.transaction() as s:
        [cycle] = cycles.list_cycles(s)
    assert cycle.protocol_name == "Questioning, wait time and engagement"

    again = _open(qtbot, backend, ana.id)
    assert again.ui.protocol_combo.currentText().startswith("Questioning, wait time and "
                                                            "engagement")
    assert _records(again) == MIXED
    # Retired since: not offered, and the first protocol is chosen instead.
    _retire(db, "questioning-wait-time-engagement")
    third = _open(qtbot, backend, ana.id)
    combo = third.ui.protocol_combo
    assert combo.findText("Questioning, wait time", Qt.MatchFlag.MatchStartsWith) == -1
    assert combo.currentIndex() == 0 and _records(third) == DISCOURSE


def test_a_retired_protocol_is_not_offered(qtbot, backend, db):
    ana = backend.people.add_person("Ana Lima")
    _retire(db, "peer-observation")
    dialog = _open(qtbot, backend, ana.id)
    combo = dialog.ui.protocol_combo
    offered = [combo.itemText(n) for n in range(combo.count())]
    assert len(offered) == 7 and not any(t.startswith("Peer observation") for t in offered)
    assert "Learning walk (version 1)" in offered
