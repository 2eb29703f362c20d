"""The page shown instead of the data when the start-up check finds the database cannot be used
as it is: damaged or emptied (restore the newest good backup, or open it read-only), or locked
by another program or unreadable just now (try again). Each says what was found and that
nothing was changed; only damage offers a restore."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

DAMAGE = ("damaged", "emptied")  # the states a backup is the way back from


class DatabaseProblemWidget(QWidget):
    """What was found, that nothing was overwritten, and the ways on: restore or read-only
    (damage), or try again (a lock, a disk that did not answer)."""

    restore_clicked = Signal()
    read_only_clicked = Signal()
    retry_clicked = Signal()
    quit_clicked = Signal()

    def __init__(self, state: str, db_path: str, problem: str, message: str,
                 backup_label: str | None, can_read_only: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        damage = state in DAMAGE
        self.setObjectName("damagedPage")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(48, 40, 48, 40)
        outer.setSpacing(14)
        self.title = QLabel(self._title(state), self)
        self.title.setObjectName("damagedTitle" if damage else "problemTitle")
        outer.addWidget(self.title)
        self.explanation = QLabel(self._explanation(state, db_path, problem, message), self)
        self.explanation.setWordWrap(True)
        self.explanation.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        outer.addWidget(self.explanation)
        self.way_back = QLabel(self._way_on(state, backup_label), self)
        self.way_back.setObjectName("muted")
        self.way_back.setWordWrap(True)
        outer.addWidget(self.way_back)

        row = QHBoxLayout()
        self.restore_button: QPushButton | None = None
        self.read_only_button: QPushButton | None = None
        self.retry_button: QPushButton | None = None
        if damage:
            self.restore_button = QPushButton(
                self.tr("Restore the newest good backup ({when})").format(when=backup_label)
                if backup_label else self.tr("No good backup to restore"), self)
            self.restore_button.setObjectName("primaryButton")
            self.restore_button.setEnabled(bool(backup_label))
            self.restore_button.clicked.connect(self.restore_clicked)
            self.read_only_button = QPushButton(self.tr("Open read-only"), self)
            self.read_only_button.setEnabled(can_read_only)
            self.read_only_button.setToolTip(self.tr(
                "Look at and copy what can still be read; nothing can be saved."))
            self.read_only_button.clicked.connect(self.read_only_clicked)
            row.addWidget(self.restore_button)
            row.addWidget(self.read_only_button)
        else:
            self.retry_button = QPushButton(self.tr("Try again"), self)
            self.retry_button.setObjectName("primaryButton")
            self.retry_button.clicked.connect(self.retry_clicked)
            row.addWidget(self.retry_button)
        row.addStretch(1)
        self.quit_button = QPushButton(self.tr("Quit"), self)
        self.quit_button.clicked.connect(self.quit_clicked)
        row.addWidget(self.quit_button)
        outer.addLayout(row)
        self.status_label = QLabel(self)
        self.status_label.setObjectName("muted")
        self.status_label.setWordWrap(True)
        outer.addWidget(self.status_label)
        outer.addStretch(1)

    def _title(self, state: str) -> str:
        titles = {"damaged": self.tr("The database is damaged"),
                  "emptied": self.tr("The database is empty or gone"),
                  "locked": self.tr("The database is in use by another program"),
                  "read-only": self.tr("The data folder cannot be written"),
                  "disk-full": self.tr("The disk is full")}
        return titles.get(state, self.tr("The database cannot be read"))

    def _explanation(self, state: str, db_path: str, problem: str, message: str) -> str:
        if state in DAMAGE:
            return self.tr(
                "Observe checked its database at start-up and found a problem: {problem}.\n\n"
                "Nothing was changed or overwritten: the file {path} is exactly as it was "
                "found.").format(problem=problem.rstrip("."), path=db_path)
        if state == "locked":
            return self.tr(
                "Another program is holding {path} locked: another copy of Observe, a backup "
                "or sync tool, or a database viewer. Observe did not read or change anything; "
                "your data is as you left it.").format(path=db_path)
        return message

    def _way_on(self, state: str, backup_label: str | None) -> str:
        if state == "locked":
            return self.tr("Close that program, then press Try again.")
        if state not in DAMAGE:
            return self.tr("Once that is done, press Try again.")
        if backup_label:
            return self.tr("The newest automatic backup that passes its check is from {when}. "
                           "Restoring it replaces the database with that copy; the damaged "
                           "file is kept, as it is, in the backups folder. Notes written after "
                           "that backup are not in it: open read-only first to copy them out."
                           ).format(when=backup_label)
        return self.tr("No automatic backup passes its check. If you keep a backup "
                       "elsewhere, restore it with `observe-app restore FILE`.")

    def first_way(self) -> QPushButton:
        """The button the keyboard starts on: the first way on that can be taken."""
        for button in (self.restore_button, self.read_only_button, self.retry_button):
            if button is not None and button.isEnabled():
                return button
        return self.quit_button

    def set_busy(self, message: str) -> None:
        self.status_label.setText(message)
        for button in (self.restore_button, self.read_only_button, self.retry_button):
            if button is not None:
                button.setEnabled(False)
