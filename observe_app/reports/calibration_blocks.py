"""The parts of the calibration PDF: figures with their sentences and a gauge, each observer's
levels side by side with their evidence, the codes of an interval scan, tallies and timers."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Table, TableStyle

from observe_app.reports.blocks import Heading, cell, esc, grid, intro, level_dots, para, th
from observe_app.reports.styles import (
    ACCENT,
    FILL,
    FONT,
    FONT_BOLD,
    FRAME_WIDTH,
    INK,
    MUTED,
    NOTICE,
    RULE,
)
from observe_app.services import agreement, calibration_words
from observe_app.services.agreement import Figure
from observe_app.services.calibration import (
    CodeAgreement,
    CountPair,
    LessonAgreement,
    ScanAgreement,
)
from observe_app.services.protocols import ItemView, ProtocolVersionView

Story = list[Flowable]
SMALL = "<font size=7.5 color='#5f6b7a'>{}</font>"
GAUGE_WIDTH = 34 * mm
GRID_INTERVALS = 24  # columns of the interval-by-interval grid before it wraps
# An item's row, with every observer's evidence, moves to the next page whole unless it may be
# taller than this: a row read across is hard to follow over a page break (and ReportLab, asked
# to split rows, can start the next piece on the same page, under its repeated header).
WHOLE_ROW = 480


# --- figures ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Shown:
    """A figure as the PDF shows it: a share (83 %) or a coefficient, perhaps with a target."""

    figure: Figure
    share: bool = False
    target: float | None = None


def figure_rows(shown: Sequence[Shown]) -> Table:
    """Each figure's gauge beside the sentence the window and the command line say too."""
    rows = [[gauge(s), _sentence(s)] for s in shown]
    table = Table(rows, colWidths=[GAUGE_WIDTH + 4 * mm, FRAME_WIDTH - GAUGE_WIDTH - 4 * mm],
                  hAlign="LEFT")
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), FONT, 8.5), ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ("LINEBELOW", (0, 0), (-1, -2), 0.35, RULE)]))
    return table


def _sentence(s: Shown) -> Paragraph:
    """The figure's sentence with its name and value in bold."""
    text = calibration_words.sentence(s.figure, share=s.share, target=s.target)
    head = f"{s.figure.name}: {calibration_words.value(s.figure, share=s.share)}"
    if not text.startswith(head):
        return para(text, "cell")
    rest = text[len(head):]
    gap = " " if rest.startswith(" ") else ""
    return para(f"<b>{esc(head)}</b>{gap}{esc(rest)}", "cell", markup=True)


def gauge(s: Shown) -> Drawing:
    """The value in large type over a bar from 0 to 1, the target a tick across it. Below 0,
    the bar stays empty and says so; an undefined figure has no bar."""
    f = s.figure
    drawing = Drawing(GAUGE_WIDTH, 26)
    drawing.initialFontName = FONT
    shown = calibration_words.value(f, share=s.share).split(" (")[0]
    drawing.add(String(0, 14, shown, fontName=FONT_BOLD, fontSize=11 if f.value is not None
                       else 8.5, fillColor=INK if f.value is not None else MUTED))
    if f.value is None:
        return drawing
    if f.band:
        drawing.add(String(GAUGE_WIDTH, 14, f.band, fontName=FONT, fontSize=7,
                           fillColor=MUTED, textAnchor="end"))
    drawing.add(Rect(0, 3, GAUGE_WIDTH, 5, fillColor=FILL, strokeColor=RULE, strokeWidth=0.4))
    filled = max(0.0, min(1.0, f.value))
    if filled:
        drawing.add(Rect(0, 3, GAUGE_WIDTH * filled, 5, fillColor=ACCENT, strokeColor=None))
    if s.target is not None:
        x = GAUGE_WIDTH * s.target
        drawing.add(Line(x, 0, x, 11, strokeColor=INK, strokeWidth=1.1))
    return drawing


def share(f: Figure) -> str:
    """'83 %' or 'not defined'."""
    return calibration_words.value(f, share=True)


def reading(*, ratings: bool, scans: bool) -> Story:
    """How to read the figures, on one page (services.calibration_words says it)."""
    lines = calibration_words.reading_lines(ratings=ratings, scans=scans)
    return [KeepTogether([Heading("Reading these figures", "reading"),
                          *[para(line, "bullet", bullet="•") for line in lines]])]


# --- each observer's levels side by side ----------------------------------------------------

def by_observer(found: LessonAgreement) -> tuple[dict[str, list[int | None]],
                                                  dict[str, list[tuple[str, ...]]]]:
    """Each rubric item's level and evidence per observer, in the order of `observers`
    (names may repeat: two observers can share a name, so places are used, not names)."""
    count = len(found.observers)
    levels: dict[str, list[int | None]] = {}
    evidence: dict[str, list[tuple[str, ...]]] = {}
    for (i, j), pair in zip(itertools.combinations(range(count), 2), found.pairs, strict=True):
        for r in pair.ratings:
            levels.setdefault(r.item_id, [None] * count)
            evidence.setdefault(r.item_id, [()] * count)
            levels[r.item_id][i], levels[r.item_id][j] = r.a, r.b
            evidence[r.item_id][i], evidence[r.item_id][j] = r.a_evidence, r.b_evidence
    return levels, evidence


