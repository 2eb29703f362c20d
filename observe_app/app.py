"""Composition root: settings, database and main window are wired together here and only here.

The window is shown before SQLAlchemy and the services are imported, so it paints at once.
"""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


def _log_to(data_dir: Path) -> Path:
    import logging.handlers

    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "observe.log"
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3,
                                                   encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.getLogger().addHandler(handler)
    logging.getLogger().setLevel(logging.INFO)
    return path


def _install_crash_dialog(window: Any, log_path: Path) -> None:
    from PySide6.QtWidgets import QMessageBox

    def hook(kind: type[BaseException], value: BaseException, tb: Any) -> None:
        log.error("unexpected error", exc_info=(kind, value, tb))
        box = QMessageBox(QMessageBox.Icon.Critical, window.tr("Something went wrong"),
                          window.tr("Observe met an error it did not expect. Your notes up to "
                                    "now are saved. The details are in {log}.")
                          .format(log=log_path), parent=window)
        box.setDetailedText("".join(traceback.format_exception(kind, value, tb)))
        box.exec()

    sys.excepthook = hook


def run(data_dir: str | None) -> int:
    """Open the window on the data folder; returns the exit status."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from observe_app.errors import ObserveError
    from observe_app.gui.main_window import MainWindow
    from observe_app.gui.style import STYLE_SHEET

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Observe")
    app.setStyleSheet(STYLE_SHEET)
    window = MainWindow()
    window.resize(1280, 720)
    window.show()
    opened: list[Any] = []
    started: list[bool] = []

    def load() -> None:
        if started:
            return
        started.append(True)
        from observe_app.gui.backend import Backend
        from observe_app.storage.opening import open_database
        from observe_app.storage.paths import resolve_data_dir

        try:
            folder = resolve_data_dir(data_dir)
            _install_crash_dialog(window, _log_to(folder))
            database = open_database(folder)
            opened.append(database)
            backend = Backend(database)
            backend.protocols.install_builtins()
            window.attach(backend)
        except (ObserveError, OSError) as exc:
            QMessageBox.critical(window, window.tr("Observe cannot open its data"), str(exc))
            app.exit(2)

    # Data is read once the empty window is on screen (or after a moment if no paint comes).
    window.first_painted.connect(lambda: QTimer.singleShot(0, load))
    QTimer.singleShot(1000, load)
    try:
        return app.exec()
    finally:
        for database in opened:
            database.close()
