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
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest

from observe_app.gui import tasks
from observe_app.gui.live import live_view as live_view_module
from observe_app.services import notes
from tests.gui.conftest import type_text
from tests.gui.heartbeat import Heartbeat
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
    """Run `action` from the event loop, as a key press is; the longest freeze around it."""
    with Heartbeat() as heart:
        qtbot.wait(60)
        QTimer.singleShot(0, action)
        qtbot.wait(300)
    return heart.longest_gap_ms()


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
