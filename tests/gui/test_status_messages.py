"""The status bar's message queue: nothing important is overwritten before it can be read."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit, QMainWindow

from observe_app.gui.status_messages import Priority, StatusMessages
from tests.gui.conftest import activate

HOLD = 150  # ms: the tests shorten the 4 s hold


@pytest.fixture
def window(qtbot):
    win = QMainWindow()
    win.setCentralWidget(QLineEdit(win))
    qtbot.addWidget(win)
    win.show()
    activate(win)
    win.centralWidget().setFocus()
    messages = StatusMessages(win.statusBar())
    messages.hold_ms = HOLD
    win.messages = messages
    return win


def test_a_routine_message_waits_until_an_important_one_was_read(qtbot, window):
    messages = window.messages
    messages.show("Observation ended.", Priority.IMPORTANT, 10_000)
    messages.show("Backup written and checked.")
    assert messages.text() == "Observation ended."
    qtbot.waitUntil(lambda: messages.text() == "Backup written and checked.", timeout=2000)


def test_routine_messages_replace_one_another_at_once(window):
    messages = window.messages
    messages.show("Backing up…")
    messages.show("Backup written and checked.")
    assert messages.text() == "Backup written and checked."


def test_only_the_newest_routine_message_waits(qtbot, window):
    messages = window.messages
    messages.show("Observation ended.", Priority.IMPORTANT)
    messages.show("Backing up…")
    messages.show("Backup written and checked.")
    qtbot.wait(HOLD * 3)
    assert messages.text() == "Backup written and checked."


def test_an_important_message_without_a_timeout_stays_until_replaced(qtbot, window):
    messages = window.messages
    messages.show("Restored.", Priority.IMPORTANT)
    qtbot.wait(HOLD * 2)
    assert messages.text() == "Restored."


def test_a_timed_message_goes_when_its_time_is_up(qtbot, window):
    window.messages.show("Backup written and checked.", timeout_ms=50)
    qtbot.waitUntil(lambda: window.messages.text() == "", timeout=2000)


def test_an_error_stays_until_the_next_key_press(qtbot, window):
    messages = window.messages
    messages.show("The backup failed: the disk is full. Free some space, then try again.",
                  Priority.ERROR)
    messages.show("Backup written and checked.")
    qtbot.wait(HOLD * 3)
    assert messages.text().startswith("The backup failed")  # nobody has acted yet
    QTest.keyClick(window.centralWidget(), Qt.Key.Key_A)
    qtbot.waitUntil(lambda: messages.text() == "Backup written and checked.", timeout=2000)
    assert window.centralWidget().text() == "a"  # the key still reached the widget


def test_an_error_with_nothing_after_it_goes_once_seen(qtbot, window):
    messages = window.messages
    messages.show("The database is damaged.", Priority.ERROR)
    qtbot.wait(HOLD * 2)
    assert messages.text() == "The database is damaged."
    QTest.mouseClick(window.centralWidget(), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: messages.text() == "", timeout=2000)


def test_an_error_comes_before_an_important_message_shown_just_now(qtbot, window):
    messages = window.messages
    messages.show("Observation ended.", Priority.IMPORTANT)
    messages.show("The backup failed.", Priority.ERROR)
    assert messages.text() == "The backup failed."
    qtbot.wait(HOLD * 2)
    QTest.keyClick(window.centralWidget(), Qt.Key.Key_B)
    qtbot.waitUntil(lambda: messages.text() == "Observation ended.", timeout=2000)


def test_the_window_says_the_visit_ended_before_the_backup(qtbot, main_window, backend):
    """Ending a visit: "Observation ended" is on screen even after the backup reports."""
    from tests.gui.conftest import start_visit

    obs_id = start_visit(backend, "peer-observation")
    main_window.open_observation(obs_id)
    main_window.live_view.confirm_end = lambda: True
    QTest.keyClick(main_window.live_view.note_edit, Qt.Key.Key_E,
                   Qt.KeyboardModifier.ControlModifier)
    main_window.messages.show("Backup written and checked: /tmp/x.db", timeout_ms=15_000)
    assert main_window.messages.text().startswith("Observation ended.")
