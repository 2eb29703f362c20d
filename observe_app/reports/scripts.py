"""Every script in the PDF: which embedded font draws each character, shaping, right-to-left order.

DejaVu Sans draws Latin, Greek, Cyrillic and Vietnamese; other text is cut into runs set in a
fallback font that has the characters (`markup`). Paragraphs holding Arabic, Hebrew, Thai or
Devanagari are shaped by ReportLab's own HarfBuzz support (`uharfbuzz`), and each line's words
are drawn in the order the Unicode bidi algorithm gives (`reading_order`): ReportLab's own
bidi needs `rlbidi`, which is not on PyPI, and is switched off for paragraphs of more than
one font anyway. A left-to-right shaped word whose glyphs do not read as typed (Devanagari
vowel sign i, reph) is drawn in an /ActualText span holding the typed text, so copying gives it
back. Pure-Latin text costs one set test."""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from itertools import groupby
from typing import Any
from xml.sax.saxutils import escape

import uharfbuzz  # type: ignore[import-untyped]
from bidi.mirror import MIRRORED  # type: ignore[import-untyped]
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapedFragWord, ShapedStr, TTFont, makeShapedFragWord
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import Paragraph
from reportlab.platypus import paragraph as _rl_paragraph

from observe_app.assets import resource_path
from observe_app.reports.reading_order import Shown, base_rtl, visual_lines


@dataclass(frozen=True)
class Fallback:
    """A fallback font: its registered name, files, and how its script is laid out."""

    name: str
    regular: str
    bold: str | None = None  # no bold face: bold text uses the regular one (never boxes)
    shaped: bool = False  # needs HarfBuzz (joining, conjuncts, marks)
    rtl: bool = False


# Order matters: a character goes to the first font that has it.
FALLBACKS = (
    Fallback("NotoSansArabic", "NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf",
             shaped=True, rtl=True),
    Fallback("NotoSansHebrew", "NotoSansHebrew-Regular.ttf", "NotoSansHebrew-Bold.ttf",
             shaped=True, rtl=True),
    Fallback("NotoSansThai", "NotoSansThai-Regular.ttf", "NotoSansThai-Bold.ttf", shaped=True),
    Fallback("NotoSansDevanagari", "NotoSansDevanagari-Regular.ttf",
             "NotoSansDevanagari-Bold.ttf", shaped=True),
    Fallback("DroidSansFallback", "DroidSansFallbackFull.ttf"),  # Chinese, Japanese
    Fallback("NanumGothic", "NanumGothic.ttf"),  # Korean (Droid has no Hangul syllables)
    Fallback("Symbola", "Symbola.ttf"),  # emoji and symbols, monochrome
)
_BY_NAME = {f.name: f for f in FALLBACKS}
_SHAPED = tuple(f'face="{f.name}"' for f in FALLBACKS if f.shaped)
_RTL_NAMES = frozenset(n for f in FALLBACKS if f.rtl for n in (f.name, f.name + "-Bold"))
_BOLD_FACES = re.compile('face="(' + "|".join(f.name for f in FALLBACKS if f.bold) + ')"')
_lock = threading.RLock()
_BASE_FONTS = ("DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique")
# HarfBuzz's features, as every text engine sets them: ReportLab's default adds discretionary
# ligatures, which draw Hebrew יו as the Yiddish ligature ױ.
_FEATURES = {"kern": True, "liga": True}


