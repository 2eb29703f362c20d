"""Take screenshots of the School page on the demo school: each tab at 1366×768 and 1024×600.

    QT_QPA_PLATFORM=offscreen PYTHONPATH=. python tools/school_screenshots.py docs [PERIOD]
Writes docs/school-page-{coverage,patterns,impact}.png (1366×768) and
docs/school-page-{coverage,patterns,impact}-1024.png (the patterns scrolled to the first
protocol with a figure shown); PERIOD is the Period box's entry to show
(0 this term … 3 last school year; 2 unless given). The demo school is built in a temporary
folder and removed.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSize  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QAbstractItemView, QApplication  # noqa: E402

from observe_app.gui.backend import Backend  # noqa: E402
from observe_app.gui.main_window import MainWindow  # noqa: E402
from observe_app.gui.school.patterns_model import Heading  # noqa: E402
from observe_app.gui.school.patterns_view import PatternsView  # noqa: E402
from observe_app.gui.style import STYLE_SHEET  # noqa: E402
from observe_app.storage.opening import open_database  # noqa: E402

SIZES = {"": QSize(1366, 768), "-1024": QSize(1024, 570)}  # 600 less the title bar
TABS = ("coverage", "patterns", "impact")


def _to_first_shown(view: PatternsView) -> None:
    """Scroll to the heading of the first protocol with a figure shown (bars to look at)."""
    model = view.model
    heading = 0
    for row in range(model.rowCount()):
        found = model.row_at(row)
        if isinstance(found, Heading) and found.level == 0:
            heading = row
        elif not isinstance(found, Heading) and found.now.shown:
            view.table.scrollTo(model.index(heading, 0), QAbstractItemView.ScrollHint.PositionAtTop)
            return


def main(out: Path, period: int) -> None:
    from observe_app.services import demo

    app = QApplication.instance() or QApplication(sys.argv)
    app.setStyleSheet(STYLE_SHEET)
    with tempfile.TemporaryDirectory() as folder:
        database = open_database(Path(folder))
        with database.transaction() as s:
            demo.build_demo(s)
        backend = Backend(database)
        for suffix, size in SIZES.items():
            window = MainWindow()
            window.resize(size)
            window.show()
            window.attach(backend)
            window.show_page(4)
            page = window.school_page
            page.top_bar.period_combo.setCurrentIndex(period)
            for _ in range(200):
                QTest.qWait(25)
                if not page.loading and page.shown is not None:
                    break
            for number, name in enumerate(TABS):
                page.tabs.setCurrentIndex(number)
                QTest.qWait(150)
                if name == "patterns":
                    _to_first_shown(page.patterns)
                    QTest.qWait(100)
                window.grab().save(str(out / f"school-page-{name}{suffix}.png"))
            window.close()
            window.deleteLater()
            QTest.qWait(50)
        database.close()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs"),
         int(sys.argv[2]) if len(sys.argv) > 2 else 2)
