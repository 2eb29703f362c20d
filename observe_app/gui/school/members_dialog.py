"""Choosing the teachers of a PLC (or any group) for the School page's scope: a tick for each,
and the name the group goes by on the page."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QVBoxLayout,
    QWidget,
)

from observe_app.gui.co_observers import CoObserverChoice
from observe_app.gui.dialogs import add_confirm_keys

if TYPE_CHECKING:
    from observe_app.services.school_choices import TeacherChoice

MINIMUM_MEMBERS = 1


class MembersDialog(QDialog):
    """Tick the teachers; OK is refused, in words, while none is ticked."""

    def __init__(self, teachers: Sequence[TeacherChoice], ticked: Collection[str], name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Chosen teachers"))
        column = QVBoxLayout(self)
        intro = QLabel(self.tr(
            "Tick the teachers whose lessons the page looks at: a PLC, a department, a year "
            "team. Patterns from fewer than three of them are withheld."), self)
        intro.setWordWrap(True)
        column.addWidget(intro)
        self.list = QListWidget(self)
        self.list.setAccessibleName(self.tr("Teachers"))
        self.choice = CoObserverChoice(self.list)
        self.choice.offer(((t.id, f"{t.name} · {t.subject}" if t.subject else t.name)
                           for t in teachers), ticked)
        column.addWidget(self.list, 1)
        form = QFormLayout()
        self.name_edit = QLineEdit(name, self)
        self.name_edit.setPlaceholderText(self.tr("e.g. Year 8 PLC"))
        self.name_edit.setAccessibleName(self.tr("The group's name"))
        self.name_edit.setMaxLength(100)
        form.addRow(self.tr("&Name:"), self.name_edit)
        column.addLayout(form)
        self.problem_label = QLabel(self)
        self.problem_label.setObjectName("problem")
        self.problem_label.setWordWrap(True)
        self.problem_label.hide()
        column.addWidget(self.problem_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        column.addWidget(self.buttons)
        add_confirm_keys(self, self.buttons, self.accept)
        self.resize(420, 460)

    def ticked_ids(self) -> frozenset[str]:
        return frozenset(self.choice.ticked_ids())

    def group_name(self) -> str:
        return " ".join(self.name_edit.text().split())

    def accept(self) -> None:
        if len(self.ticked_ids()) < MINIMUM_MEMBERS:
            self.problem_label.setText(self.tr(
                "Tick at least one teacher (Space ticks the one selected), or press Cancel to "
                "keep the scope as it was."))
            self.problem_label.show()
            self.list.setFocus()
            return
        super().accept()
