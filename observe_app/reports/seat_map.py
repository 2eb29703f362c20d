"""A participation map drawn for the PDF: the lesson's seats shaded by how often each was heard,
the most frequent turns between speakers as lines, and contributions over the lesson as bars.

Drawn with ReportLab's graphics, so it is vector, in the embedded fonts, and its numbers are
text. Shading and line widths both carry the counts, so a greyscale print reads the same.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from observe_app.reports.blocks import esc
from observe_app.reports.scripts import ScriptParagraph
from observe_app.reports.styles import ACCENT, FONT, FONT_BOLD, INK, MUTED, RULE, SERIES
from observe_app.services.participation import (
    TIMELINE_MINUTES,
    ParticipationSummary,
    Seat,
    turns,
)

PAPER = colors.white
TURN = SERIES[1]  # amber: apart from the teal of the seats, in colour and in grey
WIDEST_CELL = 36.0  # points: a small class does not fill the page with boxes
FRONT = 16.0  # the strip naming the front of the room
LEGEND = 20.0
AISLE = 0.4  # a column or row without seats, as a share of one with seats
LIGHTEST = 0.14  # a seat heard once is still clearly shaded


def shade(count: int, most: int) -> colors.Color:
    """White for a seat not heard; from a light to the full accent as it nears the most heard."""
    if count <= 0 or most <= 0:
        return PAPER
    share = LIGHTEST + (1 - LIGHTEST) * count / most
    return colors.linearlyInterpolatedColor(PAPER, ACCENT, 0, 1, share)


def _dark(fill: colors.Color) -> bool:
    return 0.299 * fill.red + 0.587 * fill.green + 0.114 * fill.blue < 0.55


def seating_chart(seats: Sequence[Seat], figures: ParticipationSummary, width: float,
                  labels: Mapping[int, str] | None = None) -> SeatMap:
    """Each seat a box at its place, the front of the room at the top: its number in the
    corner, its contributions in the middle (and its label under them, when given), shaded by
    its contributions; lines join the seats between which talk passed most often."""
    labels = labels or {}
    # Rows and columns with no seat (aisles, gaps between tables) are drawn narrower: the
    # room's shape stays, and the seats get the space.
    columns = _tracks([s.x for s in seats])
    rows = _tracks([s.y for s in seats])
    cell_w = min(WIDEST_CELL, width / sum(columns.values()))
    cell_h = min(cell_w, 32.0 if labels else 28.0)
    cell_h = max(cell_h, 26.0 if labels else 22.0)
    gap = min(4.0, cell_w * 0.14)
    box_w, box_h = cell_w - gap, cell_h - gap
    plan_w = sum(columns.values()) * cell_w
    left = (width - plan_w) / 2
    plan_h = sum(rows.values()) * cell_h
    height = FRONT + plan_h + LEGEND
    drawing = Drawing(width, height)
    drawing.initialFontName = FONT
    x_of = _starts(columns, cell_w)
    y_of = _starts(rows, cell_h)

    def centre(seat: Seat) -> tuple[float, float]:
        return (left + x_of[seat.x] + cell_w / 2,
                LEGEND + plan_h - y_of[seat.y] - cell_h / 2)

    front_y = height - FRONT + 5
    drawing.add(Line(left, height - 3, left + plan_w, height - 3, strokeColor=RULE,
                     strokeWidth=1.2))
    drawing.add(String(width / 2, front_y, "Front of the room", fontName=FONT, fontSize=7,
                       fillColor=MUTED, textAnchor="middle"))

    at = {s.number: centre(s) for s in seats}
    shown = turns(figures.transitions)
    # Thicker for more; a turn or two stays thin, so a lesson of few turns is not all ink.
    most_turns = max((n for _a, _b, n in shown), default=1)
    for a, b, n in reversed(shown):  # the strongest drawn last, on top
        if a in at and b in at:
            (x1, y1), (x2, y2) = at[a], at[b]
            drawing.add(Line(x1, y1, x2, y2, strokeColor=TURN, strokeOpacity=0.85,
                             strokeWidth=0.8 + 3.4 * n / max(most_turns, 4),
                             strokeLineCap=1))

    most = max((figures.seat_total(s.number) for s in seats), default=0)
    number_size = max(4.5, min(6.5, box_h * 0.24))
    label_size = max(4.5, min(6.0, box_w * 0.3))
    placed: list[tuple[float, float, float, str, colors.Color]] = []
    for seat in seats:
        x, y = at[seat.number]
        count = figures.seat_total(seat.number)
        fill = shade(count, most)
        ink = (PAPER if _dark(fill) else INK) if count else MUTED
        top, bottom = y + box_h / 2, y - box_h / 2
        drawing.add(Rect(x - box_w / 2, bottom, box_w, box_h, rx=1.5, ry=1.5,
                         fillColor=fill, strokeColor=ACCENT if count else MUTED,
                         strokeWidth=0.5, strokeDashArray=None if count else [1.5, 1.2]))
        drawing.add(String(x - box_w / 2 + 1.5, top - number_size - 0.5, str(seat.number),
                           fontName=FONT, fontSize=number_size, fillColor=ink))
        label = labels.get(seat.number, "")
        # The count in the band between the seat's number and its label.
        low = bottom + (label_size + 2.5 if label else 1.5)
        high = top - number_size - 1
        size = max(5.0, min(11.0, box_h * 0.42, high - low))
        drawing.add(String(x, (low + high) / 2 - size * 0.36, str(count),
                           fontName=FONT_BOLD if count else FONT, fontSize=size,
                           fillColor=ink, textAnchor="middle"))
        if label:
            placed.append((x, bottom + 1.2, box_w - 2, label, ink))
    _legend(drawing, most, len(shown))
    return SeatMap(drawing, placed, label_size)


class SeatMap(Flowable):
    """The chart's drawing, and the seats' labels set over it as paragraphs: a label is the
    observer's own text, in any script, and only a paragraph shapes it and orders it right to
    left (scripts.py); a drawing's strings do neither."""

    def __init__(self, drawing: Drawing,
                 labels: Sequence[tuple[float, float, float, str, colors.Color]],
                 size: float) -> None:
        super().__init__()
        self.drawing = drawing
        self.labels = labels
        self.style = ParagraphStyle("seat-label", fontName=FONT, fontSize=size,
                                    leading=size * 1.15, alignment=TA_CENTER)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.drawing.width, self.drawing.height

    def draw(self) -> None:
        self.drawing.drawOn(self.canv, 0, 0)
        for x, bottom, width, text, ink in self.labels:
            label = _one_line(text, width, ParagraphStyle("ink", parent=self.style,
                                                          textColor=ink))
            label.drawOn(self.canv, x - width / 2, bottom)


