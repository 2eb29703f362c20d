"""The look of the feedback summary: embedded fonts, colours, paragraph styles, page furniture."""

from __future__ import annotations

import functools
import threading
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

from observe_app.assets import resource_path
from observe_app.reports import scripts
from observe_app.reports.options import PageSize
from observe_app.reports.scripts import ScriptFont

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_ITALIC = "DejaVuSans-Oblique"
_FONT_FILES = {FONT: "DejaVuSans.ttf", FONT_BOLD: "DejaVuSans-Bold.ttf",
               FONT_ITALIC: "DejaVuSans-Oblique.ttf"}
_fonts_lock = threading.Lock()

PAGE_SIZES: dict[PageSize, tuple[float, float]] = {PageSize.A4: A4, PageSize.LETTER: LETTER}
PAGE = A4  # the default page; page_size() gives the one chosen
MARGIN_X = 20 * mm  # on A4; margin_x() gives the side margin of any page
MARGIN_TOP = 18 * mm
MARGIN_BOTTOM = 22 * mm
FRAME_PADDING = 6  # ReportLab's frames pad their content by 6 pt on every side
# The same 170 mm of content on every paper (Letter is 5.9 mm wider and 17.6 mm shorter than
# A4): tables and charts keep their widths; Letter gets wider side margins and fewer lines.
FRAME_WIDTH = A4[0] - 2 * MARGIN_X  # content lines up with the header and footer rules


def page_size(size: PageSize) -> tuple[float, float]:
    """Width and height in points of the chosen paper."""
    return PAGE_SIZES[size]


def margin_x(page: tuple[float, float]) -> float:
    """The side margin that centres FRAME_WIDTH on `page` (20 mm on A4)."""
    return (page[0] - FRAME_WIDTH) / 2

INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#5f6b7a")
ACCENT = colors.HexColor("#1d5c63")
RULE = colors.HexColor("#d3dce3")
FILL = colors.HexColor("#eef3f4")
ZEBRA = colors.HexColor("#f7f9fa")
NOTICE = colors.HexColor("#fbf3e2")
NOTICE_EDGE = colors.HexColor("#e2c47f")
# Calm, print-friendly series colours that stay apart in greyscale too: as grey
# (0.299R + 0.587G + 0.114B) they are 62, 162, 112, 36, 137, 87 and 187 of 255, so any two
# differ by 25 or more and neighbours by 50 or more. Teal, amber, blue, plum, olive, brick,
# slate. charts.SERIES_STYLES gives each a marker and a dash pattern as well.
SERIES = [colors.HexColor(c) for c in (
    "#184d53", "#d89a41", "#4779ad", "#2a1b41", "#89993a", "#903d46", "#b5bcc6")]


def register_fonts() -> None:
    """Register the embedded fonts once per process (safe from a worker thread)."""
    with _fonts_lock:
        if FONT in pdfmetrics.getRegisteredFontNames():
            return
        for name, file in _FONT_FILES.items():
            # ScriptFont: a ToUnicode map that gives back emoji (DejaVu draws a few).
            pdfmetrics.registerFont(ScriptFont(name, str(resource_path("fonts", file))))
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC,
                                      boldItalic=FONT_BOLD)


def _style(name: str, **kw: Any) -> ParagraphStyle:
    base: dict[str, Any] = {"fontName": FONT, "fontSize": 9.5, "leading": 13.5,
                            "textColor": INK, "bulletFontName": FONT}
    return ParagraphStyle(name, **(base | kw))


STYLES: dict[str, ParagraphStyle] = {
    "body": _style("body", spaceAfter=4),
    "kicker": _style("kicker", fontName=FONT_BOLD, fontSize=8, leading=10, textColor=ACCENT,
                     spaceAfter=6),
    "title": _style("title", fontName=FONT_BOLD, fontSize=21, leading=26, spaceAfter=2),
    "subtitle": _style("subtitle", fontSize=11, leading=15, textColor=MUTED, spaceAfter=4),
    "context": _style("context", fontSize=9, leading=13, textColor=MUTED, spaceAfter=6),
    "h1": _style("h1", fontName=FONT_BOLD, fontSize=12.5, leading=16, textColor=ACCENT,
                 spaceBefore=16, spaceAfter=8),
    "h2": _style("h2", fontName=FONT_BOLD, fontSize=10, leading=13, spaceBefore=8,
                 spaceAfter=3),
    "label": _style("label", fontName=FONT_BOLD, fontSize=8, leading=12.5, textColor=MUTED),
    "value": _style("value", fontSize=9.5, leading=12.5),
    "cell": _style("cell", fontSize=8.5, leading=11.5),
    "cell_bold": _style("cell_bold", fontName=FONT_BOLD, fontSize=8.5, leading=11.5),
    "cell_muted": _style("cell_muted", fontSize=7.5, leading=10, textColor=MUTED),
    "cell_right": _style("cell_right", fontSize=8.5, leading=11.5, alignment=TA_RIGHT),
    "th": _style("th", fontName=FONT_BOLD, fontSize=7.5, leading=10, textColor=MUTED),
    "th_right": _style("th_right", fontName=FONT_BOLD, fontSize=7.5, leading=10,
                       textColor=MUTED, alignment=TA_RIGHT),
    "group": _style("group", fontName=FONT_BOLD, fontSize=8.5, leading=11.5, textColor=ACCENT),
    "quote": _style("quote", fontName=FONT_ITALIC, fontSize=10, leading=14.5, leftIndent=10,
                    spaceBefore=2, spaceAfter=6),
    "muted": _style("muted", fontSize=8.5, leading=12, textColor=MUTED, spaceAfter=4),
    "bullet": _style("bullet", leftIndent=14, bulletIndent=2, spaceAfter=4),
    "notice": _style("notice", fontSize=9.5, leading=13.5),
    "sign": _style("sign", fontSize=8, leading=10, textColor=MUTED),
}


