"""Type a whole 50-minute lesson into the real Observe window, as a teacher would: keys first.

    python tools/soak_lesson.py DATA_DIR RESULT.json [--notes 100]

DATA_DIR must be new. It gets two colleagues, a protocol with every live kind
(tests/data/soak-protocol.json), a planned cycle and the class's saved seating chart; then the
window opens through the app's own start-up (`observe_app.app`), on a lesson clock that moves
30 s for each note, and this script uses it: the Observe page, Start observation, 100 notes
(over 3,000 keystrokes, in Latin with accents, Greek and Vietnamese), tags by key and by `#`,
tallies by key, timer runs by key, an interval scan ticked every two minutes, over 150
contributions from seats (by keys, some by clicks, a few taken back; see
tools/soak_participation.py), prompt text, pause and resume, the end of the visit, and closing
the window. What it did is written to RESULT.json, with the count of
references to None before and after; tests/test_soak_lesson.py compares it with the database.
A process that aborts (PySide6 6.12.0 did after ~15 notes) never writes RESULT.json.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from screenshots import ScriptClock  # noqa: E402  (a clock the script moves, in ms)
from soak_participation import SeatTaker, save_class_chart  # noqa: E402

PROTOCOL = ROOT / "tests" / "data" / "soak-protocol.json"
SECONDS_PER_NOTE = 30
TICK_WAIT_MS = 260  # a little over the live view's clock tick

# What an observer writes; every note gets a number so none can be mistaken for another.
PHRASES = [
    "T asks why the ice melts faster on the metal tray",
    "Mia explains her graph to the table: the slope means speed",
    "Zoë Παπαδοπούλου answers: η ταχύτητα αλλάζει",
    "Học sinh thảo luận nhóm về kết quả thí nghiệm",
    "Cold call: Ivan, what would happen if we doubled it?",
    "Group 3 off task for about a minute, then back",
    "T waits, counts to five silently, three hands go up",
    "Students write one sentence summary on mini whiteboards",
    "Mäkelä's group compares predictions with the results",
    "T: 'Who can say that in their own words?'",
]


def prepare(data_dir: Path) -> tuple[dict[str, str], dict[str, Any]]:
    from observe_app.services import cycles, people, protocols
    from observe_app.storage.opening import open_database

    with open_database(data_dir) as database, database.transaction() as s:
        protocols.install_builtins(s)
        imported = protocols.import_file(s, PROTOCOL)
        version = protocols.get_version(s, imported.protocol.latest_version_id)
        teacher = people.add_person(s, "Aino Mäkelä", subject="Science")
        observer = people.add_person(s, "Ben Okafor")
        cycles.plan_cycle(s, teacher_id=teacher.id, observer_id=observer.id,
                          protocol_version_id=version.id,
                          focus="More students explaining their thinking")
        chart = save_class_chart(s, teacher.id)
        return {item.key: item.id for item in version.items}, chart


class Lesson:
    """The teacher at the keyboard. Every step goes through QTest key and mouse events."""

    def __init__(self, window: Any, clock: ScriptClock, result_path: Path, notes: int) -> None:
        self.window = window
        self.clock = clock
        self.result_path = result_path
        self.notes = notes
        self.keystrokes = 0
        self.paused_ms = 0  # the lesson clock stands still meanwhile
        self.record: dict[str, Any] = {"notes": [], "tallies": {}, "timer_runs": 0,
                                       "scans": {}, "pauses": 0, "prompt": ""}

    # -- the keyboard -------------------------------------------------------------------------

    def focus(self) -> Any:
        from PySide6.QtWidgets import QApplication

        # As the keyboard does: an open popup (the `#` list) gets the keys first.
        popup = QApplication.activePopupWidget()
        if popup is not None:
            return popup
        active = QApplication.activeWindow()
        if QApplication.focusWidget() is None or (active is not None and not active.isVisible()):
            # The offscreen platform does not give activation back when a popup closes (a
            # window manager does), and may even leave it with the hidden `#` list, whose
            # focus proxy is the note box: then the note box takes keys but the cursor cannot
            # move out of it. Wait for the window, as a person would look up for a moment.
            self.until_active()
        return QApplication.focusWidget() or self.window

    def key(self, key: Any, modifier: Any = None) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        QTest.keyClick(self.focus(), key, modifier or Qt.KeyboardModifier.NoModifier)
        self.keystrokes += 1

    def type(self, text: str) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        for ch in text:
            target = self.focus()
            if ch.isascii() and ch.isprintable():
                QTest.keyClicks(target, ch)
            else:  # keyClicks aborts on non-ASCII: what an input method sends instead
                QTest.sendKeyEvent(QTest.KeyAction.Click, target, Qt.Key.Key_unknown, ch,
                                   Qt.KeyboardModifier.NoModifier)
            self.keystrokes += 1

    def wait(self, ms: int) -> None:
        from PySide6.QtTest import QTest

        QTest.qWait(ms)

    def answer_next_dialog(self, key: Any) -> None:
        """A modal dialog is about to open: press `key` in it once it is up."""
        from PySide6.QtCore import QTimer
        from PySide6.QtTest import QTest
        from PySide6.QtWidgets import QApplication

        def press() -> None:
            dialog = QApplication.activeModalWidget()
            if dialog is None:
                QTimer.singleShot(50, press)
                return
            if not dialog.isActiveWindow():  # keys go where the focus is: wait for it
                dialog.activateWindow()
                QTimer.singleShot(20, press)
                return
            QTest.keyClick(QApplication.focusWidget() or dialog, key)
            self.keystrokes += 1

        QTimer.singleShot(100, press)

    def until_active(self) -> None:
        """Keys reach the active window only (the dialog that just closed had it)."""
        for _ in range(100):
            if self.window.isActiveWindow():
                return
            self.window.activateWindow()
            self.wait(20)
        raise AssertionError("the window never became active")

    # -- the lesson ---------------------------------------------------------------------------

    def run(self) -> None:
        from PySide6.QtCore import Qt

        none_before = sys.getrefcount(None)
        for _ in range(200):  # the data opens after the first paint
            if self.window.backend is not None:
                break
            self.wait(50)
        self.until_active()
        self.key(Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)  # the Observe page
        self.key(Qt.Key.Key_Down)
        self.answer_next_dialog(Qt.Key.Key_Return)  # class details: as they are
        self.key(Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier
                 | Qt.KeyboardModifier.ShiftModifier)
        live = self.window.live_view
        assert live is not None, "Start observation did not open the live view"
        self.until_active()
        assert self.focus() is live.note_edit, f"the cursor is in {self.focus()!r}"
        self.live = live
        self.items = {i.key: i.id for i in live.version.items}
        self.seats = SeatTaker(self, self.items["participation"])
        for n in range(self.notes):
            self.one_note(n)
        self.record["participation"] = self.seats.finish()
        self.write_prompt()
        self.answer_next_dialog(Qt.Key.Key_Return)  # "End this observation?" Yes
        self.key(Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
        self.wait(100)
        assert self.window.live_view is None, "the visit did not end"
        self.record["observation_id"] = live.observation_id
        self.record["keystrokes"] = self.keystrokes
        self.record["none_before"] = none_before
        self.record["none_after"] = sys.getrefcount(None)
        self.window.close()

    def one_note(self, n: int) -> None:
        from PySide6.QtCore import Qt

        ctrl, alt = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.AltModifier
        text = f"{n + 1}. {PHRASES[n % len(PHRASES)]}"
        tags: list[str] = []
        half = len(text) // 2
        self.type(text[:half])
        used = self.seats.while_typing(n)
        if n % 4 == 1:  # the first look-for's key, mid-sentence
            self.key(Qt.Key.Key_1, ctrl)
            tags.append("students-explain")
        self.type(text[half:])
        if n % 6 == 2:  # `#` and a few letters, then the match
            self.type(" #chec")
            if n % 12 == 2:  # a student speaks while the list is open: back, one more letter
                used += self.seats.while_typing(n, tagging=True)
                self.type("k")
            self.key(Qt.Key.Key_Return)  # the one match
            tags.append("checks-understanding")
        if n % 10 == 7:  # two lines in one note
            self.key(Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
            self.type("Routines: books out in 20 s")
            text += "\nRoutines: books out in 20 s"
            self.key(Qt.Key.Key_3, ctrl)
            tags.append("routines")
        self.key(Qt.Key.Key_Return)
        self.record["notes"].append({"text": text, "tags": sorted(tags)})
        used += self.seats.after_note(n)
        if n % 3 == 0:
            self.key(Qt.Key.Key_1, alt)
            self.count("open-question")
        if n % 5 == 4:
            self.key(Qt.Key.Key_2, alt)
            self.count("cold-call")
        if n % 8 == 5:  # a wait-time run of four seconds
            self.key(Qt.Key.Key_F5)
            self.clock.advance(4_000)
            self.key(Qt.Key.Key_F5)
            self.record["timer_runs"] += 1
        if n in (40, 70):  # a fire drill, a visitor: paused time is not lesson time
            self.key(Qt.Key.Key_P, ctrl)
            self.clock.advance(90_000)
            self.paused_ms += 90_000
            self.wait(TICK_WAIT_MS)
            self.key(Qt.Key.Key_P, ctrl)
            self.record["pauses"] += 1
        self.clock.advance(SECONDS_PER_NOTE * 1000 - used)  # who spoke took some of it
        self.wait(TICK_WAIT_MS)
        self.scan()

    def count(self, key: str) -> None:
        self.record["tallies"][key] = self.record["tallies"].get(key, 0) + 1

    def scan(self) -> None:
        """Tick a code for the scan now due, once per scan, with the mouse as people do."""
        from PySide6.QtCore import QPoint, Qt
        from PySide6.QtTest import QTest

        widget = self.live.panel.intervals[self.items["engagement"]]
        index = widget.current_index
        if str(index) in self.record["scans"]:
            return
        code = ["listening", "talking", "writing"][index % 3]
        box = widget.code_boxes[code]
        # On the box itself, as people aim: the widget is wider than its label.
        QTest.mouseClick(box, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         QPoint(8, box.height() // 2))
        assert box.isChecked(), (f"a click did not tick scan code {code}: "
                                 f"{box.isVisible()=} {box.geometry()=} {box.isEnabled()=}")
        self.record["scans"][str(index)] = [code]
        assert self.focus() is self.live.note_edit, f"a click took the cursor to {self.focus()!r}"

    def write_prompt(self) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        box = self.live.panel.prompts[self.items["glow"]]
        self.until_active()
        QTest.mouseClick(box.viewport(), Qt.MouseButton.LeftButton)
        assert self.focus() is box, f"a click on the glow box left the cursor in {self.focus()}"
        text = "Wait time grew after minute 20: more hands, longer answers"
        self.type(text)
        self.record["prompt"] = text
        self.key(Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)  # back to the note box


def main(argv: list[str]) -> int:
    data_dir, result_path = Path(argv[0]), Path(argv[1])
    notes = int(argv[argv.index("--notes") + 1]) if "--notes" in argv else 100
    items, chart = prepare(data_dir)

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from observe_app import app as observe
    from observe_app.gui.main_window import MainWindow
    from observe_app.storage.instance_lock import InstanceLock

    qapp = QApplication(sys.argv[:1])
    clock = ScriptClock()
    failures: list[BaseException] = []

    def drive() -> None:
        window = next(w for w in qapp.topLevelWidgets() if isinstance(w, MainWindow))
        lesson = Lesson(window, clock, result_path, notes)
        try:
            lesson.run()
        except BaseException as exc:  # noqa: BLE001 (reported below, after the window closes)
            failures.append(exc)
            window.close()
            return
        lesson.record["items"] = items
        lesson.record["participation"].update(chart)
        result_path.write_text(json.dumps(lesson.record, ensure_ascii=False, indent=1),
                               encoding="utf-8")

    QTimer.singleShot(0, drive)
    lock = InstanceLock(data_dir)
    lock.acquire()
    try:
        status = observe._run_window(data_dir, lock, clock=clock)
    finally:
        lock.release()
    if failures:
        sys.excepthook = sys.__excepthook__  # the window's crash dialog is gone with it
        raise failures[0]
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
