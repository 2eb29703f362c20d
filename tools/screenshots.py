"""Take the README screenshots of the real window on a demo data folder (run under Xvfb).

    observe-app --data-dir /tmp/demo demo
    xvfb-run -a -s "-screen 0 1280x720x24" python tools/screenshots.py /tmp/demo docs/
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from observe_app.gui.backend import Backend
from observe_app.gui.main_window import MainWindow
from observe_app.gui.style import STYLE_SHEET
from observe_app.storage.opening import open_database


def main(data_dir: str, out: str) -> int:
    app = QApplication(sys.argv[:1])
    app.setStyleSheet(STYLE_SHEET)
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    database = open_database(Path(data_dir))
    backend = Backend(database)
    window = MainWindow()
    window.resize(1280, 720)
    window.show()
    window.attach(backend)
    page = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    window.show_page(page)
    QTest.qWait(300)
    window.grab().save(str(out_dir / "main-window.png"))
    # A live visit on the first planned cycle, with a few notes, tags and tallies.
    cycle = window.observe_page.model.row_at(0)
    for candidate in backend.cycles.list_cycles():
        if candidate.protocol_name.startswith(sys.argv[4] if len(sys.argv) > 4 else "Peer") \
                and candidate.stage.value in ("pre_conference", "observation"):
            cycle = candidate
            break
    obs = backend.observations.start_observation(cycle.id, subject="Science", grade="Year 8",
                                                 room="B12", students=27)
    window.open_observation(obs.id)
    view = window.live_view
    samples = ["T opens with the learning intention on the board; reads it aloud.",
               "S3: 'I think it floats because ice is less dense.' T: 'How do you know?'",
               "Pairs discuss for 90 s; most pairs on task, two pairs off task at the back.",
               "T cold-calls four students; every answer gets a follow-up question."]
    for n, text in enumerate(samples):
        view.clock._base += 47_000 + n * 31_000
        view.note_edit.setPlainText(text)
        if view.keys and n % 2 == 0:
            view.toggle_tag(next(iter(view._tag_items)), pending=True)
        view._on_note_edit_submitted()
    view.clock._base += 20_000
    view.note_edit.setPlainText("Exit ticket: students write one sentence explaining")
    view.tick()
    QTest.qWait(300)
    window.grab().save(str(out_dir / "live-view.png"))
    QTimer.singleShot(0, app.quit)
    app.exec()
    database.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
