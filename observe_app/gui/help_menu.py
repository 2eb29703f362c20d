"""The window's Help menu and the shortcut sheet (F1 or Ctrl+/): every key, by where it works."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMainWindow,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from observe_app.gui import shortcuts


class ShortcutSheetDialog(QDialog):
    """Every shortcut of shortcuts.TABLE, grouped by where it works; Escape closes it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.resize(720, 560)
        column = QVBoxLayout(self)
        intro = QLabel(self.tr("Everything in Observe works from the keyboard. A key does the "
                               "same thing wherever it works."), self)
        intro.setObjectName("muted")
        intro.setWordWrap(True)
        column.addWidget(intro)
        self.tree = QTreeWidget(self)
        self.tree.setAccessibleName(self.tr("Keyboard shortcuts"))
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels([self.tr("Key"), self.tr("What it does")])
        self.tree.setRootIsDecorated(False)
        self.tree.setColumnWidth(0, 230)
        self.tree.setTabKeyNavigation(False)
        for where in shortcuts.Where:
            entries = [e for e in shortcuts.TABLE if e.where is where]
            if not entries:
                continue
            group = QTreeWidgetItem(self.tree, [shortcuts.translated(where.title)])
            group.setFirstColumnSpanned(True)
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            for entry in entries:
                QTreeWidgetItem(group, [entry.label(), shortcuts.translated(entry.text)])
        self.tree.expandAll()
        column.addWidget(self.tree, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        column.addWidget(buttons)
        self.tree.setFocus()

    def texts(self, where: shortcuts.Where) -> list[str]:
        """The rows shown under `where`, as 'key: what it does' (for tests and reading)."""
        title = shortcuts.translated(where.title)
        for n in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(n)
            if group is not None and group.text(0) == title:
                rows = [group.child(i) for i in range(group.childCount())]
                return [f"{row.text(0)}: {row.text(1)}" for row in rows if row is not None]
        return []


class HelpMenu(QObject):
    """Help → Keyboard shortcuts (F1, Ctrl+/)."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.sheet: ShortcutSheetDialog | None = None
        menu = window.menuBar().addMenu(self.tr("&Help"))
        self.shortcuts_action = menu.addAction(self.tr("Keyboard shortcuts"))
        self.shortcuts_action.setShortcuts([QKeySequence(k) for k in shortcuts.HELP.keys])
        self.shortcuts_action.triggered.connect(self.show_sheet)

    def show_sheet(self) -> ShortcutSheetDialog:
        if self.sheet is None:
            self.sheet = ShortcutSheetDialog(self.window)
        self.sheet.open()
        self.sheet.raise_()
        self.sheet.activateWindow()
        self.sheet.tree.setFocus()
        return self.sheet
