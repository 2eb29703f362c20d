"""A scroll area for tall content on a small screen: wrapped text is never cut, only scrolled."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QScrollArea, QWidget


class FittingScrollArea(QScrollArea):
    """Scrolls up and down only. Its content is exactly as wide as the view and at least as tall
    as its word-wrapped labels need at that width (a plain QScrollArea sizes the content by its
    minimum size, which cuts wrapped text short). The area is never narrower than its content's
    minimum width, so a splitter cannot squeeze anything out of sight sideways."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.viewport().installEventFilter(self)

    def setWidget(self, widget: QWidget) -> None:
        super().setWidget(widget)
        widget.installEventFilter(self)
        self.fit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.LayoutRequest, QEvent.Type.Resize):
            self.fit()
        return False

    def fit(self) -> None:
        widget = self.widget()
        layout = widget.layout() if widget is not None else None
        if widget is None or layout is None:
            return
        width = self.viewport().width()
        need = layout.totalMinimumSize().height()
        if layout.hasHeightForWidth():
            need = max(need, layout.totalHeightForWidth(width))
        if widget.minimumHeight() != need:
            widget.setMinimumHeight(need)
        least = layout.totalMinimumSize().width() + self.verticalScrollBar().sizeHint().width()
        if self.minimumWidth() != least:
            self.setMinimumWidth(least)
