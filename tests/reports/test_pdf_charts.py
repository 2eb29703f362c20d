"""The growth charts of the PDF summary: readable in greyscale and with many cycles."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import pytest
from reportlab.graphics.shapes import Drawing, Group, Line, PolyLine, Shape, String
from reportlab.graphics.widgetbase import Widget
from reportlab.graphics.widgets.markers import Marker
from reportlab.pdfbase.pdfmetrics import stringWidth
from sqlalchemy.orm import Session

from observe_app.domain.enums import CycleStage
from observe_app.reports import charts, export_cycle
from observe_app.reports.styles import FRAME_WIDTH, SERIES, register_fonts
from observe_app.services import demo, people, protocols
from observe_app.storage.engine import Database

DOMAINS = ["Planning and preparation", "Classroom environment", "Instruction",
           "Assessment and use of data", "Professional collaboration"]


@pytest.fixture(autouse=True, scope="module")
def _fonts() -> None:
    register_fonts()


def give_many_cycles(session: Session, teacher: str, extra: int) -> str:
    """`extra` more closed rubric cycles for a demo teacher, a fortnight apart after the demo's
    own; returns the last one's id (its summary's growth chart has them all)."""
    b = demo._Builder(session)
    b.people = {p.name: p.id for p in people.list_people(session)}
    for summary in protocols.list_protocols(session):
        b.versions[summary.slug] = protocols.get_version(session, summary.latest_version_id)
    mentor = dict(demo.MENTORING)[teacher]
    day = dt.date(2026, 12, 9)
    cid = ""
    for n in range(extra):
        cid = b.cycle(teacher, mentor, "new-teacher-growth", day + dt.timedelta(days=14 * n),
                      CycleStage.CLOSED, min(1.0, 0.5 + n / extra), demo.FOCI[n % 4])
        b.settle()
    return cid


def dates(count: int) -> list[str]:
    """Labels as the summary writes them ('8 Oct 2025'), a fortnight apart."""
    days = [dt.date(2025, 10, 8) + dt.timedelta(days=14 * n) for n in range(count)]
    return [f"{d.day} {d:%b %Y}" for d in days]


def chart(names: list[str], count: int, ends: list[float] | None = None) -> Drawing:
    """A 1..4 chart over `count` cycles; line i ends at ends[i] (all close together by
    default, as a teacher's domains often are)."""
    ends = ends or [3.5 + 0.1 * (i % 3) for i in range(len(names))]
    series = {name: [(x, 1 + (end - 1) * x / (count - 1)) for x in range(count)]
              for name, end in zip(names, ends, strict=True)}
    return charts.trend_lines(series, dates(count), FRAME_WIDTH, y_min=1, y_max=4, y_step=1)


Placed = tuple[Shape, float, float]  # a shape and where its own (0, 0) is on the drawing


def primitives(drawing: Drawing) -> Iterator[Placed]:
    """Every shape ReportLab will paint for the drawing, widgets drawn, with the offset its
    groups move it by (axis labels are drawn at 0, 0 in a translated group)."""
    def walk(node: Shape, dx: float, dy: float) -> Iterator[Placed]:
        if isinstance(node, Widget):
            yield from walk(node.draw(), dx, dy)
        elif isinstance(node, Group):
            a, b, c, d, e, f = node.transform
            assert (a, b, c, d) == (1, 0, 0, 1) or not any(
                isinstance(x, String) for x in node.contents), "only translated text"
            for child in node.contents:
                yield from walk(child, dx + e, dy + f)
        else:
            yield node, dx, dy
    yield from walk(drawing, 0, 0)


def shapes(drawing: Shape, kind: type[Shape]) -> list[Shape]:
    return [s for s, _dx, _dy in primitives(drawing) if isinstance(s, kind)]


@dataclass(frozen=True)
class Text:
    text: str
    left: float
    right: float
    y: float  # baseline
    size: float


def strings(drawing: Drawing, texts: list[str]) -> list[Text]:
    """The drawn strings among `texts`, where they land on the drawing."""
    found = []
    for s, dx, dy in primitives(drawing):
        if isinstance(s, String) and s.text in texts:
            width = stringWidth(s.text, s.fontName, s.fontSize)
            left = dx + {"start": s.x, "middle": s.x - width / 2, "end": s.x - width}[
                s.textAnchor]
            found.append(Text(s.text, left, left + width, dy + s.y, s.fontSize))
    return found


def luminance(color: object) -> float:
    r, g, b = (255 * getattr(color, c) for c in ("red", "green", "blue"))
    return 0.299 * r + 0.587 * g + 0.114 * b


def test_series_colours_are_apart_in_greyscale() -> None:
    greys = [luminance(c) for c in SERIES]
    for a, b in zip(greys, greys[1:], strict=False):
        assert abs(a - b) >= 40, f"neighbouring series print as similar greys: {greys}"
    for a, b in combinations(greys, 2):
        assert abs(a - b) >= 20, f"two series print as the same grey: {greys}"
    # none so light it fades on white paper, none so dark it reads as the black text
    assert all(30 <= g <= 200 for g in greys), greys


def test_each_line_has_its_own_marker_and_dash() -> None:
    names = [f"Series {n}" for n in range(len(SERIES))]
    drawing = chart(names, 6)
    lines = shapes(drawing, PolyLine)
    dashes = [tuple(line.strokeDashArray or ()) for line in lines if len(line.points) == 12]
    assert len(dashes) == len(names)
    assert len(set(dashes)) == len(names), dashes
    assert dashes[0] == ()  # the first line is solid
    markers = [charts.series_marker(i) for i in range(len(names))]
    outlines = {(m.kind.removeprefix("Filled"), m.angle) for m in markers}
    assert len(outlines) == len(names), "two lines share a marker shape"
    assert {m.kind.startswith("Filled") for m in markers} == {True, False}, \
        "some markers filled, some open"
    plot = drawing.contents[0]
    assert [plot.lines[i].symbol.kind for i in range(len(names))] == [m.kind for m in markers]


@pytest.mark.parametrize("count", [3, 8, 14, 15, 30, 60])
def test_date_labels_never_overprint(count: int) -> None:
    labels = dates(count)
    drawing = chart(DOMAINS, count)
    shown = sorted(strings(drawing, labels), key=lambda s: s.left)
    texts = [s.text for s in shown]
    assert texts[0] == labels[0] and texts[-1] == labels[-1], "first and last dates show"
    assert texts == [label for label in labels if label in texts], "in order, none twice"
    for a, b in zip(shown, shown[1:], strict=False):
        assert a.right + 4 <= b.left, f"{a.text!r} runs into {b.text!r}"
    if count <= 8:
        assert len(shown) >= count // 2
    # spread evenly: no gap more than one step wider than another
    steps = [labels.index(b) - labels.index(a) for a, b in zip(texts, texts[1:], strict=False)]
    assert max(steps) - min(steps) <= 1, steps


def test_line_names_sit_at_line_ends_without_overlapping() -> None:
    drawing = chart(DOMAINS, 14, ends=[4.0, 4.0, 3.9, 3.67, 3.5])
    labels = strings(drawing, DOMAINS)
    assert sorted(s.text for s in labels) == sorted(DOMAINS), "each line named once"
    plot = drawing.contents[0]
    right = plot.x + plot.width
    for s in labels:
        assert s.left > right, f"{s.text!r} is not beside the plot's right end"
        assert s.right <= drawing.width + 0.01, f"{s.text!r} runs off the drawing"
        assert plot.y <= s.y <= drawing.height - 0.8 * s.size, f"{s.text!r} out of bounds"
    heights = sorted(s.y for s in labels)
    for a, b in zip(heights, heights[1:], strict=False):
        assert b - a >= labels[0].size, "two line names overlap"
    # the names keep the top-to-bottom order in which the lines end
    order = [s.text for s in sorted(labels, key=lambda s: -s.y)]
    assert order.index("Assessment and use of data") < order.index("Professional collaboration")
    # each name has its line's marker beside it
    markers = [m for m in drawing.contents if isinstance(m, Marker)]
    assert len(markers) == len(DOMAINS)
    assert not any(isinstance(c, charts.Legend) for c in drawing.contents), \
        "with names at the ends, a legend would say it twice"


def test_names_too_long_for_the_margin_go_in_a_legend_with_line_samples() -> None:
    names = ["Students working together on a shared task at their tables",
             "Students listening to the teacher explain"]
    drawing = chart(names, 5)
    legends = [c for c in drawing.contents if isinstance(c, charts.Legend)]
    assert len(legends) == 1
    plot = drawing.contents[0]
    assert plot.x + plot.width > drawing.width - 20, "the plot keeps the full width"
    names_drawn = {s.text for s in shapes(legends[0], String)}
    assert set(names) <= names_drawn
    # each swatch is a sample of the line: its dash pattern and its marker
    swatch_lines = shapes(legends[0], Line)
    assert [tuple(s.strokeDashArray or ()) for s in swatch_lines] == \
        [tuple(charts.series_dash(i) or ()) for i in range(2)]


def test_spread_labels_moves_them_apart_and_no_further() -> None:
    assert charts.spread_labels([10, 50, 90], 9, 0, 100) == [10, 50, 90]
    heights = charts.spread_labels([50, 50, 50], 9, 0, 100)
    assert sorted(heights) == [41, 50, 59], "a clash is split around where they want to be"
    heights = charts.spread_labels([99, 98, 97, 20], 9, 0, 100)
    assert max(heights) <= 100 and heights[3] == 20
    assert sorted(heights[:3]) == [82, 91, 100] and heights[0] > heights[1] > heights[2]


def words_on(pdf: Path, page: int) -> list[tuple[float, float, float, str]]:
    """(left, right, top, text) of every word on a page, as poppler finds them."""
    xml = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-bbox", str(pdf),
                          "-"], capture_output=True, text=True, check=True).stdout
    found = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                       r'yMax="[\d.]+">([^<]*)</word>', xml)
    return [(float(x0), float(x1), float(y0), text) for x0, y0, x1, text in found]


