"""Take screenshots of the seating chart editor for a visit on "Participation and talk": the
class's chart with a few seats moved and labelled, one seat selected.

    QT_QPA_PLATFORM=offscreen PYTHONPATH=. python tools/seating_editor_screenshots.py docs
Writes docs/participation-editor-{1366,1024}.png (the dialog as it opens on a screen of that
size); the data folder is made in a temporary folder and removed.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSize  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from observe_app.gui.backend import Backend  # noqa: E402
from observe_app.gui.seating_editor import SeatingEditorDialog  # noqa: E402
from observe_app.gui.style import STYLE_SHEET  # noqa: E402
from observe_app.gui.tasks import busy  # noqa: E402
from observe_app.storage.opening import open_database  # noqa: E402

SIZES = {"1366": (1366, 768), "1024": (1024, 600)}
TITLE_BAR = 30  # what the window manager takes of the screen's height
LESSON = dt.datetime(2026, 3, 2, 9, 5, tzinfo=dt.UTC)


def _visit(backend: Backend) -> tuple[str, object]:
    teacher = backend.people.add_person("Aino Mäkelä", subject="Mathematics")
    observer = backend.people.add_person("Ben Okafor")
    version = backend.protocols.find_protocol("participation-and-talk").latest_version_id
    cycle = backend.cycles.plan_cycle(teacher_id=teacher.id, observer_id=observer.id,
                                      protocol_version_id=version, focus="Every voice heard",
                                      now=LESSON)
    visit = backend.observations.start_observation(cycle.id, subject="Mathematics",
                                                   grade="Year 8", room="H2", students=28,
                                                   now=LESSON)
    item = next(i for i in backend.protocols.get_version(version).items
                if i.kind == "participation")
    return visit.id, item


def main(out: str) -> int:
    app = QApplication(sys.argv[:1])
    app.setStyleSheet(STYLE_SHEET)
    with tempfile.TemporaryDirectory() as folder:
        backend = Backend(open_database(Path(folder)))
        backend.protocols.install_builtins()
        visit_id, item = _visit(backend)
        for name, (width, height) in SIZES.items():
            dialog = SeatingEditorDialog(backend, visit_id, item)  # type: ignore[arg-type]
            dialog.fit_to(QSize(width, height - TITLE_BAR))  # as on a screen of that size
            dialog.show()
            while not dialog.ready or busy():
                QTest.qWait(50)
            dialog.layout_combo.setCurrentIndex(1)
            dialog.first_spin.setValue(7)
            dialog.second_spin.setValue(4)
            dialog.lay_out()
            for number, label in ((1, "AK"), (2, "JM"), (6, "LT"), (9, "SR")):
                dialog.chart.select(number)
                dialog.panel.label_edit.setText(label)
                dialog.panel.label_edit.textEdited.emit(label)
            dialog.chart.setFocus()
            dialog.chart.select(6)
            for _ in range(2):
                dialog.chart.move_selected(0, 1)
            QTest.qWait(300)
            print(f"{name}: dialog {dialog.width()}x{dialog.height()}, at least "
                  f"{dialog.minimumSizeHint().width()}x{dialog.minimumSizeHint().height()}")
            dialog.grab().save(str(Path(out) / f"participation-editor-{name}.png"))
            dialog.reject()
            dialog.deleteLater()
        backend.database.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
