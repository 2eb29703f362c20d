"""Faults mid-lesson: a banner (not a modal) says what to do; the note waits in the log as not
saved yet, the next one can be typed, and all are saved in order when the fault clears."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from sqlalchemy import event

from observe_app.gui import tasks
from observe_app.gui.live import live_view as live_view_module
from observe_app.services import notes
from observe_app.storage import engine as engine_module
from tests.gui.conftest import type_text
from tests.processes import finish

NOTE = "Kofi explained the pattern to his table using the counters"
# Pasted into the box after typing: long enough to need new pages in the database.
PASTED = " Then each pair re-explained it in their own words, pointing at the counters." * 150


def _draft(db, obs_id):
    with db.transaction() as s:
        return notes.get_draft(s, obs_id)


def _notes(db, obs_id):
    with db.transaction() as s:
        return notes.list_notes(s, obs_id)


def _waiting_in_log(view, text):
    """The note is shown in the evidence log, marked as not saved yet."""
    model = view.notes_model
    rows = [r for r in range(model.rowCount()) if model.note_at(r).text == text]
    assert len(rows) == 1, [model.note_at(r).text for r in range(model.rowCount())]
    shown = model.index(rows[0], model.Column.TEXT).data()
    return model.is_unsaved(model.note_at(rows[0]).id) and shown.startswith("Not saved yet")


def _no_room(conn, _record):
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count={pages}")


@pytest.fixture
def fast_retry(monkeypatch):
    monkeypatch.setattr(live_view_module, "RETRY_MS", 200)


def test_disk_full_shows_a_banner_keeps_the_note_and_saves_it_when_there_is_room(
        open_live, db, clock, qtbot, fast_retry):
    view = open_live()
    db.engine.dispose()
    event.listen(db.engine, "connect", _no_room)
    clock.advance(75)
    type_text(view.note_edit, NOTE)
    view.note_edit.insertPlainText(PASTED)
    QTest.keyClick(view.note_edit, Qt.Key.Key_Return)

    assert view.fault_banner.isVisible()
    message = view.fault_banner.label.text()
    assert "disk is full" in message and "free some space" in message
    assert "your note is kept" in message
    assert QApplication.activeModalWidget() is None  # no dialog steals the keyboard
    assert view.note_edit.hasFocus() and view.note_edit.toPlainText() == ""  # type on
    assert _waiting_in_log(view, NOTE + PASTED)
    assert NOTE in view.unsaved_text()  # closing now would ask first
    assert _notes(db, view.observation_id) == []

    # Still full: the automatic retries keep failing and keep the banner and the note.
    qtbot.wait(700)
    assert view.fault_banner.isVisible() and _waiting_in_log(view, NOTE + PASTED)

    event.remove(db.engine, "connect", _no_room)
    db.engine.dispose()  # room again: the next automatic retry saves it, nobody presses Enter
    qtbot.waitUntil(lambda: len(_notes(db, view.observation_id)) == 1, timeout=3000)
    [note] = _notes(db, view.observation_id)
    assert note.text == (NOTE + PASTED).strip()
    assert note.elapsed_ms == 75_000  # the time typing began
    assert not view.fault_banner.isVisible()
    assert view.notes_model.rowCount() == 1 and not _waiting_in_log(view, note.text)
    assert view.unsaved_text() == ""
    qtbot.waitUntil(lambda: not tasks.busy())


def test_notes_made_during_a_fault_are_saved_in_order_with_their_own_times(
        open_live, db, clock, qtbot, monkeypatch):
    monkeypatch.setattr(live_view_module, "RETRY_MS", 60_000)  # only Enter retries here
    view = open_live()
    db.engine.dispose()
    event.listen(db.engine, "connect", _no_room)
    clock.advance(30)
    type_text(view.note_edit, "First attempt")
    view.note_edit.insertPlainText(PASTED)
    QTest.keyClick(view.note_edit, Qt.Key.Key_Return)
    assert view.fault_banner.isVisible() and "1 note" in view.fault_banner.label.text()
    clock.advance(30)
    type_text(view.note_edit, "Second, still full")  # the next note, begun at its own time
    view.note_edit.insertPlainText(PASTED)
    QTest.keyClick(view.note_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "2 notes" in view.fault_banner.label.text(), timeout=3000)
    assert _notes(db, view.observation_id) == []
    event.remove(db.engine, "connect", _no_room)
    db.engine.dispose()
    clock.advance(30)
    type_text(view.note_edit, "Third")
    QTest.keyClick(view.note_edit, Qt.Key.Key_Return)  # joins the queue, and tries it again
    qtbot.waitUntil(lambda: len(_notes(db, view.observation_id)) == 3, timeout=3000)
    saved = _notes(db, view.observation_id)
    assert [(n.text[:13], n.elapsed_ms) for n in saved] == [
        ("First attempt", 30_000), ("Second, still", 60_000), ("Third", 90_000)]
    assert not view.fault_banner.isVisible() and view.unsaved_text() == ""
    assert view.undo_stack.count() == 3  # each can be undone, as any saved note
    qtbot.waitUntil(lambda: not tasks.busy())


HOLD_LOCK = textwrap.dedent("""
    import sqlite3, sys
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO note_drafts (observation_id, text, wall_time, elapsed_ms, "
                 "item_ids, saved_at) VALUES ('x', 'x', '2026-01-01', 0, '[]', '2026-01-01')")
    print("held", flush=True)
    sys.stdin.readline()
    conn.execute("ROLLBACK")
