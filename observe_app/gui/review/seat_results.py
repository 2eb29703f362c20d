"""A participation map in a visit's results: the seats as the live chart paints them, shaded by
how often each was heard, with the turns between speakers drawn as lines (the pairs the PDF
draws), and each seat's talk types in its tooltip. Read only: nothing is logged here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPen
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from observe_app.errors import ObserveError
from observe_app.gui.live.seat_chart import SeatChart

if TYPE_CHECKING:
    from observe_app.services.participation import ContributionView, Seat
    from observe_app.services.protocols import ItemView
    from observe_app.services.responses import ObservationResults

TURN = QColor(216, 154, 65, 200)  # the PDF's amber, see-through: the seats' shade shows
THICKEST = 0.22  # the most frequent turn's line, as a share of a seat's width (at most 7 px)

Turn = tuple[int, int, int]  # seat, seat, times talk passed between them (either way)


class SeatResultsChart(SeatChart):
    """The live chart, not tapped: lines join the seats between which talk passed most often,
    thicker for more."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCursor(Qt.CursorShape.ArrowCursor)
        self._turns: tuple[Turn, ...] = ()

    def set_turns(self, turns: Sequence[Turn]) -> None:
        self._turns = tuple(turns)
        self.update()

    @property
    def drawn_turns(self) -> tuple[Turn, ...]:
        """The lines on the chart, most frequent first: the turns whose seats are both on it."""
        numbers = {s.number for s in self.seats}
        return tuple(t for t in self._turns if t[0] in numbers and t[1] in numbers)

    def paint_over_seats(self, painter: QPainter) -> None:
        turns = self.drawn_turns
        if not turns:
            return
        # Thicker for more; a turn or two stays thin, so a lesson of few turns is not all ink.
        most = max(4, turns[0][2])
        thickest = min(7.0, max(3.0, self.seat_rect(turns[0][0]).width() * THICKEST))
        thinnest = thickest / 4
        for a, b, times in reversed(turns):  # the most frequent drawn last, on top
            pen = QPen(TURN, thinnest + (thickest - thinnest) * times / most)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            painter.setPen(pen)
            painter.drawLine(self.seat_rect(a).center(), self.seat_rect(b).center())

    # A click here logs nothing: the lesson is over.
    def mousePressEvent(self, event: QMouseEvent) -> None:
        event.ignore()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        event.ignore()


class ParticipationResultsWidget(QWidget):
    """One participation item of one visit: its name, its chart, and how to read the chart."""

    def __init__(self, item: ItemView, seats: Sequence[Seat],
                 heard: Sequence[ContributionView], turns: Sequence[Turn],
                 labels: Mapping[int, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._types = {t.key: t.label for t in item.talk_types}
        self._labels = dict(labels)
        self._by_type: Counter[tuple[int, str]] = Counter((c.seat, c.talk_type) for c in heard)
        self._called: Counter[int] = Counter(c.seat for c in heard if c.called_on)
        self._counts: Counter[int] = Counter(c.seat for c in heard)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 10, 4, 4)
        layout.setSpacing(4)
        heading = QLabel(self.tr("Seating chart: {label}").format(label=item.label), self)
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        heading.setWordWrap(True)
        layout.addWidget(heading)
        self.chart = SeatResultsChart(self)
        self.chart.setAccessibleName(heading.text())
        self.chart.setAccessibleDescription(self.tr(
            "Seats: {n}, each with how often it was heard; point at a seat for its talk types."
        ).format(n=len(seats)))
        self.chart.describe = self.describe_seat
        self.chart.set_seats(seats, self._labels)
        self.chart.set_counts(self._counts, None)
        self.chart.set_turns(turns)
        layout.addWidget(self.chart)
        legend = QLabel(self._legend(), self)
        legend.setObjectName("muted")
        legend.setWordWrap(True)
        layout.addWidget(legend)

    def _legend(self) -> str:
        shade = self.tr("The darker a seat, the more often it was heard.")
        if not self.chart.drawn_turns:
            return shade + " " + self.tr("Point at a seat for its talk types.")
        return shade + " " + self.tr("Lines: talk passed between these seats, one right after "
                                     "the other (thicker: more often). Point at a seat for its "
                                     "talk types.")

    def describe_seat(self, number: int) -> str:
        """The seat's tooltip: its contributions by talk type, and how many were called on."""
        label = self._labels.get(number)
        name = (self.tr("Seat {n} ({label})").format(n=number, label=label) if label
                else self.tr("Seat {n}").format(n=number))
        heard = self._counts[number]
        if not heard:
            return self.tr("{seat}: not heard").format(seat=name)
        kinds = [f"{self._types[k]}: {self._by_type[(number, k)]}" for k in self._types
                 if self._by_type[(number, k)]]
        called = self._called[number]
        how = self.tr("called on {called}, volunteered {volunteered}").format(
            called=called, volunteered=heard - called)
        return f"{name}\n" + "\n".join(kinds) + f"\n{how}"


def participation_charts(items: list[ItemView], visit: ObservationResults,
                         panel: Any) -> list[QWidget]:
    """A chart for each participation item the visit had seats for (none without seats: the
    figures above already say nothing was laid out)."""
    # The PDF's choice of lines; its module brings ReportLab, so only once a map is shown.
    from observe_app.services.participation import turns

    charts: list[QWidget] = []
    for item in items:
        seats = visit.seats.get(item.id, ())
        if not seats:
            continue
        try:
            labels = panel.backend.participation.visit_labels(panel.observation_id, item.id)
        except ObserveError:
            labels = {}  # the seats still show their numbers
        figures = visit.participation(item.id)
        charts.append(ParticipationResultsWidget(
            item, seats, visit.contributions.get(item.id, []), turns(figures.transitions),
            labels, panel))
    return charts
