"""The seating chart editor: a class's seats laid out in rows or tables, from a CSV file, or one
by one, then kept for the class and room (and, for a visit, given to that lesson)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from observe_app.errors import BadInputError, ObserveError
from observe_app.gui.dialogs import FormDialog
from observe_app.gui.seat_panel import SeatPanel
from observe_app.gui.seating_chart_widget import SeatingChartWidget

if TYPE_CHECKING:
    from observe_app.gui.backend import Backend
    from observe_app.services.participation import Seat
    from observe_app.services.protocols import ItemView

SEATS_PER_ROW = 6  # a first layout for a class of N students: rows of six
ROWS, TABLES = 0, 1  # the layout box's choices


@dataclass(frozen=True)
class ClassOf:
    """Whose class, which room: the chart's key."""

    teacher_id: str
    class_name: str
    room: str


@dataclass(frozen=True)
class _Start:
    """What the editor opens with, read on a worker."""

    where: ClassOf
    seats: tuple[Seat, ...]
    labels: Mapping[int, str]
    heard: frozenset[int]  # seats with contributions in this visit: they stay
    students: int | None
    from_visit: bool  # the visit's own seats (laid out before), not the class's chart


def _seating() -> Any:
    from observe_app.services import participation

    return participation


def _read_visit(backend: Backend, observation_id: str, item_id: str) -> _Start:
    visit = backend.observations.get_observation(observation_id)
    teacher_id = backend.cycles.get_summary(visit.cycle_id).teacher_id
    where = ClassOf(teacher_id, _seating().class_name_of(visit.subject, visit.grade), visit.room)
    calls = backend.participation
    chart = calls.find_chart(where.teacher_id, where.class_name, where.room)
    seats = calls.visit_seats(observation_id, item_id)
    heard = frozenset(c.seat for c in calls.contributions(observation_id, item_id))
    if seats:
        return _Start(where, seats, calls.visit_labels(observation_id, item_id), heard,
                      visit.students, True)
    return _Start(where, chart.seats if chart else (), chart.labels if chart else {}, heard,
                  visit.students, False)


def _read_class(backend: Backend, where: ClassOf) -> _Start:
    chart = backend.participation.find_chart(where.teacher_id, where.class_name, where.room)
    return _Start(where, chart.seats if chart else (), chart.labels if chart else {},
                  frozenset(), None, False)


