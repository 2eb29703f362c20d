"""A line chart over terms painted with QPainter: a gap where a figure is withheld, each line
named at its right end, and over a term where nothing is shown, why (in words)."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from observe_app.gui.review.charts import GRID, INK, MUTED, PALETTE, begin_chart, spread_labels


@dataclass(frozen=True)
class TermLine:
    name: str
    values: tuple[float | None, ...]  # one per term; None: not shown


def term_label(name: str) -> tuple[str, str]:
    """"Autumn term 2025–26" → ("Autumn", "2025–26"): the axis is of terms already."""
    head, _, year = name.rpartition(" ")
    if not head:
        return name, ""
    return head.removesuffix(" term"), year


class TermChartWidget(QWidget):
    """`set_lines(terms, lines, notes)`: term names along the bottom; where a term has no
    point, a note (its words, and whether it is withheld) is written up a band over it."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.terms: list[str] = []
        self.lines: list[TermLine] = []
        self.notes: list[tuple[str, bool]] = []  # per term: why nothing is shown, withheld
        self.y_min = 0.0
        self.y_max = 1.0
        self.y_step = 0.25
        self.value_format: Callable[[float], str] = lambda v: f"{v:.1f}"
        self.empty_text = self.tr("Nothing to show for these terms")
        self.setMinimumSize(300, 220)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:
        return QSize(480, 280)

    def set_lines(self, terms: Sequence[str], lines: Sequence[TermLine],
                  notes: Sequence[tuple[str, bool]], *,
                  y_range: tuple[float, float, float] | None = None,
                  value_format: Callable[[float], str] | None = None) -> None:
        self.terms, self.notes = list(terms), list(notes)
        self.lines = [line for line in lines if any(v is not None for v in line.values)]
        if value_format is not None:
            self.value_format = value_format
        if y_range is not None:
            self.y_min, self.y_max, self.y_step = y_range
        else:
            self.y_min, self.y_max, self.y_step = self._fit_range()
        described = "; ".join(
            f"{line.name}: " + ", ".join(
                f"{term} {self.value_format(v) if v is not None else self.tr('not shown')}"
                for term, v in zip(self.terms, line.values, strict=True))
            for line in self.lines)
        self.setAccessibleName(self.title)
        self.setAccessibleDescription(described or self.empty_text)
        self.setToolTip(described.replace("; ", "\n"))
        self.update()

    def _fit_range(self) -> tuple[float, float, float]:
        values = [v for line in self.lines for v in line.values if v is not None] or [0.0, 1.0]
        low, high = math.floor(min(values)), math.ceil(max(values))
        if high <= low:
            high = low + 1
        return float(low), float(high), 0.5 if high - low <= 2 else 1.0

    def paintEvent(self, _event: QPaintEvent) -> None:
        p, fm = begin_chart(self, self.title)
        base = QFont(self.font())
        if not self.terms:
            p.end()
            return
        small = QFont(base)
        small.setPointSizeF(max(base.pointSizeF() * 0.85, 7))
        sfm = QFontMetrics(small)
        ticks = []
        v = self.y_min
        while v <= self.y_max + self.y_step / 1000:
            ticks.append(v)
            v += self.y_step
        left = 14 + max(sfm.horizontalAdvance(self.value_format(t)) for t in ticks) + 6
        ends = [self._end_label(line) for line in self.lines]
        label_width = min(max((sfm.horizontalAdvance(e) for e in ends), default=0) + 14,
                          int(self.width() * 0.38))
        top = 16 + fm.height() + sfm.height() / 2
        bottom_room = sfm.height() * 2 + 10  # the term and its year
        plot = QRectF(left, top, self.width() - left - label_width - 12,
                      self.height() - top - bottom_room)
        step_x = plot.width() / max(len(self.terms), 1)

        def sx(n: int) -> float:
            return plot.left() + step_x * (n + 0.5)

        def sy(value: float) -> float:
            span = self.y_max - self.y_min
            return plot.bottom() - (value - self.y_min) / span * plot.height()

        for n, note in enumerate(self.notes[:len(self.terms)] if self.lines else ()):
            if note[0]:
                self._paint_note(p, QRectF(sx(n) - step_x / 2 + 2, plot.top(), step_x - 4,
                                           plot.height()), note, small)
        p.setFont(small)
        for t in ticks:
            y = sy(t)
            p.setPen(QPen(GRID, 1))
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            p.setPen(MUTED)
            p.drawText(QRectF(4, y - sfm.height() / 2, left - 10, sfm.height()),
                       int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                       self.value_format(t))
        p.setFont(small)
        p.setPen(QPen(QColor("#9aa5af"), 1))
        p.drawLine(plot.bottomLeft(), plot.bottomRight())
        for n, name in enumerate(self.terms):
            cell = QRectF(sx(n) - step_x / 2 + 1, plot.bottom() + 4, step_x - 2, sfm.height())
            for row, text in enumerate(self._axis_label(name, cell.width(), sfm)):
                p.setPen(INK if row == 0 else MUTED)
                p.drawText(cell.translated(0, row * sfm.height()),
                           int(Qt.AlignmentFlag.AlignCenter),
                           sfm.elidedText(text, Qt.TextElideMode.ElideRight, int(cell.width())))
        if not self.lines:
            p.setPen(MUTED)
            p.setFont(base)
            p.drawText(plot, int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap),
                       self.empty_text)
            p.end()
            return
        last_points = []
        for n, line in enumerate(self.lines):
            color = QColor(PALETTE[n % len(PALETTE)])
            points = [QPointF(sx(i), sy(v)) if v is not None else None
                      for i, v in enumerate(line.values)]
            p.setPen(QPen(color, 2.2))
            for a, b in zip(points, points[1:], strict=False):
                if a is not None and b is not None:  # a withheld term leaves a gap
                    p.drawLine(a, b)
            p.setBrush(color)
            for point in points:
                if point is not None:
                    p.drawEllipse(point, 3.2, 3.2)
            last_points.append([q for q in points if q is not None][-1])
        placed = spread_labels([q.y() for q in last_points], sfm.height(), plot.top(),
                               plot.bottom())
        for n, line in enumerate(self.lines):
            color = QColor(PALETTE[n % len(PALETTE)])
            x = plot.right() + 10
            leader = QColor(color)
            leader.setAlpha(120)
            p.setPen(QPen(leader, 1, Qt.PenStyle.DotLine))
            p.drawLine(last_points[n] + QPointF(5, 0), QPointF(x - 2, placed[n]))
            p.setPen(color.darker(115))
            value = " " + self.value_format(self._last(line))
            name = sfm.elidedText(line.name, Qt.TextElideMode.ElideRight,
                                  label_width - 8 - sfm.horizontalAdvance(value))
            p.drawText(QRectF(x, placed[n] - sfm.height() / 2, label_width, sfm.height()),
                       int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                       name + value)
        p.end()

    @staticmethod
    def _last(line: TermLine) -> float:
        return [v for v in line.values if v is not None][-1]

    def _end_label(self, line: TermLine) -> str:
        value = self.value_format(self._last(line))
        return value if len(self.lines) == 1 else f"{line.name} {value}"  # the title names one

    @staticmethod
    def _axis_label(name: str, width: float, fm: QFontMetrics) -> tuple[str, str]:
        """The term and its year, shortened ("Aut", "25–26") where the column is narrow."""
        term, year = term_label(name)
        if fm.horizontalAdvance(term) > width and len(term) > 3:
            term = term[:3]
        if fm.horizontalAdvance(year) > width and len(year) > 5:
            year = year[2:]
        return term, year

    @staticmethod
    def _paint_note(p: QPainter, band: QRectF, note: tuple[str, bool], font: QFont) -> None:
        """A term with no point: a pale band with why written up it (warm when withheld)."""
        text, withheld = note
        p.fillRect(band, QColor("#fff4d6") if withheld else QColor("#f3f5f7"))
        p.save()
        p.setFont(font)
        p.setPen(QColor("#8a4b00") if withheld else MUTED)
        p.translate(band.center().x(), band.bottom() - 6)
        p.rotate(-90)
        height = QFontMetrics(font).height()
        p.drawText(QRectF(0, -height / 2, band.height() - 12, height),
                   int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), text)
        p.restore()