class ScriptFont(TTFont):
    """A TrueType font whose ToUnicode map gives back what was typed.

    ReportLab's map is wrong for characters beyond U+FFFF (it writes five hex digits, so 👍
    comes back as ὄ) and gives Arabic presentation forms (ﻣ) rather than the letters; shaped
    glyphs with no character of their own (conjuncts, ligatures) get the text HarfBuzz made
    them from, recorded by `remember_clusters`.
    """

    def __init__(self, name: str, filename: str, *, rtl: bool = False) -> None:
        super().__init__(name, filename)
        self.rtl = rtl
        self.glyph_text: dict[int, str] = {}
        self.typed: dict[str, str | None] = {}  # a shaped word's glyphs -> its text (None: two)

    def addObjects(self, doc: Any) -> None:  # noqa: N802 - ReportLab's name
        state = self.state.get(doc)
        subsets = [list(s) for s in state.subsets] if state is not None else []
        super().addObjects(doc)  # forgets the state: the subsets are read first
        for n, subset in enumerate(subsets):
            base = _base_font_name(self, n)
            stream = doc.idToObject.get("toUnicodeCMap:" + base)
            if stream is not None:
                stream.content = _to_unicode_cmap(base, [self._text_of(code) for code in subset])

    def remember_clusters(self, text: str) -> None:
        """Shape `text` as ReportLab will, and note what each glyph without a character of
        its own was made from (a conjunct's consonants, a ligature's letters)."""
        font = uharfbuzz.Font(self.hbFace)
        buf = uharfbuzz.Buffer()
        buf.cluster_level = uharfbuzz.BufferClusterLevel.MONOTONE_CHARACTERS
        buf.add_str(text)
        buf.guess_segment_properties()
        uharfbuzz.shape(font, buf, _FEATURES)
        infos = buf.glyph_infos
        starts = sorted({i.cluster for i in infos}) + [len(text)]
        end_of = {a: b for a, b in zip(starts, starts[1:], strict=False)}
        by_cluster: dict[int, list[int]] = {}
        for info in infos:
            by_cluster.setdefault(info.cluster, []).append(info.codepoint)
        for cluster, gids in by_cluster.items():
            source = text[cluster:end_of[cluster]]
            rest = source
            made = []
            for g in gids:  # glyphs of typed characters keep them; the others share the rest
                own = [chr(c) for c in self.face.glyphToChar.get(g, ()) if chr(c) in rest]
                if own:
                    rest = rest.replace(own[0], "", 1)
                else:  # a ligature may have a character of its own: لا drawn as ﻻ
                    made.append(g)
            if made and rest:
                self.glyph_text.setdefault(made[0], rest)

    def remember_typed(self, glyphs: str, text: str) -> None:
        """Note the text a shaped word's glyphs were made from (for its /ActualText)."""
        if self.typed.setdefault(glyphs, text) != text:
            self.typed[glyphs] = None  # two texts draw alike: give neither

    def typed_text(self, glyphs: str) -> str | None:
        """The text of shaped words drawn as `glyphs` (words and spaces), None if unknown."""
        words = []
        for glyph_word in glyphs.split(" "):
            word = self.typed.get(glyph_word) if glyph_word else ""
            if word is None:
                return None
            words.append(word)
        return " ".join(words)

    def _text_of(self, code: int) -> str:
        gid = self.face.charToGlyph.get(code)
        text = self.glyph_text.get(gid, "") if gid is not None else ""
        if not text:
            if 0xE000 <= code <= 0xF8FF:  # a private code ReportLab gave a shaped glyph
                return "\u200b"  # nothing to give back (its text is on a neighbour glyph)
            text = chr(code)
            if 0xFB00 <= code <= 0xFDFF or 0xFE70 <= code <= 0xFEFF:  # presentation forms
                text = unicodedata.normalize("NFKC", text)
            if self.rtl:  # HarfBuzz mirrors a right-to-left word's brackets: « drawn for »
                text = MIRRORED.get(text, text)
        if self.rtl and len(text) > 1:
            text = text[::-1]  # readers reverse a right-to-left glyph's text with its line
        return text


def _base_font_name(font: TTFont, n: int) -> str:
    from reportlab.pdfbase.ttfonts import SUBSETN

    return (b"".join((SUBSETN(n), b"+", font.face.name, font.face.subfontNameX))).decode("pdfdoc")


