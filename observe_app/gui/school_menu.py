"""The window's School menu: plan a round of peer observations, export the calendar."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMainWindow

if TYPE_CHECKING:
    from observe_app.gui.backend import Backend


class SchoolMenu(QObject):
    """Its actions work once the window has its data (and can write to it)."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        # Alt+S goes to the School page: a menu of the same key would make both do nothing.
        self.menu = menu = window.menuBar().addMenu(self.tr("Schoo&l"))
        self.round_action = menu.addAction(self.tr("Plan a round of peer observations…"))
        self.calendar_action = menu.addAction(self.tr("Export calendar…"))
        self.round_action.triggered.connect(self._on_round_action_triggered)
        self.calendar_action.triggered.connect(self._on_calendar_action_triggered)
        menu.aboutToShow.connect(self._on_menu_about_to_show)
        self._on_menu_about_to_show()

    def _backend(self) -> Backend | None:
        backend: Backend | None = getattr(self.window, "backend", None)
        return None if backend is None or backend.read_only else backend

    def _on_menu_about_to_show(self) -> None:
        usable = self._backend() is not None
        self.round_action.setEnabled(usable)
        self.calendar_action.setEnabled(usable)

    def _on_round_action_triggered(self) -> None:
        backend = self._backend()
        if backend is not None:
            from observe_app.gui.round_dialog import plan_round  # not needed for first paint

            plan_round(self.window, backend)

    def _on_calendar_action_triggered(self) -> None:
        backend = self._backend()
        if backend is not None:
            from observe_app.gui.calendar_actions import export_calendar

            export_calendar(self.window, backend)
