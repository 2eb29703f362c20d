"""The builder's preview: the protocol as the live view will show it, keys and all."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from observe_app.gui.live.keys import assign_keys
from observe_app.gui.live.protocol_panel import ProtocolPanel

if TYPE_CHECKING:
    from observe_app.services.protocols import ProtocolVersionView
    from observe_app.services.responses import ObservationResults


class LivePreview(QWidget):
    """The live view's own protocol panel, made from the document being built; it looks as
    it will during a visit and records nothing (it takes no clicks or keys)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel(self.tr("Preview: as during a visit"), self)
        title.setObjectName("panelTitle")
        layout.addWidget(title)
        self.empty = QLabel(self.tr("Add a section and an item to see them here."), self)
        self.empty.setObjectName("muted")
        self.empty.setWordWrap(True)
        layout.addWidget(self.empty)
        self.panel: ProtocolPanel | None = None
        self._layout = layout
        self.keys: dict[str, str] = {}  # the preview's item id → the key it gets live

    def show_version(self, version: ProtocolVersionView, results: ObservationResults) -> None:
        scroll = self.panel.verticalScrollBar().value() if self.panel is not None else 0
        if self.panel is not None:  # out of the layout now, freed when the loop is next idle
            self._layout.removeWidget(self.panel)
            self.panel.hide()
            self.panel.deleteLater()
        self.keys = assign_keys(list(version.items))
        self.panel = ProtocolPanel(None, "", version, results, lambda: 0, self.keys, self)
        self.panel.setMinimumWidth(0)
        self.panel.setAccessibleName(self.tr("Preview of the protocol in a visit"))
        self.panel.body.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        for child in self.panel.body.findChildren(QWidget):
            child.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        for scan in self.panel.intervals.values():
            scan.tick(0)  # the first interval's prompt, as when a visit starts
        self._layout.addWidget(self.panel, 1)
        self.panel.verticalScrollBar().setValue(scroll)
        self.empty.setVisible(not version.items)

    def show_item(self, position: int) -> None:
        """Scroll the preview to the item at `position` (in document order)."""
        if self.panel is None:
            return
        panel = self.panel
        widgets: dict[str, Any] = {}
        for table in (panel.tag_hints, panel.checkboxes, panel.tally_labels, panel.prompts,
                      panel.intervals, panel.participation):
            widgets.update(table)
        widgets.update({i: row.button for i, row in panel.timers.items()})
        widget = widgets.get(f"preview:{position}")
        if widget is not None:
            panel.ensureWidgetVisible(widget, 0, 40)
