"""The page shown instead of the data when the start-up check finds the database damaged."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget


class DamagedDatabaseWidget(QWidget):
    """What was found, that nothing was overwritten, and the ways back: restore or read-only."""

    restore_clicked = Signal()
    read_only_clicked = Signal()
    quit_clicked = Signal()

    def __init__(self, db_path: str, problem: str, backup_label: str | None,
                 can_read_only: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("damagedPage")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(48, 40, 48, 40)
        outer.setSpacing(14)
        title = QLabel(self.tr("The database is damaged"), self)
        title.setObjectName("damagedTitle")
        outer.addWidget(title)
        self.explanation = QLabel(self.tr(
            "Observe checked its database at start-up and found a problem: {problem}.\n\n"
            "Nothing was changed or overwritten: the file {path} is exactly as it was found.")
            .format(problem=problem.rstrip("."), path=db_path), self)
        self.explanation.setWordWrap(True)
        self.explanation.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        outer.addWidget(self.explanation)
        if backup_label:
            way = self.tr("The newest automatic backup that passes its check is from {when}. "
                          "Restoring it replaces the database with that copy; the damaged file "
                          "is kept, as it is, in the backups folder. Notes written after that "
                          "backup are not in it: open read-only first to copy them out."
                          ).format(when=backup_label)
        else:
            way = self.tr("No automatic backup passes its check. If you keep a backup "
                          "elsewhere, restore it with `observe-app restore FILE`.")
        self.way_back = QLabel(way, self)
        self.way_back.setObjectName("muted")
        self.way_back.setWordWrap(True)
        outer.addWidget(self.way_back)
        row = QHBoxLayout()
        self.restore_button = QPushButton(
            self.tr("Restore the newest good backup ({when})").format(when=backup_label)
            if backup_label else self.tr("No good backup to restore"), self)
        self.restore_button.setObjectName("primaryButton")
        self.restore_button.setEnabled(bool(backup_label))
        self.read_only_button = QPushButton(self.tr("Open read-only"), self)
        self.read_only_button.setEnabled(can_read_only)
        self.read_only_button.setToolTip(self.tr(
            "Look at and copy what can still be read; nothing can be saved."))
        self.quit_button = QPushButton(self.tr("Quit"), self)
        for button in (self.restore_button, self.read_only_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self.quit_button)
        outer.addLayout(row)
        self.status_label = QLabel(self)
        self.status_label.setObjectName("muted")
        self.status_label.setWordWrap(True)
        outer.addWidget(self.status_label)
        outer.addStretch(1)
        self.restore_button.clicked.connect(self.restore_clicked)
        self.read_only_button.clicked.connect(self.read_only_clicked)
        self.quit_button.clicked.connect(self.quit_clicked)

    def set_busy(self, message: str) -> None:
        self.status_label.setText(message)
        for button in (self.restore_button, self.read_only_button):
            button.setEnabled(False)
