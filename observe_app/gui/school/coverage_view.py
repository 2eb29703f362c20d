"""The School page's Coverage tab: the coordinator's view of the programme, with names: who was
observed and who observed, who observed whom, cycles per stage and overdue post-conferences."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QKeyCombination, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from observe_app.gui.school.coverage_models import (
    CoverageTableModel,
    OverdueTableModel,
    PairingTableModel,
)
from observe_app.gui.table_models import ROW_ROLE

if TYPE_CHECKING:
    from observe_app.services.school import Coverage
    from observe_app.services.school_period import Scope

OVERDUE_DAYS = 14  # services.school.OVERDUE_AFTER_DAYS, said in the heading
NAMED = 6  # teachers never observed named in the summary line; the table has them all


def _fit_columns(table: QTableView, widest: int) -> None:
    """Columns as wide as their contents, none wider than `widest` (the last stretches)."""
    table.resizeColumnsToContents()
    columns = table.model().columnCount()
    for column in range(columns - 1 if table.horizontalHeader().stretchLastSection()
                        else columns):
        table.setColumnWidth(column, min(table.columnWidth(column), widest))


def _table(parent: QWidget, name: str) -> QTableView:
    table = QTableView(parent)
    table.setAccessibleName(name)
    table.setTabKeyNavigation(False)  # Tab leaves the table for the next control
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.setWordWrap(False)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _titled(parent: QWidget, title: str, *body: QWidget) -> tuple[QWidget, QLabel]:
    box = QWidget(parent)
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(4)
    label = QLabel(title, box)
    label.setObjectName("sectionHeading")
    label.setWordWrap(True)
    column.addWidget(label)
    for widget in body:
        column.addWidget(widget, 1)
    return box, label


class CoverageView(QWidget):
    """`cycle_opened(id)`: Enter or a double-click on an overdue cycle; `round_asked` and
    `calendar_asked`: the buttons that plan a round and export the calendar."""

    cycle_opened = Signal(str)
    round_asked = Signal()
    calendar_asked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 8, 0, 0)
        top = QHBoxLayout()
        column.addLayout(top)
        words = QVBoxLayout()
        top.addLayout(words, 1)
        self.summary_label = QLabel(self)
        self.summary_label.setWordWrap(True)
        words.addWidget(self.summary_label)
        self.stages_label = QLabel(self)
        self.stages_label.setObjectName("muted")
        self.stages_label.setWordWrap(True)
        words.addWidget(self.stages_label)
        self.round_button = QPushButton(self.tr("Plan a round…"), self)
        self.round_button.setToolTip(self.tr(
            "Pair teachers so everyone observes and is observed, then create the cycles"))
        self.round_button.clicked.connect(self.round_asked)
        self.calendar_button = QPushButton(self.tr("Export calendar…"), self)
        self.calendar_button.setToolTip(self.tr(
            "Visits and conferences as an .ics file; exporting again updates the events"))
        self.calendar_button.clicked.connect(self.calendar_asked)
        for button in (self.round_button, self.calendar_button):
            top.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setChildrenCollapsible(False)
        column.addWidget(splitter, 1)

        self.teachers_model = CoverageTableModel(self)
        self.teachers_proxy = QSortFilterProxyModel(self)
        self.teachers_proxy.setSourceModel(self.teachers_model)
        self.teachers_proxy.setSortRole(Qt.ItemDataRole.UserRole)
        self.teachers_table = _table(self, self.tr("Teachers observed and observing"))
        self.teachers_table.setModel(self.teachers_proxy)
        self.teachers_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.teachers_table.setSortingEnabled(True)
        self.teachers_table.sortByColumn(CoverageTableModel.Column.TEACHER,
                                         Qt.SortOrder.AscendingOrder)
        teachers_box, _ = _titled(self, self.tr("Teachers"), self.teachers_table)
        splitter.addWidget(teachers_box)

        right = QSplitter(Qt.Orientation.Vertical, self)
        right.setChildrenCollapsible(False)
        self.pairs_model = PairingTableModel(self)
        self.pairs_table = _table(self, self.tr("Who observed whom"))
        self.pairs_table.setModel(self.pairs_model)
        self.pairs_table.verticalHeader().setVisible(True)
        self.pairs_table.horizontalHeader().setStretchLastSection(False)
        self.pairs_table.horizontalHeader().setTextElideMode(Qt.TextElideMode.ElideRight)
        self.pairs_table.setAlternatingRowColors(False)
        self.pairs_table.setShowGrid(True)
        pairs_box, self.pairs_heading = _titled(self, "", self.pairs_table)
        right.addWidget(pairs_box)
        self.overdue_model = OverdueTableModel(self)
        self.overdue_table = _table(self, self.tr("Post-conferences overdue"))
        self.overdue_table.setModel(self.overdue_model)
        self.overdue_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.overdue_table.setToolTip(self.tr("Enter or a double-click opens the cycle"))
        self.overdue_table.doubleClicked.connect(lambda _index: self.open_overdue())
        enter = QShortcut(QKeySequence(QKeyCombination(Qt.Key.Key_Return)), self.overdue_table)
        enter.setContext(Qt.ShortcutContext.WidgetShortcut)
        enter.activated.connect(self.open_overdue)
        # Shown only when a cycle is overdue; otherwise a line under the summary says so.
        self.overdue_box, self.overdue_heading = _titled(self, "", self.overdue_table)
        right.addWidget(self.overdue_box)
        splitter.addWidget(right)
        self.right = right
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self.splitter = splitter
        self._split_by_hand = False  # once the person moves the splitter, it stays put
        splitter.splitterMoved.connect(self._on_splitter_moved)

    @property
    def tables(self) -> tuple[QTableView, ...]:
        return (self.teachers_table, self.pairs_table, self.overdue_table)

    def show_coverage(self, coverage: Coverage, names: dict[str, str], period: str,
                      scope: Scope) -> None:
        self.teachers_model.set_rows(coverage.teachers)
        _fit_columns(self.teachers_table, 160)
        self.pairs_model.set_rows(coverage.pairs, names)
        self.pairs_heading.setText(self.tr("Who observed whom (observers down)") if coverage.pairs
                                   else self.tr("Who observed whom: no visit in this period"))
        _fit_columns(self.pairs_table, 110)
        self.overdue_model.set_rows(coverage.overdue)
        _fit_columns(self.overdue_table, 170)
        self.overdue_heading.setText(self.tr("Overdue post-conferences ({n})").format(
            n=len(coverage.overdue)))
        self.summary_label.setText(self._summary(coverage, period, scope))
        stages = [self.tr("{n} {stage}").format(n=n, stage=stage.label.lower())
                  for stage, n in coverage.stages]
        overdue = (self.tr("none overdue") if not coverage.overdue
                   else self.tr("{n} overdue").format(n=len(coverage.overdue)))
        self.stages_label.setText(self.tr(
            "Cycles: {stages}. Post-conferences not held {days} days after the visit: "
            "{overdue}.").format(stages=", ".join(stages), days=OVERDUE_DAYS, overdue=overdue))
        self.overdue_box.setVisible(bool(coverage.overdue))
        if coverage.overdue:  # the list as tall as its rows, at most half the column
            rows = self.overdue_table
            wanted = (self.overdue_heading.sizeHint().height() + rows.horizontalHeader().height()
                      + rows.verticalHeader().defaultSectionSize() * (len(coverage.overdue) + 1)
                      + 2 * rows.frameWidth() + 8)
            total = sum(self.right.sizes()) or self.right.height()
            self.right.setSizes([total - min(wanted, total // 2), min(wanted, total // 2)])
        self._fit_split()

    def _fit_split(self) -> None:
        """The teachers table as wide as its columns (at most 60 %), the matrix the rest."""
        total = self.splitter.width()
        if self._split_by_hand or total <= 0:
            return
        table = self.teachers_table
        last = self.teachers_model.columnCount() - 1  # it stretches: its contents' width
        header = table.horizontalHeader()
        needed = (sum(table.columnWidth(c) for c in range(last))
                  + max(table.sizeHintForColumn(last), header.sectionSizeHint(last))
                  + table.verticalScrollBar().sizeHint().width() + 2 * table.frameWidth() + 4)
        left = min(needed, int(total * 0.6))
        self.splitter.setSizes([left, total - left])

    def _on_splitter_moved(self, _pos: int, _index: int) -> None:
        self._split_by_hand = True

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_split()

    def _summary(self, coverage: Coverage, period: str, scope: Scope) -> str:
        teachers = len(coverage.teachers)
        never = coverage.never_observed
        if scope.grade:  # a grade is the visit's: no one is known to teach it but by visits
            whose = (self.tr("no teacher's lessons in it were visited") if not teachers else
                     self.tr("the one teacher whose lessons in it were visited")
                     if teachers == 1 else
                     self.tr("the {n} teachers whose lessons in it were visited").format(
                         n=teachers))
            return self.tr("Grade {grade} in {period}: {whose}. Who was never observed shows "
                           "for the whole school, a subject or a PLC.").format(
                grade=scope.grade, period=period, whose=whose)
        if not teachers:
            return self.tr("No teacher in this scope yet: add colleagues on the Teachers page.")
        if not never:
            if teachers == 1:
                return self.tr("The one teacher was observed in {period}.").format(period=period)
            return self.tr("Every one of the {n} teachers was observed in {period}.").format(
                n=teachers, period=period)
        names = ", ".join(t.name for t in never[:NAMED])
        if len(never) > NAMED:
            names = self.tr("{names} and {n} more").format(names=names, n=len(never) - NAMED)
        of = (self.tr("{count} of 1 teacher") if teachers == 1
              else self.tr("{count} of {n} teachers")).format(count=len(never), n=teachers)
        return self.tr("Never observed in {period}: {of} ({names}); highlighted in the "
                       "table.").format(period=period, of=of, names=names)

    def open_overdue(self) -> None:
        index = self.overdue_table.currentIndex()
        row = index.data(ROW_ROLE) if index.isValid() else None
        if row is not None:
            self.cycle_opened.emit(row.cycle_id)
