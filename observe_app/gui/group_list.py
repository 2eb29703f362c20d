"""The school's groups as a list to tick, for the seat the seating editor has selected: long
names wrap, and twenty groups scroll inside the list instead of pushing Save off the screen."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QMouseEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QListWidget,
    QListWidgetItem,
    QSizePolicy,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

ROWS_AT_LEAST = 3  # shown however short the screen: the list scrolls to the others


class _TickAnywhere(QStyledItemDelegate):
    """A click anywhere on a group's line ticks or unticks it, as on a check box's text."""

    def editorEvent(self, event: QEvent, model: QAbstractItemModel,  # noqa: N802 (Qt's name)
                    option: QStyleOptionViewItem,
                    index: QModelIndex | QPersistentModelIndex) -> bool:
        if (isinstance(event, QMouseEvent) and event.type() == QEvent.Type.MouseButtonRelease
                and event.button() == Qt.MouseButton.LeftButton
                and option.rect.contains(event.position().toPoint())
                and index.flags() & Qt.ItemFlag.ItemIsEnabled):
            ticked = index.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
            return model.setData(index, Qt.CheckState.Unchecked if ticked
                                 else Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
        return super().editorEvent(event, model, option, index)


class GroupListWidget(QListWidget):
    """One line per group, ticked when the seat is in it (Space or a click ticks one);
    `ticks_changed` when the person ticked or unticked one."""

    ticks_changed = Signal()

    def __init__(self, groups: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._groups = tuple(groups)
        self.setWordWrap(True)
        self.setSpacing(1)  # two-line names apart
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setResizeMode(QListView.ResizeMode.Adjust)  # names wrap again when it resizes
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setItemDelegate(_TickAnywhere(self))
        # As tall as its groups (the panel's stretch takes the rest), or shorter, scrolling.
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        for name in self._groups:
            item = QListWidgetItem(name, self)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                          | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            item.setToolTip(name)
        self.itemChanged.connect(self._on_item_changed)

    def ticked(self) -> list[str]:
        """The groups ticked, in the protocol's order."""
        return [name for row, name in enumerate(self._groups)
                if self.item(row).checkState() == Qt.CheckState.Checked]

    def show_ticked(self, groups: Collection[str]) -> None:
        """Tick exactly `groups` (the selected seat's), without saying it changed."""
        self.blockSignals(True)
        for row, name in enumerate(self._groups):
            self.item(row).setCheckState(Qt.CheckState.Checked if name in groups
                                         else Qt.CheckState.Unchecked)
        self.blockSignals(False)

    def _on_item_changed(self, _item: QListWidgetItem) -> None:
        self.ticks_changed.emit()

    # -- as tall as its groups, down to a few lines when the screen is short ----------------------

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        # Small, and the same at any width: a window works out its least height from what its
        # parts prefer when it is shown, so a tall hint here would push Save off a small
        # screen. The panel's stretch gives the list the room there is.
        rows = min(self.count(), ROWS_AT_LEAST)
        line = self.sizeHintForRow(0) if rows else 0  # one line of text, however it wraps
        return QSize(super().sizeHint().width(),
                     rows * (line + 2 * self.spacing()) + 2 * self.frameWidth())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(super().minimumSizeHint().width(), self.sizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            # The names wrap onto more or fewer lines: no taller than all of them, then.
            self.setMaximumHeight(self._height_of(self.count()))
            self.updateGeometry()

    def _height_of(self, rows: int) -> int:
        """The height of the first `rows` groups as wrapped at the list's width now."""
        self.executeDelayedItemsLayout()
        bottom = (self.rectForIndex(self.indexFromItem(self.item(rows - 1))).bottom() + 1
                  + self.spacing() if rows else 0)
        return bottom + 2 * self.frameWidth()
