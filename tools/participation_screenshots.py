"""Take screenshots of a participation map being captured live: the built-in protocol
"Participation and talk" on a class of seven tables of four, twenty minutes into the lesson.

    QT_QPA_PLATFORM=offscreen PYTHONPATH=. python tools/participation_screenshots.py docs
Writes docs/participation-live-{1366,1024}.png; the data folder is temporary.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSize, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from observe_app.gui.backend import Backend  # noqa: E402
from observe_app.gui.main_window import MainWindow  # noqa: E402
from observe_app.gui.style import STYLE_SHEET  # noqa: E402
from observe_app.services.participation import table_seats  # noqa: E402
from observe_app.storage.opening import open_database  # noqa: E402

SIZES = {"1366": QSize(1366, 768), "1024": QSize(1024, 600)}
LESSON = dt.datetime(2026, 3, 2, 9, 5, tzinfo=dt.UTC)
NOTES = [(95, "T: 'Why is 3/4 bigger than 2/3?' Waits; six hands, takes seat 3."),
         (240, "Pairs compare fraction strips; T listens at tables 2 and 5."),
         (610, "Seat 14 explains common denominators to the class; 17 builds on it."),
         (900, "T calls on the back row: 22 and 25 answer.")]


class LessonClock:
    """Twenty minutes into the lesson, standing still while the pictures are taken."""

    def __init__(self) -> None:
        self.wall = LESSON + dt.timedelta(minutes=20)

    def monotonic_ms(self) -> int:
        return int((self.wall - LESSON).total_seconds() * 1000)

    def now(self) -> dt.datetime:
        return self.wall

    def advance(self, seconds: float) -> None:
        self.wall += dt.timedelta(seconds=seconds)


def _visit(backend: Backend) -> tuple[str, str]:
    teacher = backend.people.add_person("Ben Okafor", subject="Mathematics")
    observer = backend.people.add_person("Anna Lindqvist")
    version = backend.protocols.find_protocol("participation-and-talk").latest_version_id
    cycle = backend.cycles.plan_cycle(teacher_id=teacher.id, observer_id=observer.id,
                                      protocol_version_id=version,
                                      focus="More students explaining their thinking",
                                      now=LESSON - dt.timedelta(days=3))
    visit = backend.observations.start_observation(cycle.id, subject="Mathematics", grade="7B",
                                                   room="H2", students=28, now=LESSON)
    item = next(i for i in backend.protocols.get_version(version).items
                if i.kind == "participation")
    backend.participation.seat_visit(visit.id, item.id, table_seats(7, 4))
    rng = random.Random(7)
    keys = [t.key for t in item.talk_types]
    for n in range(46):
        second = 20 + n * 25
        backend.participation.record_contribution(
            visit.id, item.id, rng.choice([3, 3, 14, 14, 17, 5, 9, 22, 25, 11, 1, 6, 19, 27]),
            rng.choice(keys), elapsed_ms=second * 1000,
            wall_time=LESSON + dt.timedelta(seconds=second), called_on=rng.random() < 0.4)
    for second, text in NOTES:
        backend.notes.add_note(visit.id, text, wall_time=LESSON + dt.timedelta(seconds=second),
                               elapsed_ms=second * 1000)
    return visit.id, item.id


def main(out: str) -> int:
    app = QApplication(sys.argv[:1])
    app.setStyleSheet(STYLE_SHEET)
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        backend = Backend(open_database(Path(work)), LessonClock())
        backend.protocols.install_builtins()
        visit_id, item_id = _visit(backend)
        for size_name, size in SIZES.items():
            window = MainWindow()
            window.resize(size)
            window.show()
            window.attach(backend)
            window.open_observation(visit_id)
            view = window.live_view
            assert view is not None
            QTest.qWait(300)
            widget = view.panel.participation[item_id]
            chart = widget.chart
            widget.set_talk_type("e")
            QTest.mouseClick(chart, Qt.MouseButton.LeftButton,
                             pos=chart.seat_rect(14).center().toPoint())
            QTest.qWait(200)
            window.grab().save(str(out_dir / f"participation-live-{size_name}.png"))
            window.close()
        backend.database.close()
    app.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
