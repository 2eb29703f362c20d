"""GUI fixtures: a backend with a clock the test moves, and a live view on a fresh visit."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

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


@pytest.fixture
def main_window(qtbot, backend):
    """The whole window at 1280x720 on the test's backend, shown and active."""
    from observe_app.gui.main_window import MainWindow

    win = MainWindow()
    qtbot.addWidget(win)
    win.resize(1280, 720)
    win.show()
    win.attach(backend)
    activate(win)
    return win