def _to_unicode_cmap(name: str, texts: list[str]) -> str:
    def hex16(text: str) -> str:
        return text.encode("utf-16-be").hex().upper() or "FFFD"

    lines = [
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
        "/CIDSystemInfo", f"<< /Registry ({name})", f"/Ordering ({name})", "/Supplement 0",
        ">> def", f"/CMapName /{name} def", "/CMapType 2 def",
        "1 begincodespacerange", f"<00> <{len(texts) - 1:02X}>", "endcodespacerange",
        f"{len(texts)} beginbfchar",
        *(f"<{i:02X}> <{hex16(t)}>" for i, t in enumerate(texts)),
        "endbfchar", "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end",
    ]
    return "\n".join(lines)


@cache
def _base_cover() -> frozenset[int]:
    """Characters all three DejaVu faces draw, less right-to-left letters (a Noto font's)."""
    faces = [pdfmetrics.getFont(n).face.charToGlyph for n in _BASE_FONTS]
    common = set(faces[0]).intersection(*faces[1:])
    return frozenset(c for c in common
                     if unicodedata.bidirectional(chr(c)) not in ("R", "AL", "AN"))


@cache
def _fallback_font(name: str) -> ScriptFont:
    """Register a fallback font (and its bold) on first use: most summaries need none."""
    spec = _BY_NAME[name]
    with _lock:
        if name in pdfmetrics.getRegisteredFontNames():
            return pdfmetrics.getFont(name)  # type: ignore[no-any-return]
        regular = ScriptFont(name, str(resource_path("fonts", spec.regular)), rtl=spec.rtl)
        pdfmetrics.registerFont(regular)
        bold = name
        if spec.bold:
            bold = name + "-Bold"
            pdfmetrics.registerFont(ScriptFont(bold, str(resource_path("fonts", spec.bold)),
                                               rtl=spec.rtl))
        # No italic faces: italic text in these scripts is set upright rather than in boxes.
        pdfmetrics.registerFontFamily(name, normal=name, bold=bold, italic=name,
                                      boldItalic=bold)
        return regular


@cache
def _cover(name: str) -> frozenset[int]:
    return frozenset(_fallback_font(name).face.charToGlyph)


def _font_for(code: int) -> str | None:
    for spec in FALLBACKS:
        if code in _cover(spec.name):
            return spec.name
    return None


def needs_fallback(text: str) -> bool:
    """Whether some character of `text` is not drawn by DejaVu Sans (the fast path's test)."""
    if text.isascii():
        return False
    cover = _base_cover()
    return not all(ord(c) in cover or c.isspace() for c in text)


def runs(text: str) -> list[tuple[str | None, str]]:
    """`text` cut into (fallback font name or None for DejaVu, text) runs.

    Within a word, punctuation and digits go with the word's fallback font when it has them,
    so a word is shaped in one font ("東京2026", "ครู(สมศรี)"). A right-to-left word keeps
    only those between its letters: the ones at its ends take the direction of the line
    ("مرحبا," in an English line ends with its comma on the right).
    """
    cover = _base_cover()
    fonts: list[str | None] = [
        None if ord(c) in cover or c.isspace() else _font_for(ord(c)) for c in text]
    for match in re.finditer(r"\S+", text):
        start, end = match.span()
        word_font = next((f for f in fonts[start:end] if f), None)
        if word_font is None:
            continue
        if _BY_NAME[word_font].rtl:
            own = [i for i in range(start, end) if fonts[i] == word_font]
            start, end = own[0], own[-1] + 1
        covered = _cover(word_font)
        for i in range(start, end):
            if fonts[i] is None and ord(text[i]) in covered:
                fonts[i] = word_font
    out: list[tuple[str | None, str]] = []
    i = 0
    for font, group in groupby(fonts):
        n = len(list(group))
        out.append((font, text[i:i + n]))
        i += n
    return out


