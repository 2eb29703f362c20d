"""Charts painted with QPainter: a line chart over dates with each line labelled at its end,
and a timeline of cycles. Readable without a legend: labels sit next to what they name."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

# Distinct, calm colours that stay apart for common colour-vision differences (Okabe–Ito).
PALETTE = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#7f7f7f",
           "#000000"]
INK = QColor("#1f2d3a")
MUTED = QColor("#5b6773")
GRID = QColor("#e3e8ec")


@dataclass(frozen=True)
class Series:
    name: str
    points: tuple[tuple[dt.datetime, float], ...]


def _local(when: dt.datetime) -> dt.datetime:
    return when.astimezone() if when.tzinfo else when



def card_painter(widget: QWidget) -> QPainter:
    """A painter on `widget` with its card drawn: white, a light frame."""
    p = QPainter(widget)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.fillRect(widget.rect(), QColor("white"))
    p.setPen(QPen(QColor("#dde3e8")))
    p.drawRect(widget.rect().adjusted(0, 0, -1, -1))
    return p


def begin_chart(widget: QWidget, title: str) -> tuple[QPainter, QFontMetrics]:
    """A chart's painter on `widget`: a white framed card with its title in bold at the top
    (cut short with … when narrow), then the widget's own font for what follows."""
    p = card_painter(widget)
    base = QFont(widget.font())
    bold = QFont(base)
    bold.setBold(True)
    fm = QFontMetrics(base)
    p.setFont(bold)
    p.setPen(INK)
    p.drawText(QRectF(12, 8, widget.width() - 24, fm.height() + 4),
               int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
               QFontMetrics(bold).elidedText(title, Qt.TextElideMode.ElideRight,
                                             widget.width() - 24))
    p.setFont(base)
    return p, fm

def spread_labels(wanted: list[float], height: float, low: float, high: float) -> list[float]:
    """Move label centres apart so none overlap, staying within [low, high] where possible."""
    order = sorted(range(len(wanted)), key=lambda i: wanted[i])
    placed = [0.0] * len(wanted)
    last = low - height
    for i in order:
        y = max(wanted[i], last + height)
        placed[i] = y
        last = y
    overflow = last - high
    if overflow > 0:  # push the stack back up from the bottom
        nxt = high + height
        for i in reversed(order):
            y = min(placed[i], nxt - height)
            placed[i] = y
            nxt = y
    return placed


