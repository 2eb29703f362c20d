"""Take a screenshot of the plan-a-cycle dialog over a demo data folder (run under Xvfb).

    observe-app --data-dir /tmp/demo demo
    PYTHONPATH=. xvfb-run -a -s "-screen 0 1366x768x24" \\
        python tools/plan_dialog_screenshot.py /tmp/demo docs/plan-cycle-dialog.png
Arguments: data folder, output file, and optionally the protocol to show (by its start).
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from observe_app.gui.backend import Backend
from observe_app.gui.dialogs import CycleDialog
from observe_app.gui.style import STYLE_SHEET
from observe_app.gui.tasks import busy
from observe_app.storage.opening import open_database


def main(data_dir: str, out: str, protocol: str = "Questioning, wait time") -> int:
    app = QApplication(sys.argv[:1])
    app.setStyleSheet(STYLE_SHEET)
    backend = Backend(open_database(Path(data_dir)))
    teacher = next(p for p in backend.people.list_people() if p.name == "Aino Mäkelä")
    dialog = CycleDialog(backend, teacher.id)
    dialog.show()
    while not dialog.ready or busy():
        QTest.qWait(50)
    ui = dialog.ui
    ui.observer_combo.setCurrentIndex(ui.observer_combo.findText("Νίκος Παπαδόπουλος"))
    ui.protocol_combo.setCurrentIndex(ui.protocol_combo.findText(
        protocol, Qt.MatchFlag.MatchStartsWith))
    ui.focus_edit.setText("More students explaining their thinking")
    ui.evidence_edit.setPlainText("Questions asked and who answers them; the pause after each "
                                  "question; what students do while the teacher talks.")
    QTest.qWait(300)
    while busy():
        QTest.qWait(50)
    QTest.qWait(200)  # at the size it opens with, as a teacher sees it
    screen = app.primaryScreen().availableGeometry()
    print(f"screen {screen.width()}x{screen.height()}, dialog {dialog.width()}x"
          f"{dialog.height()}, at least {dialog.minimumSizeHint().width()}x"
          f"{dialog.minimumSizeHint().height()}")
    dialog.grab().save(out)
    dialog.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
