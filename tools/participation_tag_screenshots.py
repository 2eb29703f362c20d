"""Take screenshots of contributions tagged to a look-for and timed by holding, live and in the
visit's results: "Participation and talk" on seven tables of four, twenty minutes in.

    QT_QPA_PLATFORM=offscreen PYTHONPATH=. python tools/participation_tag_screenshots.py docs
Writes docs/participation-tagged-{1366,1024}.png (a tag waiting for the next contribution,
lit beside its look-for), docs/participation-timed-1366.png (a contribution held 14 s and
tagged), docs/participation-tag-results.png and docs/participation-results-1024.png (the
visit's results on the cycle's Visits tab, scrolled down to the seating chart, at 1366×768
and 1024×600); the data folder is temporary.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from observe_app.gui.backend import Backend  # noqa: E402
from observe_app.gui.main_window import MainWindow  # noqa: E402
from observe_app.gui.style import STYLE_SHEET  # noqa: E402
from observe_app.services.participation import table_seats  # noqa: E402
from observe_app.storage.opening import open_database  # noqa: E402
from tools.participation_screenshots import LESSON, SIZES, LessonClock  # noqa: E402

CTRL = Qt.KeyboardModifier.ControlModifier


def _visit(backend: Backend) -> tuple[str, str, str]:
    teacher = backend.people.add_person("Ben Okafor", subject="Mathematics")
    observer = backend.people.add_person("Anna Lindqvist")
    version_id = backend.protocols.find_protocol("participation-and-talk").latest_version_id
    cycle = backend.cycles.plan_cycle(teacher_id=teacher.id, observer_id=observer.id,
                                      protocol_version_id=version_id,
                                      focus="More students explaining their thinking",
                                      now=LESSON - dt.timedelta(days=3))
    visit = backend.observations.start_observation(cycle.id, subject="Mathematics", grade="7B",
                                                   room="H2", students=28, now=LESSON)
    version = backend.protocols.get_version(version_id)
    item = next(i for i in version.items if i.kind == "participation")
    lookfors = [i for i in version.items if i.kind == "lookfor"]
    backend.participation.seat_visit(visit.id, item.id, table_seats(7, 4))
    rng = random.Random(7)
    keys = [t.key for t in item.talk_types]
    for n in range(40):
        second = 20 + n * 28
        backend.participation.record_contribution(
            visit.id, item.id, rng.choice([3, 3, 14, 14, 17, 5, 9, 22, 25, 11, 1, 6, 19, 27]),
            rng.choice(keys), elapsed_ms=second * 1000,
            wall_time=LESSON + dt.timedelta(seconds=second), called_on=rng.random() < 0.4,
            duration_ms=rng.choice([None, None, 4_000, 9_000, 21_000]),
            lookfor_id=rng.choice([None, None, None, lookfors[1].id]))
    return cycle.id, visit.id, item.id


def main(out: str) -> int:
    app = QApplication(sys.argv[:1])
    app.setStyleSheet(STYLE_SHEET)
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        clock = LessonClock()
        backend = Backend(open_database(Path(work)), clock)
        backend.protocols.install_builtins()
        cycle_id, visit_id, item_id = _visit(backend)
        for size_name, size in SIZES.items():
            window = MainWindow()
            window.resize(size)
            window.show()
            window.attach(backend)
            window.open_observation(visit_id)
            view = window.live_view
            assert view is not None
            view.confirm_end = lambda: True
            QTest.qWait(300)
            widget = view.panel.participation[item_id]
            widget.focus_entry()
            QTest.keyClicks(widget.entry, "14e")
            QTest.keyClick(widget.entry, Qt.Key.Key_1, CTRL)
            QTest.qWait(200)
            window.grab().save(str(out_dir / f"participation-tagged-{size_name}.png"))
            if size_name == "1366":
                QTest.keyPress(widget.entry, Qt.Key.Key_Return)
                clock.advance(14)
                QTest.keyRelease(widget.entry, Qt.Key.Key_Return)
                QTest.qWait(200)
                window.grab().save(str(out_dir / "participation-timed-1366.png"))
                view.header.end_button.click()
                QTest.qWait(200)
                window.show_page(1)
                cycle = window.review.open_cycle(cycle_id)
                cycle.tabs.setCurrentWidget(cycle.visits)
                QTest.qWait(600)
                for results_size, name in ((size, "participation-tag-results.png"),
                                           (SIZES["1024"], "participation-results-1024.png")):
                    window.resize(results_size)
                    QTest.qWait(300)
                    area = cycle.visits.results_area  # scrolled down to the seating chart
                    area.verticalScrollBar().setValue(area.verticalScrollBar().maximum())
                    QTest.qWait(200)
                    window.grab().save(str(out_dir / name))
                window.resize(size)
            window.close()
        backend.database.close()
    app.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
