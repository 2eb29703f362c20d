"""Helpers for the PDF tests: text of a PDF, its fonts, qpdf, finding demo cycles."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from observe_app.services.cycles import CycleSummary


def pdf_text(path: Path) -> list[str]:
    """The text of each page, NFC-normalised, whitespace collapsed (lines wrap anywhere)."""
    reader = PdfReader(path)
    return [" ".join(unicodedata.normalize("NFC", page.extract_text() or "").split())
            for page in reader.pages]


def flat(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def pdftotext(path: Path, *args: str) -> str:
    """pdftotext's text of a PDF (skips when poppler is not installed), its bidi marks taken
    out (`without_marks`), NFC-normalised, whitespace collapsed."""
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.skip("pdftotext is not installed (apt-get install poppler-utils)")
    text = subprocess.run([tool, *args, str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    return flat(without_marks(text))


def without_marks(text: str) -> str:
    """Text from pdftotext without the embedding marks it puts around each run it reverses.

    Poppler reverses a run together with the spaces after it, so they come out before it
    ("said \u202b שלום לכולם\u202cto"): a run's leading spaces go back to its end.
    """
    text = re.sub("[\u202a\u202b]([^\\S\n]*)([^\u202a-\u202c\n]*)",
                  lambda m: m[2] + m[1], text)
    return text.replace("\u202c", "")


def fonts(path: Path) -> dict[str, dict]:
    """Every font used on any page (including inside form XObjects): name -> font dict."""
    found: dict[str, dict] = {}

    def collect(resources) -> None:  # type: ignore[no-untyped-def]
        resources = resources.get_object() if resources is not None else {}
        for ref in (resources.get("/Font") or {}).values():
            font = ref.get_object()
            found[str(font["/BaseFont"])] = font
        for ref in (resources.get("/XObject") or {}).values():
            collect(ref.get_object().get("/Resources"))

    for page in PdfReader(path).pages:
        collect(page.get("/Resources"))
    return found


def embedded_font_file(font: dict) -> bool:
    """True when a TrueType font carries its glyphs (/FontFile2), directly or as a descendant."""
    candidates = [font] + [d.get_object() for d in font.get("/DescendantFonts", [])]
    for f in candidates:
        descriptor = f.get("/FontDescriptor")
        if descriptor is not None and "/FontFile2" in descriptor.get_object():
            return True
    return False


def qpdf_check(path: Path) -> None:
    qpdf = shutil.which("qpdf")
    if qpdf is None:
        pytest.skip("qpdf is not installed (apt-get install qpdf); structure not checked")
    result = subprocess.run([qpdf, "--check", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, f"qpdf --check {path.name}:\n{result.stdout}{result.stderr}"


def find_cycle(cycles: list[CycleSummary], teacher: str, protocol: str,
               stage: str | None = None, day: str | None = None) -> CycleSummary:
    for c in cycles:
        if c.teacher_name == teacher and c.protocol_name == protocol and \
                (stage is None or c.stage.value == stage) and \
                (day is None or c.date.date().isoformat() == day):
            return c
    raise AssertionError(f"no demo cycle of {teacher} with {protocol} ({stage})")


def unwritable_folder(tmp_path: Path) -> Path:
    """A folder this process cannot create files in, or skip (root can write almost anywhere)."""
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    candidates = [folder, Path("/sys")]
    for candidate in candidates:
        try:
            fd, name = tempfile.mkstemp(dir=candidate)
        except OSError:
            return candidate
        os.close(fd)
        os.unlink(name)
    folder.chmod(0o755)
    pytest.skip("no unwritable folder available (running as root without /sys)")
