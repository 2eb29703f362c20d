"""Screenshots of what a user sees when things go wrong: a damaged database at start-up, a save
fault mid-lesson, and a database opened read-only (run under Xvfb).

    observe-app --data-dir /tmp/demo demo
    PYTHONPATH=. xvfb-run -a -s "-screen 0 1280x720x24" \\
        python tools/reliability_screenshots.py /tmp/demo docs
The demo folder is copied; the copy is damaged on purpose, the original is left alone.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from observe_app.app import AppController
from observe_app.gui import tasks
from observe_app.gui.main_window import MainWindow
from observe_app.gui.style import STYLE_SHEET
from observe_app.storage import autobackup
from observe_app.storage import engine as engine_module


def _wait(condition, ms: int = 15_000) -> None:  # type: ignore[no-untyped-def]
    waited = 0
    while not condition():
        QTest.qWait(50)
        waited += 50
        if waited > ms:
            raise SystemExit("timed out")


def _damage(path: Path) -> None:
    """Overwrite 64 bytes of a b-tree page near the middle of the file."""
    conn = sqlite3.connect(path)
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    data = path.read_bytes()
    pages = len(data) // size
    page = next(p for d in range(pages) for p in (pages // 2 + d, pages // 2 - d)
                if 1 < p < pages and data[p * size] in (2, 5, 10, 13))
    with path.open("r+b") as fh:
        fh.seek(page * size)
        fh.write(bytes(random.Random(1).randrange(256) for _ in range(64)))


def _window() -> MainWindow:
    window = MainWindow()
    window.resize(1280, 720)
    window.show()
    return window


def main(demo: str, out: str) -> int:
    app = QApplication(sys.argv[:1])
    app.setStyleSheet(STYLE_SHEET)
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="observe-shots-"))
    try:
        damaged = work / "damaged"
        shutil.copytree(demo, damaged, ignore=shutil.ignore_patterns("backups", "logs"))
        autobackup.backup_now(damaged, "startup")
        _damage(damaged / "observe.db")
        window = _window()
        controller = AppController(window, damaged)
        controller.start()
        _wait(lambda: controller.problem_page is not None)
        QTest.qWait(300)
        window.grab().save(str(out_dir / "damaged-database.png"))
        controller.problem_page.read_only_button.click()
        _wait(lambda: controller.backend is not None)
        window.show_page(1)
        QTest.qWait(300)
        window.grab().save(str(out_dir / "read-only.png"))
        controller.close()
        window.close()

        sound = work / "sound"
        shutil.copytree(demo, sound, ignore=shutil.ignore_patterns("backups", "logs"))
        window = _window()
        controller = AppController(window, sound)
        controller.start()
        _wait(lambda: controller.backend is not None)
        backend = controller.backend
        everyone = backend.people.list_people()
        cycle = backend.cycles.plan_cycle(
            teacher_id=everyone[0].id, observer_id=everyone[1].id,
            protocol_version_id=backend.protocols.find_protocol(
                "peer-observation").latest_version_id,
            focus="More students explaining their thinking")
        obs = backend.observations.start_observation(cycle.id, subject="Science",
                                                     grade="Year 8", room="B12", students=27)
        window.open_observation(obs.id)
        view = window.live_view
        for text in ("T opens with the learning intention on the board; reads it aloud.",
                     "Pairs discuss for 90 s; most pairs on task, two pairs at the back not."):
            view.note_edit.setPlainText(text)
            view._on_note_edit_submitted()

        # Another program (a sync tool, say) holds the database's write lock.
        engine_module.BUSY_TIMEOUT_MS = 100
        controller.database.engine.dispose()
        holder = sqlite3.connect(controller.database.path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        view.note_edit.setPlainText("S3 explains why ice floats, using the word density; T asks "
                                    "the class who can say it another way.")
        view._on_note_edit_submitted()  # into the log as not saved yet; the box is free
        view.note_edit.setFocus()
        QTest.keyClicks(view.note_edit, "Next note, typed meanwhile")
        QTest.qWait(400)
        window.grab().save(str(out_dir / "fault-banner.png"))
        holder.execute("ROLLBACK")
        holder.close()
        _wait(lambda: not view.fault_banner.isVisible())
        _wait(lambda: not tasks.busy())
        controller.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
