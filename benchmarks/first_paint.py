"""First paint of the main window against a bare PySide6 script showing the same widgets empty.

Each run is a fresh process timed from its start to the first paint of its main window; the
two kinds alternate and the medians are compared (budget: app ≤ 1.3 × bare). Run under a real
display or Xvfb:

    PYTHONPATH=. xvfb-run -a python benchmarks/first_paint.py [RUNS]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGET = 1.3

# Both children stop the clock at the first Paint event of their QMainWindow.
_PAINT_FILTER = """
import os, sys, time
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QMainWindow
class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and isinstance(obj, QMainWindow):
            print(time.perf_counter(), flush=True)
            os._exit(0)
        return False
app = QApplication(sys.argv[:1])
first_paint = FirstPaint()
app.installEventFilter(first_paint)
"""

BARE = _PAINT_FILTER + """
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QLineEdit, QListWidget, QPushButton,
                               QStackedWidget, QTableView, QVBoxLayout, QWidget)
window = QMainWindow()
home = QWidget()
row = QHBoxLayout(home)
nav = QListWidget()
for name in ("Observe", "Cycles", "Teachers", "Protocols"):
    nav.addItem(name)
row.addWidget(nav)
pages = QStackedWidget()
for name in ("Observe", "Cycles", "Teachers", "Protocols"):
    page = QWidget(); column = QVBoxLayout(page)
    column.addWidget(QLabel(name)); column.addWidget(QLineEdit()); column.addWidget(QPushButton())
    column.addWidget(QTableView()); pages.addWidget(page)
row.addWidget(pages)
window.setCentralWidget(home)
window.resize(1280, 720)
window.show()
app.exec()
"""

APP = _PAINT_FILTER + """
from observe_app.app import run
run(sys.argv[1])
"""


def _once(code: str, data_dir: str) -> float:
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code, data_dir], capture_output=True, text=True,
                         cwd=ROOT, timeout=60, env=_env())
    if out.returncode != 0:
        raise SystemExit(out.stderr)
    return float(out.stdout.strip().splitlines()[-1]) - start


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # measure what an installed app does
    env["PYTHONPATH"] = str(ROOT)
    return env


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    with tempfile.TemporaryDirectory() as data_dir:
        subprocess.run([sys.executable, "-m", "observe_app", "--data-dir", data_dir, "demo"],
                       check=True, capture_output=True, cwd=ROOT, env=_env())
        _once(BARE, data_dir), _once(APP, data_dir)  # warm the caches and .pyc files
        bare, app = [], []
        for _ in range(runs):
            bare.append(_once(BARE, data_dir))
            app.append(_once(APP, data_dir))
    b, a = statistics.median(bare), statistics.median(app)
    print(f"bare PySide6 window: median {b * 1000:.0f} ms")
    print(f"Observe main window: median {a * 1000:.0f} ms  ({a / b:.2f}x, budget {BUDGET}x)")
    return 0 if a <= BUDGET * b else 1


if __name__ == "__main__":
    sys.exit(main())
