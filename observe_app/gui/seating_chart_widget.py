"""A class's seating chart as the editor draws it: seats on the room's grid of cells, the front
of the room at the top, picked and moved with the mouse or the keys."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPoint, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from observe_app.gui.style import ACCENT

# Seat numbers are typed with 0-9 only: str.isdigit() is also true of ² and ٣, which int()
# refuses or reads as another number than the key shows.
DIGITS = "0123456789"

if TYPE_CHECKING:
    from observe_app.services.participation import Seat

# The service's grid (observe_app.services.participation.GRID_COLUMNS/ROWS), here so that the
# window can draw before the services are imported.
COLUMNS, ROWS = 24, 16
FRONT_PX = 22  # the band that says where the front of the room is
MARGIN_PX = 6
SMALLEST_CELL_PX = 16
TYPING_PAUSE_S = 1.2  # digits typed closer together than this make one seat number
GROUP_COLOURS = ("#2f6f8f", "#b7791f", "#7b4fa0", "#2f855a", "#c05621", "#805ad5")
ARROWS = {Qt.Key.Key_Left: (-1, 0), Qt.Key.Key_Right: (1, 0), Qt.Key.Key_Up: (0, -1),
          Qt.Key.Key_Down: (0, 1)}


class SeatingChartWidget(QWidget):
    """The seats, one selected. Moving a seat onto another's cell is never done: a move by
    keys goes on past taken cells to the next free one, a drag waits for a free cell."""

    selection_changed = Signal()  # another seat (or none) is selected
    seat_moved = Signal(int)  # the seat's number: it is on another cell now
    remove_asked = Signal()  # Delete pressed on the selected seat
    said = Signal(str)  # what a key or a drag did, or why it did nothing

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName(self.tr("Seating chart"))
        self._seats: dict[int, Seat] = {}
        self.labels: dict[int, str] = {}  # seat number -> initials, this laptop's only
        self.group_names: tuple[str, ...] = ()  # the protocol's groups, in its order
        self.selected: int | None = None
        self._dragged: int | None = None
        self._typed = ""
        self._typed_at = 0.0

    # -- the seats ------------------------------------------------------------------------------

    def seats(self) -> tuple[Seat, ...]:
        return tuple(self._seats[n] for n in sorted(self._seats))

    def seat(self, number: int) -> Seat | None:
        return self._seats.get(number)

    def set_seats(self, seats: Iterable[Seat], labels: Mapping[int, str] | None = None) -> None:
        """Show these seats (and labels, when given); the selection stays on its number if
        that seat is still there."""
        self._seats = {s.number: s for s in seats}
        if labels is not None:
            self.labels = {n: t for n, t in labels.items() if n in self._seats}
        if self.selected not in self._seats:
            self.selected = None
            self.selection_changed.emit()
        self.update()

    def put(self, seat: Seat) -> None:
        """Add the seat, or change the one with its number."""
        self._seats[seat.number] = seat
        self.update()

    def take(self, number: int) -> None:
        self._seats.pop(number, None)
        self.labels.pop(number, None)
        if self.selected == number:
            after = [n for n in sorted(self._seats) if n > number] or sorted(self._seats)[-1:]
            self.select(after[0] if after else None)
        self.update()

    def renumber(self, old: int, new: int) -> int | None:
        """Give seat `old` the number `new`; a seat that had `new` takes `old` (they swap).
        Labels follow their seats. Returns the number of the seat swapped with, if any."""
        seat = self._seats.pop(old)
        other = self._seats.pop(new, None)
        self._seats[new] = dataclasses.replace(seat, number=new)
        label, other_label = self.labels.pop(old, None), self.labels.pop(new, None)
        if label:
            self.labels[new] = label
        if other is not None:
            self._seats[old] = dataclasses.replace(other, number=old)
            if other_label:
                self.labels[old] = other_label
        if self.selected == old:
            self.selected = new
        self.update()
        return new if other is not None else None

    def first_free_cell(self) -> tuple[int, int] | None:
        """From the front left, row by row."""
        taken = {(s.x, s.y) for s in self._seats.values()}
        return next(((x, y) for y in range(ROWS) for x in range(COLUMNS)
                     if (x, y) not in taken), None)

    def select(self, number: int | None) -> None:
        if number is not None and number not in self._seats:
            return
        if number != self.selected:
            self.selected = number
            self.selection_changed.emit()
        self.update()

    def move_selected(self, dx: int, dy: int) -> None:
        """One cell along (dx, dy), past cells other seats hold."""
        seat = self._seats.get(self.selected) if self.selected is not None else None
        if seat is None:
            self.said.emit(self.tr("Pick a seat first: click it, or press an arrow key."))
            return
        taken = {(s.x, s.y) for s in self._seats.values()}
        x, y = seat.x + dx, seat.y + dy
        while (x, y) in taken:
            x, y = x + dx, y + dy
        if not (0 <= x < COLUMNS and 0 <= y < ROWS):
            self.said.emit(self.tr("Seat {n} is at the edge of the chart on that side.")
                           .format(n=seat.number))
            return
        self._move(seat, x, y)

    def _move(self, seat: Seat, x: int, y: int) -> None:
        self._seats[seat.number] = dataclasses.replace(seat, x=x, y=y)
        self.update()
        self.seat_moved.emit(seat.number)
        self.said.emit(self.where(seat.number))

    def where(self, number: int) -> str:
        seat = self._seats[number]
        return self.tr("Seat {n}: row {row}, place {place} from the front left.").format(
            n=number, row=seat.y + 1, place=seat.x + 1)

    # -- drawing ----------------------------------------------------------------------------------

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(COLUMNS * 30 + 2 * MARGIN_PX, ROWS * 30 + FRONT_PX + 2 * MARGIN_PX)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(COLUMNS * SMALLEST_CELL_PX + 2 * MARGIN_PX,
                     ROWS * SMALLEST_CELL_PX + FRONT_PX + 2 * MARGIN_PX)

    def _cell_px(self) -> float:
        return max(float(SMALLEST_CELL_PX) / 2, min(
            (self.width() - 2 * MARGIN_PX) / COLUMNS,
            (self.height() - 2 * MARGIN_PX - FRONT_PX) / ROWS))

    def _origin(self) -> tuple[float, float]:
        cell = self._cell_px()
        return (self.width() - cell * COLUMNS) / 2, MARGIN_PX + FRONT_PX

    def cell_rect(self, x: int, y: int) -> QRectF:
        cell = self._cell_px()
        left, top = self._origin()
        return QRectF(left + x * cell, top + y * cell, cell, cell)

    def cell_at(self, point: QPoint) -> tuple[int, int]:
        """The cell under `point`, or the nearest one on the chart."""
        cell = self._cell_px()
        left, top = self._origin()
        x = int((point.x() - left) // cell)
        y = int((point.y() - top) // cell)
        return min(max(x, 0), COLUMNS - 1), min(max(y, 0), ROWS - 1)

    def seat_at(self, point: QPoint) -> int | None:
        cell = self._cell_px()
        left, top = self._origin()
        if point.x() < left or point.y() < top:
            return None
        x, y = int((point.x() - left) // cell), int((point.y() - top) // cell)
        return next((s.number for s in self._seats.values() if (s.x, s.y) == (x, y)), None)

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        cell = self._cell_px()
        left, top = self._origin()
        room = QRectF(left, top, cell * COLUMNS, cell * ROWS)
        p.fillRect(room, QColor("white"))
        p.setPen(QPen(QColor("#eef1f4"), 1))
        for x in range(1, COLUMNS):
            p.drawLine(int(left + x * cell), int(top), int(left + x * cell), int(room.bottom()))
        for y in range(1, ROWS):
            p.drawLine(int(left), int(top + y * cell), int(room.right()), int(top + y * cell))
        # The room's edge shows where the keys go, even before a seat is picked.
        p.setPen(QPen(QColor(ACCENT), 2) if self.hasFocus() else QPen(QColor("#c8d0d7"), 1))
        p.drawRect(room)
        front = QRectF(left, top - FRONT_PX, cell * COLUMNS, FRONT_PX - 2)
        p.fillRect(front, QColor("#e9edf1"))
        p.setPen(QColor("#5b6773"))
        p.drawText(front, Qt.AlignmentFlag.AlignCenter, self.tr("Front of the room"))
        number_font, label_font = QFont(self.font()), QFont(self.font())
        number_font.setPixelSize(max(9, int(cell * 0.4)))
        number_font.setBold(True)
        label_font.setPixelSize(max(8, int(cell * 0.27)))
        for seat in self._seats.values():
            self._paint_seat(p, seat, number_font, label_font)
        p.end()

    def _paint_seat(self, p: QPainter, seat: Seat, number_font: QFont,
                    label_font: QFont) -> None:
        box = self.cell_rect(seat.x, seat.y).adjusted(1.5, 1.5, -1.5, -1.5)
        chosen = seat.number == self.selected
        p.setPen(QPen(QColor("#1f4a60") if chosen else QColor("#7f9db0"), 2 if chosen else 1))
        p.setBrush(QColor(ACCENT) if chosen else QColor("#e6eef3"))
        p.drawRoundedRect(box, 3, 3)
        if chosen and self.hasFocus():
            p.setPen(QPen(QColor("#e9a23b"), 2))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRoundedRect(box.adjusted(-1.5, -1.5, 1.5, 1.5), 4, 4)
        ink = QColor("white") if chosen else QColor("#1f2d3a")
        label = self.labels.get(seat.number, "")
        p.setPen(ink)
        p.setFont(number_font)
        if label and box.height() >= 19:
            top, bottom = box.adjusted(0, 1, 0, -box.height() * 0.42), box.adjusted(
                1, box.height() * 0.55, -1, 0)
            p.drawText(top, Qt.AlignmentFlag.AlignCenter, str(seat.number))
            p.setFont(label_font)
            shown = QFontMetrics(label_font).elidedText(label, Qt.TextElideMode.ElideRight,
                                                        int(bottom.width()))
            p.drawText(bottom, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, shown)
        else:
            p.drawText(box, Qt.AlignmentFlag.AlignCenter, str(seat.number))
        dot = max(3.0, box.width() / 7)
        for n, name in enumerate(g for g in self.group_names if g in seat.groups):
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor(GROUP_COLOURS[self.group_names.index(name) % len(GROUP_COLOURS)]))
            p.drawEllipse(QRectF(box.right() - (n + 1) * (dot + 1) - 1, box.top() + 2, dot, dot))

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            number = self.seat_at(event.pos())
            if number is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), self._described(number), self)
            return True
        return super().event(event)

    def _described(self, number: int) -> str:
        """'Seat 6 · LT · Group A, Group B'."""
        seat = self._seats[number]
        parts = [self.tr("Seat {n}").format(n=number), self.labels.get(number, ""),
                 ", ".join(g for g in self.group_names if g in seat.groups)]
        return " · ".join(p for p in parts if p)

    # -- mouse ------------------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        if event.button() != Qt.MouseButton.LeftButton:
            return
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        number = self.seat_at(event.position().toPoint())
        if number is not None:
            self.select(number)
            self._dragged = number

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        seat = self._seats.get(self._dragged) if self._dragged is not None else None
        if seat is None:
            return
        x, y = self.cell_at(event.position().toPoint())
        if (x, y) != (seat.x, seat.y) and not any(
                (s.x, s.y) == (x, y) for s in self._seats.values()):
            self._move(seat, x, y)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        self.mouseMoveEvent(event)
        self._dragged = None

    # -- keys -------------------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        key, mods = Qt.Key(event.key()), event.modifiers()
        if key in ARROWS:
            dx, dy = ARROWS[key]
            if mods & Qt.KeyboardModifier.ControlModifier:
                self.move_selected(dx, dy)
            else:
                self._select_towards(dx, dy)
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.selected is not None:
            self.remove_asked.emit()
        elif event.text() in DIGITS and len(event.text()) == 1 and not (
                mods & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)):
            self._select_typed(event.text())
        else:
            super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt's name)
        super().focusInEvent(event)
        if self.selected is None and self._seats:
            self.select(min(self._seats))
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt's name)
        super().focusOutEvent(event)
        self.update()

    def _select_towards(self, dx: int, dy: int) -> None:
        """The nearest seat that way; one straight along the line wins over one beside it."""
        here = self._seats.get(self.selected) if self.selected is not None else None
        if here is None:
            if self._seats:
                self.select(min(self._seats))
            return
        best: tuple[int, int] | None = None
        for seat in self._seats.values():
            along = (seat.x - here.x) * dx + (seat.y - here.y) * dy
            across = abs((seat.x - here.x) * dy) + abs((seat.y - here.y) * dx)
            if along > 0 and (best is None or (along + 3 * across, seat.number) < best):
                best = (along + 3 * across, seat.number)
        if best is not None:
            self.select(best[1])
            self.said.emit(self.where(best[1]))

    def _select_typed(self, digit: str) -> None:
        now = time.monotonic()
        longer = self._typed + digit if now - self._typed_at < TYPING_PAUSE_S else digit
        self._typed_at = now
        self._typed = longer if int(longer) in self._seats else digit
        if int(self._typed) in self._seats:
            self.select(int(self._typed))
            self.said.emit(self.where(int(self._typed)))
        else:
            self.said.emit(self.tr("There is no seat {n} on the chart.").format(n=self._typed))
