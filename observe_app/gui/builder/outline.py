"""The builder's outline: the protocol, its sections and their items, in order.

Sections and items are moved by keys (Alt+Up, Alt+Down) or by dragging; a drop that would
put an item outside a section, or a section inside another, is undone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QDropEvent
from PySide6.QtWidgets import QAbstractItemView, QTreeWidget, QTreeWidgetItem, QWidget

ABOUT, SECTION, ITEM = "about", "section", "item"
_KIND_ROLE = Qt.ItemDataRole.UserRole
_PROBLEM = QBrush(QColor("#8a1c1c"))

Snapshot = list[tuple[dict[str, Any], list[dict[str, Any]]]]


def child(owner: QTreeWidgetItem, index: int) -> QTreeWidgetItem:
    node = owner.child(index)
    assert node is not None, index  # indexes here are always within childCount()
    return node


def parent_of(node: QTreeWidgetItem) -> QTreeWidgetItem:
    """The section an item is in."""
    section = node.parent()
    assert section is not None  # items are always in a section
    return section


class Outline(QTreeWidget):
    """The tree; each node points at its dict in the document being built (`data_of`)."""

    moved = Signal()  # the order of sections or items changed

    def __init__(self, describe: Callable[[str, dict[str, Any]], str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._describe = describe  # (node kind, data) → the text shown for a node
        self._data: dict[int, dict[str, Any]] = {}
        self._next = 0
        self.setHeaderHidden(True)
        self.setAccessibleName(self.tr("Outline of the protocol"))
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.about_node = QTreeWidgetItem(self)

    def load(self, about: dict[str, Any], sections: Snapshot) -> None:
        self.clear()
        self._data.clear()
        self.about_node = self._node(None, ABOUT, about)
        for section, items in sections:
            parent = self._node(None, SECTION, section)
            for item in items:
                self._node(parent, ITEM, item)
        self.expandAll()

    def _node(self, parent: QTreeWidgetItem | None, kind: str, data: dict[str, Any],
              index: int | None = None) -> QTreeWidgetItem:
        node = QTreeWidgetItem()
        self._next += 1
        self._data[self._next] = data
        node.setData(0, _KIND_ROLE, (kind, self._next))
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if kind == SECTION:
            flags |= Qt.ItemFlag.ItemIsDragEnabled | Qt.ItemFlag.ItemIsDropEnabled
        elif kind == ITEM:
            flags |= Qt.ItemFlag.ItemIsDragEnabled
        node.setFlags(flags)
        owner = parent if parent is not None else self.invisibleRootItem()
        owner.insertChild(owner.childCount() if index is None else index, node)
        self.refresh(node)
        return node

    def add(self, parent: QTreeWidgetItem | None, kind: str, data: dict[str, Any],
            index: int | None = None) -> QTreeWidgetItem:
        node = self._node(parent, kind, data, index)
        if parent is not None:
            parent.setExpanded(True)
        self.setCurrentItem(node)
        return node

    @staticmethod
    def kind_of(node: QTreeWidgetItem | None) -> str:
        return node.data(0, _KIND_ROLE)[0] if node is not None else ""

    def data_of(self, node: QTreeWidgetItem) -> dict[str, Any]:
        return self._data[node.data(0, _KIND_ROLE)[1]]

    def refresh(self, node: QTreeWidgetItem) -> None:
        node.setText(0, self._describe(self.kind_of(node), self.data_of(node)))

    def sections(self) -> list[QTreeWidgetItem]:
        root = self.invisibleRootItem()
        return [child(root, i) for i in range(root.childCount())
                if self.kind_of(child(root, i)) == SECTION]

    def snapshot(self) -> Snapshot:
        """The sections in order, each with its items in order."""
        return [(self.data_of(s), [self.data_of(child(s, i)) for i in range(s.childCount())])
                for s in self.sections()]

    def node_at(self, section: int, item: int | None = None) -> QTreeWidgetItem | None:
        sections = self.sections()
        if not 0 <= section < len(sections):
            return None
        if item is None:
            return sections[section]
        node = sections[section]
        return child(node, item) if 0 <= item < node.childCount() else None

    def mark(self, node: QTreeWidgetItem, sentences: list[str]) -> None:
        node.setForeground(0, _PROBLEM if sentences else QBrush())
        node.setToolTip(0, "\n".join(sentences))

    def all_nodes(self) -> list[QTreeWidgetItem]:
        nodes = [self.about_node]
        for section in self.sections():
            nodes.append(section)
            nodes.extend(child(section, i) for i in range(section.childCount()))
        return nodes

    # Moving ----------------------------------------------------------------------------

    def move_current(self, step: int) -> None:
        """One place up (-1) or down (1); an item at the end of its section goes on to the
        next section, a section never above the protocol's own entry."""
        node = self.currentItem()
        if node is None:
            return
        kind = self.kind_of(node)
        if kind == SECTION:
            root = self.invisibleRootItem()
            index = root.indexOfChild(node)
            if 1 <= index + step < root.childCount():
                expanded = node.isExpanded()
                root.takeChild(index)
                root.insertChild(index + step, node)
                node.setExpanded(expanded)
                self._moved(node)
        elif kind == ITEM:
            section = parent_of(node)
            index = section.indexOfChild(node)
            sections = self.sections()
            target, position = section, index + step
            if not 0 <= position < section.childCount():
                where = sections.index(section) + step
                if not 0 <= where < len(sections):
                    return
                target = sections[where]
                position = target.childCount() if step < 0 else 0
            section.takeChild(index)
            target.insertChild(position, node)
            target.setExpanded(True)
            self._moved(node)

    def _moved(self, node: QTreeWidgetItem) -> None:
        self.setCurrentItem(node)
        self.moved.emit()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt's name)
        before = self.snapshot()
        about = self.data_of(self.about_node)
        dragged = self.currentItem()
        super().dropEvent(event)
        if not self._well_formed():
            kept = self.data_of(dragged) if dragged is not None else about
            self.load(about, before)  # refused: as it was, the dragged one still selected
            self.setCurrentItem(next((n for n in self.all_nodes() if self.data_of(n) is kept),
                                     self.about_node))
            event.ignore()
            return
        if dragged is not None:
            self._moved(dragged)

    def _well_formed(self) -> bool:
        root = self.invisibleRootItem()
        if root.childCount() == 0 or child(root, 0) is not self.about_node \
                or self.about_node.childCount():
            return False
        for i in range(1, root.childCount()):
            section = child(root, i)
            if self.kind_of(section) != SECTION:
                return False
            for j in range(section.childCount()):
                item = child(section, j)
                if self.kind_of(item) != ITEM or item.childCount():
                    return False
        return True
