"""Keeps a page current: it refreshes itself when data it shows changes, wherever the change
was made (a dialog, another page, a live visit, a restore).

A page on screen refreshes at once; a hidden one only notes that it is out of date and
refreshes when it is next shown, so a lesson's notes cost the hidden pages nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget

from observe_app.domain.changes import Changes, Data

if TYPE_CHECKING:
    from observe_app.gui.backend import Backend


class KeptCurrent(QObject):
    """Calls `refresh` when a change touches `shows`: now if `widget` is on screen and
    `while_shown`, else the next time it is shown.

    A view where the person edits in place (a cycle, a growth view) passes while_shown=False:
    what changes while it is on screen is its own doing, already on screen, and refreshing
    would take the cursor out of the field being typed in.
    """

    def __init__(self, widget: QWidget, shows: Data, refresh: Callable[[], None], *,
                 while_shown: bool = True) -> None:
        super().__init__(widget)
        self._widget = widget
        self._shows = shows
        self._refresh = refresh
        self._while_shown = while_shown
        self._backend: Backend | None = None
        self.out_of_date = False
        widget.installEventFilter(self)

    def follow(self, backend: Backend) -> None:
        if self._backend is not None:
            self._backend.changed.disconnect(self._on_backend_changed)
        self._backend = backend
        backend.changed.connect(self._on_backend_changed)

    def _on_backend_changed(self, changes: Changes) -> None:
        if not changes.touches(self._shows):
            return
        shown = self._widget.isVisibleTo(self._widget.window())  # shown once the window is
        if self._while_shown and shown:
            self.out_of_date = False
            self._refresh()
        elif not shown:
            self.out_of_date = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # getattr: Qt may still filter the widget's last events while Python tears this down
        if (event.type() == QEvent.Type.Show and getattr(self, "out_of_date", False)
                and watched is self._widget):
            self.out_of_date = False
            self._refresh()
        return False