def markup(text: str) -> str:
    """User text as Paragraph markup: escaped, each run in a font that draws it."""
    if not needs_fallback(text):
        return escape(text)
    out = []
    for font, run in runs(text):
        if font is None:
            out.append(escape(run))
            continue
        if _BY_NAME[font].shaped:
            _remember(font, run)
        out.append(f'<font face="{font}">{escape(run)}</font>')
    return "".join(out)


def _remember(font: str, run: str) -> None:
    with _lock:
        names = (font, font + "-Bold") if _BY_NAME[font].bold else (font,)
        for name in names:
            face = pdfmetrics.getFont(name)
            for word in run.split():
                face.remember_clusters(word)


def font_covering(texts: Iterable[str], base: str) -> str:
    """One font for chart labels (a String has one): `base` when DejaVu draws them all,
    else the first fallback font that draws every character, else `base`."""
    texts = list(texts)
    if not any(needs_fallback(t) for t in texts):
        return base
    wanted = {ord(c) for t in texts for c in t if not c.isspace()}
    for spec in FALLBACKS:
        if wanted <= _cover(spec.name):
            return spec.name
    return base


# --- Paragraphs ---------------------------------------------------------------------------

@cache
def _shaping_style(style: ParagraphStyle, rtl: bool) -> ParagraphStyle:
    align = TA_RIGHT if rtl and style.alignment == TA_LEFT else style.alignment
    return ParagraphStyle(style.name + ("-rtl" if rtl else "-shaped"), parent=style, shaping=1,
                          alignment=align)


class ScriptParagraph(Paragraph):
    """A Paragraph that shapes complex scripts and draws right-to-left words in order.

    Plain text (no fallback font in its markup) is laid out exactly as by Paragraph.
    """

    def __init__(self, text: str | None, style: ParagraphStyle, bulletText: str | None = None,  # noqa: N803
                 frags: Any = None, *, ltr: bool = False, **kw: Any) -> None:
        """`ltr`: the text is the app's sentence around user text (reads left to right)."""
        self._bidi = False
        self._bases: list[bool] = []  # per line of the text (<br/>): reads right to left
        if text is not None and any(face in text for face in _SHAPED):
            self._bidi = any(f'face="{f.name}"' in text for f in FALLBACKS if f.rtl)
            if self._bidi:
                self._bases = [not ltr and base_rtl(re.sub(r"<[^>]*>", "", line))
                               for line in re.split(r"<br\s*/?>", text)]
            style = _shaping_style(style, self._bidi and self._bases[0])
        if text is not None and style.fontName.endswith("-Bold") and ' face="' in text:
            text = _BOLD_FACES.sub(r'face="\1-Bold"', text)  # a bold style: bold runs too
        elif frags is not None and style.shaping:  # the rest of a paragraph split at a page
            self._bidi = any(getattr(f, "fontName", "") in _RTL_NAMES for f in frags)
        super().__init__(text, style, bulletText=bulletText, frags=frags, **kw)

    def beginText(self, x: float, y: float) -> Any:  # noqa: N802 - ReportLab's name
        if self.style.shaping:
            return _TypedTextObject(self.canv, x, y)
        return super().beginText(x, y)

    def drawPara(self, debug: int = 0) -> None:  # noqa: N802 - ReportLab's name
        bl = getattr(self, "blPara", None)
        if not self._bidi or bl is None or bl.kind != 1:
            super().drawPara(debug)
            return
        logical = [line.words for line in bl.lines]
        try:
            for n, lines in enumerate(_segments(bl.lines)):
                rtl = self._bases[min(n, len(self._bases) - 1)] if self._bases else None
                shown = visual_lines([line.words for line in lines], rtl, _RTL_NAMES)
                for line, words in zip(lines, shown, strict=True):
                    line.words = words
            super().drawPara(debug)
        finally:
            for line, words in zip(bl.lines, logical, strict=True):
                line.words = words