def test_growth_chart_of_fifteen_cycles_in_the_pdf(demo_copy: Database,
                                                   tmp_path: Path) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    with demo_copy.transaction() as s:
        cycle_id = give_many_cycles(s, "Aino Mäkelä", 10)
    pdf = tmp_path / "many.pdf"
    export_cycle(demo_copy, cycle_id, pdf, tz=dt.UTC)
    pages = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")
    page = next(n for n, text in enumerate(pages, 1) if "Mean rubric level per domain" in text)
    words = words_on(pdf, page)
    chart_top = next(top for _l, _r, top, text in words if text == "rubric")
    in_chart = [w for w in words if w[2] > chart_top + 20]
    text = " ".join(w[3] for w in in_chart)
    for name in DOMAINS:  # named at their ends, as real text
        assert name in text
    assert "8 Oct 2025" in text and "14 Apr 2027" in text, "first and last cycle dated"
    rows: dict[float, list[tuple[float, float, float, str]]] = {}
    for w in in_chart:
        rows.setdefault(round(w[2], 1), []).append(w)
    dated = next(row for row in rows.values() if sum(w[3] == "2027" for w in row) >= 2)
    dated.sort()
    for (_l, right, _t, a), (left, _r, _t2, b) in zip(dated, dated[1:], strict=False):
        assert right <= left, f"dates overprint on the axis: {a!r} and {b!r}"
