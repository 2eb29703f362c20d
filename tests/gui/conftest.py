"""GUI fixtures: a backend with a clock the test moves, and a live view on a fresh visit."""

from __future__ import annotations

import datetime as dt
import gc
import os
import sys

import pytest
from PySide6.QtCore import QEvent, Qt
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


# -- the None guard ------------------------------------------------------------------------------
# PySide6 6.12.0 on Python 3.11 dropped a reference to None on every call of a Qt method that
# returns nothing; the interpreter aborts (none_dealloc) when the count reaches zero, which a
# real lesson did after ~15 notes while every test passed. Python 3.12+ makes None immortal
# (its count never moves), so there is nothing to watch there.
#
# Two checks around every GUI test. The count of None must not fall during the test. That
# alone is not enough: a test that opens a database or builds a view adds thousands of
# lasting references (caches, widgets still open), which hid the loss of ~700 per test on
# 6.12.0. So after each test the Qt calls the window makes most (setText, polish, update...)
# are also made a few hundred times with the count watched: a binding that loses references
# fails every GUI test, and one that does so only in some code path fails where the loss
# outweighs what the test adds (tests/test_soak_lesson.py types a whole lesson to find those).
NONE_GUARD = sys.version_info < (3, 12)
NONE_DROP_ALLOWED = 50  # freeing objects made before the test may lower the count a little
PROBE_CALLS = 200


def none_refs() -> int:
    """The count of None once earlier tests' widgets (deleted later by Qt) are really gone."""
    for _ in range(2):
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QApplication.processEvents()
        gc.collect()
    return sys.getrefcount(None)


def none_refs_lost_by_qt_calls() -> int:
    """How many references to None a few hundred of the window's usual Qt calls lose."""
    from PySide6.QtWidgets import QLabel

    label = QLabel("probe")
    label.setObjectName("keyHint")
    style = label.style()
    before = none_refs()
    for n in range(PROBE_CALLS // 4):
        label.setText(str(n))
        label.setProperty("active", n % 2 == 0)
        style.unpolish(label)
        style.polish(label)
        label.update()
    lost = before - none_refs()
    label.deleteLater()
    return lost


def _fail_on_loss(drop: int, where: str) -> None:
    if drop > NONE_DROP_ALLOWED:
        import PySide6

        pytest.fail(f"{where} the count of references to None fell by {drop}: PySide6 "
                    f"{PySide6.__version__} on Python {sys.version.split()[0]} is losing "
                    "references, and a long session would abort with 'none_dealloc'. Exclude "
                    "this release in pyproject.toml.", pytrace=False)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    """Around the test itself, its fixtures set up before the first count."""
    if not NONE_GUARD or QApplication.instance() is None:  # a test without Qt
        yield
        return
    before = none_refs()
    yield
    drop = before - none_refs()
    if os.environ.get("OBSERVE_NONE_GUARD_LOG"):
        with open(os.environ["OBSERVE_NONE_GUARD_LOG"], "a") as log:
            log.write(f"{drop}\t{item.nodeid}\n")
    _fail_on_loss(drop, "During this test")
    _fail_on_loss(none_refs_lost_by_qt_calls(),
                  f"Over {PROBE_CALLS} of the window's usual Qt calls")
