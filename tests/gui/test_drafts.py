"""Never lose a word: the note box is kept as a draft and offered back with its start time."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from observe_app.services import notes
from tests.gui.conftest import start_visit, type_text
from tests.processes import finish

TYPIST = Path(__file__).with_name("typist.py")


def _draft(db, obs_id):
    with db.transaction() as s:
        return notes.get_draft(s, obs_id)


def test_draft_is_saved_within_a_second_and_offered_back(open_live, backend, clock, db, qtbot):
    view = open_live()
    clock.advance(42)
    type_text(view.note_edit, "T circulates, checks ")
    QTest.keyClick(view.note_edit, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    clock.advance(5)
    type_text(view.note_edit, "three groups")
    qtbot.waitUntil(lambda: _draft(db, view.observation_id) is not None, timeout=1500)
    qtbot.waitUntil(lambda: _draft(db, view.observation_id).text.endswith("groups"),
                    timeout=1500)
    draft = _draft(db, view.observation_id)
    assert draft.elapsed_ms == 42_000
    view.close()

    clock.advance(600)  # the laptop restarts; the visit is opened again
    again = open_live(observation_id=view.observation_id)
    assert again.note_edit.toPlainText() == "T circulates, checks three groups"
    assert again.draft_bar.isVisible() and "00:42" in again.draft_label.text()
    QTest.keyClick(again.note_edit, Qt.Key.Key_Return)
    with db.transaction() as s:
        [note] = notes.list_notes(s, view.observation_id)
    assert note.elapsed_ms == 42_000 and len(note.item_ids) == 1
    assert _draft(db, view.observation_id) is None


def test_discarding_a_recovered_draft(open_live, db):
    view = open_live()
    type_text(view.note_edit, "to be thrown away")
    view.save_draft()
    view.close()
    again = open_live(observation_id=view.observation_id)
    again.discard_button.click()
    assert again.note_edit.toPlainText() == ""
    assert _draft(db, view.observation_id) is None


@pytest.mark.slow
def test_killed_while_typing_the_draft_comes_back(backend, data_dir, open_live, db):
    obs_id = start_visit(backend, "peer-observation")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.Popen([sys.executable, str(TYPIST), str(data_dir), obs_id],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    started = None
    typed = ""
    try:
        deadline = time.monotonic() + 30
        for line in proc.stdout:
            if line.startswith("STARTED"):
                _, wall, elapsed = line.split()
                started = (dt.datetime.fromisoformat(wall), int(elapsed))
            if line.startswith("TYPED"):
                typed = line[len("TYPED "):].rstrip("\n")
                if len(typed) > 30:  # a few words in, and still typing
                    break
            assert time.monotonic() < deadline, "the typist never got going"
        time.sleep(1.5)  # about a second for the draft to reach the disk
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.kill()
        finish(proc)
    assert proc.returncode == -signal.SIGKILL
    assert started is not None

    draft = _draft(db, obs_id)
    assert draft is not None and draft.text.startswith(typed)
    assert (draft.wall_time, draft.elapsed_ms) == started
    view = open_live(observation_id=obs_id)
    assert view.note_edit.toPlainText() == draft.text
    QTest.keyClick(view.note_edit, Qt.Key.Key_Return)
    with db.transaction() as s:
        saved = notes.list_notes(s, obs_id)
    assert [n.text for n in saved] == ["A finished note", draft.text.strip()]
    assert (saved[1].wall_time, saved[1].elapsed_ms) == started
