"""Small building blocks of the summary: text formatting, headings, tables, notices."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Table, TableStyle

from observe_app.reports import scripts
from observe_app.reports.scripts import ScriptParagraph
from observe_app.reports.styles import (
    ACCENT,
    FILL,
    FONT,
    FRAME_WIDTH,
    NOTICE,
    NOTICE_EDGE,
    RULE,
    STYLES,
    ZEBRA,
)


def esc(text: str) -> str:
    """User text as Paragraph markup: escaped, line breaks kept, each script in a font that
    draws it (see scripts.py)."""
    return scripts.markup(text.strip()).replace("\r\n", "\n").replace("\n", "<br/>")


def para(text: str, style: str = "body", *, markup: bool = False,
         bullet: str | None = None) -> Paragraph:
    # Markup is the app's English sentence around user text: it reads left to right, with
    # any right-to-left words inside in their order. User text alone takes its own direction.
    return ScriptParagraph(text if markup else esc(text), STYLES[style], bulletText=bullet,
                           ltr=markup)


def intro(text: str) -> Paragraph:
    """A short muted line that introduces what follows (a table, a chart): the app's
    sentence, so it reads left to right even when it starts with a Hebrew or Arabic name."""
    return ScriptParagraph(esc(text), STYLES["muted"], ltr=True)


def day(value: dt.date | dt.datetime | None) -> str:
    """'11 February 2026' (locale-independent, as the PDF is filed, not localised yet)."""
    if value is None:
        return "—"
    return f"{value.day} {value:%B %Y}"


def short_day(value: dt.date | dt.datetime) -> str:
    return f"{value.day} {value:%b %Y}"


def clock(value: dt.datetime) -> str:
    return f"{value:%H:%M}"


def level_dots(level: int, top: int) -> str:
    """'●●●○': a rubric level out of the top one, as the summary draws it everywhere."""
    return "●" * level + "○" * (top - level)


def seconds(ms: float) -> str:
    """A duration for people: '3.4 s', '1 min 05 s', '45 min'."""
    s = ms / 1000
    if s < 60:
        return f"{s:.1f} s"
    minutes, rest = divmod(round(s), 60)
    return f"{minutes} min {rest:02d} s" if rest else f"{minutes} min"


class Heading(ScriptParagraph):
    """A section heading with a rule below it and an entry in the PDF's outline (bookmarks)."""

    def __init__(self, text: str, key: str) -> None:
        super().__init__(esc(text), STYLES["h1"])
        self.title = text
        self.key = key

    def draw(self) -> None:
        super().draw()
        canv = self.canv
        canv.saveState()
        canv.setStrokeColor(ACCENT)
        canv.setLineWidth(0.8)
        canv.line(0, -2.5, self.width, -2.5)
        canv.restoreState()
        # To the heading itself, not just its page: the top of its line, at the reader's zoom.
        canv.bookmarkHorizontal(self.key, 0, self.height)
        canv.addOutlineEntry(self.title, self.key, level=0)


class Subheading(ScriptParagraph):
    """A heading inside a section."""


def subheading(text: str) -> Paragraph:
    return Subheading(esc(text), STYLES["h2"])


def paginate(story: Sequence[Flowable]) -> list[Flowable]:
    """Keep headings off the foot of a page without dragging whole tables along.

    A heading starts a new page when little room is left, and stays with the short text
    right after it; a table after a heading is free to split across pages.
    """
    out: list[Flowable] = []
    for i, flowable in enumerate(story):
        if isinstance(flowable, Heading | Subheading):
            room = 45 * mm if isinstance(flowable, Heading) else 28 * mm
            out.append(CondPageBreak(room))
            following = story[i + 1] if i + 1 < len(story) else None
            flowable.keepWithNext = int(isinstance(following, Paragraph))
        out.append(flowable)
    return out


