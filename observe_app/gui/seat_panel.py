"""The editor's panel for one seat: its number, its label, its groups; a seat added or
removed. Seats with contributions in the visit keep their number and their place on the chart."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from observe_app.gui.group_list import GroupListWidget
from observe_app.gui.seating_chart_widget import SeatingChartWidget

LABEL_LENGTH = 40  # as observe_app.services.participation.LABEL_LENGTH
MOST_SEATS = 99  # as observe_app.services.participation.MOST_SEATS


class SeatPanel(QWidget):
    """Edits the chart's selected seat; `said` what it did, or `refused` and why."""

    said = Signal(str)
    refused = Signal(str)

    def __init__(self, chart: SeatingChartWidget, groups: Sequence[str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart = chart
        self._groups = tuple(groups)
        self.heard: frozenset[int] = frozenset()  # seats with contributions in this visit
        self.setMinimumWidth(250)
        self.setMaximumWidth(300)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        heading = QLabel(self.tr("Selected seat"), self)
        heading.setObjectName("sectionHeading")
        column.addWidget(heading)
        form = QFormLayout()
        self.number_spin = QSpinBox(self)
        self.number_spin.setRange(1, MOST_SEATS)
        self.number_spin.setAccessibleName(self.tr("Seat number"))
        self.number_spin.setKeyboardTracking(False)  # a number of two digits is one change
        self.number_spin.setToolTip(self.tr("A number another seat has: the two swap numbers"))
        self.number_spin.valueChanged.connect(self._on_number_spin_value_changed)
        form.addRow(self.tr("Seat &number:"), self.number_spin)
        self.label_edit = QLineEdit(self)
        self.label_edit.setAccessibleName(self.tr("Label"))
        self.label_edit.setMaxLength(LABEL_LENGTH)
        self.label_edit.setPlaceholderText(self.tr("Optional, e.g. initials"))
        self.label_edit.textEdited.connect(self._on_label_edit_text_edited)
        form.addRow(self.tr("Lab&el:"), self.label_edit)
        column.addLayout(form)
        # Enter there takes the number or label and goes back to the chart, for the next seat
        # (Ctrl+Enter saves the dialog).
        for field in (self.number_spin, self.label_edit):
            for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                enter = QShortcut(QKeySequence(key), field)
                enter.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                enter.activated.connect(self._on_field_entered)
        privacy = QLabel(self.tr(
            "Labels stay on this laptop: they go into no package and no PDF unless you turn "
            "them on for that export. Seat numbers are enough; no names are needed."), self)
        privacy.setObjectName("muted")
        privacy.setWordWrap(True)
        column.addWidget(privacy)
        # The groups are a list that scrolls: a school may name twenty, which as check boxes
        # would push Save below a small laptop's screen.
        self.group_box = QWidget(self)
        groups_column = QVBoxLayout(self.group_box)
        groups_column.setContentsMargins(0, 0, 0, 0)
        # No taller than the label and all the groups: below them come Add and Remove.
        groups_column.setSizeConstraint(QVBoxLayout.SizeConstraint.SetMinAndMaxSize)
        groups_label = QLabel(self.tr("&Groups this seat is in:"), self.group_box)
        self.group_list = GroupListWidget(self._groups, self.group_box)
        self.group_list.setAccessibleName(self.tr("Groups this seat is in"))
        self.group_list.setToolTip(self.tr("Space or a click ticks the group"))
        self.group_list.ticks_changed.connect(self._on_group_list_ticks_changed)
        groups_label.setBuddy(self.group_list)
        groups_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        groups_column.addWidget(groups_label)
        groups_column.addWidget(self.group_list, 1)
        self.group_box.setVisible(bool(self._groups))
        column.addWidget(self.group_box, 1)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(self.tr("&Add a seat"), self)
        self.add_button.setToolTip(self.tr("The next free number, on the first free cell from "
                                           "the front left"))
        self.add_button.clicked.connect(self.add_seat)
        self.remove_button = QPushButton(self.tr("Re&move seat"), self)
        self.remove_button.clicked.connect(self.remove_selected)
        for button in (self.add_button, self.remove_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        column.addLayout(buttons)
        column.addStretch(0)  # what the groups leave
        self.hint_label = QLabel(self.tr(
            "Keys: Tab into the chart; arrows pick the next seat, or type its number; "
            "Ctrl+arrows move the seat one cell; Delete removes it.\nMouse: click a seat; drag "
            "it to move it."), self)
        self.hint_label.setObjectName("muted")
        self.hint_label.setWordWrap(True)
        column.addWidget(self.hint_label)
        chart.selection_changed.connect(self.show_selected)
        chart.remove_asked.connect(self.remove_selected)
        self.show_selected()


    def add_seat(self) -> None:
        numbers = {s.number for s in self.chart.seats()}
        number = next((n for n in range(1, MOST_SEATS + 1) if n not in numbers), None)
        cell = self.chart.first_free_cell()
        if number is None or cell is None:
            self.refused.emit(self.tr("The chart is full: a chart has at most 99 seats."))
            return
        self.chart.put(_seat_class()(number, *cell))
        self.chart.select(number)
        self.chart.setFocus()
        self.said.emit(self.tr("Seat {n} added at the front left: move it with Ctrl+arrows or drag "
                          "it.").format(n=number))

    def remove_selected(self) -> None:
        number = self.chart.selected
        if number is None:
            self.refused.emit(self.tr("Pick the seat to remove first: click it, or Tab into the "
                                 "chart and use the arrow keys."))
            return
        if not self.keeps_heard({s.number for s in self.chart.seats() if s.number != number}):
            return
        self.chart.take(number)
        self.said.emit(self.tr("Seat {n} removed.").format(n=number))

    def keeps_heard(self, numbers: set[int]) -> bool:
        """Seats with contributions in this visit cannot go (as the service says on Save)."""
        lost = sorted(self.heard - numbers)
        if lost:
            self.refused.emit(self.tr("Seat {n} has contributions in this visit; keep it on the "
                                 "chart (move it instead).").format(n=lost[0]))
        return not lost

    def show_selected(self) -> None:
        number = self.chart.selected
        seat = self.chart.seat(number) if number is not None else None
        for widget in (self.number_spin, self.label_edit, self.remove_button, self.group_box):
            widget.setEnabled(seat is not None)
        self.number_spin.blockSignals(True)
        self.number_spin.setValue(number or 1)
        self.number_spin.blockSignals(False)
        self.label_edit.setText(self.chart.labels.get(number, "") if number else "")
        self.group_list.show_ticked(seat.groups if seat is not None else ())

    def _on_number_spin_value_changed(self, new: int) -> None:
        old = self.chart.selected
        if old is None or new == old:
            return
        held = sorted(self.heard & {old, new})
        if held:
            self.number_spin.blockSignals(True)
            self.number_spin.setValue(old)
            self.number_spin.blockSignals(False)
            self.refused.emit(self.tr("Seat {n} has contributions in this visit, so its number "
                                 "stays: they were logged under it.").format(n=held[0]))
            return
        swapped = self.chart.renumber(old, new)
        self.said.emit(self.tr("Seats {a} and {b} swapped numbers.").format(a=old, b=new)
                  if swapped else self.tr("Seat {a} is now seat {b}.").format(a=old, b=new))

    def _on_field_entered(self) -> None:
        self.number_spin.interpretText()
        self.chart.setFocus()

    def _on_label_edit_text_edited(self, text: str) -> None:
        number = self.chart.selected
        if number is None:
            return
        if text.strip():
            self.chart.labels[number] = text
        else:
            self.chart.labels.pop(number, None)
        self.chart.update()

    def _on_group_list_ticks_changed(self) -> None:
        seat = self.chart.seat(self.chart.selected) if self.chart.selected else None
        if seat is None:
            return
        ticked = self.group_list.ticked()
        others = [g for g in seat.groups if g not in self._groups]  # another protocol's
        self.chart.put(replace(seat, groups=tuple(ticked + others)))


def _seat_class() -> type:
    from observe_app.services.participation import Seat

    return Seat
