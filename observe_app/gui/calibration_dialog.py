"""One observer across their co-observed lessons, oldest first: how far their levels agreed
with the other observers' each time, as a chart and a table, so drift shows as a trend."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from observe_app.errors import ObserveError
from observe_app.gui.calibration_export import CalibrationExport
from observe_app.gui.queries import LatestOnly
from observe_app.gui.review.calibration_models import DriftTableModel
from observe_app.gui.review.charts import LineChartWidget, Series

if TYPE_CHECKING:
    from observe_app.gui.backend import Backend
    from observe_app.services.calibration import ObserverAgreement


class ObserverCalibrationDialog(QDialog):
    """Read on a worker; `shown_agreement` once it is on screen."""

    shown_agreement = Signal()

    def __init__(self, backend: Backend, person_id: str, name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Calibration of {name}").format(name=name))
        self.resize(760, 540)
        self.backend = backend
        self.found: ObserverAgreement | None = None
        column = QVBoxLayout(self)
        intro = QLabel(self.tr(
            "{name}'s co-observed lessons, oldest first: how far their levels agreed with the "
            "other observers' each time. A line that falls over the year is a reason for "
            "another calibration session together, not a judgement of anyone.").format(
            name=name), self)
        intro.setWordWrap(True)
        intro.setObjectName("muted")
        column.addWidget(intro)
        self.chart = LineChartWidget(self.tr("Agreement over time"), self)
        self.chart.empty_text = self.tr("No co-observed lesson with every visit handed in yet")
        self.chart.setAccessibleName(self.tr("Agreement over time"))
        column.addWidget(self.chart, 1)
        self.model = DriftTableModel(backend.calibration, self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Co-observed lessons"))
        self.table.setTabKeyNavigation(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setStretchLastSection(True)
        for number, width in enumerate((100, 170, 200, 130)):
            self.table.setColumnWidth(number, width)
        column.addWidget(self.table, 1)
        self.status_label = QLabel(self.tr("Reading…"), self)
        self.status_label.setWordWrap(True)
        column.addWidget(self.status_label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        self.export_button = buttons.addButton(self.tr("&Export PDF…"),
                                               QDialogButtonBox.ButtonRole.ActionRole)
        self.export = CalibrationExport(
            backend, self.export_button, f"Calibration - {name}.pdf",
            lambda path: backend.export_observer_calibration(person_id, path),
            self._say, self)
        column.addWidget(buttons)
        self._query: LatestOnly[ObserverAgreement] = LatestOnly(self)
        calls = backend.calibration
        self._query.run(lambda: calls.observer_agreement(person_id), self._show,
                        self._on_read_failed)

    def _show(self, found: ObserverAgreement) -> None:
        self.found = found
        self.model.set_rows(found.lessons)
        within = tuple((p.date, p.within_one.value) for p in found.lessons
                       if p.within_one.value is not None)
        kappa = tuple((p.date, p.weighted_kappa.value) for p in found.lessons
                      if p.weighted_kappa.value is not None)
        self.chart.set_series([Series(self.tr("Within one level"), within),
                               Series(self.tr("Weighted kappa"), kappa)],
                              y_label=self.tr("1 = the same levels"), y_min=min(
                                  [0.0, *(v for _d, v in kappa)]), y_max=1.0, y_step=0.2,
                              value_format=lambda v: f"{v:.2f}")
        lessons = len(found.lessons)
        said = (self.tr("%n co-observed lesson.", None, lessons) if lessons == 1
                else self.tr("%n co-observed lessons.", None, lessons))
        if found.waiting:
            waiting = len(found.waiting)
            said += " " + (self.tr("%n more once every observer of it has handed in.", None,
                                   waiting))
        self.status_label.setText(said + " " + self.tr(
            "Hover over a figure for its sentence."))
        self.shown_agreement.emit()

    def _say(self, text: str) -> None:
        if text:
            self.status_label.setText(text)

    def _on_read_failed(self, exc: ObserveError) -> None:
        self.status_label.setText(self.tr("Not read: {problem}").format(problem=exc.sentence()))