def _segments(lines: list[Any]) -> list[list[Any]]:
    """A paragraph's lines grouped by the text's own lines (<br/> ends one)."""
    out: list[list[Any]] = [[]]
    for line in lines:
        out[-1].append(line)
        if getattr(line, "lineBreak", False):
            out.append([])
    return [group for group in out if group]


class _TypedTextObject(PDFTextObject):
    """Draws a left-to-right shaped word inside /Span <</ActualText>> with the word as typed.

    A PDF gives text back glyph by glyph (ToUnicode), so glyphs HarfBuzz reorders (Devanagari
    vowel sign i, reph) come back in drawing order; readers take an ActualText span's text
    instead. Right-to-left words get none: poppler reorders a span's text as if drawn, so the
    typed (logical) text would come back reversed; their glyphs' text reads right already.
    Brackets mirrored in a right-to-left run (`Shown`) get their typed characters, glyph for
    glyph, so poppler's reversal gives them back as typed.
    """

    def _textOut(self, text: str, TStar: int = 0) -> None:  # noqa: N802, N803 - ReportLab's
        font = pdfmetrics.getFont(self._fontname) if isinstance(text, ShapedStr) else None
        typed = font.typed_text(str(text)) if isinstance(font, ScriptFont) else None
        if isinstance(text, Shown):  # mirrored brackets: each glyph gives back the typed one
            typed = text.typed
        if typed is None or typed == text:
            super()._textOut(text, TStar)
            return
        self._code.append(f"/Span <</ActualText <FEFF{typed.encode('utf-16-be').hex()}>>> BDC")
        super()._textOut(text)
        self._code.append("EMC T*" if TStar else "EMC")


# --- ReportLab's word shaping, one font at a time --------------------------------------------

_shape_word = _rl_paragraph.shapeFragWord


def _shape_by_font(w: Any, *args: Any, **kw: Any) -> Any:
    """Shape a word font by font: ReportLab shapes a whole word with its first frag's font,
    so "(" in DejaVu followed by Thai letters would come out as boxes."""
    if isinstance(w, ShapedFragWord):
        return w
    kw.setdefault("features", _FEATURES)
    parts = w[1:]
    names = {getattr(f, "fontName", None) for f, _ in parts}
    if len(names) <= 1:
        return _remember_typed(w, _shape_word(w, *args, **kw))
    shaped: list[Any] = []
    width = 0.0
    changed = False
    for _name, group in groupby(parts, key=lambda p: getattr(p[0], "fontName", None)):
        sub = list(group)
        sub_width = sum(pdfmetrics.stringWidth(s, f.fontName, f.fontSize) for f, s in sub
                        if hasattr(f, "fontName") and not hasattr(f, "cbDefn"))
        word = [sub_width, *sub]
        result = _remember_typed(word, _shape_word(word, *args, **kw))
        changed = changed or result is not word
        width += result[0]
        shaped.extend(result[1:])
    if not changed:
        return w
    return makeShapedFragWord(w)([width, *shaped])


def _remember_typed(word: Any, shaped: Any) -> Any:
    """Note on each left-to-right ScriptFont the text its shaped pieces of `word` were made
    from: HarfBuzz's clusters index the word's text."""
    if shaped is word:
        return shaped
    text = "".join(s for f, s in word[1:] if not hasattr(f, "cbDefn"))
    pieces = [(f, s) for f, s in shaped[1:] if isinstance(s, ShapedStr)]
    clusters = [sorted({d.cluster for d in s.__shapeData__}) for _, s in pieces]
    starts = sorted({c for cs in clusters for c in cs}) + [len(text)]
    end = dict(zip(starts, starts[1:], strict=False))
    for (f, s), cs in zip(pieces, clusters, strict=True):
        font = pdfmetrics.getFont(f.fontName)
        if isinstance(font, ScriptFont) and not font.rtl:
            font.remember_typed(str(s), "".join(text[c:end[c]] for c in cs))
    return shaped


_rl_paragraph.shapeFragWord = _shape_by_font

