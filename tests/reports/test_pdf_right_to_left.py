"""Hebrew and Arabic mixed with English and numbers: drawn in bidi order, read back as typed.

Lines are set as the summary sets user text (`blocks.para`) and read back with poppler.

The drawing is compared word by word with python-bidi's `get_display` (its Rust
implementation, not the pure-Python steps `reading_order` runs), from pdftotext's word boxes:
the words of each line left to right, each right-to-left word's characters as drawn.

pdftotext rebuilds typed order from glyph positions with one direction per page, the one most
of the page's letters read in. On a page that reads left to right it reverses each right-to-left
run in place: a Hebrew or Arabic phrase in an English line comes back as typed. On a page that
reads right to left it also reverses the order of the runs: an Arabic line holding an English
word or a number comes back as typed there, and run by run from left to right ("ب 7 الصف" for
"الصف 7 ب") on a page that is mostly English, however it is drawn. Its runs end at a digit and
take in the punctuation after them, so a number inside a Hebrew phrase in an English line, or
a bracket or question mark between such a phrase and the next English word, comes back out of
place; these cases are drawn right (checked below) but are not read back here.
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bidi import get_display  # type: ignore[import-untyped]
from pdf_helpers import pdftotext
from reportlab.platypus import PageBreak, SimpleDocTemplate

from observe_app.reports import styles
from observe_app.reports.blocks import para
from observe_app.reports.reading_order import base_rtl, bidi_levels

# On a page that reads left to right.
IN_ENGLISH_LINES = [
    "Ms Levi said שלום לכולם to the class",
    "The teacher wrote مرحبا بكم يا طلاب on the board",
    "Greeted with صباح الخير يا أستاذة, the class sat down",
    "המורה שרה לוי שאלה שאלות פתוחות",
    "الأستاذة فاطمة الزهراء تشرح الدرس",
    # Three lines; the Hebrew phrase is wrapped after its first word.
    "Students greeted her with صباح الخير يا أستاذة and sat down quietly while she took the "
    "register and handed out the worksheets for the lesson, and then she answered them all "
    "with שלום לכולם ותודה שבאתם before starting the warm-up on fractions with the whole class",
]
# On a page that reads right to left.
IN_RIGHT_TO_LEFT_LINES = [
    "الصف 7 ب",
    "في الصف 7 ب كان 25 طالبا",
    "المعلمة قرأت the poem by Keats مع الطلاب",
    "המורה ביקשה Think Pair Share מהכיתה",
    "בכיתה ז 3 היו 28 תלמידים",
    "שאלה 3 מתוך 10 נענתה בזמן",
    "قالت «مرحبا» للطلاب",
    "המורה שאלה (בקול רם) שוב",
]
# Drawn right, read back out of place by pdftotext (see the docstring).
DRAWN_ONLY = [
    "Room 12: שלום 34 עולם",
    "She asked: מה למדנו היום? and waited",
    "Ms Levi said שלום לכולם to the class, then مرحبا بكم (twice) in 2026",
]


def _pdftotext() -> str:
    path = shutil.which("pdftotext")
    if path is None:
        pytest.skip("pdftotext is not installed (apt-get install poppler-utils)")
    return path


def _export(pages: list[list[str]], out: Path) -> Path:
    styles.register_fonts()
    story = []
    for n, lines in enumerate(pages):
        if n:
            story.append(PageBreak())
        story.extend(para(line) for line in lines)
    SimpleDocTemplate(str(out)).build(story)
    return out


def _text(pdf: Path, page: int) -> str:
    return pdftotext(pdf, "-f", str(page), "-l", str(page))


def _drawn_lines(pdf: Path) -> list[str]:
    """Each line's words as drawn, left to right (pdftotext's word boxes)."""
    layout = subprocess.run([_pdftotext(), "-bbox-layout", str(pdf), "-"], capture_output=True,
                            text=True, check=True).stdout
    xhtml = "{http://www.w3.org/1999/xhtml}"
    lines = []
    for line in ET.fromstring(layout).iter(xhtml + "line"):
        words = sorted((float(w.get("xMin", 0)), w.text or "") for w in line.iter(xhtml + "word"))
        lines.append(unicodedata.normalize("NFC", " ".join(w for _, w in words)))
    return lines


def test_right_to_left_phrases_in_english_lines_come_back_as_typed(tmp_path: Path) -> None:
    pdf = _export([IN_ENGLISH_LINES], tmp_path / "english.pdf")
    text = _text(pdf, 1)
    missing = [line for line in IN_ENGLISH_LINES if line not in text]
    assert not missing, f"not read back as typed from {text!r}"


def test_english_words_and_numbers_in_right_to_left_lines_come_back_as_typed(
        tmp_path: Path) -> None:
    pdf = _export([IN_RIGHT_TO_LEFT_LINES], tmp_path / "arabic.pdf")
    text = _text(pdf, 1)
    missing = [line for line in IN_RIGHT_TO_LEFT_LINES if line not in text]
    assert not missing, f"not read back as typed from {text!r}"


def test_mixed_lines_are_drawn_in_bidi_order(tmp_path: Path) -> None:
    one_line = [line for line in IN_ENGLISH_LINES if len(line) < 80]
    pdf = _export([one_line + DRAWN_ONLY, IN_RIGHT_TO_LEFT_LINES], tmp_path / "drawn.pdf")
    drawn = _drawn_lines(pdf)
    for line in one_line + DRAWN_ONLY + IN_RIGHT_TO_LEFT_LINES:
        # A word box holds each glyph's typed character (a mirrored bracket's /ActualText),
        # where get_display, which mirrors nothing, puts it too.
        expected = " ".join(get_display(line, base_dir="R" if base_rtl(line) else "L").split())
        assert expected in drawn, f"{line!r} is not drawn as {expected!r}: {drawn}"


def test_levels_follow_the_bidi_algorithm() -> None:
    phrase = "said שלום לכולם to"
    assert bidi_levels(phrase, rtl_base=False) == [0] * 5 + [1] * 10 + [0] * 3
    assert bidi_levels("الصف 7 ب", rtl_base=True) == [1] * 5 + [2] + [1] * 2
    # Marks the algorithm removes, and isolates it does not know, keep one level per character.
    for text in ("ab \u2067שלום\u2069 cd", "می\u200cخواهم", "👩\u200d🏫 שלום", "a\u202bב\u202c"):
        assert len(bidi_levels(text, base_rtl(text))) == len(text)
    assert bidi_levels("ab \u2067שלום\u2069 cd", rtl_base=False)[4:8] == [1] * 4