def _apart(given: Sequence[int | None]) -> str:
    values = [v for v in given if v is not None]
    if len(values) < 2:
        return "one level given" if values else "no level given"
    spread = max(values) - min(values)
    return {0: "same level", 1: "one level apart"}.get(spread, f"{spread} levels apart")


def _columns(count: int, first: float) -> list[float]:
    return [first] + [(FRAME_WIDTH - first) / count] * count


def ratings_side_by_side(found: LessonAgreement, protocol: ProtocolVersionView) -> Story:
    """Item by item, every observer's level with the notes they tagged to it as evidence."""
    levels, evidence = by_observer(found)
    rubric = protocol.items_of("rubric")
    count = len(found.observers)
    rows: list[list[object]] = [[th("Item")] + [th(name) for name in found.observers]]
    groups: list[int] = []
    far: list[int] = []
    section = None
    for item in rubric:
        if item.section != section:
            section = item.section
            groups.append(len(rows))
            rows.append([cell(section, "group")] + [""] * count)
        given = levels.get(item.id, [None] * count)
        apart = _apart(given)
        values = [v for v in given if v is not None]
        if len(values) >= 2 and max(values) - min(values) >= 2:
            far.append(len(rows))
        row: list[object] = [cell(f"{esc(item.label)}<br/>{SMALL.format(esc(apart))}",
                                  markup=True)]
        for level, notes in zip(given, evidence.get(item.id, [()] * count), strict=True):
            row.append(_level_cell(item, level, notes))
        rows.append(row)
    shade = [("BACKGROUND", (0, r), (-1, r), NOTICE) for r in far]
    return [intro("Each observer's level, and the notes they tagged to the item as its "
                  "evidence. Rows two or more levels apart are shaded: a place to start."),
            grid(rows, _columns(count, 40 * mm if count == 2 else 32 * mm), groups=groups,
                 extra=shade, tall_row=WHOLE_ROW)]


def _level_cell(item: ItemView, level: int | None, notes: Sequence[str]) -> Paragraph:
    top = max((lv.level for lv in item.levels), default=0)
    name = next((lv.name for lv in item.levels if lv.level == level), "")
    if level is None:
        text = SMALL.format("no level (not rated, or not observed)")
    else:
        text = (f"<b>{level} {esc(name)}</b> " + SMALL.format(level_dots(level, top)))
    # The same words written twice (two moments alike) are shown once, with how often.
    for note, times in Counter(notes).items():
        again = f" ({times} notes)" if times > 1 else ""
        text += "<br/>" + SMALL.format(f"“{esc(note)}”{again}")
    return cell(text, markup=True)


def lookfors_side_by_side(found: LessonAgreement, protocol: ProtocolVersionView) -> Story:
    count = len(found.observers)
    seen: dict[str, list[bool | None]] = {}
    for (i, j), pair in zip(itertools.combinations(range(count), 2), found.pairs, strict=True):
        for s in pair.seen:
            seen.setdefault(s.item_id, [None] * count)
            seen[s.item_id][i], seen[s.item_id][j] = s.a, s.b
    rows: list[list[object]] = [[th("Look-for")] + [th(name) for name in found.observers]]
    differ = []
    for item in protocol.items_of("lookfor"):
        marks = seen.get(item.id, [None] * count)
        if len({m for m in marks if m is not None}) > 1:
            differ.append(len(rows))
        rows.append([cell(item.label)] + [
            cell("✓ Seen", "cell_bold") if m else cell("Not seen" if m is False else "—",
                                                     "cell_muted") for m in marks])
    shade = [("BACKGROUND", (0, r), (-1, r), NOTICE) for r in differ]
    return [grid(rows, _columns(count, 70 * mm), extra=shade)]


# --- interval scans --------------------------------------------------------------------------

def scan_codes(scan: ScanAgreement, a: str, b: str) -> Story:
    """Per code: how many intervals each ticked it, and the figures with and without a
    tolerance of one interval. Codes neither ticked are named in a line, not a row each."""
    used = [c for c in scan.codes if _ticked(scan.a, c.code) or _ticked(scan.b, c.code)]
    unused = [c.label for c in scan.codes if c not in used]
    notes: list[str] = []  # why a figure is not defined, or is to be read with care

    def value(f: Figure, share: bool) -> str:
        shown = esc(calibration_words.value(f, share=share).split(" (")[0])
        reason = f.why_undefined if f.value is None else f.caution
        if reason:
            if reason not in notes:
                notes.append(reason)
            shown += f"<super>({notes.index(reason) + 1})</super>"
        return shown

    rows: list[list[object]] = [[th("Code"), th(f"Ticked: {a} / {b}", right=True),
                                 th("Agreement", right=True), th("Kappa", right=True),
                                 th("Agreement ±1", right=True), th("Kappa ±1", right=True)]]
    for c in used:
        rows.append([cell(c.label), cell(f"{_ticked(scan.a, c.code)} / {_ticked(scan.b, c.code)}",
                                         "cell_right")]
                    + [cell(value(f, share), "cell_right", markup=True)
                       for f, share in _figures(c)])
    story: Story = [grid(rows, [44 * mm, 34 * mm, 23 * mm, 23 * mm, 23 * mm, 23 * mm])]
    if notes:
        story.append(para("<br/>".join(f"({n}) {esc(_as_sentence(text))}"
                                       for n, text in enumerate(notes, start=1)), "muted",
                          markup=True))
    if unused:
        story.append(para(f"Neither observer ticked {_either(unused)} in any interval.",
                          "muted"))
    return story