class SeatingEditorDialog(FormDialog["tuple[Seat, ...]"]):
    """The seats of one participation item for one visit (`SeatingEditorDialog(backend,
    observation_id, item)`), or of a class outside a visit (`for_class`). `result_view`: the
    seats saved."""

    def __init__(self, backend: Backend, observation_id: str | None, item: ItemView | None,
                 parent: QWidget | None = None, *, class_of: ClassOf | None = None,
                 groups: Sequence[str] = ()) -> None:
        super().__init__(parent)
        self._backend = backend
        self._observation_id = observation_id
        self._item = item
        self._groups = tuple(item.groups) if item is not None else tuple(groups)
        self._where = class_of
        self.choose_csv = self._ask_csv_path  # a test answers in place of the file dialog
        self.setWindowTitle(self.tr("Seating chart"))
        self._build()
        if observation_id is not None and item is not None:
            item_id = item.id
            self._load_lists(lambda: _read_visit(backend, observation_id, item_id), self._start)
        elif class_of is not None:
            self._load_lists(lambda: _read_class(backend, class_of), self._start)
        self.fit_to(self.screen().availableGeometry().size())

    @classmethod
    def for_class(cls, backend: Backend, teacher_id: str, class_name: str, room: str,
                  groups: Sequence[str] = (),
                  parent: QWidget | None = None) -> SeatingEditorDialog:
        """A class's chart outside a visit (its groups, if a protocol's are to be ticked)."""
        return cls(backend, None, None, parent, class_of=ClassOf(teacher_id, class_name, room),
                   groups=groups)

    # -- building ---------------------------------------------------------------------------------

    def _build(self) -> None:
        column = QVBoxLayout(self)
        self.context_label = QLabel(self.tr("Reading the class's chart…"), self)
        self.context_label.setObjectName("panelTitle")
        self.context_label.setWordWrap(True)
        column.addWidget(self.context_label)
        column.addLayout(self._build_layout_row())
        middle = QHBoxLayout()
        chart_column = QVBoxLayout()
        chart_label = QLabel(self.tr("C&hart:"), self)
        self.chart = SeatingChartWidget(self)
        self.chart.group_names = self._groups
        chart_label.setBuddy(self.chart)
        chart_column.addWidget(chart_label)
        chart_column.addWidget(self.chart, 1)
        middle.addLayout(chart_column, 1)
        self.panel = SeatPanel(self.chart, self._groups, self)
        self.panel.said.connect(self._say)
        self.panel.refused.connect(self._refuse)
        middle.addWidget(self.panel)
        column.addLayout(middle, 1)
        self.error_label = QLabel(self)
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        column.addWidget(self.error_label)
        bottom = QHBoxLayout()
        self.status_label = QLabel(self)
        self.status_label.setWordWrap(True)
        self.status_label.setAccessibleName(self.tr("What the chart did"))
        bottom.addWidget(self.status_label, 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("&Save"))
        bottom.addWidget(self.buttons)
        column.addLayout(bottom)
        self._setup_buttons(self.buttons, self.error_label)
        self.chart.said.connect(self._say)

    def _build_layout_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.layout_combo = QComboBox(self)
        self.layout_combo.addItem(self.tr("Rows of seats"), ROWS)
        self.layout_combo.addItem(self.tr("Tables"), TABLES)
        self.layout_combo.setAccessibleName(self.tr("Layout"))
        self.first_label, self.second_label = QLabel(self), QLabel(self)
        self.first_spin, self.second_spin = QSpinBox(self), QSpinBox(self)
        self.first_label.setBuddy(self.first_spin)
        self.second_label.setBuddy(self.second_spin)
        layout_label = QLabel(self.tr("&Layout:"), self)
        layout_label.setBuddy(self.layout_combo)
        self.lay_out_button = QPushButton(self.tr("Lay &out"), self)
        self.lay_out_button.setAutoDefault(False)
        self.lay_out_button.setToolTip(self.tr("Replace the seats on the chart by this layout "
                                               "(labels stay with their seat numbers)"))
        self.lay_out_button.clicked.connect(self.lay_out)
        self.import_button = QPushButton(self.tr("&Import seats from CSV…"), self)
        self.import_button.setAutoDefault(False)
        self.import_button.setToolTip(self.tr(
            "A CSV file with a 'seat' column, and optional 'label', 'row' and 'column'"))
        self.import_button.clicked.connect(self.import_csv)
        for widget in (layout_label, self.layout_combo, self.first_label, self.first_spin,
                       self.second_label, self.second_spin, self.lay_out_button):
            row.addWidget(widget)
        row.addStretch(1)
        row.addWidget(self.import_button)
        self.layout_combo.currentIndexChanged.connect(self._on_layout_combo_changed)
        self._on_layout_combo_changed(ROWS)
        return row

    def fit_to(self, screen: QSize) -> None:
        """Open as large as a class needs, within the screen (less its title bar)."""
        self.resize(min(1000, screen.width() - 24), min(680, screen.height() - 40))

    # -- what it opens with -----------------------------------------------------------------------

    def _start(self, start: _Start) -> None:
        self._where = start.where
        self.panel.heard = start.heard
        where = start.where
        self.context_label.setText(self.tr("{klass} · room {room}").format(
            klass=where.class_name, room=where.room) if where.room else where.class_name)
        if start.seats:
            self.chart.set_seats(start.seats, dict(start.labels))
            self._say(self.tr("This lesson's seats, as laid out before.") if start.from_visit
                      else self.tr("The class's saved chart: change what moved since."))
            return
        rows = math.ceil(start.students / SEATS_PER_ROW) if start.students else 5
        self.first_spin.setValue(min(max(rows, 1), 8))
        self.second_spin.setValue(SEATS_PER_ROW)
        self.lay_out()
        self._say(self.tr(
            "No chart for this class yet: rows of seats to start from. Choose another layout "
            "above, import seats from a CSV file, or move the seats to where they are in the "
            "room."))

    # -- layouts ----------------------------------------------------------------------------------

    def _on_layout_combo_changed(self, index: int) -> None:
        if index == TABLES:
            self.first_label.setText(self.tr("Ta&bles:"))
            self.second_label.setText(self.tr("Seats &per table:"))
            self.first_spin.setAccessibleName(self.tr("Tables"))
            self.second_spin.setAccessibleName(self.tr("Seats per table"))
            self.first_spin.setRange(1, 33)
            self.second_spin.setRange(2, 6)
            self.first_spin.setValue(7)
            self.second_spin.setValue(4)
        else:
            self.first_label.setText(self.tr("&Rows:"))
            self.second_label.setText(self.tr("&Columns:"))
            self.first_spin.setAccessibleName(self.tr("Rows"))
            self.second_spin.setAccessibleName(self.tr("Seats per row"))
            self.first_spin.setRange(1, 16)
            self.second_spin.setRange(1, 24)
            self.first_spin.setValue(5)
            self.second_spin.setValue(6)

    def lay_out(self) -> None:
        """Replace the seats by rows or tables; labels and groups stay with seat numbers."""
        first, second = self.first_spin.value(), self.second_spin.value()
        try:
            if self.layout_combo.currentData() == TABLES:
                seats = _seating().table_seats(first, second)
            else:
                seats = _seating().grid_seats(first, second)
        except BadInputError as exc:
            self._refuse(exc.sentence())
            return
        if self._replace_seats(seats, {}):
            self._say(self.tr("Laid out: {seats}. Cancel leaves the saved chart as it was.")
                      .format(seats=self._seats_counted(len(seats))))

    def _seats_counted(self, n: int) -> str:
        return self.tr("1 seat") if n == 1 else self.tr("%n seats").replace("%n", str(n))

    def import_csv(self) -> None:
        path = self.choose_csv()
        if not path:
            return
        try:
            seats, labels = self._backend.participation.read_seat_csv(Path(path))
        except ObserveError as exc:
            self._refuse(exc.sentence())
            return
        if self._replace_seats(seats, labels):
            self._say(self.tr("{seats} read from {file}.").format(
                seats=self._seats_counted(len(seats)), file=Path(path).name))

    def _ask_csv_path(self) -> str:
        path, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Import seats from CSV"), "", self.tr("CSV files (*.csv);;All (*)"))
        return path

    def _replace_seats(self, seats: Iterable[Seat], labels: Mapping[int, str]) -> bool:
        seats = tuple(seats)
        if not self.panel.keeps_heard({s.number for s in seats}):
            return False
        kept = {s.number: s.groups for s in self.chart.seats()}
        merged = {**self.chart.labels, **labels}
        self.chart.set_seats([replace(s, groups=s.groups or kept.get(s.number, ()))
                              for s in seats], merged)
        self.panel.show_selected()
        return True

    # -- what it says -----------------------------------------------------------------------------

    def _say(self, text: str) -> None:
        self.error_label.hide()
        self.status_label.setText(text)

    def _refuse(self, text: str) -> None:
        self._show_problem(BadInputError(text))

    def _show_problem(self, exc: ObserveError) -> None:
        self.status_label.clear()
        super()._show_problem(exc)

    # -- saving -----------------------------------------------------------------------------------

    def save(self) -> tuple[Seat, ...]:
        where = self._where
        if where is None:
            raise BadInputError(self.tr("the class's chart was not read; press Save again"))
        seats = self.chart.seats()
        labels = {n: t for n, t in self.chart.labels.items() if t.strip()}
        calls = self._backend.participation
        if self._observation_id is None or self._item is None:
            return calls.save_chart(where.teacher_id, where.class_name, where.room, seats,
                                    labels).seats
        # The lesson keeps only the protocol's groups; the class's chart keeps every group.
        ours = [replace(s, groups=tuple(g for g in s.groups if g in self._groups))
                for s in seats]
        return calls.lay_out_visit(self._observation_id, self._item.id, where.teacher_id,
                                   where.class_name, where.room, seats, labels, ours)