class PageCanvas(canvas.Canvas):
    """A canvas that knows the page count when it draws the footer ("Page X of Y").

    Pages are kept until save(); then each gets its running header and footer, drawn for
    the page's own size, and the bookmarks made on it.
    """

    header_text = ""
    footer_text = "Confidential"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Start in the embedded font, so no page refers to a non-embedded Helvetica.
        kwargs["initialFontName"] = kwargs.get("initialFontName") or FONT
        kwargs["initialFontSize"] = kwargs.get("initialFontSize") or 9.5
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []
        self._bookmarks: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []

    def showPage(self) -> None:  # noqa: N802 - ReportLab's name
        self._pages.append(dict(self.__dict__))
        self._bookmarks = []  # a new list: the kept page holds its own
        self._startPage()

    def bookmarkPage(self, key: str, *how: Any, **where: Any) -> None:  # noqa: N802
        """Kept with its page until save(): ReportLab names the destination's page by its
        count of pages *written*, and while pages are held back that count stays at 1 (every
        bookmark jumped to page 1)."""
        self._bookmarks.append((key, how, where))

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            for key, how, where in self._bookmarks:
                super().bookmarkPage(key, *how, **where)
            self._furniture(total)
            super().showPage()
        super().save()

    def _furniture(self, total: int) -> None:
        width, height = self._pagesize
        side = margin_x((width, height))
        page = self._pageNumber
        self.saveState()
        self.setStrokeColor(RULE)
        self.setLineWidth(0.6)
        y = MARGIN_BOTTOM - 9 * mm
        self.line(side, y + 4 * mm, width - side, y + 4 * mm)
        self.setFillColor(ACCENT)
        self.setFont(FONT_BOLD, 7.5)
        self.drawString(side, y, "Confidential")
        self.setFillColor(MUTED)
        self.setFont(FONT, 7.5)
        number = f"Page {page} of {total}"
        left = side + pdfmetrics.stringWidth("Confidential", FONT_BOLD, 7.5) + 6
        room = width - side - pdfmetrics.stringWidth(number, FONT, 7.5) - 12 - left
        _draw_line(self, self.footer_text, left, y, room)
        self.drawRightString(width - side, y, number)
        if page > 1 and self.header_text:
            top = height - MARGIN_TOP + 6 * mm
            _draw_line(self, self.header_text, width - side - FRAME_WIDTH, top, FRAME_WIDTH,
                       right=True)
        self.restoreState()


def _draw_line(canv: canvas.Canvas, text: str, x: float, y: float, width: float, *,
               right: bool = False) -> None:
    """One line of running text at baseline y, cut with '…' to `width` (in the current
    font, size and colour). Text in other scripts goes through a Paragraph, which picks
    fonts, shapes and orders right-to-left words as in the body."""
    if not scripts.needs_fallback(text):
        line = fit(text, width, canv._fontsize, canv._fontname)
        if right:
            canv.drawRightString(x + width, y, line)
        else:
            canv.drawString(x, y, line)
        return
    size = canv._fontsize
    style = ParagraphStyle("furniture", fontName=canv._fontname, fontSize=size,
                           leading=size * 1.2, textColor=canv._fillColorObj,
                           alignment=TA_RIGHT if right else TA_LEFT)
    para = _one_line(text, width, style)
    para.drawOn(canv, x, y - para.height + size)  # the first baseline is `size` below the top


@functools.lru_cache(maxsize=64)
def _one_line(text: str, width: float, style: ParagraphStyle) -> scripts.ScriptParagraph:
    """The longest start of `text` (with '…' when cut) that a Paragraph sets on one line.
    Cached: the same header and footer are drawn on every page."""
    from observe_app.reports.blocks import esc  # blocks imports this module

    def make(n: int) -> scripts.ScriptParagraph:
        shown = text if n == len(text) else text[:n].rstrip() + "…"
        para = scripts.ScriptParagraph(esc(shown), style, ltr=True)
        para.wrap(width, 1000)
        return para

    best = make(len(text))
    if len(best.blPara.lines) <= 1:
        return best
    lo, hi = 0, len(text) - 1  # the longest cut that fits is in [lo, hi]
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if len(make(mid).blPara.lines) <= 1:
            lo = mid
        else:
            hi = mid - 1
    return make(lo)


def fit(text: str, width: float, size: float, font: str = FONT) -> str:
    """Cut a one-line text with '…' so it fits `width` points (very long names in the footer)."""
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def page_canvas(header: str, footer: str) -> type[PageCanvas]:
    """A PageCanvas class carrying this document's running header and footer texts."""
    return type("SummaryCanvas", (PageCanvas,), {"header_text": header, "footer_text": footer})
