"""How far the observers of one lesson agree, once every visit is handed in: each figure with
its sentence, both observers' levels side by side with their evidence, scan codes, counts, and
the figures for all observers at once when there are three or more."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractItemModel, QSize, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from observe_app.domain.enums import ItemKind
from observe_app.gui.review.calibration_models import (
    CodeAgreementTableModel,
    CountPairsTableModel,
    GroupRatingsTableModel,
    RatingPairsTableModel,
    SeenPairsTableModel,
)

if TYPE_CHECKING:
    from PySide6.QtGui import QResizeEvent

    from observe_app.gui.service_calls import CalibrationCalls
    from observe_app.services.calibration import LessonAgreement, PairAgreement
    from observe_app.services.protocols import ProtocolVersionView


ROW_PADDING = 8


class WholeTable(QTableView):
    """A table as tall as all its rows (the page around it scrolls, not the table), rows as
    tall as their wrapped text at the width given."""

    def __init__(self, model: QAbstractItemModel, name: str, parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setAccessibleName(name)
        self.setTabKeyNavigation(False)  # Tab leaves the table for the next control
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setWordWrap(True)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft
                                                    | Qt.AlignmentFlag.AlignVCenter)
        model.modelReset.connect(self.fit)

    def stretch(self, *columns: int) -> None:
        """These columns share the width left; the others fit their contents."""
        header = self.horizontalHeader()
        header.setStretchLastSection(False)
        for column in range(header.count()):
            header.setSectionResizeMode(
                column, QHeaderView.ResizeMode.Stretch if column in columns
                else QHeaderView.ResizeMode.ResizeToContents)
        self.fit()

    def fit(self) -> None:
        self.resizeRowsToContents()
        header = self.verticalHeader()
        for row in range(header.count()):  # room above and below wrapped lines
            header.resizeSection(row, header.sectionSize(row) + ROW_PADDING)
        height = (self.horizontalHeader().sizeHint().height() + self.verticalHeader().length()
                  + 2 * self.frameWidth())
        if self.height() != height or self.minimumHeight() != height:
            self.setFixedHeight(height)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self.fit()  # wrapped text needs other heights at another width

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), self.height())


def figure_label(sentence: str, parent: QWidget) -> QLabel:
    """A figure's sentence: its first sentence (the name, the value, against what) in bold, what
    it measures after it."""
    head, dot, rest = sentence.partition(". ")
    bold, after = html.escape(head + dot.strip(), quote=False), html.escape(rest, quote=False)
    label = QLabel(f"<b>{bold}</b> {after}", parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAccessibleName(sentence)
    return label


def sentence_label(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def heading_label(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName("sectionHeading")
    label.setWordWrap(True)
    return label


class AgreementWidget(QWidget):
    """Two observers at a time (chosen when there are more), and all of them at once."""

    def __init__(self, words: CalibrationCalls, version: ProtocolVersionView,
                 found: LessonAgreement, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.words = words
        self.found = found
        self.level_names = {i.id: {lv.level: lv.name for lv in i.levels}
                            for i in version.items if i.kind == ItemKind.RUBRIC}
        self.within_target, self.kappa_target = words.targets()
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        self.group_model: GroupRatingsTableModel | None = None
        if found.group is not None:
            self._build_group(column)
        self.pair_combo = QComboBox(self)
        self.pair_combo.setAccessibleName(self.tr("Which two observers"))
        for pair in found.pairs:
            self.pair_combo.addItem(self.tr("{a} and {b}").format(a=pair.a_name, b=pair.b_name))
        if len(found.pairs) > 1:
            column.addWidget(heading_label(self.tr("Two at a time"), self))
            row = QHBoxLayout()
            label = QLabel(self.tr("Co&mpare"), self)
            label.setBuddy(self.pair_combo)
            row.addWidget(label)
            row.addWidget(self.pair_combo, 1)
            column.addLayout(row)
        else:
            self.pair_combo.hide()
        self.pair_area = QVBoxLayout()
        column.addLayout(self.pair_area)
        self.ratings_model = RatingPairsTableModel(words, self)
        self.seen_model = SeenPairsTableModel(words, self)
        self.counts_model = CountPairsTableModel(words, self)
        self.scan_models: list[CodeAgreementTableModel] = []
        self.pair_widget: QWidget | None = None
        self.pair_combo.currentIndexChanged.connect(self._on_pair_combo_current_index_changed)
        self.show_pair(0)

    # -- two observers -----------------------------------------------------------------------

    def show_pair(self, number: int) -> None:
        if not 0 <= number < len(self.found.pairs):
            return
        pair = self.found.pairs[number]
        if self.pair_widget is not None:
            self.pair_area.removeWidget(self.pair_widget)
            self.pair_widget.deleteLater()
        self.pair_widget = widget = QWidget(self)
        box = QVBoxLayout(widget)
        box.setContentsMargins(0, 0, 0, 0)
        names = (pair.a_name, pair.b_name)
        if pair.ratings:
            self._ratings(widget, box, pair, names)
        if pair.seen:
            box.addWidget(heading_label(self.tr("Look-fors"), widget))
            for figure in (pair.seen_agreement, pair.seen_kappa):
                box.addWidget(figure_label(self.words.sentence(
                    figure, share=figure is pair.seen_agreement), widget))
            self.seen_model.set_pair(names, pair.seen)
            table = WholeTable(self.seen_model, self.tr("Look-fors of both observers"), widget)
            table.stretch(0)
            box.addWidget(table)
        self.scan_models = []
        for scan in pair.scans:
            box.addWidget(heading_label(scan.label, widget))
            box.addWidget(figure_label(self.words.sentence(scan.overall, share=True), widget))
            # Codes neither observer ticked agree trivially: named once, not listed as rows.
            used = set().union(*(codes for codes in (*scan.a, *scan.b) if codes))
            unused = [c.label for c in scan.codes if c.code not in used]
            model = CodeAgreementTableModel(self.words, widget)
            model.set_rows([c for c in scan.codes if c.code in used])
            self.scan_models.append(model)
            table = WholeTable(model, self.tr("Agreement on each code of {scan}").format(
                scan=scan.label), widget)
            table.stretch(0)
            box.addWidget(table)
            about = self.tr(
                "Per code: how often both observers ticked it in the same interval, or both "
                "did not; ±1 interval also counts a tick one interval early or late. Hover "
                "over a figure for its sentence.")
            if unused:
                about += " " + self.tr("Neither observer ticked: {codes}.").format(
                    codes=", ".join(unused))
            box.addWidget(self._muted(about, widget))
        if pair.counts:
            box.addWidget(heading_label(self.tr("Tallies and timers"), widget))
            self.counts_model.set_pair(names, pair.counts)
            table = WholeTable(self.counts_model, self.tr("Tallies and timers of both "
                                                          "observers"), widget)
            table.stretch(0)
            box.addWidget(table)
        self.pair_area.addWidget(widget)

    def _ratings(self, parent: QWidget, box: QVBoxLayout, pair: PairAgreement,
                 names: tuple[str, str]) -> None:
        box.addWidget(heading_label(self.tr("Rubric ratings"), parent))
        box.addWidget(figure_label(self.words.sentence(pair.exact, share=True), parent))
        box.addWidget(figure_label(self.words.sentence(
            pair.within_one, share=True, target=self.within_target), parent))
        box.addWidget(figure_label(self.words.sentence(
            pair.weighted_kappa, target=self.kappa_target), parent))
        self.ratings_model.set_pair(names, pair.ratings, self.level_names)
        table = WholeTable(self.ratings_model, self.tr("Levels of both observers, item by "
                                                       "item, with their evidence"), parent)
        C = RatingPairsTableModel.Column
        table.stretch(C.ITEM, C.A_EVIDENCE, C.B_EVIDENCE)
        box.addWidget(table)
        box.addWidget(self._muted(self.tr(
            "The targets are the ones programmes commonly set for observers in training; they "
            "describe how alike two records of one lesson are, not how good either observer "
            "or the lesson is. Where you differ, the evidence beside each level is the place "
            "to start talking."), parent))

    def _muted(self, text: str, parent: QWidget) -> QLabel:
        label = sentence_label(text, parent)
        label.setObjectName("muted")
        return label

    def _on_pair_combo_current_index_changed(self, number: int) -> None:
        self.show_pair(number)

    # -- all observers -----------------------------------------------------------------------

    def _build_group(self, column: QVBoxLayout) -> None:
        group = self.found.group
        assert group is not None
        self.group_heading = heading_label(self.tr("All {n} observers").format(
            n=len(group.names)), self)
        column.addWidget(self.group_heading)
        # The codes' alpha only where the protocol has interval scans.
        for figure in (group.fleiss, group.alpha_ordinal,
                       *((group.alpha_codes,) if group.codes else ())):
            column.addWidget(figure_label(self.words.sentence(figure), self))
        self.group_model = GroupRatingsTableModel(self)
        self.group_model.set_rows(group.names, group.ratings)
        self.group_table = WholeTable(self.group_model, self.tr("Each observer's level per item"),
                                      self)
        self.group_table.stretch(0)
        column.addWidget(self.group_table)