class LineChartWidget(QWidget):
    """Lines over dates; each line's name and last value are written at its right end."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.y_label = ""
        self.series: list[Series] = []
        self.y_min: float | None = None
        self.y_max: float | None = None
        self.y_step: float | None = None
        self.value_format: Callable[[float], str] = lambda v: f"{v:g}"
        self.empty_text = self.tr("Nothing recorded yet")
        self.setMinimumSize(320, 200)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:
        return QSize(520, 260)

    def set_series(self, series: Sequence[Series], *, y_label: str = "",
                   y_min: float | None = None, y_max: float | None = None,
                   y_step: float | None = None,
                   value_format: Callable[[float], str] | None = None) -> None:
        self.series = [s for s in series if s.points]
        self.y_label, self.y_min, self.y_max, self.y_step = y_label, y_min, y_max, y_step
        if value_format is not None:
            self.value_format = value_format
        names = "; ".join(f"{s.name}: " + ", ".join(f"{_local(d):%Y-%m-%d} {self.value_format(v)}"
                                                      for d, v in s.points)
                          for s in self.series)
        self.setAccessibleName(self.title)
        self.setAccessibleDescription(names or self.empty_text)
        self.setToolTip(names.replace("; ", "\n"))
        self.update()

    # -- geometry --------------------------------------------------------------------------

    def _y_range(self) -> tuple[float, float, float]:
        values = [v for s in self.series for _d, v in s.points] or [0.0]
        low = self.y_min if self.y_min is not None else min(0.0, min(values))
        high = self.y_max if self.y_max is not None else max(values)
        if high <= low:
            high = low + 1
        step = self.y_step
        if step is None:
            raw = (high - low) / 4
            magnitude = 10 ** len(str(int(raw))) / 10 if raw >= 1 else 0.1
            step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
            high = low + step * -(-(high - low) // step)
        return low, high, step

    def _x_range(self) -> tuple[float, float]:
        stamps = [d.timestamp() for s in self.series for d, _v in s.points]
        first, last = min(stamps), max(stamps)
        if last - first < 86400:
            first, last = first - 86400 * 7, last + 86400 * 7
        return first, last

    # -- painting --------------------------------------------------------------------------

    def paintEvent(self, _event: QPaintEvent) -> None:
        p, fm = begin_chart(self, self.title)
        base = QFont(self.font())
        if not self.series:
            p.setPen(MUTED)
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.empty_text)
            return
        small = QFont(base)
        small.setPointSizeF(max(base.pointSizeF() * 0.85, 7))
        sfm = QFontMetrics(small)
        low, high, step = self._y_range()
        ticks = []
        v = low
        while v <= high + step / 1000:
            ticks.append(v)
            v += step
        left = 14 + max(sfm.horizontalAdvance(self.value_format(t)) for t in ticks) + 6
        label_width = min(max(sfm.horizontalAdvance(self._end_label(s)) for s in self.series)
                          + 14, int(self.width() * 0.45))
        top = 16 + fm.height() + (sfm.height() * 1.5 + 2 if self.y_label else sfm.height() / 2)
        plot = QRectF(left, top, self.width() - left - label_width - 8,
                      self.height() - top - sfm.height() - 16)
        x0, x1 = self._x_range()

        def sx(when: dt.datetime) -> float:
            return plot.left() + (when.timestamp() - x0) / (x1 - x0) * plot.width()

        def sy(value: float) -> float:
            return plot.bottom() - (value - low) / (high - low) * plot.height()

        p.setFont(small)
        if self.y_label:
            p.setPen(MUTED)
            p.drawText(QRectF(12, top - sfm.height() * 1.5 - 2, plot.width(), sfm.height()),
                       Qt.AlignmentFlag.AlignLeft, self.y_label)
        for t in ticks:  # horizontal grid with values on the left
            y = sy(t)
            p.setPen(QPen(GRID, 1))
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            p.setPen(MUTED)
            p.drawText(QRectF(8, y - sfm.height() / 2, left - 14, sfm.height()),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                       self.value_format(t))
        # Dates of the points along the bottom, skipping any that would overlap.
        dates = sorted({_local(d).date() for s in self.series for d, _v in s.points})
        last_right = -1e9
        for day in dates:
            when = dt.datetime.combine(day, dt.time(12)).astimezone()
            text = f"{day:%d %b %Y}" if len(dates) <= 4 else f"{day:%d %b %y}"
            w = sfm.horizontalAdvance(text)
            x = min(max(sx(when), plot.left() + w / 2), plot.right() - w / 2)
            if x - w / 2 < last_right + 8:
                continue
            p.setPen(QPen(GRID, 1))
            p.drawLine(QPointF(sx(when), plot.top()), QPointF(sx(when), plot.bottom()))
            p.setPen(MUTED)
            p.drawText(QRectF(x - w / 2, plot.bottom() + 4, w, sfm.height()),
                       Qt.AlignmentFlag.AlignCenter, text)
            last_right = x + w / 2
        p.setPen(QPen(QColor("#9aa5af"), 1))
        p.drawLine(plot.bottomLeft(), plot.bottomRight())
        ends = []
        for n, s in enumerate(self.series):
            color = QColor(PALETTE[n % len(PALETTE)])
            points = [QPointF(sx(d), sy(v)) for d, v in sorted(s.points)]
            p.setPen(QPen(color, 2.2))
            for a, b in zip(points, points[1:], strict=False):
                p.drawLine(a, b)
            p.setBrush(color)
            for point in points:
                p.drawEllipse(point, 3.2, 3.2)
            ends.append(points[-1].y())
        placed = spread_labels(ends, sfm.height(), plot.top(), plot.bottom())
        for n, s in enumerate(self.series):
            color = QColor(PALETTE[n % len(PALETTE)])
            last = QPointF(sx(max(s.points)[0]), ends[n])
            x = plot.right() + 8
            leader = QColor(color)
            leader.setAlpha(120)
            p.setPen(QPen(leader, 1, Qt.PenStyle.DotLine))  # a leader to the label, not data
            p.drawLine(last + QPointF(5, 0), QPointF(x - 2, placed[n]))
            p.setPen(color.darker(115))
            value = " " + self.value_format(max(s.points)[1])
            name = sfm.elidedText(s.name, Qt.TextElideMode.ElideRight,
                                  label_width - 8 - sfm.horizontalAdvance(value))
            text = name + value
            p.drawText(QRectF(x, placed[n] - sfm.height() / 2, label_width, sfm.height()),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
        p.end()

    def _end_label(self, s: Series) -> str:
        return f"{s.name} {self.value_format(max(s.points)[1])}"


@dataclass(frozen=True)
class TimelineEntry:
    cycle_id: str
    when: dt.datetime
    title: str  # e.g. the protocol
    detail: str  # e.g. the stage
    closed: bool = False


class TimelineWidget(QWidget):
    """Every cycle of a teacher as a dot on a line of dates; click (or Enter) to open one."""

    cycle_activated = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entries: list[TimelineEntry] = []
        self.current = -1
        self._dots: list[QRectF] = []
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumHeight(118)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(True)

    def sizeHint(self) -> QSize:
        return QSize(900, 118)

    def set_entries(self, entries: Sequence[TimelineEntry]) -> None:
        self.entries = sorted(entries, key=lambda e: e.when)
        self.current = len(self.entries) - 1
        self.setAccessibleName(self.tr("Timeline of cycles"))
        self.setAccessibleDescription("; ".join(
            f"{_local(e.when):%Y-%m-%d} {e.title} ({e.detail})" for e in self.entries))
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:
        p = card_painter(self)
        fm = QFontMetrics(self.font())
        small = QFont(self.font())
        small.setPointSizeF(max(self.font().pointSizeF() * 0.85, 7))
        sfm = QFontMetrics(small)
        self._dots = []
        if not self.entries:
            p.setPen(MUTED)
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.tr("No cycle yet"))
            return
        margin = 70
        y = self.height() / 2 + 2
        first = self.entries[0].when.timestamp()
        last = self.entries[-1].when.timestamp()
        span = max(last - first, 1)
        width = self.width() - 2 * margin
        p.setPen(QPen(QColor("#9aa5af"), 2))
        p.drawLine(QPointF(margin - 20, y), QPointF(self.width() - margin + 20, y))
        xs = [margin + (e.when.timestamp() - first) / span * width if len(self.entries) > 1
              else self.width() / 2 for e in self.entries]
        for n, e in enumerate(self.entries):
            x = xs[n]
            above = n % 2 == 0  # alternate labels above and below so neighbours never collide
            # Room for this label: half-way to the nearest neighbour on the same side.
            same_side = [abs(xs[m] - x) for m in (n - 2, n + 2) if 0 <= m < len(xs)]
            room = min([*same_side, 2 * width]) - 8
            color = QColor(PALETTE[0])
            p.setPen(QPen(color.darker(120), 3 if n == self.current and self.hasFocus() else 1))
            p.setBrush(QColor("#7f9db0") if e.closed else color)
            p.drawEllipse(QPointF(x, y), 6, 6)
            self._dots.append(QRectF(x - 60, y - 50, 120, 100))
            date = f"{_local(e.when):%d %b %Y}"
            detail = e.title if e.closed else f"{e.title} · {e.detail}"
            detail = sfm.elidedText(detail, Qt.TextElideMode.ElideRight, int(max(room, 60)))
            w = max(fm.horizontalAdvance(date), sfm.horizontalAdvance(detail)) + 4
            left = min(max(x - w / 2, 4), self.width() - w - 4)
            block = fm.height() + sfm.height()
            top = y - 12 - block if above else y + 12
            p.setFont(self.font())
            p.setPen(INK)
            p.drawText(QRectF(left, top, w, fm.height()), Qt.AlignmentFlag.AlignCenter, date)
            p.setFont(small)
            p.setPen(MUTED)
            p.drawText(QRectF(left, top + fm.height(), w, sfm.height()),
                       Qt.AlignmentFlag.AlignCenter, detail)
        p.end()

    def _index_at(self, event: QMouseEvent) -> int:
        point = event.position()
        best, distance = -1, 1e9
        for n, rect in enumerate(self._dots):
            if rect.contains(point) and abs(rect.center().x() - point.x()) < distance:
                best, distance = n, abs(rect.center().x() - point.x())
        return best

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        over = self._index_at(event) >= 0
        self.setCursor(Qt.CursorShape.PointingHandCursor if over else Qt.CursorShape.ArrowCursor)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        n = self._index_at(event)
        if n >= 0:
            self.current = n
            self.update()
            self.cycle_activated.emit(self.entries[n].cycle_id)

    def keyPressEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        key = event.key()
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Right) and self.entries:
            step = -1 if key == Qt.Key.Key_Left else 1
            self.current = min(max(self.current + step, 0), len(self.entries) - 1)
            self.update()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and 0 <= self.current < len(
                self.entries):
            self.cycle_activated.emit(self.entries[self.current].cycle_id)
        else:
            super().keyPressEvent(event)
