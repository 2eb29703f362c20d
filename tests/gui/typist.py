"""A process that types notes into a live view until it is killed (used by test_drafts).

    python tests/gui/typist.py DATA_DIR OBSERVATION_ID
Prints `SAVED`, then `STARTED <wall iso> <elapsed ms>` when the unfinished note begins, then
`TYPED <text>` after each word, and keeps typing slowly until it is killed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from observe_app.gui.backend import Backend  # noqa: E402
from observe_app.gui.live.live_view import LiveObservationView  # noqa: E402
from observe_app.storage.opening import open_database  # noqa: E402


def main(data_dir: str, observation_id: str) -> None:
    app = QApplication(sys.argv[:1])
    backend = Backend(open_database(Path(data_dir)))
    view = LiveObservationView(backend, observation_id)
    view.show()
    box = view.note_edit
    QTest.keyClicks(box, "A finished note")
    QTest.keyClick(box, Qt.Key.Key_Return)
    print("SAVED", flush=True)
    words = ["Half", " a", " thought", " about", " Zoë's", " answer"]
    for n, word in enumerate(words * 1000):
        for ch in word:
            QTest.sendKeyEvent(QTest.KeyAction.Click, box, Qt.Key.Key_unknown, ch,
                               Qt.KeyboardModifier.NoModifier)
            QTest.qWait(40)
        if n == 0:
            wall, elapsed = view.box.began
            print("STARTED", wall.isoformat(), elapsed, flush=True)
        print("TYPED", box.toPlainText(), flush=True)
    app.quit()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
