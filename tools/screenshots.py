"""Take the README screenshots of the real window on a demo data folder (run under Xvfb).

    observe-app --data-dir /tmp/demo demo      # a copy: the script adds a visit to it
    PYTHONPATH=. xvfb-run -a -s "-screen 0 1280x720x24" \
        python tools/screenshots.py /tmp/demo docs 1 peer-observation
Arguments: data folder, output folder, main-window page (0-3), protocol of the live visit.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from observe_app.gui.backend import Backend
from observe_app.gui.main_window import MainWindow
from observe_app.gui.style import STYLE_SHEET
from observe_app.storage.opening import open_database


class ScriptClock:
    """Real wall time to begin with, then moved on by the script as a lesson would."""

    def __init__(self) -> None:
        self.ms = 0
        self.wall = dt.datetime.now(dt.UTC).replace(hour=9, minute=5, second=0, microsecond=0)

    def monotonic_ms(self) -> int:
        return self.ms

    def now(self) -> dt.datetime:
        return self.wall

    def advance(self, ms: int) -> None:
        self.ms += ms
        self.wall += dt.timedelta(milliseconds=ms)


def open_window(data_dir: str, out: str) -> tuple[QApplication, Path, ScriptClock, Backend,
                                                   MainWindow]:
    """The app styled as it ships, the output folder, and a window (not yet shown) over the
    data folder's database on a clock the script moves."""
    app = QApplication(sys.argv[:1])
    app.setStyleSheet(STYLE_SHEET)
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    clock = ScriptClock()
    backend = Backend(open_database(Path(data_dir)), clock)
    return app, out_dir, clock, backend, MainWindow()


def main(data_dir: str, out: str) -> int:
    app, out_dir, clock, backend, window = open_window(data_dir, out)
    window.resize(1280, 720)
    window.show()
    window.attach(backend)
    page = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    window.show_page(page)
    QTest.qWait(300)
    window.grab().save(str(out_dir / "main-window.png"))
    # A live visit with a few notes, tags, tallies and a timer run.
    slug = sys.argv[4] if len(sys.argv) > 4 else "questioning-wait-time"
    everyone = backend.people.list_people()
    cycle = backend.cycles.plan_cycle(
        teacher_id=everyone[0].id, observer_id=everyone[1].id,
        protocol_version_id=backend.protocols.find_protocol(slug).latest_version_id,
        focus="More students explaining their thinking")
    obs = backend.observations.start_observation(cycle.id, subject="Science", grade="Year 8",
                                                 room="B12", students=27, now=clock.now())
    window.open_observation(obs.id)
    view = window.live_view
    samples = ["T opens with the learning intention on the board; reads it aloud.",
               "S3: 'I think it floats because ice is less dense.' T: 'How do you know?'",
               "Pairs discuss for 90 s; most pairs on task, two pairs off task at the back.",
               "T cold-calls four students; every answer gets a follow-up question."]
    for n, text in enumerate(samples):
        clock.advance(47_000 + n * 31_000)
        view.note_edit.setPlainText(text)
        if view._tag_items and n % 2 == 0:
            view.toggle_tag(next(iter(view._tag_items)), pending=True)
        view._on_note_edit_submitted()
        for item_id in list(view.panel.tally_labels)[: n + 1]:
            view.panel.change_tally(item_id, 1 + n)
        for timer in list(view.panel.timers.values())[:1]:
            timer.toggle()
            clock.advance(2_000 + n * 700)
            timer.toggle()
    clock.advance(20_000)
    for box in list(view.panel.checkboxes.values())[:2]:
        box.setChecked(True)
    for edit in list(view.panel.prompts.values())[:1]:
        edit.setPlainText("Cold call drew in the quiet table by the window.")
    view.note_edit.setPlainText("Exit ticket: students write one sentence explaining")
    if len(view._tag_items) > 1:
        view.toggle_tag(list(view._tag_items)[1], pending=True)
    view.tick()
    QTest.qWait(300)
    window.grab().save(str(out_dir / "live-view.png"))
    QTimer.singleShot(0, app.quit)
    app.exec()
    backend.database.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
