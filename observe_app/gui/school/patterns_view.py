"""The School page's Patterns tab: what was seen across the school's visits, anonymised, this
period against the one before, with shares drawn as bars."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QLabel,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from observe_app.gui.school.patterns_model import SHARE_ROLE, PatternsTableModel

if TYPE_CHECKING:
    from observe_app.services.school import SchoolPicture

BAR_NOW = QColor("#2f6f8f")
BAR_BEFORE = QColor("#aab4bd")
TRACK = QColor("#eef1f4")
ROW_PADDING = 8


class PaddedDelegate(QStyledItemDelegate):
    """Rows a little apart, so lines that wrap still read as one row each."""

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        return super().sizeHint(option, index) + QSize(0, ROW_PADDING)


class ShareBarDelegate(PaddedDelegate):
    """A share as a horizontal bar with its percentage at the right end of the cell."""

    def __init__(self, color: QColor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.color = color

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        share = index.data(SHARE_ROLE)
        if not isinstance(share, float):
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text, opt.text = opt.text, ""
        style = opt.widget.style() if opt.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        rect = QRectF(opt.rect).adjusted(6, 0, -6, 0)
        text_width = opt.fontMetrics.horizontalAdvance("100 %") + 8
        bar_height = min(10.0, rect.height() - 8)
        track = QRectF(rect.left(), rect.center().y() - bar_height / 2,
                       max(rect.width() - text_width, 0), bar_height)
        painter.save()
        painter.fillRect(track, TRACK)
        painter.fillRect(QRectF(track.left(), track.top(),
                                track.width() * min(max(share, 0.0), 1.0), track.height()),
                         self.color)
        painter.setPen(opt.palette.color(opt.palette.ColorRole.Text))
        painter.drawText(QRectF(rect.right() - text_width, rect.top(), text_width, rect.height()),
                         int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), text)
        painter.restore()


class PatternsView(QWidget):
    """One table of every protocol's patterns, with a line saying how to read it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 8, 0, 0)
        self.note_label = QLabel(self)
        self.note_label.setObjectName("muted")
        self.note_label.setWordWrap(True)
        column.addWidget(self.note_label)
        self.model = PatternsTableModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Practice patterns"))
        self.table.setTabKeyNavigation(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setShowGrid(False)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.setItemDelegate(PaddedDelegate(self.table))
        C = PatternsTableModel.Column
        self.table.setItemDelegateForColumn(C.NOW, ShareBarDelegate(BAR_NOW, self.table))
        self.table.setItemDelegateForColumn(C.BEFORE, ShareBarDelegate(BAR_BEFORE, self.table))
        header = self.table.horizontalHeader()
        for section, width in ((C.NOW, 150), (C.BEFORE, 140), (C.CHANGE, 96)):
            header.setSectionResizeMode(section, QHeaderView.ResizeMode.Fixed)
            self.table.setColumnWidth(section, width)
        header.setSectionResizeMode(C.LABEL, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(C.BASIS, QHeaderView.ResizeMode.Stretch)
        # The label and the reason wrap: a narrower column makes taller rows.
        self.table.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        column.addWidget(self.table, 1)

    def show_picture(self, picture: SchoolPicture) -> None:
        self.note_label.setText(self.tr(
            "{period} against {before}. No teacher's name, class or room appears here, and a "
            "figure from fewer than {visits} visits or 3 teachers is withheld, with the reason."
        ).format(period=picture.period.name, before=picture.before.name,
                 visits=picture.minimum_visits) + ("" if picture.scope.whole_school else " " + (
            self.tr("Here a figure is also withheld where the rest of the school's would be: "
                    "the whole school's less this one would show the rest's."))))
        self.model.set_rows(picture.patterns)
        self.table.clearSpans()
        for row in self.model.heading_rows():
            self.table.setSpan(row, 0, 1, self.model.columnCount())
        if not picture.patterns:
            self.note_label.setText(self.tr(
                "No visit in {period} or {before} recorded anything to show here.").format(
                period=picture.period.name, before=picture.before.name))
