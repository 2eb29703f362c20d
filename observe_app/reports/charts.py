"""Charts for the summary, drawn with ReportLab's graphics (vector, with the embedded fonts).

The growth charts must read on a greyscale printer and with a year or two of cycles: each line
has its own colour, marker and dash pattern, is named at its right end, and the date axis
labels only as many cycles as fit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.graphics.widgets.markers import Marker, makeMarker
from reportlab.lib import colors
from reportlab.lib.validators import Auto
from reportlab.pdfbase.pdfmetrics import stringWidth

from observe_app.reports.scripts import font_covering
from observe_app.reports.styles import FONT, FONT_BOLD, INK, MUTED, RULE, SERIES

BAR_ROW = 15  # points per bar
PAPER = colors.white  # inside an open marker, so the line does not show through it


@dataclass(frozen=True)
class SeriesStyle:
    """How one line is told apart without its colour: a marker and a dash pattern."""

    marker: str  # a ReportLab marker kind
    filled: bool
    dash: tuple[float, ...] | None  # None: solid
    angle: float = 0


# Paired with SERIES by position: shapes and dashes both differ from one line to the next.
# Dashes are short enough that a segment between two cycles shows the pattern.
SERIES_STYLES = [
    SeriesStyle("Circle", True, None),
    SeriesStyle("Square", False, (6, 2.5)),
    SeriesStyle("Triangle", True, (1.6, 2)),
    SeriesStyle("Diamond", False, (7, 2, 1.6, 2)),
    SeriesStyle("Cross", True, (3, 2)),
    SeriesStyle("Triangle", False, (9, 2, 1.6, 2, 1.6, 2), angle=180),
    SeriesStyle("StarFive", True, (12, 3)),
]
LINE_WIDTH = 1.6
MARKER_SIZE = 6
AXIS_FONT_SIZE = 7
AXIS_LABEL_GAP = 6  # at least this much white between two date labels
LABEL_FONT_SIZE = 7.5
LABEL_LEADING = 9.5  # direct labels at a line's end stay this far apart
LABEL_GUTTER_SHARE = 0.34  # direct labels may take at most this share of the width


def series_color(i: int) -> colors.Color:
    return SERIES[i % len(SERIES)]


def series_marker(i: int) -> Marker:
    style = SERIES_STYLES[i % len(SERIES_STYLES)]
    color = series_color(i)
    kind = ("Filled" if style.filled else "") + style.marker
    return makeMarker(kind, size=MARKER_SIZE, angle=style.angle,
                      fillColor=color if style.filled else PAPER, strokeColor=color,
                      strokeWidth=0.4 if style.filled else 1.1)


def series_dash(i: int) -> list[float] | None:
    dash = SERIES_STYLES[i % len(SERIES_STYLES)].dash
    return list(dash) if dash else None


def _drawing(width: float, height: float) -> Drawing:
    """A drawing whose default font is the embedded one (ReportLab's default is Helvetica)."""
    drawing = Drawing(width, height)
    drawing.initialFontName = FONT
    drawing.initialFontSize = 8
    return drawing


def share_bars(title: str, rows: Sequence[tuple[str, float]], width: float,
               color: colors.Color) -> Drawing:
    """Horizontal bars: the share (0..1) of recorded intervals in which each code was seen."""
    label_width = 92
    height = 22 + BAR_ROW * max(len(rows), 1) + 16
    drawing = _drawing(width, height)
    drawing.add(String(0, height - 11, title, fontName=font_covering([title], FONT_BOLD),
                       fontSize=8.5, fillColor=INK))
    chart = HorizontalBarChart()
    chart.x = label_width
    chart.y = 16
    chart.width = width - label_width - 30
    chart.height = BAR_ROW * max(len(rows), 1)
    # Bars are drawn bottom-up: reverse so the first code reads first.
    ordered = list(reversed(rows))
    chart.data = [[round(share * 100, 1) for _label, share in ordered] or [0]]
    chart.categoryAxis.categoryNames = [label for label, _share in ordered] or [""]
    chart.categoryAxis.labels.fontName = font_covering(chart.categoryAxis.categoryNames, FONT)
    chart.categoryAxis.labels.fontSize = 8
    chart.categoryAxis.labels.fillColor = INK
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    chart.categoryAxis.strokeColor = RULE
    chart.categoryAxis.tickLeft = 0
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = 100
    chart.valueAxis.valueStep = 25
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labels.fillColor = MUTED
    chart.valueAxis.labelTextFormat = "%d%%"
    chart.valueAxis.strokeColor = RULE
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = RULE
    chart.valueAxis.gridStrokeWidth = 0.4
    chart.bars[0].fillColor = color
    chart.bars[0].strokeColor = None
    chart.barWidth = BAR_ROW * 0.62
    chart.barSpacing = 0
    chart.groupSpacing = BAR_ROW * 0.38
    chart.barLabelFormat = "%.0f%%"
    chart.barLabels.fontName = FONT
    chart.barLabels.fontSize = 7
    chart.barLabels.fillColor = MUTED
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    drawing.add(chart)
    return drawing


def trend_lines(series: dict[str, list[tuple[int, float]]], x_labels: Sequence[str],
                width: float, *, y_min: float, y_max: float, y_step: float,
                y_format: str = "%g", height: float = 150,
                targets: Sequence[float] = ()) -> Drawing:
    """Lines over the teacher's cycles or visits: x is the position in `x_labels`.

    Each line is named at its right end; when the names do not fit there (too long for the
    margin, or too many for the height) they go in a legend under the chart instead.
    `targets` are values to read the lines against (a calibration target): each a dashed
    grey rule across the plot, under the lines; the text around the chart says what it is.
    """
    names = list(series)
    gutter = _label_gutter(names, width, height)
    legend_height = 0.0 if gutter else 13 * ((len(names) + 1) // 2) + 6
    drawing = _drawing(width, height + legend_height)
    plot = LinePlot()
    plot.x = 30
    plot.y = legend_height + 22
    plot.width = width - plot.x - (gutter or 15)
    plot.height = height - 30
    plot.data = [series[name] for name in names]
    plot.joinedLines = 1
    for i, name in enumerate(names):
        line = plot.lines[i]
        line.name = name
        line.strokeColor = series_color(i)
        line.strokeWidth = LINE_WIDTH
        line.strokeDashArray = series_dash(i)
        line.symbol = series_marker(i)
    last = max(len(x_labels) - 1, 1)
    plot.xValueAxis.valueMin = -0.3
    plot.xValueAxis.valueMax = last + 0.3
    # A tick at every cycle, a date under as many as fit side by side.
    plot.xValueAxis.valueSteps = list(range(len(x_labels)))
    shown = set(axis_label_indices(x_labels, _spacing(plot.width, len(x_labels))))
    plot.xValueAxis.labelTextFormat = lambda v: _label_at(x_labels, v, shown)
    plot.xValueAxis.labels.fontName = FONT
    plot.xValueAxis.labels.fontSize = AXIS_FONT_SIZE
    plot.xValueAxis.labels.fillColor = MUTED
    plot.xValueAxis.strokeColor = RULE
    plot.yValueAxis.valueMin = y_min
    plot.yValueAxis.valueMax = y_max
    plot.yValueAxis.valueStep = y_step
    plot.yValueAxis.labelTextFormat = y_format
    plot.yValueAxis.labels.fontName = FONT
    plot.yValueAxis.labels.fontSize = AXIS_FONT_SIZE
    plot.yValueAxis.labels.fillColor = MUTED
    plot.yValueAxis.strokeColor = None
    plot.yValueAxis.visibleGrid = True
    plot.yValueAxis.gridStrokeColor = RULE
    plot.yValueAxis.gridStrokeWidth = 0.4
    plot.yValueAxis.gridStart = plot.x
    plot.yValueAxis.gridEnd = plot.x + plot.width
    for value in targets:  # under the lines, which are drawn after
        _add_target(drawing, plot, value)
    drawing.add(plot)
    if gutter:
        _add_end_labels(drawing, plot, names)
    else:
        drawing.add(_legend(plot, names, width, legend_height))
    return drawing


def _add_target(drawing: Drawing, plot: LinePlot, value: float) -> None:
    axis = plot.yValueAxis
    y = plot.y + (value - axis.valueMin) / (axis.valueMax - axis.valueMin) * plot.height
    drawing.add(Line(plot.x, y, plot.x + plot.width, y, strokeColor=INK, strokeWidth=0.8,
                     strokeDashArray=[4, 2.5]))


def _spacing(plot_width: float, count: int) -> float:
    """Points between two neighbouring cycles along x (the axis runs from -0.3 to last + 0.3)."""
    return plot_width / (max(count - 1, 1) + 0.6)


def axis_label_indices(labels: Sequence[str], spacing: float) -> list[int]:
    """Which of the evenly spaced, centred `labels` to print so that none overprints another:
    as many as fit, spread evenly from the first to the last (both always shown)."""
    count = len(labels)
    if count <= 2:
        return list(range(count))
    widths = [stringWidth(label, FONT, AXIS_FONT_SIZE) for label in labels]

    def apart(a: int, b: int) -> bool:
        return (b - a) * spacing >= (widths[a] + widths[b]) / 2 + AXIS_LABEL_GAP

    for gaps in range(count - 1, 0, -1):
        # every k-th, with k the same or one more along the axis (14 cycles in 4 gaps: 4,3,3,4)
        kept = sorted({round(n * (count - 1) / gaps) for n in range(gaps + 1)})
        if all(apart(a, b) for a, b in zip(kept, kept[1:], strict=False)):
            return kept
    return [0, count - 1]


def _label_at(labels: Sequence[str], value: float, shown: set[int]) -> str:
    index = round(value)
    if index in shown and 0 <= index < len(labels) and abs(value - index) < 0.01:
        return labels[index]
    return ""


def _label_width(name: str) -> float:
    return MARKER_SIZE + 4 + stringWidth(name, FONT, LABEL_FONT_SIZE)


def _label_gutter(names: Sequence[str], width: float, height: float) -> float:
    """The right margin the line-end labels need, or 0 when they do not fit beside the plot."""
    if not names:
        return 0
    gutter = 10 + max(_label_width(name) for name in names)
    fits_height = len(names) * LABEL_LEADING <= height - 22
    return gutter if gutter <= width * LABEL_GUTTER_SHARE and fits_height else 0


def spread_labels(wanted: Sequence[float], leading: float, low: float,
                  high: float) -> list[float]:
    """Heights for labels that want to sit at `wanted`, moved as little as possible so that no
    two are closer than `leading` and all lie in [low, high]. Overlapping labels are gathered
    into a block centred on where its labels want to be."""
    order = sorted(range(len(wanted)), key=lambda i: wanted[i])
    blocks: list[tuple[float, list[int]]] = []  # (bottom, members bottom-up)

    def placed(members: list[int]) -> float:
        middle = sum(wanted[i] for i in members) / len(members)
        bottom = middle - leading * (len(members) - 1) / 2
        return max(low, min(bottom, high - leading * (len(members) - 1)))

    for i in order:
        blocks.append((placed([i]), [i]))
        while len(blocks) > 1:
            (bottom_a, a), (bottom_b, b) = blocks[-2], blocks[-1]
            if bottom_a + leading * len(a) <= bottom_b + 1e-9:
                break
            blocks[-2:] = [(placed(a + b), a + b)]
    heights = [0.0] * len(wanted)
    for bottom, members in blocks:
        for n, i in enumerate(members):
            heights[i] = bottom + n * leading
    return heights


def _ends(plot: LinePlot) -> list[tuple[float, float]]:
    """Where each line ends on the drawing (its last point), as the plot scales it."""
    x_axis, y_axis = plot.xValueAxis, plot.yValueAxis
    x_span = x_axis.valueMax - x_axis.valueMin
    y_span = y_axis.valueMax - y_axis.valueMin
    ends = []
    for points in plot.data:
        x, y = max(points) if points else (x_axis.valueMax, y_axis.valueMin)
        ends.append((plot.x + (x - x_axis.valueMin) / x_span * plot.width,
                     plot.y + (y - y_axis.valueMin) / y_span * plot.height))
    return ends


def end_label_positions(plot: LinePlot) -> list[tuple[float, float]]:
    """The centre-left point of each line's name in the right margin: at the height its line
    ends, nudged apart so that no two names overlap."""
    ends = _ends(plot)
    heights = spread_labels([y for _x, y in ends], LABEL_LEADING, plot.y + 2,
                            plot.y + plot.height + 4)
    left = plot.x + plot.width + 5
    return [(left, y) for y in heights]


def _add_end_labels(drawing: Drawing, plot: LinePlot, names: Sequence[str]) -> None:
    """Each line's marker and name at its right end; a thin leader when the name had to move."""
    axis = plot.xValueAxis
    last = axis.valueMax - 0.3  # the last cycle (the axis runs 0.3 past it)
    right = plot.x + (last - axis.valueMin) / (axis.valueMax - axis.valueMin) * plot.width
    for i, ((x, y), (end_x, end_y), name) in enumerate(
            zip(end_label_positions(plot), _ends(plot), names, strict=True)):
        at_right_end = end_x >= right - 0.5
        if at_right_end and abs(y - end_y) > 2:
            drawing.add(Line(end_x + MARKER_SIZE / 2 + 1, end_y, x - 1, y,
                             strokeColor=series_color(i), strokeWidth=0.5))
        marker = series_marker(i)
        marker.x, marker.y = x + MARKER_SIZE / 2 + 1, y
        drawing.add(marker)
        drawing.add(String(x + MARKER_SIZE + 4, y - LABEL_FONT_SIZE * 0.35, name,
                           fontName=font_covering([name], FONT), fontSize=LABEL_FONT_SIZE,
                           fillColor=INK))


def _legend(plot: LinePlot, names: Sequence[str], width: float, height: float) -> Legend:
    """Names under the chart, two columns, each beside a sample of its line: the plot's own
    swatch (ReportLab's makeSwatchSample), so the dash pattern and the marker show."""
    legend = Legend()
    legend.x = plot.x
    legend.y = height - 4
    legend.alignment = "right"
    legend.columnMaximum = (len(names) + 1) // 2
    legend.deltax = (width - plot.x) / 2
    legend.dx = 24
    legend.dy = 8
    legend.deltay = 13
    legend.fontName = font_covering(names, FONT)
    legend.fontSize = 8
    legend.fillColor = INK
    legend.strokeColor = None
    legend.colorNamePairs = [(Auto(obj=plot, index=i), name) for i, name in enumerate(names)]
    return legend
