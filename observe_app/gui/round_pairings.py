"""The pairings of a round as rows: each observer, and a list to choose whom they observe."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QScrollArea, QWidget

if TYPE_CHECKING:
    from observe_app.services.rounds import Pairing


class PairingsView(QScrollArea):
    """`changed` follows a choice the coordinator makes in a row."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        # The rows fit the width (long names are cut in the combo): never a sideways scroll.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setAccessibleName(self.tr("Pairings"))
        self.rows_widget = QWidget(self)
        self.grid = QGridLayout(self.rows_widget)
        self.grid.setColumnStretch(1, 1)
        self.setWidget(self.rows_widget)
        self._rows: list[tuple[str, QComboBox]] = []  # observer id, whom they observe
        hint = QLabel(self.tr("Tick the teachers in the round, then Propose pairings: each "
                              "observes one colleague and is observed by one. You can "
                              "change who each observer visits before the cycles are "
                              "created."), self.rows_widget)
        hint.setWordWrap(True)
        hint.setObjectName("muted")
        self.grid.addWidget(hint, 0, 0, 1, 2, Qt.AlignmentFlag.AlignTop)

    def show_pairings(self, pairings: tuple[Pairing, ...], shown: Callable[[str], str],
                      before: QWidget, after: QWidget) -> None:
        """One row per pairing (`shown(id)`: how a person is named); Tab goes from `before`
        down the rows to `after`."""
        self._clear()
        for column, text in enumerate((self.tr("Observer"), self.tr("Observes"))):
            self.grid.addWidget(QLabel(f"<b>{text}</b>", self.rows_widget), 0, column)
        chosen = [p.observer_id for p in pairings]
        previous = before
        for n, pairing in enumerate(pairings, start=1):
            observer = QLabel(shown(pairing.observer_id), self.rows_widget)
            combo = QComboBox(self.rows_widget)
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(16)
            combo.setAccessibleName(self.tr("Who {observer} observes").format(
                observer=pairing.observer_name))
            for pid in chosen:
                if pid != pairing.observer_id:
                    combo.addItem(shown(pid), pid)
            combo.setCurrentIndex(combo.findData(pairing.teacher_id))
            combo.currentIndexChanged.connect(self.changed)
            observer.setBuddy(combo)
            self.grid.addWidget(observer, n, 0)
            self.grid.addWidget(combo, n, 1)
            QWidget.setTabOrder(previous, combo)
            previous = combo
            self._rows.append((pairing.observer_id, combo))
        self.grid.setRowStretch(len(self._rows) + 1, 1)
        QWidget.setTabOrder(previous, after)
        if self._rows:
            self._rows[0][1].setFocus()  # the coordinator goes down the pairings from here

    def _clear(self) -> None:
        while self.grid.count():
            taken = self.grid.takeAt(0)
            widget = taken.widget() if taken is not None else None
            if widget is not None:
                widget.deleteLater()
        self._rows = []

    def combos(self) -> list[QComboBox]:
        """Each observer's choice of whom they observe, in the rows' order."""
        return [combo for _observer, combo in self._rows]

    def pairs(self) -> list[tuple[str, str]]:
        """(observer id, teacher id) of each row, as chosen now."""
        return [(observer_id, combo.currentData()) for observer_id, combo in self._rows]
