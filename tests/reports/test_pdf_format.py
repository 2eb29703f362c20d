"""The format choices of a summary: A4 or Letter, a password, and bookmarks that go somewhere."""

from __future__ import annotations

import locale
import shutil
import subprocess
from pathlib import Path

import pytest
from pdf_helpers import find_cycle, flat, pdf_text, qpdf_check
from pypdf import PdfReader

from observe_app import reports
from observe_app.reports.options import (
    PageSize,
    PdfOptions,
    default_page_size,
    page_size_of_locale,
)
from observe_app.services.cycles import CycleSummary
from observe_app.storage.engine import Database

A4 = (595, 842)
LETTER = (612, 792)
PASSWORD = "Kaffee & Kuchen, 4 Uhr"


def _size(reader: PdfReader, page: int = 0) -> tuple[int, int]:
    box = reader.pages[page].mediabox
    return round(float(box.width)), round(float(box.height))


def _long_cycle(demo_cycles: list[CycleSummary]) -> CycleSummary:
    """The rubric cycle with its evidence log over pages: sections start on several pages."""
    return find_cycle(demo_cycles, "Aino Mäkelä", "New-teacher growth rubric", day="2026-02-11")


def _lines_near(reader: PdfReader, page: int, top: float) -> str:
    """The text drawn within 20 points below `top` on a page (where a bookmark lands)."""
    near: list[str] = []

    def visit(text, cm, tm, _font, _size) -> None:  # type: ignore[no-untyped-def]
        y = cm[5] + tm[5] * cm[3]
        if text.strip() and top - 20 <= y <= top:
            near.append(text)

    reader.pages[page].extract_text(visitor_text=visit)
    return flat(" ".join(near))


def _page_number_x(reader: PdfReader) -> float:
    """Where "Page 1 of N" starts on the first page, in points from the left edge."""
    found: list[float] = []

    def visit(text, cm, tm, _font, _size) -> None:  # type: ignore[no-untyped-def]
        if text.startswith("Page 1 of"):
            found.append(cm[4] + tm[4])

    reader.pages[0].extract_text(visitor_text=visit)
    return found[0]


@pytest.mark.parametrize("size", list(PageSize))
def test_each_bookmark_lands_on_its_own_heading(demo_copy: Database,
                                                demo_cycles: list[CycleSummary],
                                                tmp_path: Path, size: PageSize) -> None:
    cycle = _long_cycle(demo_cycles)
    result = reports.export_cycle(demo_copy, cycle.id, tmp_path / "s.pdf",
                                  options=PdfOptions(page_size=size))
    reader = PdfReader(result.path)
    entries = [e for e in reader.outline if not isinstance(e, list)]
    assert len(entries) >= 5
    pages = {}
    for entry in entries:
        page = reader.get_destination_page_number(entry)
        pages[entry.title] = page
        # On the page where the heading is drawn, at the heading: not page 1 for all.
        assert entry.title in _lines_near(reader, page, float(entry.top)), \
            (entry.title, page, float(entry.top))
    assert len(set(pages.values())) >= 3, pages


def test_letter_and_a4_pages_with_their_own_margins(demo_copy: Database,
                                                    demo_cycles: list[CycleSummary],
                                                    tmp_path: Path) -> None:
    cycle = _long_cycle(demo_cycles)
    number_x = {}
    for size, expected in ((PageSize.A4, A4), (PageSize.LETTER, LETTER)):
        result = reports.export_cycle(demo_copy, cycle.id, tmp_path / f"{size}.pdf",
                                      options=PdfOptions(page_size=size))
        reader = PdfReader(result.path)
        assert {_size(reader, n) for n in range(len(reader.pages))} == {expected}
        text = pdf_text(result.path)
        assert f"Page {result.pages} of {result.pages}" in text[-1]
        assert flat(cycle.teacher_name) in text[0]
        qpdf_check(result.path)
        number_x[size] = _page_number_x(reader)
    # "Page 1 of N" ends at the right margin of *this* page: on Letter, half the extra width
    # (8.4 points) further right.
    assert number_x[PageSize.LETTER] - number_x[PageSize.A4] == pytest.approx(8.4, abs=1)


