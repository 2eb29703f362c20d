"""Take the README screenshots of the cycle view and the growth view on a demo data folder.

    observe-app --data-dir /tmp/demo demo
    PYTHONPATH=. xvfb-run -a -s "-screen 0 1280x720x24" \
        python tools/review_screenshots.py /tmp/demo docs
Arguments: data folder, output folder, and optionally the teacher (default Aino Mäkelä).
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from observe_app.domain.enums import CycleStage
from observe_app.gui.backend import Backend
from observe_app.gui.main_window import MainWindow
from observe_app.gui.style import STYLE_SHEET
from observe_app.storage.opening import open_database


def main(data_dir: str, out: str, teacher: str = "Aino Mäkelä") -> int:
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
    person = next(p for p in backend.people.list_people() if p.name == teacher)
    window.show_page(2)
    window.teachers_page.select_id(person.id)
    growth = window.review.open_growth(person.id)
    QTest.qWait(400)
    window.grab().save(str(out_dir / "growth-view.png"))
    growth.closed.emit()
    # The teacher's latest cycle that reached the post-conference, on its ratings tab.
    cycles = [c for c in backend.cycles.list_cycles(teacher_id=person.id)
              if c.stage in (CycleStage.POST_CONFERENCE, CycleStage.REFLECTION,
                             CycleStage.CLOSED) and c.observation_count]
    window.show_page(1)
    view = window.review.open_cycle(cycles[-1].id)
    mode = sys.argv[4] if len(sys.argv) > 4 else "ratings"
    if mode == "ratings":
        view.tabs.setCurrentWidget(view.rating)
        for item in view.rating.items:
            rating = view.rating.ratings.get(item.id)
            if rating and len(rating.evidence_note_ids) > 1:
                view.rating.select_item(item.id)
                break
        view.rating.item_list.setFocus()
    QTest.qWait(400)
    window.grab().save(str(out_dir / "cycle-view.png"))
    view.tabs.setCurrentWidget(view.feedback)
    QTest.qWait(200)
    window.grab().save(str(out_dir / "cycle-view-post-conference.png"))
    view.tabs.setCurrentWidget(view.visits)
    QTest.qWait(200)
    window.grab().save(str(out_dir / "cycle-view-visits.png"))
    QTimer.singleShot(0, app.quit)
    app.exec()
    database.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], *sys.argv[3:4]))
