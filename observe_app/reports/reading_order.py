"""The order a line's words are drawn in when Hebrew or Arabic meets left-to-right text.

The Unicode bidi algorithm (UAX #9) resolves a level for each character over a whole paragraph
(`python-bidi`'s pure-Python steps; ReportLab's own bidi needs `rlbidi`, which is not on PyPI);
each line is then drawn by reversing the runs at odd levels (rule L2), piece by piece: a shaped
right-to-left word is one piece (HarfBuzz has already put its glyphs right to left), other text
is cut wherever its level changes. So "said שלום לכולם to" draws the Hebrew phrase right to
left inside the English line, "الصف 7 ب" draws the number between its words, and a PDF reader
that reads glyphs by position gets each run back as typed.

Brackets and guillemets inside a right-to-left run are drawn mirrored (the glyph ")" for a
typed "(") and carry the typed character as /ActualText (see `Shown`; a right-to-left font's
own are mapped back in its ToUnicode), so copying gives back what was typed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from bidi.algorithm import (  # type: ignore[import-untyped]
    X9_REMOVED,
    explicit_embed_and_overrides,
    get_embedding_levels,
    get_empty_storage,
    resolve_implicit_levels,
    resolve_neutral_types,
    resolve_weak_types,
)
from bidi.mirror import MIRRORED  # type: ignore[import-untyped]
from reportlab.pdfbase.ttfonts import ShapedStr

# Isolates (Unicode 6.3) are unknown to python-bidi's algorithm: they act as embeddings here.
_AS_EMBEDDING = {"\u2066": "\u202a", "\u2067": "\u202b", "\u2069": "\u202c"}  # LRI RLI PDI
_STRONG = ("L", "R", "AL")


class Shown(str):
    """Text drawn other than as typed: a right-to-left run's brackets, mirrored and reversed.

    `typed` holds, glyph for glyph, the character each drawn one stands for (")" drawn for a
    typed "(" gives "("), for an /ActualText span.
    """

    typed: str

    def __new__(cls, drawn: str, typed: str) -> Shown:
        shown = super().__new__(cls, drawn)
        shown.typed = typed
        return shown


def base_rtl(text: str) -> bool:
    """Whether a paragraph reads right to left: its first strong character is (UAX #9, P2)."""
    for c in text:
        kind = unicodedata.bidirectional(c)
        if kind == "L":
            return False
        if kind in ("R", "AL"):
            return True
    return False


def bidi_levels(text: str, rtl_base: bool) -> list[int]:
    """The resolved embedding level of each character of a paragraph (UAX #9, X1 to I2).

    python-bidi's `get_embedding_levels` only sets every character to the paragraph's level:
    the explicit, weak, neutral and implicit rules are what make a Hebrew phrase in an English
    line odd and a number in an Arabic line even. Characters X9 removes (embedding marks,
    joiners) take the level of the character before them.
    """
    base = 1 if rtl_base else 0
    if any("\u2066" <= c <= "\u2069" for c in text):
        text = "".join(
            _AS_EMBEDDING.get(c)
            or (("\u202b" if base_rtl(text[i + 1:]) else "\u202a") if c == "\u2068" else c)
            for i, c in enumerate(text))  # FSI: as its first strong character reads
    storage = get_empty_storage()
    storage["base_level"] = base
    storage["base_dir"] = "R" if rtl_base else "L"
    get_embedding_levels(text, storage, upper_is_rtl=False, debug=False)
    explicit_embed_and_overrides(storage, debug=False)
    resolve_weak_types(storage, debug=False)
    resolve_neutral_types(storage, False)
    resolve_implicit_levels(storage, False)
    kept = iter([ch["level"] for ch in storage["chars"]])
    if len(storage["chars"]) == len(text):
        return list(kept)
    levels: list[int] = []
    for c in text:
        if unicodedata.bidirectional(c) in X9_REMOVED:
            levels.append(levels[-1] if levels else base)
        else:
            levels.append(next(kept))
    return levels


def visual_lines(lines: Sequence[list[Any]], rtl_base: bool | None,
                 rtl_fonts: frozenset[str]) -> list[list[Any]]:
    """The frags of consecutive lines of one paragraph (no <br/> between them) in the order
    they are drawn. `rtl_base` None: the paragraph's first strong character decides.

    Levels are resolved over the lines together, as the algorithm is meant to work on a whole
    paragraph; each line is then reordered on its own (L1, L2).
    """
    pieces = [_pieces(words) for words in lines]
    proxies = [[_proxy(p, rtl_fonts) for p in line] for line in pieces]
    texts = ["".join(line) for line in proxies]
    text = " ".join(texts)  # a wrapped line lost the space it broke at
    if rtl_base is None:
        rtl_base = base_rtl(text)
    levels = bidi_levels(text, rtl_base)
    out = []
    at = 0
    for words, line_pieces, line_proxies, line_text in zip(lines, pieces, proxies, texts,
                                                           strict=True):
        if not line_text:
            out.append(words)
            at += 1
            continue
        cut: list[Any] = []
        cut_levels: list[int] = []
        for piece, proxy in zip(line_pieces, line_proxies, strict=True):
            own = levels[at:at + len(proxy)]
            at += len(proxy)
            if _is_plain(piece, rtl_fonts):
                for part, level in _by_level(piece, own):
                    cut.append(part)
                    cut_levels.append(level)
            else:
                cut.append(piece)
                cut_levels.append(_piece_level(proxy, own))
        at += 1
        out.append(_reorder(cut, cut_levels))
    return out


def _pieces(frags: Iterable[Any]) -> list[Any]:
    """A line's frags cut at spaces (words and the spaces between them, each its own frag),
    less the spaces at its end: they would move to the left of a right-to-left line (L1)."""
    out = []
    for f in frags:
        text = getattr(f, "text", None)
        if text is None or hasattr(f, "cbDefn"):
            out.append(f)
            continue
        for m in re.finditer(r" +|[^ ]+", str(text)):
            out.append(f.clone(text=text[m.start():m.end()]))
    while out and str(getattr(out[-1], "text", "x")).strip() == "":
        out.pop()
    return out


def _proxy(piece: Any, rtl_fonts: frozenset[str]) -> str:
    """Stand-in characters with the bidi classes of what a piece shows, in typed order.

    Shaped right-to-left words hold glyph codes in drawing order, not letters: they count as
    Hebrew letters, reversed. An image or other object counts as a neutral.
    """
    text = getattr(piece, "text", "") or "\ufffc"
    if getattr(piece, "fontName", "") in rtl_fonts:
        shown = "".join(c if unicodedata.bidirectional(c) in ("EN", "AN", "ES", "ET", "CS",
                                                               "WS", "ON") else "\u05d0"
                        for c in str(text))
        return shown[::-1] if isinstance(text, ShapedStr) else shown
    return str(text)


def _is_plain(piece: Any, rtl_fonts: frozenset[str]) -> bool:
    """Text that may be cut anywhere: not shaped, not in a right-to-left font, not an object."""
    text = getattr(piece, "text", None)
    return (type(text) is str and not hasattr(piece, "cbDefn")
            and getattr(piece, "fontName", "") not in rtl_fonts)


def _by_level(piece: Any, levels: list[int]) -> list[tuple[Any, int]]:
    """A plain piece cut where its level changes. A part at an odd level reads right to left:
    it is drawn reversed, its brackets mirrored ("7." ends an Arabic sentence as ".7")."""
    text = piece.text
    parts: list[tuple[str, int]] = []
    start = 0
    for end in range(1, len(text) + 1):
        if end < len(text) and levels[end] == levels[start]:
            continue
        part, level = text[start:end], levels[start]
        if level % 2:
            typed = part[::-1]
            drawn = "".join(MIRRORED.get(c, c) for c in typed)
            part = Shown(drawn, typed) if drawn != typed else typed
        parts.append((part, level))
        start = end
    if len(parts) == 1 and parts[0][0] == text and type(parts[0][0]) is str:
        return [(piece, parts[0][1])]
    return [(piece.clone(text=part), level) for part, level in parts]


def _piece_level(proxy: str, levels: list[int]) -> int:
    """A piece's level: that of its first strong character (a shaped word's punctuation
    is drawn where HarfBuzz put it), else of its first character."""
    for c, level in zip(proxy, levels, strict=True):
        if unicodedata.bidirectional(c) in _STRONG:
            return level
    return levels[0]


def _reorder(pieces: list[Any], levels: list[int]) -> list[Any]:
    """Rule L2: from the highest level down to the lowest odd one, reverse every run of
    pieces at that level or higher."""
    order = list(range(len(pieces)))
    odd = [lv for lv in levels if lv % 2]
    if not odd:
        return pieces
    for level in range(max(levels), min(odd) - 1, -1):
        i = 0
        while i < len(order):
            if levels[order[i]] < level:
                i += 1
                continue
            j = i
            while j < len(order) and levels[order[j]] >= level:
                j += 1
            order[i:j] = reversed(order[i:j])
            i = j
    return [pieces[i] for i in order]
