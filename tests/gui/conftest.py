"""GUI fixtures: a backend with a clock the test moves, and a live view on a fresh visit."""

from __future__ import annotations

import datetime as dt
import sys

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu

from observe_app.gui.backend import Backend

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


class FakeClock:
    """Monotonic and wall time that move only when the test says so."""

    def __init__(self) -> None:
        self.ms = 1_000_000
        self.wall = START

    def monotonic_ms(self) -> int:
        return self.ms

    def now(self) -> dt.datetime:
        return self.wall

    def advance(self, seconds: float) -> None:
        self.ms += int(seconds * 1000)
        self.wall += dt.timedelta(seconds=seconds)


def type_text(widget, text: str) -> None:
    """Type like a user; non-ASCII goes one character at a time (keyClicks aborts on it)."""
    for ch in text:
        if ch.isascii() and ch.isprintable():
            QTest.keyClicks(widget, ch)
        else:
            QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch,
                               Qt.KeyboardModifier.NoModifier)


def activate(widget) -> None:
    """Make the widget's window the active one (shortcuts only fire in the active window)."""
    widget.windowHandle().requestActivate()
    QApplication.processEvents()
    assert widget.isActiveWindow()


def choose_in_context_menu(table, text: str) -> None:
    """Open the selected row's context menu as the Menu key does and trigger `text` in it.

    The offscreen platform turns neither the Menu key nor a right click into a context-menu
    event, so the event the window system would send is sent here."""
    shown: list[list[str]] = []  # the menu's entries, once it was seen
    waiting = [True]  # until the event is handled: no retry outlives the test

    def pick() -> None:
        menu = QApplication.activePopupWidget()
        if not isinstance(menu, QMenu):
            if waiting[0]:
                QTimer.singleShot(5, pick)
            return
        shown.append([a.text() for a in menu.actions()])
        # Never raise here, inside the menu's own event loop: say it after the menu is gone.
        chosen = [a for a in menu.actions() if a.text() == text]
        menu.close()
        if len(chosen) == 1:
            chosen[0].trigger()

    QTimer.singleShot(0, pick)
    where = table.visualRect(table.currentIndex()).center()
    QApplication.sendEvent(table.viewport(), QContextMenuEvent(
        QContextMenuEvent.Reason.Keyboard, where, table.viewport().mapToGlobal(where)))
    waiting[0] = False
    assert shown and shown[0].count(text) == 1, f"{text!r} not in the context menu: {shown}"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def backend(db, clock) -> Backend:
    return Backend(db, clock)


def start_visit(backend: Backend, slug: str, *, subject: str = "Science") -> str:
    teacher = backend.people.add_person("Ana Lima", subject="Science")
    observer = backend.people.add_person("Ben Okafor")
    version = backend.protocols.find_protocol(slug).latest_version_id
    cycle = backend.cycles.plan_cycle(teacher_id=teacher.id, observer_id=observer.id,
                                      protocol_version_id=version,
                                      focus="More students explaining their thinking",
                                      now=backend.clock.now())
    obs = backend.observations.start_observation(cycle.id, subject=subject, grade="Year 8",
                                                 room="12", students=27,
                                                 now=backend.clock.now())
    return obs.id


@pytest.fixture
def open_live(qtbot, backend):
    """open_live(slug) → a shown, active LiveObservationView on a new visit."""
    from observe_app.gui.live.live_view import LiveObservationView

    def make(slug: str = "peer-observation", observation_id: str | None = None):
        obs_id = observation_id or start_visit(backend, slug)
        view = LiveObservationView(backend, obs_id)
        view.confirm_end = lambda: True
        qtbot.addWidget(view)
        view.resize(1280, 720)
        view.show()
        activate(view)
        view.note_edit.setFocus()
        return view

    return make


def shown_window(qtbot, backend, size=None):
    """The whole window on `backend` at `size` (a QSize; 1280x720 unless given), shown and
    active: one laptop's in a test of two, or on a small screen."""
    from observe_app.gui.main_window import MainWindow

    win = MainWindow()
    qtbot.addWidget(win)
    if size is None:
        win.resize(1280, 720)
    else:
        win.resize(size)
    win.show()
    win.attach(backend)
    activate(win)
    return win


@pytest.fixture
def main_window(qtbot, backend):
    """The whole window at 1280x720 on the test's backend, shown and active."""
    return shown_window(qtbot, backend)


# -- the None guard ------------------------------------------------------------------------------
# PySide6 6.12.0 on Python 3.11 dropped a reference to None on every call of a Qt method that
# returns nothing; the interpreter aborts (none_dealloc) when the count reaches zero, which a
# real lesson did after ~15 notes while every test passed. Python 3.12+ makes None immortal
# (its count never moves), so there is nothing to watch there.
#
# After every GUI test, the Qt calls the window makes most often (setText, setProperty,
# polish, update) are made a few hundred times with the count of None watched: on a binding
# that loses references every GUI test fails, naming the release. Watching the count across
# the whole test cannot see it: a test that opens a database or builds a view adds hundreds
# to thousands of lasting references, which hid 6.12.0's loss of ~700 per test, and forcing a
# garbage collection to measure cleanly crashed workers whose background threads were alive.
# A loss only some code path has is the whole-lesson soak test's to find
# (tests/test_soak_lesson.py).
NONE_GUARD = sys.version_info < (3, 12)
PROBE_CALLS = 400
PROBE_LOSS_ALLOWED = 20


def none_refs_lost_by_qt_calls() -> int:
    """How many references to None a few hundred of the window's usual Qt calls lose."""
    from PySide6.QtWidgets import QLabel

    label = QLabel("probe")
    label.setObjectName("keyHint")
    style = label.style()
    before = sys.getrefcount(None)
    for n in range(PROBE_CALLS // 4):
        label.setText("probe")
        label.setProperty("active", n % 2 == 0)
        style.polish(label)
        label.update()
    lost = before - sys.getrefcount(None)
    label.deleteLater()
    return lost


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    yield
    if not NONE_GUARD or QApplication.instance() is None:  # a test without Qt
        return
    lost = none_refs_lost_by_qt_calls()
    if lost > PROBE_LOSS_ALLOWED:
        import PySide6

        pytest.fail(f"{PROBE_CALLS} of the window's usual Qt calls lost {lost} references to "
                    f"None: PySide6 {PySide6.__version__} on Python {sys.version.split()[0]} "
                    "would abort a long session with 'none_dealloc'. Exclude this release in "
                    "pyproject.toml.", pytrace=False)