def _one_line(text: str, width: float, style: ParagraphStyle) -> ScriptParagraph:
    """The label, cut with '…' until a paragraph sets it on one line `width` wide."""
    shown = text
    while True:
        label = ScriptParagraph(esc(shown), style)
        label.wrap(width, 100)
        if len(label.blPara.lines) <= 1 or len(shown) <= 1:
            return label
        shown = shown.rstrip("…")[:-1].rstrip() + "…"


def _tracks(places: Sequence[int]) -> dict[int, float]:
    """Each column (or row) from the first seat's to the last's, with its width in cells."""
    used = set(places)
    return {n: 1.0 if n in used else AISLE for n in range(min(used), max(used) + 1)}


def _starts(tracks: Mapping[int, float], cell: float) -> dict[int, float]:
    """Where each column (or row) starts, in points from the first."""
    starts, at = {}, 0.0
    for n, size in tracks.items():
        starts[n] = at
        at += size * cell
    return starts


def _legend(drawing: Drawing, most: int, lines: int) -> None:
    """One line under the chart: the shading from not heard to the most heard, and a turn."""
    y, size, x = 4.0, 7.0, 0.0

    def text(words: str) -> None:
        nonlocal x
        drawing.add(String(x, y + 1.5, words, fontName=FONT, fontSize=size, fillColor=MUTED))
        x += stringWidth(words, FONT, size) + 10

    def box(count: int) -> None:
        nonlocal x
        drawing.add(Rect(x, y, 12, 9, fillColor=shade(count, most), strokeWidth=0.5,
                         strokeColor=ACCENT if count else MUTED,
                         strokeDashArray=None if count else [1.5, 1.2]))
        x += 14

    box(0)
    x += 2
    text("not heard")
    if most:
        for count in sorted({1, (most + 1) // 2, most}):
            box(count)
        x += 2
        text(f"heard once … {most} times" if most > 1 else "heard once")
    if lines:
        for stroke in (1.0, 3.5):
            drawing.add(Line(x, y + 4.5, x + 16, y + 4.5, strokeColor=TURN,
                             strokeWidth=stroke, strokeLineCap=1))
            x += 20
        text("talk passed between these seats (thicker: more often)")


def timeline_bars(timeline: Sequence[int], width: float, height: float = 96) -> Drawing:
    """Contributions in each TIMELINE_MINUTES of the lesson, as bars with their counts."""
    drawing = Drawing(width, height)
    drawing.initialFontName = FONT
    chart = VerticalBarChart()
    chart.x, chart.y = 26, 24
    chart.width, chart.height = width - chart.x - 6, height - chart.y - 10
    chart.data = [list(timeline) or [0]]
    step = TIMELINE_MINUTES
    chart.categoryAxis.categoryNames = [f"{i * step}–{(i + 1) * step}"
                                        for i in range(len(chart.data[0]))]
    for axis in (chart.categoryAxis, chart.valueAxis):
        axis.labels.fontName = FONT
        axis.labels.fontSize = 7
        axis.labels.fillColor = MUTED
        axis.strokeColor = RULE
    chart.categoryAxis.tickDown = 0
    top = max(chart.data[0])
    value_step = _nice_step(top)
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = value_step * (top // value_step + 1)
    chart.valueAxis.valueStep = value_step
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = RULE
    chart.valueAxis.gridStrokeWidth = 0.4
    chart.valueAxis.strokeColor = None
    chart.bars[0].fillColor = ACCENT
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = FONT
    chart.barLabels.fontSize = 7
    chart.barLabels.fillColor = INK
    chart.barLabels.nudge = 6
    drawing.add(chart)
    drawing.add(String(chart.x + chart.width / 2, 2, "minutes into the lesson", fontName=FONT,
                       fontSize=7, fillColor=MUTED, textAnchor="middle"))
    return drawing


def _nice_step(top: int) -> int:
    """A step for the count axis that gives it three to six lines."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100):
        if top / step <= 5:
            return step
    return 200
