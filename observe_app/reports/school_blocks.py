"""Blocks of the PLC data review PDF: figure tables with their bars (this period against the
one before), rubric levels as stacked bars, and the notes that say why a figure is withheld."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph

from observe_app.reports.blocks import cell, esc, grid, para, th
from observe_app.reports.scripts import ScriptParagraph, font_covering
from observe_app.reports.styles import (
    ACCENT,
    FONT,
    FRAME_WIDTH,
    INK,
    MUTED,
    RULE,
    STYLES,
    ZEBRA,
)
from observe_app.services.school_figures import Figure, Pattern
from observe_app.services.school_json import is_share, shown_change, shown_value

Story = list[Flowable]
MUTED_RIGHT = ParagraphStyle("cell_muted_right", parent=STYLES["cell_muted"], alignment=TA_RIGHT)

NOW = ACCENT
BEFORE = colors.HexColor("#a9c3c6")  # the period before: a lighter tone of the same teal
NOTHING = "nothing was recorded"
BAR_WIDTH = 36 * mm
BAR_HEIGHT = 5


def count_word(kind: str) -> str:
    return "cycle" if kind == "rubric" else "visit"


@dataclass
class Withheld:
    """The reasons figures of one block are withheld, numbered as the cells refer to them."""

    reasons: list[str] = field(default_factory=list)

    def mark(self, figure: Figure) -> str:
        if figure.withheld == NOTHING or not figure.withheld:
            return "—"
        if figure.withheld not in self.reasons:
            self.reasons.append(figure.withheld)
        return f"withheld ({self.reasons.index(figure.withheld) + 1})"

    def notes(self) -> Story:
        return [para(f"({n}) {reason}.", "muted") for n, reason in
                enumerate(self.reasons, start=1)]


def legend_line(now: str, before: str, kind: str, measure: str) -> Paragraph:
    """Which bar is which period, and what a change is measured in."""
    unit = "percentage points" if is_share(kind, measure) else \
        {"timer": "seconds", "tally": "counts"}.get(kind, "the figure's own units")
    return para(f'<font color="#{NOW.hexval()[2:]}">■</font> '
                f"{esc(now)}   "
                f'<font color="#{BEFORE.hexval()[2:]}">■</font> {esc(before)}   '
                f"· change in {unit}; — nothing was recorded", "muted", markup=True)


def _drawing(width: float, height: float) -> Drawing:
    """A drawing whose default font is the embedded one (ReportLab's is Helvetica)."""
    drawing = Drawing(width, height)
    drawing.initialFontName = FONT
    drawing.initialFontSize = 8
    return drawing


def _bars(now: float | None, before: float | None, top: float, track: bool) -> Drawing:
    """Two bars, this period above the one before, on a scale that ends at `top`."""
    drawing = _drawing(BAR_WIDTH, 2 * BAR_HEIGHT + 4)
    for n, (value, color) in enumerate(((now, NOW), (before, BEFORE))):
        y = BAR_HEIGHT + 3 - n * (BAR_HEIGHT + 2)
        if track:
            drawing.add(Rect(0, y, BAR_WIDTH, BAR_HEIGHT, fillColor=ZEBRA, strokeColor=None))
        if value is not None and top > 0:
            drawing.add(Rect(0, y, BAR_WIDTH * max(0.0, min(value / top, 1.0)), BAR_HEIGHT,
                             fillColor=color, strokeColor=None))
    return drawing


def _value_cell(p: Pattern, figure: Figure, withheld: Withheld) -> Paragraph:
    if figure.value is None:
        return ScriptParagraph(esc(withheld.mark(figure)), MUTED_RIGHT)
    n = figure.visits
    word = count_word(p.kind) + ("" if n == 1 else "s")
    return cell(f'{esc(shown_value(p.kind, figure.value, p.measure))}<br/><font size="7" color="#'
                f'{MUTED.hexval()[2:]}">{n} {word}</font>', "cell_right", markup=True)


def figure_table(kind: str, heading: str, patterns: Sequence[Pattern]) -> Story:
    """One row per figure: its label, its bars, this period, before, the change; withheld
    cells point to a numbered note under the table."""
    withheld = Withheld()
    values = [f.value for p in patterns for f in (p.now, p.before) if f.value is not None]
    share = is_share(kind, patterns[0].measure)
    top = 1.0 if share else max(values, default=0.0)
    rows: list[list[object]] = [[th(heading), th(""), th("This period", right=True),
                                 th("Before", right=True), th("Change", right=True)]]
    for p in patterns:
        change = p.change
        rows.append([cell(p.label), _bars(p.now.value, p.before.value, top, share),
                     _value_cell(p, p.now, withheld), _value_cell(p, p.before, withheld),
                     cell(shown_change(kind, change, p.measure) if change is not None
                          else "—", "cell_right")])
    widths = [FRAME_WIDTH - BAR_WIDTH - 70 * mm, BAR_WIDTH + 4 * mm, 23 * mm, 23 * mm, 20 * mm]
    table = grid(rows, widths, extra=[("VALIGN", (1, 1), (1, -1), "MIDDLE")])
    return [table, *withheld.notes()]


def none_shown(title: str, patterns: Sequence[Pattern], now: str, before: str) -> Story:
    """A block with no figure to show in either period: one sentence, with the reasons."""
    said = []
    for name, figures in ((now, [p.now for p in patterns]), (before, [p.before for p in patterns])):
        reasons = list(dict.fromkeys(f.withheld for f in figures if f.withheld))
        said.append(f"{name}: {'; '.join(reasons)}.")
    count = len(patterns)
    return [para(f"{title}: none of its {count} figure{'s' if count != 1 else ''} can be shown. "
                 + " ".join(said), "muted")]


def any_shown(patterns: Sequence[Pattern]) -> bool:
    return any(f.value is not None for p in patterns for f in (p.now, p.before))


# -- rubric levels: a stacked bar per domain and period ---------------------------------------

LEVEL_LIGHT = colors.HexColor("#d4e6e8")
LEVEL_DARK = colors.HexColor("#184d53")
STACK_HEIGHT = 11
TAG_WIDTH = 38  # "Before" at the left of each bar


def level_colors(levels: Sequence[str]) -> list[colors.Color]:
    """From light (level 1) to dark (the top level, 4 at least), by the level's number: a
    level has the same colour in every domain and protocol. Reads in greyscale too."""
    numbers = [_level_order(label)[0] for label in levels]
    known = [n for n in numbers if n < _UNNUMBERED]
    top = max([4, *known])
    return [colors.linearlyInterpolatedColor(LEVEL_LIGHT, LEVEL_DARK, 1, top, min(n, top))
            if n < _UNNUMBERED else colors.grey for n in numbers]


def _ink_on(color: colors.Color) -> colors.Color:
    grey = 0.299 * color.red + 0.587 * color.green + 0.114 * color.blue
    return colors.white if grey < 0.55 else INK


def level_legend(levels: Sequence[str], width: float = FRAME_WIDTH) -> Drawing:
    """Each level's swatch and name, in rows as wide as the page allows."""
    font = font_covering(list(levels), FONT)
    placed: list[tuple[float, int]] = []
    x, row = 0.0, 0
    for name in levels:
        w = 14 + stringWidth(name, font, 8) + 14
        if x + w > width and x > 0:
            x, row = 0.0, row + 1
        placed.append((x, row))
        x += w
    height = 12 * (row + 1)
    drawing = _drawing(width, height)
    for (x, r), name, color in zip(placed, levels, level_colors(levels), strict=True):
        y = height - 12 * (r + 1) + 2
        drawing.add(Rect(x, y, 9, 8, fillColor=color, strokeColor=RULE, strokeWidth=0.4))
        drawing.add(String(x + 13, y + 1, name, fontName=font, fontSize=8, fillColor=INK))
    return drawing


@dataclass(frozen=True)
class DomainPeriod:
    shares: dict[str, float] | None  # level name -> share; None: not shown
    cycles: int
    reason: str  # why not shown


def domain_period(figures: Sequence[tuple[str, Figure]]) -> DomainPeriod:
    """A domain in one period: every level's share, or why it is withheld. A level with
    nothing recorded in a domain that has ratings is a share of 0."""
    shown = {label: f.value for label, f in figures if f.value is not None}
    cycles = max((f.visits for _label, f in figures), default=0)
    if shown:
        return DomainPeriod({label: shown.get(label, 0.0) for label, _f in figures}, cycles, "")
    reasons = [f.withheld for _label, f in figures if f.withheld and f.withheld != NOTHING]
    return DomainPeriod(None, cycles, reasons[0] if reasons else NOTHING)


def stacked_bars(rows: Sequence[tuple[DomainPeriod, DomainPeriod]], levels: Sequence[str],
                 withheld: Withheld, width: float) -> list[Drawing]:
    """Per domain: this period's bar above the one before's, each level a segment."""
    palette = dict(zip(levels, level_colors(levels), strict=True))
    out = []
    for now, before in rows:
        drawing = _drawing(width, 2 * STACK_HEIGHT + 5)
        for n, (tag, found) in enumerate((("This period", now), ("Before", before))):
            y = STACK_HEIGHT + 4 - n * (STACK_HEIGHT + 3)
            drawing.add(String(0, y + 3, tag, fontName=FONT, fontSize=7, fillColor=MUTED))
            _stack(drawing, found, palette, y, width, withheld)
        out.append(drawing)
    return out


def _stack(drawing: Drawing, found: DomainPeriod, palette: dict[str, colors.Color], y: float,
           width: float, withheld: Withheld) -> None:
    left = TAG_WIDTH + 8
    bar = width - left - 48
    if found.shares is None:
        text = withheld.mark(Figure(None, found.cycles, 0, found.reason))
        drawing.add(String(left, y + 3, text, fontName=FONT, fontSize=7.5, fillColor=MUTED))
        return
    x = float(left)
    for label, color in palette.items():
        share = found.shares.get(label, 0.0)
        w = bar * share
        if w <= 0:
            continue
        drawing.add(Rect(x, y, w, STACK_HEIGHT, fillColor=color, strokeColor=colors.white,
                         strokeWidth=0.6))
        text = f"{share * 100:.0f}%"
        if stringWidth(text, FONT, 7) + 4 <= w:
            drawing.add(String(x + w / 2, y + 3, text, fontName=FONT, fontSize=7,
                               fillColor=_ink_on(color), textAnchor="middle"))
        x += w
    n = found.cycles
    drawing.add(String(left + bar + 6, y + 3, f"{n} cycle{'s' if n != 1 else ''}",
                       fontName=FONT, fontSize=7, fillColor=MUTED))


def rubric_block(patterns: Sequence[Pattern]) -> Story:
    """The level distribution of each domain (a rubric section), now and before."""
    levels = sorted({p.label for p in patterns}, key=_level_order)
    domains = list(dict.fromkeys(p.group for p in patterns))
    rows = []
    for domain in domains:
        mine = [p for p in patterns if p.group == domain]
        rows.append((domain_period([(p.label, p.now) for p in mine]),
                     domain_period([(p.label, p.before) for p in mine])))
    withheld = Withheld()
    label_width = 46 * mm
    bars = stacked_bars(rows, levels, withheld, FRAME_WIDTH - label_width - 10)
    table_rows: list[list[object]] = [[th("Domain"), th("Share of ratings at each level")]]
    table_rows += [[cell(domain), drawing] for domain, drawing in zip(domains, bars, strict=True)]
    table = grid(table_rows, [label_width, FRAME_WIDTH - label_width],
                 extra=[("VALIGN", (0, 1), (-1, -1), "MIDDLE")])
    return [level_legend(levels), table, *withheld.notes()]


_UNNUMBERED = 10**6


def _level_order(label: str) -> tuple[int, str]:
    head = label.split(" ", 1)[0]
    return (int(head), label) if head.isdigit() else (_UNNUMBERED, label)
