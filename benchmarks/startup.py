"""Start-up: process start to the main window's first paint, and to the window filled with data
from a 10,000-observation database, each against a bare PySide6 script that shows the same
widgets empty. Budgets: first paint 1.3×, filled 3× (BORIS, the nearest desktop peer: 6.6×).

Every run is a fresh process, timed from just before it is started to the moment it reports;
the kinds alternate so they share the machine's noise, and medians are compared. Runs under
the offscreen platform by default (set QT_QPA_PLATFORM=xcb under Xvfb for a real display).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import scale_data  # noqa: E402
from benchmarks.common import verdict  # noqa: E402

RUNS = 7
FIRST_PAINT_BUDGET = 1.3
FILLED_BUDGET = 3.0

# Each child prints time.perf_counter() (CLOCK_MONOTONIC, shared by all processes) at its
# moment and exits at once.
_PAINT_PROBE = """
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
probe = FirstPaint()
app.installEventFilter(probe)
"""

BARE = _PAINT_PROBE + """
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

APP_FIRST_PAINT = _PAINT_PROBE + """
from observe_app.app import run
run(sys.argv[1])
"""

# The window is filled once the page on screen shows its first rows: read with plain sqlite3
# right after the first paint (app.AppController.show_first_rows) or, where that path does not
# apply, given by attach() through the backend. The probe reports at the first rows either way.
APP_FILLED = """
import os, sys, time
from observe_app.gui import main_window, table_models
def report(model):
    if model.rowCount():
        print(time.perf_counter(), model.rowCount(), flush=True)
        os._exit(0)
set_rows, reload = table_models.RowsTableModel.set_rows, table_models.CyclesTableModel.reload
def probe_set_rows(self, rows):
    set_rows(self, rows)
    report(self)
def probe_reload(self):
    reload(self)
    report(self)
table_models.RowsTableModel.set_rows = probe_set_rows
table_models.CyclesTableModel.reload = probe_reload
attach = main_window.MainWindow.attach
def no_rows(self, backend):
    attach(self, backend)
    os._exit(3)  # attached, and still no rows
main_window.MainWindow.attach = no_rows
from observe_app.app import run
run(sys.argv[1])
"""

# For comparison (no budget): the moment attach() has handed the window the backend (the data
# layer imported, the ORM set up, the page loaded through it): what "filled" measured before
# the first rows were read without SQLAlchemy.
APP_ATTACHED = """
import os, sys, time
from observe_app.gui import main_window
attach = main_window.MainWindow.attach
def probe(self, backend):
    attach(self, backend)
    rows = self.page(self.pages_stack.currentIndex()).model.rowCount()
    print(time.perf_counter(), rows, flush=True)
    os._exit(0 if rows else 3)
main_window.MainWindow.attach = probe
from observe_app.app import run
run(sys.argv[1])
"""


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(ROOT)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    return env


def _once(code: str, data_dir: str) -> float:
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code, data_dir], capture_output=True, text=True,
                         cwd=ROOT, timeout=120, env=_env())
    if out.returncode != 0:
        raise SystemExit(f"child failed ({out.returncode}): {out.stderr[-2000:]}")
    return float(out.stdout.strip().splitlines()[-1].split()[0]) - start


def _compare(label: str, app_code: str, data_dir: str, budget: float | None) -> None:
    _once(BARE, data_dir), _once(app_code, data_dir)  # warm caches and bytecode
    bare, app = [], []
    for _ in range(RUNS):
        bare.append(_once(BARE, data_dir))
        app.append(_once(app_code, data_dir))
    b, a = statistics.median(bare), statistics.median(app)
    ratio = a / b
    judged = f"(budget {budget}×): {verdict(ratio, budget)}" if budget else "(for comparison)"
    print(f"  {label:<44} {a * 1000:6.0f} ms vs bare {b * 1000:4.0f} ms  {ratio:4.2f}× {judged}")


def main() -> int:
    print(f"start-up (median of {RUNS} fresh processes each, {_env()['QT_QPA_PLATFORM']})")
    with tempfile.TemporaryDirectory() as small:
        subprocess.run([sys.executable, "-m", "observe_app", "--data-dir", small, "demo"],
                       check=True, capture_output=True, cwd=ROOT, env=_env())
        _compare("first paint (demo school)", APP_FIRST_PAINT, small, FIRST_PAINT_BUDGET)
    big = scale_data.ensure(10_000)
    _compare("window filled (10,000 observations)", APP_FILLED, str(big), FILLED_BUDGET)
    _compare("data layer attached (10,000 observations)", APP_ATTACHED, str(big), None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