""")


def test_a_database_locked_by_another_program_is_explained_and_the_note_saved_after(
        open_live, db, qtbot, monkeypatch, fast_retry):
    view = open_live()
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 100)
    db.engine.dispose()
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(db.path)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        type_text(view.note_edit, NOTE)
        QTest.keyClick(view.note_edit, Qt.Key.Key_Return)
        assert view.fault_banner.isVisible()
        assert "locked by another program" in view.fault_banner.label.text()
        assert _waiting_in_log(view, NOTE) and view.note_edit.toPlainText() == ""
        qtbot.wait(500)  # retries while locked fail quietly, the banner stays
        assert view.fault_banner.isVisible() and _notes(db, view.observation_id) == []
    finally:
        holder.stdin.write("\n")
        holder.stdin.close()
        finish(holder)
    qtbot.waitUntil(lambda: len(_notes(db, view.observation_id)) == 1, timeout=3000)
    assert _notes(db, view.observation_id)[0].text == NOTE
    assert not view.fault_banner.isVisible() and not _waiting_in_log(view, NOTE)
    qtbot.waitUntil(lambda: not tasks.busy())


def test_a_read_only_database_is_explained_and_writes_refused(
        qtbot, backend, db, monkeypatch):
    from observe_app.gui.backend import Backend
    from observe_app.gui.live.live_view import LiveObservationView
    from observe_app.storage.engine import Database
    from tests.gui.conftest import activate, start_visit

    obs_id = start_visit(backend, "peer-observation")
    monkeypatch.setattr(live_view_module, "RETRY_MS", 60_000)
    read_only = Database(db.path, read_only=True)
    try:
        view = LiveObservationView(Backend(read_only, backend.clock), obs_id)
        qtbot.addWidget(view)
        view.show()
        activate(view)
        view.note_edit.setFocus()
        type_text(view.note_edit, NOTE)
        QTest.keyClick(view.note_edit, Qt.Key.Key_Return)
        assert view.fault_banner.isVisible()
        assert "read-only" in view.fault_banner.label.text()
        assert _waiting_in_log(view, NOTE) and NOTE in view.unsaved_text()
    finally:
        read_only.close()
    assert _notes(db, obs_id) == []


def test_closing_the_window_with_a_note_kept_only_in_the_box_asks_first(qtbot, backend, db,
                                                                        monkeypatch):
    from observe_app.gui.main_window import MainWindow
    from tests.gui.conftest import activate, start_visit

    monkeypatch.setattr(live_view_module, "RETRY_MS", 60_000)
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    window.attach(backend)
    window.open_observation(start_visit(backend, "peer-observation"))
    live = window.live_view
    activate(window)
    db.engine.dispose()
    event.listen(db.engine, "connect", _no_room)
    type_text(live.note_edit, NOTE)
    live.note_edit.insertPlainText(PASTED)
    QTest.keyClick(live.note_edit, Qt.Key.Key_Return)
    asked = []
    live.confirm_close_unsaved = lambda: asked.append(True) or False
    window.close()
    assert asked and window.isVisible()  # "No": the window and the note stay
    event.remove(db.engine, "connect", _no_room)
    db.engine.dispose()
    live.confirm_close_unsaved = lambda: pytest.fail("asked with nothing unsaved")
    live.fault_banner.retry_button.click()
    assert len(_notes(db, live.observation_id)) == 1
    window.close()
    assert not window.isVisible()


def test_a_note_too_long_to_save_is_refused_once_kept_in_the_box_and_drafted(
        open_live, db, qtbot, monkeypatch):
    monkeypatch.setattr(live_view_module, "RETRY_MS", 50)  # a retry loop would show at once
    view = open_live()
    long_text = "Students explain their thinking. " * 700  # past the 20,000-character limit
    type_text(view.note_edit, "Long: ")
    view.note_edit.insertPlainText(long_text)
    QTest.keyClick(view.note_edit, Qt.Key.Key_Return)
    assert view.fault_banner.isVisible()
    assert "at most 20,000 characters" in view.fault_banner.label.text()
    assert "tries again" not in view.fault_banner.label.text()
    assert not view._retry_timer.isActive() and view.unsaved_text() == ""
    type_text(view.note_edit, "!")  # typing goes on: the whole text is kept as the draft
    qtbot.waitUntil(lambda: _draft(db, view.observation_id) is not None, timeout=3000)
    assert _draft(db, view.observation_id).text == "Long: " + long_text + "!"
    assert _notes(db, view.observation_id) == []
    qtbot.waitUntil(lambda: not tasks.busy())


def test_prompt_text_written_while_the_disk_is_full_is_saved_when_it_clears(
        open_live, db, qtbot, fast_retry, monkeypatch):
    from observe_app.domain.enums import ItemKind
    from observe_app.errors import DiskFullError
    from observe_app.services import responses

    view = open_live("peer-observation")
    glow = view.version.items_of(ItemKind.PROMPT)[0]
    set_text = responses.set_text

    def full(*_args, **_kwargs):
        raise DiskFullError("the disk is full: free some space")

    # A small text fits in pages SQLite already has, so the page limit cannot fill the disk
    # for it: the service itself reports the fault here.
    monkeypatch.setattr(responses, "set_text", full)
    type_text(view.panel.prompts[glow.id], "Cold call drew in the quiet table")
    qtbot.waitUntil(view.fault_banner.isVisible, timeout=3000)
    assert glow.id in view.panel.unsaved_prompts
    assert "Cold call" in view.unsaved_text()  # closing now would ask first
    monkeypatch.setattr(responses, "set_text", set_text)

    def saved() -> str | None:
        with db.transaction() as s:
            return responses.observation_results(s, view.observation_id).texts.get(glow.id)

    qtbot.waitUntil(lambda: saved() == "Cold call drew in the quiet table", timeout=3000)
    qtbot.waitUntil(lambda: not view.fault_banner.isVisible(), timeout=3000)
    assert view.panel.unsaved_prompts == set()
    qtbot.waitUntil(lambda: not tasks.busy())


def test_a_waiting_note_refused_when_tried_comes_back_with_its_reason(
        open_live, db, qtbot, monkeypatch):
    monkeypatch.setattr(live_view_module, "RETRY_MS", 60_000)
    view = open_live()
    db.engine.dispose()
    event.listen(db.engine, "connect", _no_room)
    type_text(view.note_edit, NOTE)
    view.note_edit.insertPlainText(PASTED)
    QTest.keyClick(view.note_edit, Qt.Key.Key_Return)  # the disk is full: it waits
    type_text(view.note_edit, "Long: ")
    view.note_edit.insertPlainText("Students explain their thinking. " * 700)  # too long
    QTest.keyClick(view.note_edit, Qt.Key.Key_Return)  # waits behind it, untried
    assert view.note_edit.toPlainText() == "" and view.pending.counts() == {"note": 2}
    event.remove(db.engine, "connect", _no_room)
    db.engine.dispose()
    view.fault_banner.retry_button.click()
    assert view.fault_banner.isVisible()
    assert "at most 20,000 characters" in view.fault_banner.label.text()
    assert view.note_edit.toPlainText().startswith("Long: Students explain")
    assert [n.text[:20] for n in _notes(db, view.observation_id)] == [NOTE[:20]]
    assert view.notes_model.rowCount() == 1
    qtbot.waitUntil(lambda: not tasks.busy())
