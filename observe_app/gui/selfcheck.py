"""The window part of `observe-app --healthcheck`: build the main window on a data folder, let
it paint offscreen or on screen, and report what was drawn."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer
from PySide6.QtWidgets import QApplication


def window_check(data_dir: Path) -> str:
    from observe_app.gui.backend import Backend
    from observe_app.gui.main_window import MainWindow
    from observe_app.storage.opening import open_database

    _app = QApplication.instance() or QApplication(sys.argv[:1])
    database = open_database(data_dir, check=False)
    try:
        window = MainWindow()
        window.resize(1280, 720)
        window.show()
        loop = QEventLoop()
        window.first_painted.connect(loop.quit)
        QTimer.singleShot(5000, loop.quit)
        loop.exec()
        window.attach(Backend(database))
        window.show_page(1)  # the Cycles page, with the cycle made by the healthcheck
        QCoreApplication.processEvents()
        rows = window.cycles_page.model.rowCount()
        image = window.grab()
        window.close()
        if image.isNull() or rows < 1:
            raise RuntimeError("the main window did not paint its cycles")
        return (f"main window built and painted ({image.width()}×{image.height()}, "
                f"{rows} {'cycle' if rows == 1 else 'cycles'} listed) "
                f"on Qt platform {QApplication.platformName()!r}, "
                f"PySide6 {pyside_version}")
    finally:
        database.close()
