"""Charts for the summary, drawn with ReportLab's graphics (vector, with the embedded fonts)."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors

from observe_app.reports.scripts import font_covering
from observe_app.reports.styles import FONT, FONT_BOLD, INK, MUTED, RULE, SERIES

BAR_ROW = 15  # points per bar


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
                y_format: str = "%g", height: float = 150) -> Drawing:
    """Lines over the teacher's cycles or visits: x is the position in `x_labels`."""
    legend_rows = (len(series) + 1) // 2
    legend_height = 13 * legend_rows + 6
    drawing = _drawing(width, height + legend_height)
    plot = LinePlot()
    plot.x = 30
    plot.y = legend_height + 22
    plot.width = width - 45
    plot.height = height - 30
    plot.data = [points for points in series.values()]
    plot.joinedLines = 1
    for i, _name in enumerate(series):
        line = plot.lines[i]
        line.strokeColor = SERIES[i % len(SERIES)]
        line.strokeWidth = 1.6
        line.symbol = makeMarker("FilledCircle", size=4.5,
                                 fillColor=SERIES[i % len(SERIES)], strokeColor=None)
    last = max(len(x_labels) - 1, 1)
    plot.xValueAxis.valueMin = -0.3
    plot.xValueAxis.valueMax = last + 0.3
    plot.xValueAxis.valueSteps = list(range(len(x_labels)))
    plot.xValueAxis.labelTextFormat = lambda v: _label_at(x_labels, v)
    plot.xValueAxis.labels.fontName = FONT
    plot.xValueAxis.labels.fontSize = 7
    plot.xValueAxis.labels.fillColor = MUTED
    plot.xValueAxis.strokeColor = RULE
    plot.yValueAxis.valueMin = y_min
    plot.yValueAxis.valueMax = y_max
    plot.yValueAxis.valueStep = y_step
    plot.yValueAxis.labelTextFormat = y_format
    plot.yValueAxis.labels.fontName = FONT
    plot.yValueAxis.labels.fontSize = 7
    plot.yValueAxis.labels.fillColor = MUTED
    plot.yValueAxis.strokeColor = None
    plot.yValueAxis.visibleGrid = True
    plot.yValueAxis.gridStrokeColor = RULE
    plot.yValueAxis.gridStrokeWidth = 0.4
    plot.yValueAxis.gridStart = plot.x
    plot.yValueAxis.gridEnd = plot.x + plot.width
    drawing.add(plot)
    legend = Legend()
    legend.x = plot.x
    legend.y = legend_height - 4
    legend.alignment = "right"
    legend.columnMaximum = legend_rows
    legend.deltax = (width - plot.x) / 2
    legend.dx = 8
    legend.dy = 8
    legend.deltay = 13
    legend.fontName = font_covering(series, FONT)
    legend.fontSize = 8
    legend.fillColor = INK
    legend.strokeColor = None
    legend.colorNamePairs = [(SERIES[i % len(SERIES)], name) for i, name in enumerate(series)]
    drawing.add(legend)
    return drawing


def _label_at(labels: Sequence[str], value: float) -> str:
    index = round(value)
    return labels[index] if 0 <= index < len(labels) and abs(value - index) < 0.01 else ""