def test_a_password_protects_the_file_in_pypdf_qpdf_and_poppler(
        demo_copy: Database, demo_cycles: list[CycleSummary], tmp_path: Path) -> None:
    cycle = _long_cycle(demo_cycles)
    plain = reports.export_cycle(demo_copy, cycle.id, tmp_path / "plain.pdf")
    result = reports.export_cycle(demo_copy, cycle.id, tmp_path / "locked.pdf",
                                  password=PASSWORD)
    assert result.pages == plain.pages
    assert not list(tmp_path.glob(".*"))  # the unencrypted render never reached the folder
    reader = PdfReader(result.path)
    assert reader.is_encrypted
    assert reader.decrypt("wrong") == 0
    assert reader.decrypt(PASSWORD) != 0
    encrypt = reader.trailer["/Encrypt"].get_object()
    assert (encrypt["/V"], encrypt["/R"]) == (5, 6)  # AES-256, as PDF 2.0 has it
    assert flat(cycle.teacher_name) in flat(reader.pages[0].extract_text())
    assert len(reader.outline) == len(PdfReader(plain.path).outline)

    qpdf = shutil.which("qpdf")
    if qpdf is None:
        pytest.skip("qpdf is not installed")
    without = subprocess.run([qpdf, "--check", str(result.path)], capture_output=True,
                             text=True)
    assert without.returncode != 0 and "password" in (without.stdout + without.stderr).lower()
    qpdf_check_with = subprocess.run([qpdf, f"--password={PASSWORD}", "--check",
                                      str(result.path)], capture_output=True, text=True)
    assert qpdf_check_with.returncode == 0, qpdf_check_with.stdout + qpdf_check_with.stderr
    shown = subprocess.run([qpdf, f"--password={PASSWORD}", "--show-encryption",
                            str(result.path)], capture_output=True, text=True).stdout
    assert "R = 6" in shown and "AESv3" in shown

    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("poppler-utils is not installed")
    refused = subprocess.run([pdftotext, str(result.path), "-"], capture_output=True, text=True)
    assert refused.returncode != 0
    opened = subprocess.run([pdftotext, "-upw", PASSWORD, str(result.path), "-"],
                            capture_output=True, text=True)
    assert opened.returncode == 0 and flat(cycle.teacher_name) in flat(opened.stdout)


def test_a_batch_with_a_password_and_letter(demo_copy: Database,
                                            demo_cycles: list[CycleSummary],
                                            tmp_path: Path) -> None:
    mine = [c for c in demo_cycles if c.teacher_name == "Aino Mäkelä"][:2]
    results = reports.export_cycles(demo_copy, mine, tmp_path / "out", password=PASSWORD,
                                    options=PdfOptions(page_size=PageSize.LETTER))
    assert len(results) == 2
    for r in results:
        reader = PdfReader(r.path)
        assert reader.is_encrypted and reader.decrypt(PASSWORD) != 0
        assert _size(reader) == LETTER


def test_the_password_is_not_logged(demo_copy: Database, demo_cycles: list[CycleSummary],
                                    tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    cycle = _long_cycle(demo_cycles)
    with caplog.at_level("DEBUG"):
        reports.export_cycle(demo_copy, cycle.id, tmp_path / "x.pdf", password=PASSWORD)
    assert "with a password" in caplog.text
    assert PASSWORD not in caplog.text


@pytest.mark.parametrize(("name", "expected"), [
    ("en_US.UTF-8", PageSize.LETTER), ("es_MX.utf8", PageSize.LETTER),
    ("fr_CA", PageSize.LETTER), ("en-PH", PageSize.LETTER), ("es_CL.UTF-8@euro", PageSize.LETTER),
    ("English_United States.1252", PageSize.LETTER), ("en_GB.UTF-8", PageSize.A4),
    ("fi_FI.UTF-8", PageSize.A4), ("es_ES", PageSize.A4), ("German_Germany.1252", PageSize.A4),
    ("C", None), ("C.UTF-8", None), ("POSIX", None), ("en", None), ("", None),
])
def test_the_paper_of_a_locale(name: str, expected: PageSize | None) -> None:
    assert page_size_of_locale(name) == expected


def test_the_default_paper_reads_the_locale_variables_in_posix_order(
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert default_page_size({"LANG": "en_US.UTF-8"}) == PageSize.LETTER
    assert default_page_size({"LANG": "en_US.UTF-8", "LC_PAPER": "de_DE.UTF-8"}) == PageSize.A4
    assert default_page_size({"LC_PAPER": "de_DE", "LC_ALL": "es_MX.UTF-8"}) == PageSize.LETTER
    assert default_page_size({"LANG": "fi_FI.UTF-8"}) == PageSize.A4
    # Nothing in the environment (Windows, an app started from macOS's Finder): the process's
    # locale, else A4.
    monkeypatch.setattr(locale, "getlocale", lambda: ("English_United States", "1252"))
    assert default_page_size({"LANG": "C.UTF-8"}) == PageSize.LETTER
    assert default_page_size({}) == PageSize.LETTER
    monkeypatch.setattr(locale, "getlocale", lambda: (None, None))
    assert default_page_size({}) == PageSize.A4
