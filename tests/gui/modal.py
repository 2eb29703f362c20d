"""Acting on the modal dialog a key or click opens, once it has what it shows."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

WAIT_S = 5.0


def when_modal(act: Callable[[Any], None],
               wanted: Callable[[QWidget], bool] = lambda _dialog: True) -> None:
    """Run `act(dialog)` on the next modal dialog that is `wanted` and ready: its lists read
    on a worker have arrived (`ready`), as a person would wait for them. After WAIT_S without
    one, `act` gets whatever is there (None if nothing), so the test fails instead of hanging."""
    deadline = time.monotonic() + WAIT_S

    def run() -> None:
        dialog = QApplication.activeModalWidget()
        found = (dialog is not None and wanted(dialog) and getattr(dialog, "ready", True))
        if not found and time.monotonic() < deadline:
            QTimer.singleShot(5, run)
            return
        act(dialog)

    QTimer.singleShot(0, run)
