"""Another program holds the database: nothing captured live freezes the window.

Measured by the event loop's own latency: a heartbeat timer fires every few milliseconds, and
the longest gap between its beats while the observer works is how long the window was
frozen. The engine's real five-second lock wait is left as it is.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from observe_app.gui import tasks
from observe_app.gui.live import live_view as live_view_module
from observe_app.services import notes
from tests.gui.conftest import type_text
from tests.gui.heartbeat import freeze_ms
from tests.processes import finish

FROZEN_AT_MOST_MS = 50

HOLD_EXCLUSIVE = textwrap.dedent("""
    import sqlite3, sys
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("BEGIN EXCLUSIVE")
    print("held", flush=True)
    sys.stdin.readline()
    conn.execute("ROLLBACK")
""")


@pytest.fixture
def hold_lock(db):
    """hold_lock() → another program holds an exclusive lock on the database until the
    function it returns is called (or the test ends)."""
    holders: list[subprocess.Popen] = []

    def release() -> None:
        for holder in holders:
            if holder.poll() is None:
                holder.stdin.write("\n")
                holder.stdin.flush()
            finish(holder)

    def hold():
        holder = subprocess.Popen([sys.executable, "-c", HOLD_EXCLUSIVE, str(db.path)],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        holders.append(holder)
        assert holder.stdout.readline().strip() == "held"
        return release

    yield hold
    release()


def _while_beating(qtbot, action) -> float:
    """How long `action` froze the window (tests/gui/heartbeat.freeze_ms)."""
    return freeze_ms(qtbot, action)


def test_enter_with_the_database_held_elsewhere_does_not_freeze_and_saves_later(
        open_live, db, qtbot, monkeypatch, hold_lock):
    monkeypatch.setattr(live_view_module, "RETRY_MS", 200)
    view = open_live()
    release = hold_lock()
    type_text(view.note_edit, "Pairs compare their answers")
    frozen = _while_beating(qtbot, lambda: QTest.keyClick(view.note_edit, Qt.Key.Key_Return))
    assert frozen < FROZEN_AT_MOST_MS, f"the window froze for {frozen:.0f} ms"
    assert view.fault_banner.isVisible() and "locked" in view.fault_banner.label.text()
    model = view.notes_model
    assert model.rowCount() == 1 and model.is_unsaved(model.note_at(0).id)
    assert view.note_edit.toPlainText() == ""  # the next note can be typed meanwhile

    release()
    qtbot.waitUntil(lambda: not model.is_unsaved(model.note_at(0).id), timeout=5000)
    with db.transaction() as s:
        assert [n.text for n in notes.list_notes(s, view.observation_id)] == [
            "Pairs compare their answers"]
    qtbot.waitUntil(lambda: not view.fault_banner.isVisible(), timeout=3000)
    qtbot.waitUntil(lambda: not tasks.busy())


def test_ticks_tallies_timer_runs_and_scans_wait_and_are_saved_in_order(
        open_live, backend, db, clock, qtbot, monkeypatch, hold_lock):
    """Every kind of live entry, made while the database is held: none freezes the window,
    each shows as not saved yet, and all are on disk once the lock is let go."""
    from pathlib import Path

    from observe_app.services import responses

    monkeypatch.setattr(live_view_module, "RETRY_MS", 200)
    backend.protocols.import_file(Path(__file__).parents[1] / "data" / "soak-protocol.json")
    view = open_live("soak-whole-lesson")
    panel = view.panel
    items = {i.kind: i for i in reversed(view.version.items)}  # the first of each kind
    lookfor, tally, timer, scan = (items[k] for k in ("lookfor", "tally", "timer", "interval"))
    release = hold_lock()

    def run_timer() -> None:
        panel.toggle_timer(timer.id)
        clock.advance(4)
        panel.toggle_timer(timer.id)

    code = next(iter(panel.intervals[scan.id].code_boxes.values()))
    actions = {
        "tick": lambda: panel.checkboxes[lookfor.id].click(),
        "tally": lambda: panel.tally_buttons[tally.id][1].click(),
        "second tally": lambda: panel.tally_buttons[tally.id][1].click(),
        "timer run": run_timer,
        "scan": lambda: code.click(),
    }
    for name, action in actions.items():
        frozen = _while_beating(qtbot, action)
        assert frozen < FROZEN_AT_MOST_MS, f"{name}: the window froze for {frozen:.0f} ms"
    assert view.fault_banner.isVisible() and "5 other entries" in view.fault_banner.label.text()
    assert panel.checkboxes[lookfor.id].property("unsaved")
    assert panel.tally_labels[tally.id].text() == "2" and panel.tally_labels[tally.id].property(
        "unsaved")
    assert panel.timers[timer.id].summary.property("unsaved")
    assert panel.intervals[scan.id].prompt_label.property("unsaved")
    assert view.has_unsaved()

    release()
    qtbot.waitUntil(lambda: not panel.pending.waiting, timeout=5000)
    with db.transaction() as s:
        results = responses.observation_results(s, view.observation_id)
    assert results.checked.get(lookfor.id) is True
    assert results.counts.get(tally.id) == 2
    assert [r.duration_ms for r in results.timer_runs[timer.id]] == [4000]
    assert [list(r.codes) for r in results.intervals[scan.id]] == [[code_key(panel, scan.id, code)]]
    assert not panel.checkboxes[lookfor.id].property("unsaved")
    assert not panel.tally_labels[tally.id].property("unsaved")
    qtbot.waitUntil(lambda: not view.fault_banner.isVisible(), timeout=3000)
    assert not view.has_unsaved()
    qtbot.waitUntil(lambda: not tasks.busy())


def code_key(panel, item_id: str, box) -> str:
    return next(k for k, b in panel.intervals[item_id].code_boxes.items() if b is box)


def test_ending_right_after_the_lock_is_let_go_saves_what_waited(
        open_live, db, qtbot, monkeypatch, hold_lock):
    monkeypatch.setattr(live_view_module, "RETRY_MS", 60_000)  # no retry would come by itself
    view = open_live()
    release = hold_lock()
    type_text(view.note_edit, "Waiting note")
    QTest.keyClick(view.note_edit, Qt.Key.Key_Return)
    view.pause_button.click()  # a pause, kept back too
    assert view.pending.counts() == {"note": 1, "pause": 1}
    release()
    view._on_end_button_clicked()  # End tries what waits first, then ends
    with db.transaction() as s:
        assert [n.text for n in notes.list_notes(s, view.observation_id)] == ["Waiting note"]
        from observe_app.services import observations
        visit = observations.get_observation(s, view.observation_id)
    assert visit.ended_at is not None and not view.has_unsaved()
    qtbot.waitUntil(lambda: not tasks.busy())


def test_undo_while_a_note_waits_takes_nothing_back(open_live, db, qtbot, monkeypatch,
                                                   hold_lock):
    monkeypatch.setattr(live_view_module, "RETRY_MS", 60_000)
    view = open_live()
    type_text(view.note_edit, "Saved first")
    QTest.keyClick(view.note_edit, Qt.Key.Key_Return)
    release = hold_lock()
    type_text(view.note_edit, "Waiting second")
    QTest.keyClick(view.note_edit, Qt.Key.Key_Return)
    QTest.keyClick(view.note_edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert "once what waits is saved" in view.key_hint_label.text()
    release()
    view._retry_now()
    with db.transaction() as s:
        assert [n.text for n in notes.list_notes(s, view.observation_id)] == [
            "Saved first", "Waiting second"]
    QTest.keyClick(view.note_edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    with db.transaction() as s:  # now Ctrl+Z takes back the newest, as always
        assert [n.text for n in notes.list_notes(s, view.observation_id)] == ["Saved first"]
    qtbot.waitUntil(lambda: not tasks.busy())