def grid(rows: Sequence[Sequence[Any]], widths: Sequence[float], *, header: bool = True,
         groups: Sequence[int] = (), zebra: bool = False, split_in_row: bool = False,
         extra: Sequence[tuple[Any, ...]] = (), tall_row: float | None = None) -> Table:
    """A calm data table: a ruled header repeated on every page, hairlines between rows.

    `groups` are row numbers that head a group (e.g. a rubric domain): filled and spanning.
    Rows split across pages when one may be taller than `tall_row` points (TALL_ROW unless
    given; a table whose rows are long by nature, and read row by row, gives more).
    """
    split_in_row = split_in_row or _has_tall_row(rows, widths, tall_row or TALL_ROW)
    table = Table(list(rows), colWidths=list(widths), repeatRows=1 if header else 0,
                  hAlign="LEFT", splitInRow=1 if split_in_row else 0)
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), FONT, 8.5),  # plain-string cells: never Helvetica
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 5),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ("LINEBELOW", (0, 1 if header else 0), (-1, -1), 0.35, RULE),
    ]
    if header:
        commands += [("LINEBELOW", (0, 0), (-1, 0), 0.9, ACCENT),
                     ("BOTTOMPADDING", (0, 0), (-1, 0), 4)]
    if zebra:
        first = 1 if header else 0
        commands += [("ROWBACKGROUNDS", (0, first), (-1, -1), [None, ZEBRA])]
    for row in groups:
        commands += [("SPAN", (0, row), (-1, row)), ("BACKGROUND", (0, row), (-1, row), FILL),
                     ("TOPPADDING", (0, row), (-1, row), 5)]
        # A group's row never ends a page without its first item (unless rows must split:
        # a row taller than a page cannot be kept with anything).
        if row + 1 < len(rows) and not split_in_row:
            commands.append(("NOSPLIT", (0, row), (-1, row + 1)))
    table.setStyle(TableStyle(commands + list(extra)))
    return table


TALL_ROW = 200  # points; a row this tall may break across pages rather than move whole


def _has_tall_row(rows: Sequence[Sequence[Any]], widths: Sequence[float],
                  tall_row: float = TALL_ROW) -> bool:
    """Whether a row may be too tall to move to the next page whole (or taller than a page).

    Rows are kept whole where they can be; a cell of very long text (a goal, a comment)
    cannot, and ReportLab cannot split a row across pages unless asked to. Estimated from
    the text's length, so the common short table costs nothing and looks as before.
    """
    for row in rows:
        for value, width in zip(row, widths, strict=False):
            if isinstance(value, Paragraph):
                style = value.style
                per_line = max(1.0, (width - 10) / (0.6 * style.fontSize))
                lines = len(value.getPlainText()) / per_line + value.text.count("<br/>")
                if lines * style.leading > tall_row:
                    return True
    return False


def notice(text: str, *, markup: bool = False) -> Flowable:
    """A tinted box for what the reader must know first (e.g. no visit yet)."""
    box = Table([[ScriptParagraph(text if markup else esc(text), STYLES["notice"], ltr=markup)]],
                colWidths=[FRAME_WIDTH], hAlign="LEFT")
    box.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), FONT, 9.5),
        ("BACKGROUND", (0, 0), (-1, -1), NOTICE),
        ("LINEBEFORE", (0, 0), (0, -1), 2.5, NOTICE_EDGE),
        ("LEFTPADDING", (0, 0), (-1, -1), 10),
        ("RIGHTPADDING", (0, 0), (-1, -1), 10),
        ("TOPPADDING", (0, 0), (-1, -1), 7),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
    ]))
    return box


def th(text: str, right: bool = False) -> Paragraph:
    return ScriptParagraph(esc(text.upper()), STYLES["th_right" if right else "th"])


def cell(text: str, style: str = "cell", *, markup: bool = False) -> Paragraph:
    return ScriptParagraph(text if markup else esc(text), STYLES[style], ltr=markup)