def _as_sentence(text: str) -> str:
    text = text[0].upper() + text[1:]
    return text if text.endswith(".") else text + "."


def _figures(c: CodeAgreement) -> list[tuple[Figure, bool]]:
    return [(c.exact.agreement, True), (c.exact.kappa, False),
            (c.within_one.agreement, True), (c.within_one.kappa, False)]


def _ticked(sets: Sequence[frozenset[str] | None], code: str) -> int:
    return sum(1 for s in sets if s is not None and code in s)


def _either(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def interval_grid(scan: ScanAgreement, codes: Sequence[tuple[str, str]]) -> Story:
    """Interval by interval, who ticked each code: ■ both, A or B one of them (shaded),
    · an interval one of them missed. `codes` are (key, label) in the protocol's order."""
    length = max(len(scan.a), len(scan.b))
    keys = [(k, label) for k, label in codes if _ticked(scan.a, k) or _ticked(scan.b, k)]
    if not length or not keys:
        return []
    story: Story = []
    for start in range(0, length, GRID_INTERVALS):
        span = range(start, min(length, start + GRID_INTERVALS))
        rows: list[list[object]] = [[th("Interval")] + [th(str(i + 1)) for i in span]]
        shade: list[tuple[object, ...]] = []
        for r, (key, label) in enumerate(keys, start=1):
            row: list[object] = [cell(label)]
            for c, i in enumerate(span, start=1):
                mark = _mark(scan, i, key)
                if mark in ("A", "B"):
                    shade.append(("BACKGROUND", (c, r), (c, r), NOTICE))
                row.append(mark)
            rows.append(row)
        width = (FRAME_WIDTH - 44 * mm) / GRID_INTERVALS
        story.append(grid(rows, [44 * mm] + [width] * len(span), extra=[
            ("ALIGN", (1, 0), (-1, -1), "CENTER"), ("LEFTPADDING", (1, 0), (-1, -1), 0),
            ("RIGHTPADDING", (1, 0), (-1, -1), 0), ("FONT", (1, 1), (-1, -1), FONT_BOLD, 8),
            ("TEXTCOLOR", (1, 1), (-1, -1), INK), *shade]))
    return story


def _mark(scan: ScanAgreement, i: int, code: str) -> str:
    a = scan.a[i] if i < len(scan.a) else None
    b = scan.b[i] if i < len(scan.b) else None
    if a is None or b is None:
        return "·"
    return {(True, True): "■", (True, False): "A", (False, True): "B"}.get(
        (code in a, code in b), "")


# --- tallies and timers ----------------------------------------------------------------------

def counts_table(counts: Sequence[CountPair], a: str, b: str) -> Story:
    """Each tally and timer either observer used; the others named in a line."""
    rows: list[list[object]] = [[th("Tally or timer"), th(a, right=True), th(b, right=True),
                                 th("Apart", right=True), th("Of the larger", right=True)]]
    unused = [c.label for c in counts if c.difference.a is None and c.difference.b is None]
    undefined = []
    for c in counts:
        if c.label in unused:
            continue
        d = c.difference
        unit = " s" if c.kind == "timer" else ""
        shown = [_amount(d.a, unit), _amount(d.b, unit)]
        if d.absolute is None:
            undefined.append(f"{c.label}: {d.why_undefined}.")
            shown += ["—", "—"]
        else:
            shown += [_amount(d.absolute, unit), f"{(d.relative or 0) * 100:.0f} %"]
        rows.append([cell(c.label)] + [cell(x, "cell_right") for x in shown])
    story: Story = [intro("Counts of the same lesson, and how far apart they lie; a timer is "
                          "the time it ran in all.")]
    if len(rows) > 1:
        story.append(grid(rows, [70 * mm, 27 * mm, 27 * mm, 22 * mm, 24 * mm]))
    if undefined:
        story.append(para(" ".join(undefined), "muted"))
    if unused:
        story.append(para(f"Neither observer used {_either(unused)}.", "muted"))
    return story


def _amount(x: float | None, unit: str) -> str:
    if x is None:
        return "—"
    return (f"{x:.0f}" if float(x).is_integer() else f"{x:.1f}") + unit


def targets_line() -> str:
    """The two targets in a line, for under the figures."""
    return (f"Ticks on the bars mark the targets: {agreement.WITHIN_ONE_TARGET * 100:.0f} % "
            f"within one level, and a weighted kappa of {agreement.WEIGHTED_KAPPA_TARGET:.2f}.")
