"""The seating chart, painted: each seat at its place, numbered, with how often it was heard.

The chart keeps the room's shape but not its empty space: an aisle (a column or row of the grid
with no seat) is drawn narrower than a seat, so a class of tables still gets seats large enough
to tap on a small laptop's side panel.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QHelpEvent, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from observe_app.gui.style import ACCENT

if TYPE_CHECKING:
    from observe_app.services.participation import Seat

AISLE = 0.35  # an empty column or row of the grid, as a share of a seat's width
WIDEST_SEAT = 56  # px: wider than this a seat only takes the panel's height from the rest
TALL_SEAT = 34  # px: a narrow seat (a wide room) is drawn this tall, for its two numbers
TALLEST_CHART = 300  # px: the talk types and the seat box stay in sight on a small screen
MARGIN = 2
SILENT = QColor("#ffffff")
QUIET = QColor("#d6e6ee")  # a seat heard once, when others were heard more
LOUD = QColor(ACCENT)  # the seat heard most
EDGE = QColor("#9aa8b5")
LATEST = QColor("#b7791f")  # the seat of the newest contribution
TEXT = QColor("#1f2d3a")
MUTED = QColor("#5b6773")


def _axis(values: Sequence[int]) -> tuple[dict[int, float], float]:
    """Where each used column (or row) is drawn, in seats from the first, and the span."""
    places: dict[int, float] = {}
    at, previous = 0.0, None
    for value in sorted(set(values)):
        if previous is not None:
            at += 1 + (AISLE if value - previous > 1 else 0)
        places[value] = at
        previous = value
    return places, at + 1 if places else 0.0


@dataclass(frozen=True)
class _Layout:
    width: float  # one seat's cell, px
    height: float
    rects: dict[int, QRectF]  # seat number → where it is drawn
    total: int  # the chart's height, px


class SeatChart(QWidget):
    """Seats to click: a left click is a contribution volunteered, a right click (or Shift and
    a click) one the teacher called on. The press is when the student began to speak and the
    release logs it, so a seat held down times how long they talked. The chart takes no
    keyboard focus, so the cursor stays in the note box; the keyboard's way in is the seat box
    beside it."""

    seat_pressed = Signal(int)  # seat number: a student began to speak
    seat_clicked = Signal(int, bool)  # seat number, called on by the teacher (on release)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self._seats: tuple[Seat, ...] = ()
        self._counts: dict[int, int] = {}
        self._labels: Mapping[int, str] = {}
        self._latest: int | None = None
        self._layout: _Layout | None = None
        self._layout_width = -1  # the width `_layout` was measured for
        self._pressed: tuple[int, Qt.MouseButton, bool] | None = None  # seat, button, called on
        self.describe: Callable[[int], str] = str  # a seat's tooltip: who set us up says it
        self._front = self.tr("Front of the room")

    # -- what is shown ---------------------------------------------------------------------------

    def set_seats(self, seats: Sequence[Seat], labels: Mapping[int, str]) -> None:
        self._seats = tuple(seats)
        self._labels = dict(labels)
        self._layout = None
        self.updateGeometry()
        self.update()

    def set_counts(self, counts: Mapping[int, int], latest: int | None) -> None:
        """Show how often each seat was heard; only the seats that look different are
        painted again (a capture repaints two seats, not the room)."""
        before, old_latest = self._counts, self._latest
        self._counts = {n: c for n, c in counts.items() if c}
        self._latest = latest
        if max(before.values(), default=0) != max(self._counts.values(), default=0):
            self.update()  # every seat's shade is relative to the seat heard most
            return
        rects = self._current().rects
        for number in {old_latest, latest} | {n for n in before.keys() | self._counts.keys()
                                              if before.get(n) != self._counts.get(n)}:
            if number in rects:
                self.update(rects[number].toAlignedRect().adjusted(-2, -2, 2, 2))

    @property
    def seats(self) -> tuple[Seat, ...]:
        return self._seats

    def count(self, number: int) -> int:
        """How often seat `number` was heard, as shown."""
        return self._counts.get(number, 0)

    def seat_rect(self, number: int) -> QRectF:
        """Where seat `number` is drawn now (for a test's click, or an accessibility tool)."""
        return self._current().rects[number]

    def seat_at(self, point: QPointF) -> int | None:
        for number, rect in self._current().rects.items():
            if rect.contains(point):
                return number
        return None

    # -- size ------------------------------------------------------------------------------------

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._measure(width).total

    def sizeHint(self) -> QSize:
        return QSize(380, self.heightForWidth(380))

    def minimumSizeHint(self) -> QSize:
        return QSize(220, self.heightForWidth(220))

    def _front_height(self) -> int:
        return self.fontMetrics().height() + 6

    def _measure(self, width: int) -> _Layout:
        columns, span_x = _axis([s.x for s in self._seats])
        rows, span_y = _axis([s.y for s in self._seats])
        if not self._seats:
            return _Layout(0, 0, {}, 0)
        top = self._front_height()
        cell_w = min(WIDEST_SEAT, (width - 2 * MARGIN) / span_x)
        cell_h = max(cell_w, min(TALL_SEAT, cell_w * 1.5))
        room = (TALLEST_CHART - top - MARGIN) / span_y
        if cell_h > room:  # many rows: smaller seats, the same shape
            cell_w, cell_h = cell_w * room / cell_h, room
        left = (width - cell_w * span_x) / 2
        gap = max(2.0, cell_w * 0.08)
        rects = {s.number: QRectF(left + columns[s.x] * cell_w + gap / 2,
                                  top + rows[s.y] * cell_h + gap / 2,
                                  cell_w - gap, cell_h - gap)
                 for s in self._seats}
        return _Layout(cell_w, cell_h, rects, int(top + span_y * cell_h + MARGIN + 0.5))

    def _current(self) -> _Layout:
        if self._layout is None or self._layout_width != self.width():
            self._layout = self._measure(self.width())
            self._layout_width = self.width()
        return self._layout

    # -- painting --------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        layout = self._current()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        dirty = QRectF(event.rect())
        front = QRectF(0, 0, self.width(), self._front_height() - 4)
        if dirty.intersects(front.adjusted(0, 0, 0, 2)):
            painter.setPen(MUTED)
            painter.drawText(front, Qt.AlignmentFlag.AlignCenter, self._front)
            painter.setPen(QPen(EDGE, 1))
            painter.drawLine(QPointF(self.width() * 0.3, front.bottom()),
                             QPointF(self.width() * 0.7, front.bottom()))
        most = max(self._counts.values(), default=0)
        small, large = QFont(self.font()), QFont(self.font())
        small.setPixelSize(_within(9, int(layout.height * 0.3), 14))
        large.setPixelSize(_within(11, int(min(layout.width * 0.55, layout.height * 0.42)), 20))
        large.setBold(True)
        pad = max(2.0, layout.width * 0.1)
        radius = min(layout.width, layout.height) * 0.14
        shown = [(number, rect, self._counts.get(number, 0))
                 for number, rect in layout.rects.items() if dirty.intersects(rect)]
        on_dark: dict[int, bool] = {}
        for number, rect, count in shown:
            share = count / most if most else 0.0
            fill = _blend(QUIET, LOUD, share) if count else SILENT
            on_dark[number] = fill.lightness() < 150
            latest = number == self._latest
            painter.setPen(QPen(LATEST if latest else EDGE, 3 if latest else 1))
            painter.setBrush(fill)
            painter.drawRoundedRect(rect, radius, radius)
        self.paint_over_seats(painter)
        for number, rect, count in shown:
            inner = rect.adjusted(pad, 1, -pad, -1)
            painter.setFont(small)
            painter.setPen(QColor("white") if on_dark[number] else MUTED if not count else TEXT)
            painter.drawText(inner, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                             str(number))
            label = self._labels.get(number)
            if label and layout.width >= 44:
                painter.drawText(inner, Qt.AlignmentFlag.AlignLeft
                                 | Qt.AlignmentFlag.AlignBottom, label[:4])
            if count:
                painter.setFont(large)
                painter.setPen(QColor("white") if on_dark[number] else TEXT)
                painter.drawText(inner, Qt.AlignmentFlag.AlignRight
                                 | Qt.AlignmentFlag.AlignBottom, str(count))
        painter.end()

    def paint_over_seats(self, painter: QPainter) -> None:
        """Drawn over the seats' boxes and under their numbers: nothing live; a visit's results
        draw the turns between speakers here (review/seat_results.py)."""

    # -- the mouse -------------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        number = self.seat_at(event.position())
        button = event.button()
        if number is None or button not in (Qt.MouseButton.LeftButton,
                                            Qt.MouseButton.RightButton):
            super().mousePressEvent(event)
            return
        if self._pressed is not None:  # its release never came (or a second button): log it
            self._let_go()
        shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        self._pressed = (number, button, button == Qt.MouseButton.RightButton or shift)
        self.seat_pressed.emit(number)
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        # The seat pressed is logged wherever the pointer is let go: a hand that slid off
        # the seat while the student talked still logs them.
        if self._pressed is None or event.button() != self._pressed[1]:
            super().mouseReleaseEvent(event)
            return
        self._let_go()
        event.accept()

    def _let_go(self) -> None:
        assert self._pressed is not None
        number, _button, called_on = self._pressed
        self._pressed = None
        self.seat_clicked.emit(number, called_on)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            number = self.seat_at(QPointF(event.pos()))
            if number is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), self.describe(number), self)
            return True
        return super().event(event)


def _within(low: int, value: int, high: int) -> int:
    return max(low, min(value, high))


def _blend(low: QColor, high: QColor, share: float) -> QColor:
    return QColor(int(low.red() + (high.red() - low.red()) * share),
                  int(low.green() + (high.green() - low.green()) * share),
                  int(low.blue() + (high.blue() - low.blue()) * share))
