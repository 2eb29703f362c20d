"""What a protocol records, in words: each section with its items counted by kind
("Question tallies: 4 tallies · Wait time: 1 timer"), for choosing a protocol."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from observe_app.gui.shortcuts import QT_TRANSLATE_NOOP

if TYPE_CHECKING:
    from observe_app.services.protocols import ItemView, ProtocolVersionView

CONTEXT = "ProtocolOutline"
SEPARATOR = " · "
SHOWN_SECTIONS = 6  # more would push the dialog off a small screen
SHOWN_DESCRIPTION = 440  # characters

# Each capture kind's count in a teacher's words, for one and for several.
KIND_WORDS: dict[str, tuple[str, str]] = {
    "rubric": (QT_TRANSLATE_NOOP(CONTEXT, "%n rubric item"),
               QT_TRANSLATE_NOOP(CONTEXT, "%n rubric items")),
    "lookfor": (QT_TRANSLATE_NOOP(CONTEXT, "%n look-for"),
                QT_TRANSLATE_NOOP(CONTEXT, "%n look-fors")),
    "tally": (QT_TRANSLATE_NOOP(CONTEXT, "%n tally"),
              QT_TRANSLATE_NOOP(CONTEXT, "%n tallies")),
    "timer": (QT_TRANSLATE_NOOP(CONTEXT, "%n timer"),
              QT_TRANSLATE_NOOP(CONTEXT, "%n timers")),
    "interval": (QT_TRANSLATE_NOOP(CONTEXT, "%n interval scan"),
                 QT_TRANSLATE_NOOP(CONTEXT, "%n interval scans")),
    "prompt": (QT_TRANSLATE_NOOP(CONTEXT, "%n feedback prompt"),
               QT_TRANSLATE_NOOP(CONTEXT, "%n feedback prompts")),
}
# A kind added later without words of its own here still reads as a count.
OTHER_WORDS = (QT_TRANSLATE_NOOP(CONTEXT, "%n item"), QT_TRANSLATE_NOOP(CONTEXT, "%n items"))


def _tr(text: str, n: int = -1) -> str:
    return QCoreApplication.translate(CONTEXT, text, None, n)


def kind_count(kind: str, n: int) -> str:
    """'1 tally', '4 tallies', '2 look-fors'."""
    one, many = KIND_WORDS.get(kind, OTHER_WORDS)
    return _tr(one if n == 1 else many, n)


def _period(seconds: int) -> str:
    if seconds % 60 == 0:
        minutes = seconds // 60
        return (_tr("every minute") if minutes == 1
                else _tr("every {n} minutes").format(n=minutes))
    return _tr("every {n} seconds").format(n=seconds)


def section_counts(items: list[ItemView]) -> str:
    """The items of one section counted by kind, in the order the kinds first appear; a scan
    says how often it comes round."""
    counts = Counter(item.kind for item in items)
    periods = sorted({i.period_seconds for i in items if i.kind == "interval" and i.period_seconds})
    words = []
    for kind in dict.fromkeys(item.kind for item in items):
        text = kind_count(kind, counts[kind])
        if kind == "interval" and len(periods) == 1:
            text = _tr("{scans}, {period}").format(scans=text, period=_period(periods[0]))
        words.append(text)
    return ", ".join(words)


def outline(version: ProtocolVersionView, most: int = SHOWN_SECTIONS) -> str:
    """'Question tallies: 4 tallies · Wait time: 1 timer · …', one part per section; past
    `most` sections, how many more there are."""
    sections = version.sections
    parts = [_tr("{section}: {counts}").format(section=title, counts=section_counts(items))
             for title, items in sections[:most]]
    if len(sections) > most:
        rest = len(sections) - most
        parts.append(_tr("%n more section", rest) if rest == 1
                     else _tr("%n more sections", rest))
    return SEPARATOR.join(parts)


def shortened(text: str, most: int = SHOWN_DESCRIPTION) -> str:
    """`text` cut at a word before `most` characters, with an ellipsis (a description may be
    4,000 characters long; the dialog shows its beginning)."""
    text = " ".join(text.split())
    if len(text) <= most:
        return text
    return text[:most - 1].rsplit(" ", 1)[0].rstrip(" ,.;:") + "…"
