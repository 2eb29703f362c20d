"""Demo cycles' feedback summaries: headings, names in four scripts, evidence, fonts, structure."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest
from pdf_helpers import embedded_font_file, find_cycle, flat, fonts, pdf_text, qpdf_check
from pypdf import PdfReader

from observe_app.reports import export_cycle
from observe_app.services import notes, observations
from observe_app.services.cycles import CycleSummary
from observe_app.storage.engine import Database

ALWAYS = ["Observation feedback summary", "Focus for this cycle", "Feedback",
          "The teacher's reflection", "Growth across cycles", "Signatures"]
AFTER_A_VISIT = ["Evidence log"]
# (teacher, protocol, stage or date) -> headings particular to that protocol
CASES = {
    "rubric": ("Aino Mäkelä", "New-teacher growth rubric", "2026-02-11",
               ["Ratings", "Glows: what worked", "Grows: what to try next", "Next steps",
                "Mean rubric level per domain"]),
    "questioning": ("Дмитрий Соколов", "Questioning and wait time", "2026-05-20",
                    ["Tallies and timers", "Tallies per lesson", "Mean time per lesson"]),
    "scan": ("Ελένη Γεωργίου", "Student engagement interval scan", "closed", ["Interval scan"]),
    "vietnamese": ("Nguyễn Thị Hương", "New-teacher growth rubric", "post_conference",
                   ["Ratings"]),
    "peer": ("Ольга Петрова", "Peer observation", "closed", ["Look-fors"]),
    "pre": ("José Muñoz", "New-teacher growth rubric", "pre_conference",
            ["No observation yet", "What the observer will look for"]),
}


@dataclass(frozen=True)
class Rendered:
    summary: CycleSummary
    path: Path
    pages: int
    text: list[str]

    @property
    def all_text(self) -> str:
        return " ".join(self.text)


@pytest.fixture(scope="module")
def rendered(demo_copy: Database, demo_cycles: list[CycleSummary],
             tmp_path_factory: pytest.TempPathFactory) -> dict[str, Rendered]:
    out = tmp_path_factory.mktemp("pdfs")
    result = {}
    for name, (teacher, protocol, when, _headings) in CASES.items():
        if when[0].isdigit():
            summary = find_cycle(demo_cycles, teacher, protocol, day=when)
        else:
            summary = find_cycle(demo_cycles, teacher, protocol, when)
        export = export_cycle(demo_copy, summary.id, out / f"{name}.pdf", tz=dt.UTC)
        result[name] = Rendered(summary, export.path, export.pages, pdf_text(export.path))
    return result


@pytest.mark.parametrize("case", list(CASES))
def test_every_section_heading_is_there(rendered: dict[str, Rendered], case: str) -> None:
    r = rendered[case]
    expected = ALWAYS + CASES[case][3] + ([] if case == "pre" else AFTER_A_VISIT)
    text = r.all_text.casefold()
    missing = [h for h in expected if h.casefold() not in text]
    assert not missing, f"{case}: headings missing {missing}"


@pytest.mark.parametrize("case", list(CASES))
def test_page_count_and_page_furniture(rendered: dict[str, Rendered], case: str) -> None:
    r = rendered[case]
    assert len(PdfReader(r.path).pages) == r.pages
    assert (2 <= r.pages <= 4) if case == "pre" else (3 <= r.pages <= 10)
    for number, page in enumerate(r.text, start=1):
        assert f"Page {number} of {r.pages}" in page
        assert "Confidential" in page


@pytest.mark.parametrize("case", ["rubric", "questioning", "scan", "vietnamese"])
def test_teacher_name_in_each_script(rendered: dict[str, Rendered], case: str) -> None:
    r = rendered[case]
    name = flat(r.summary.teacher_name)
    assert name in r.text[0]
    assert flat(r.summary.observer_name or "") in r.text[0]
    assert r.summary.protocol_name in r.text[0]


@pytest.mark.parametrize("case", ["rubric", "questioning", "scan"])
def test_every_note_with_its_timestamps(rendered: dict[str, Rendered], demo_copy: Database,
                                        case: str) -> None:
    r = rendered[case]
    with demo_copy.transaction() as s:
        visits = observations.list_observations(s, r.summary.id)
        all_notes = [n for v in visits for n in notes.list_notes(s, v.id)]
    assert all_notes
    text = r.all_text
    for note in all_notes:
        assert flat(note.text) in text
        assert f"{note.mm_ss} {note.wall_time.astimezone(dt.UTC):%H:%M:%S}" in text


def test_notes_in_greek_cyrillic_vietnamese_finnish_survive(rendered: dict[str, Rendered]) -> None:
    text = " ".join(r.all_text for r in rendered.values())
    for phrase in ("Γιατί συμβαίνει αυτό;", "Учитель задаёт открытый вопрос",
                   "Học sinh thảo luận theo nhóm", "miten päättelit tämän?"):
        assert flat(phrase) in text, phrase


def test_ratings_show_level_names_descriptors_and_not_observed(
        rendered: dict[str, Rendered]) -> None:
    text = rendered["rubric"].all_text
    assert any(level in text for level in ("Beginning", "Developing", "Proficient",
                                           "Accomplished"))
    assert "of 4" in text and "Evidence at" in text
    assert "Not observed" in " ".join(r.all_text for r in rendered.values())


def test_feedback_due_dates_and_reflection(rendered: dict[str, Rendered]) -> None:
    r = rendered["rubric"]
    for heading in ("Glows: what worked", "Grows: what to try next", "Next steps",
                    "SUCCESS LOOKS LIKE", "Next visit:"):
        assert heading in r.text[0], heading
    assert "— Aino Mäkelä" in r.all_text  # the reflection is signed by the teacher


def test_pre_conference_cycle_says_no_observation_yet(rendered: dict[str, Rendered]) -> None:
    r = rendered["pre"]
    assert "No observation yet. This cycle is at the pre-conference stage. The visit is " \
        "planned for 2 December 2026." in r.text[0]
    assert "Clear learning outcomes" in r.all_text  # what the observer will look for
    assert "Glows: what worked" not in r.all_text  # no feedback before the visit


def test_fonts_are_embedded_and_cover_every_script(rendered: dict[str, Rendered]) -> None:
    for r in rendered.values():
        used = fonts(r.path)
        assert used, r.path.name
        not_embedded = [name for name, font in used.items() if not embedded_font_file(font)]
        assert not not_embedded, f"{r.path.name}: fonts not embedded: {not_embedded}"
        assert all("DejaVuSans" in name for name in used), used.keys()


def test_outline_has_a_bookmark_per_section(rendered: dict[str, Rendered]) -> None:
    titles = [item.title for item in PdfReader(rendered["rubric"].path).outline
              if not isinstance(item, list)]
    assert titles[:2] == ["Focus for this cycle", "Feedback"]
    assert titles[-2:] == ["Signatures", "Appendix: evidence log"]


def test_document_properties(rendered: dict[str, Rendered]) -> None:
    meta = PdfReader(rendered["scan"].path).metadata
    assert meta is not None
    assert "Ελένη Γεωργίου" in (meta.title or "")
    assert meta.author == rendered["scan"].summary.observer_name


@pytest.mark.parametrize("case", list(CASES))
def test_qpdf_check_passes(rendered: dict[str, Rendered], case: str) -> None:
    qpdf_check(rendered[case].path)


def test_exports_from_worker_threads_match(rendered: dict[str, Rendered], demo_copy: Database,
                                           tmp_path: Path) -> None:
    """The window exports on a thread pool: concurrent exports give the same documents."""
    from concurrent.futures import ThreadPoolExecutor

    cases = ["scan", "pre", "questioning"]

    def export(case: str) -> list[str]:
        path = tmp_path / f"{case}.pdf"
        export_cycle(demo_copy, rendered[case].summary.id, path, tz=dt.UTC)
        return pdf_text(path)

    with ThreadPoolExecutor(max_workers=3) as pool:
        texts = list(pool.map(export, cases))
    for case, text in zip(cases, texts, strict=True):
        assert text == rendered[case].text, case
