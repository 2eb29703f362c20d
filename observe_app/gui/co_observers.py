"""Choosing a lesson's co-observers in a list of colleagues: each a tick, set by Space or a
click; the observed teacher and the observer are left out of the list."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem

ID_ROLE = Qt.ItemDataRole.UserRole


class CoObserverChoice(QObject):
    """Drives a QListWidget of checkable people; `toggled(person id, ticked)` follows each
    tick the person makes (not the ones set by code)."""

    toggled = Signal(str, bool)

    def __init__(self, widget: QListWidget) -> None:
        super().__init__(widget)
        self.widget = widget
        self._filling = False
        widget.itemChanged.connect(self._on_widget_item_changed)

    def offer(self, people: Iterable[tuple[str, str]], ticked: Collection[str] = ()) -> None:
        """The colleagues to choose from, (id, name) in the order shown."""
        self._filling = True
        self.widget.clear()
        for person_id, name in people:
            entry = QListWidgetItem(name, self.widget)
            entry.setData(ID_ROLE, person_id)
            entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            entry.setCheckState(Qt.CheckState.Checked if person_id in ticked
                                else Qt.CheckState.Unchecked)
        self._filling = False
        if self.widget.count() and self.widget.currentRow() < 0:
            self.widget.setCurrentRow(0)

    def leave_out(self, person_ids: Collection[str | None]) -> None:
        """Hide these people (the teacher and the observer): they cannot co-observe."""
        for row in range(self.widget.count()):
            entry = self.widget.item(row)
            entry.setHidden(entry.data(ID_ROLE) in person_ids)
        current = self.widget.currentItem()
        if current is None or current.isHidden():  # Space must never tick someone unseen
            shown = [r for r in range(self.widget.count()) if not self.widget.item(r).isHidden()]
            self.widget.setCurrentRow(shown[0] if shown else -1)

    def set_ticked(self, person_ids: Collection[str]) -> None:
        self._filling = True
        for row in range(self.widget.count()):
            entry = self.widget.item(row)
            entry.setCheckState(Qt.CheckState.Checked if entry.data(ID_ROLE) in person_ids
                                else Qt.CheckState.Unchecked)
        self._filling = False

    def ticked_ids(self) -> list[str]:
        """Who is ticked among the people shown."""
        return [entry.data(ID_ROLE) for entry in map(self.widget.item, range(self.widget.count()))
                if not entry.isHidden() and entry.checkState() == Qt.CheckState.Checked]

    def _on_widget_item_changed(self, entry: QListWidgetItem) -> None:
        if not self._filling:
            self.toggled.emit(entry.data(ID_ROLE), entry.checkState() == Qt.CheckState.Checked)
