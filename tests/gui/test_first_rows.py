"""The window's first rows, read with plain sqlite3 right after the first paint: before
SQLAlchemy is imported, the same rows the backend then gives, and the page afterwards keeps
itself current and pages on through the backend."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from observe_app import app as app_module
from observe_app.gui import tasks
from observe_app.gui.main_window import MainWindow
from observe_app.gui.table_models import CyclesTableModel
from tests.gui.conftest import FakeClock
from tests.processes import finish


def _rows(model: CyclesTableModel) -> list:  # type: ignore[type-arg]
    return [model.row_at(n) for n in range(model.rowCount())]


def test_first_rows_then_the_backend_takes_over(demo_dir: Path, qtbot,  # type: ignore[no-untyped-def]
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(CyclesTableModel, "PAGE", 3)  # so that there are pages to fetch
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    window.navigation.setCurrentRow(1)  # the Cycles page: every stage
    controller = app_module.AppController(window, demo_dir, FakeClock())
    try:
        controller.show_first_rows()
        page = window.cycles_page
        first = _rows(page.model)
        assert len(first) == 3 and controller.backend is None
        controller.start()
        qtbot.waitUntil(lambda: controller.backend is not None and controller.status is not None,
                        timeout=10_000)
        backend = controller.backend
        assert _rows(page.model)[:3] == first == backend.cycles.page_cycles(
            stages=page.STAGES, sort="date", descending=True, limit=3)
        # Further pages come through the backend, in the same order.
        page.model.load_through(10_000)
        assert _rows(page.model) == backend.cycles.page_cycles(
            stages=page.STAGES, sort="date", descending=True, limit=10_000)
        # A cycle planned elsewhere shows on the page by itself (newest first: at the top),
        # once shown again (the demo's visit left open took the window to the Observe page).
        planned = backend.cycles.plan_cycle(teacher_id=first[0].teacher_id,
                                            protocol_version_id=first[0].protocol_version_id,
                                            focus="Exit tickets",
                                            planned_date=dt.date(2100, 1, 1))
        window.show_page(1)
        qtbot.waitUntil(lambda: page.model.rowCount() and page.model.row_at(0).id == planned.id,
                        timeout=5_000)
    finally:
        qtbot.waitUntil(lambda: not tasks.busy(), timeout=10_000)
        controller.close()


FIRST_ROWS_PROBE = """
import os, sys
from observe_app.gui import main_window
from observe_app import app

shown = main_window.MainWindow.show_first_rows

def show_first_rows(self, read):
    shown(self, read)
    rows = self.page(self.pages_stack.currentIndex()).model.rowCount()
    print(rows, sorted(m for m in ("sqlalchemy", "alembic", "reportlab") if m in sys.modules))
    sys.stdout.flush()
    os._exit(0)

main_window.MainWindow.show_first_rows = show_first_rows
app.run(sys.argv[1])
"""


def test_the_first_rows_wait_for_no_database_library(demo_dir: Path) -> None:
    env = os.environ | {"QT_QPA_PLATFORM": "offscreen",
                        "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    proc = subprocess.Popen([sys.executable, "-c", FIRST_ROWS_PROBE, str(demo_dir)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        out, err = proc.communicate(timeout=60)
    finally:
        finish(proc)
    rows, imported = out.strip().split(" ", 1)
    assert int(rows) > 0 and imported == "[]", (out, err[-2000:])
