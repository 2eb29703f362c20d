"""Exporting: long text wraps and splits across pages, file names, folders, and bad input."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pdf_helpers import flat, pdf_text, qpdf_check
from pypdf import PdfReader
from sqlalchemy import text

from observe_app import reports
from observe_app.domain.enums import FeedbackKind
from observe_app.errors import BadInputError, NotFoundError
from observe_app.reports import export as export_module
from observe_app.services import cycles, notes, observations, people, protocols
from observe_app.services.cycles import CycleSummary
from observe_app.storage.engine import Database

LONG_NAME = ("Maria-Magdalena Alexandra Konstantinopoulou-Papadimitriou "
             "von Hohenzollern-Sigmaringen Ødegård")
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _cycle(db: Database, *, notes_count: int, long_note: str = "") -> str:
    with db.transaction() as s:
        teacher = people.add_person(s, LONG_NAME, subject="Mathematics and computing")
        observer = people.add_person(s, "Ελένη Γεωργίου")
        version = protocols.find_protocol(s, "peer-observation").latest_version_id
        cycle = cycles.plan_cycle(s, teacher_id=teacher.id, observer_id=observer.id,
                                  protocol_version_id=version, focus="Students <b>explain</b> & "
                                  "justify", now=START - dt.timedelta(days=2))
        visit = observations.start_observation(s, cycle.id, subject="Maths", grade="8",
                                               room="B2", students=25, now=START)
        for i in range(notes_count):
            notes.add_note(s, visit.id, f"Note number {i}: <i>students</i> & the teacher talk "
                           "about fractions, equivalent fractions and a number line " * 2,
                           wall_time=START + dt.timedelta(seconds=20 * i), elapsed_ms=20_000 * i)
        if long_note:
            notes.add_note(s, visit.id, long_note, wall_time=START + dt.timedelta(minutes=44),
                           elapsed_ms=44 * 60_000)
        observations.end_observation(s, visit.id, 45 * 60_000, now=START + dt.timedelta(minutes=45))
        cycles.add_feedback(s, cycle.id, FeedbackKind.NEXT_STEP, "Try mini whiteboards",
                            due_date=dt.date(2026, 3, 23))
        return cycle.id


def test_long_notes_and_names_wrap_and_tables_split_with_repeated_headers(
        db: Database, tmp_path: Path) -> None:
    words = " ".join(f"word{i}" for i in range(3000))  # ~26,000 characters, several pages
    long_note = words + " " + "x" * 300 + " the very end of the long note"
    cycle_id = _cycle(db, notes_count=90, long_note=long_note[:20_000])
    result = reports.export_cycle(db, cycle_id, tmp_path / "long.pdf", tz=dt.UTC)
    text = pdf_text(result.path)
    assert result.pages >= 6
    assert flat(LONG_NAME) in text[0]
    evidence_pages = [t for t in text if "TIME EVIDENCE" in t]
    assert len(evidence_pages) >= 3  # the header row repeats on every page of the log
    joined = " ".join(text)
    assert "Note number 89: <i>students</i> & the teacher" in joined  # markup stays text
    assert "Students <b>explain</b> & justify" in joined
    assert "word1999" in joined and "44:00 09:44:00" in joined
    assert "Try mini whiteboards · by 23 March 2026" in text[0]  # page 1 is the feedback
    qpdf_check(result.path)


def test_export_into_a_folder_names_the_file(db: Database, tmp_path: Path) -> None:
    cycle_id = _cycle(db, notes_count=3)
    result = reports.export_cycle(db, cycle_id, tmp_path, tz=dt.UTC)
    assert result.path.parent == tmp_path
    assert result.path.name == f"2026-03-02 {LONG_NAME} - Peer observation.pdf"
    assert len(PdfReader(result.path).pages) == result.pages
    assert not list(tmp_path.glob("*.part"))


def test_export_accepts_a_session(db: Database, tmp_path: Path) -> None:
    cycle_id = _cycle(db, notes_count=1)
    with db.transaction() as s:
        result = reports.export_cycle(s, cycle_id, tmp_path / "x.pdf")
    assert result.path.is_file()


def _summary(teacher: str, protocol: str = "Peer observation") -> CycleSummary:
    from observe_app.domain.enums import CycleStage

    return CycleSummary("c1", "t1", teacher, None, None, protocol, 1, "v1", CycleStage.CLOSED,
                        "", None, START, 1, START)


@pytest.mark.parametrize(("teacher", "protocol", "expected"), [
    ("Aino Mäkelä", "New-teacher growth rubric",
     "2026-03-02 Aino Mäkelä - New-teacher growth rubric.pdf"),
    ("A/B: C*D?", 'Walk "1" <x>|y\\z', "2026-03-02 A B C D - Walk 1 x y z.pdf"),
    ("Nguyễn Thị Hương", "Scan\n\ttabs. ", "2026-03-02 Nguyễn Thị Hương - Scan tabs.pdf"),
])
def test_file_names_are_readable_and_safe(teacher: str, protocol: str, expected: str) -> None:
    assert reports.file_name(_summary(teacher, protocol), dt.UTC) == expected


@pytest.mark.parametrize(("teacher", "expected"), [
    ("Aino\u009b Mäkelä", "Aino Mäkelä"),                      # C1 control (CSI)
    ("Aino \u202efdp.exe\u202c Mäkelä", "Aino fdp.exe Mäkelä"),  # bidi override
    ("\u2066Aino\u2069 \u200fMäkelä\u200e", "Aino Mäkelä"),      # isolates, marks
    ("Ai\u200bno\u2060 Mä\ufeffkelä", "Aino Mäkelä"),            # zero-width
    ("Aino\u2028Mäkelä\x85", "Aino Mäkelä"),                  # line separator, NEL
    ("../../Aino Mäkelä", ".. .. Aino Mäkelä"),                # no way out of the folder
])
def test_file_names_carry_no_invisible_or_reordering_characters(teacher: str,
                                                                expected: str) -> None:
    name = reports.file_name(_summary(teacher), dt.UTC)
    assert name == f"2026-03-02 {expected} - Peer observation.pdf"


def test_a_teacher_named_with_control_and_bidi_characters_gets_a_plain_file(
        db: Database, tmp_path: Path) -> None:
    with db.transaction() as s:
        teacher = people.add_person(s, "Aino Mäkelä")
        # The person dialog and the roster refuse control characters now; a name written by
        # an older version (or a restored backup of one) may still hold them.
        s.execute(text("UPDATE people SET name = :name WHERE id = :id"),
                  {"name": "Aino\u009b Mäkelä\u202eA\u202c", "id": teacher.id})
        observer = people.add_person(s, "Ελένη Γεωργίου")
        version = protocols.find_protocol(s, "peer-observation").latest_version_id
        cycle = cycles.plan_cycle(s, teacher_id=teacher.id, observer_id=observer.id,
                                  protocol_version_id=version, focus="", now=START)
    out = tmp_path / "out"
    [result] = reports.export_cycles(db, [_summary_of(db, cycle.id)], out, tz=dt.UTC)
    assert [p.name for p in out.iterdir()] == ["2026-03-02 Aino MäkeläA - Peer observation.pdf"]
    assert result.path == out / "2026-03-02 Aino MäkeläA - Peer observation.pdf"


def _summary_of(db: Database, cycle_id: str) -> CycleSummary:
    with db.transaction() as s:
        return next(c for c in cycles.list_cycles(s) if c.id == cycle_id)


def test_very_long_file_names_are_cut_to_fit_file_systems() -> None:
    name = reports.file_name(_summary("Дмитрий " * 80), dt.UTC)
    assert name.endswith(".pdf") and len(name.encode("utf-8")) <= 210


def test_unknown_cycle_is_not_found(db: Database, tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="no cycle with id 'nope'"):
        reports.export_cycle(db, "nope", tmp_path / "x.pdf")


def test_missing_folder_is_refused(db: Database, tmp_path: Path) -> None:
    cycle_id = _cycle(db, notes_count=1)
    with pytest.raises(BadInputError, match="does not exist"):
        reports.export_cycle(db, cycle_id, tmp_path / "no" / "such" / "x.pdf")


def test_unwritable_folder_is_refused(db: Database, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    cycle_id = _cycle(db, notes_count=1)

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(export_module.tempfile, "mkstemp", refuse)
    with pytest.raises(BadInputError, match=r"cannot write to .* \(Permission denied\)"):
        reports.export_cycle(db, cycle_id, tmp_path / "x.pdf")


def test_a_failed_render_leaves_no_file(db: Database, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    cycle_id = _cycle(db, notes_count=1)

    def disk_full(*_args: object, **_kwargs: object) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export_module, "render", disk_full)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(BadInputError, match="No space left on device"):
        reports.export_cycle(db, cycle_id, out / "x.pdf")
    assert list(out.iterdir()) == []


def test_batch_names_that_clash_get_a_number(db: Database, tmp_path: Path) -> None:
    first = _cycle(db, notes_count=1)
    with db.transaction() as s:
        summary = cycles.get_summary(s, first)
    results = reports.export_cycles(db, [summary, summary], tmp_path / "out", tz=dt.UTC)
    names = [r.path.name for r in results]
    assert names[1] == names[0].replace(".pdf", " (2).pdf")


def test_batch_refuses_a_file_or_an_unwritable_folder(db: Database, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    clash = tmp_path / "file.txt"
    clash.write_text("not a folder")
    with pytest.raises(BadInputError, match="is a file, not a folder"):
        reports.export_cycles(db, [], clash)

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(export_module.tempfile, "TemporaryFile", refuse)
    with pytest.raises(BadInputError, match="cannot write to .*pdfs"):
        reports.export_cycles(db, [], tmp_path / "pdfs")


def test_unknown_teacher_is_not_found(db: Database) -> None:
    with pytest.raises(NotFoundError, match="no teacher with id 'nobody'"):
        reports.cycles_to_export(db, teacher_id="nobody")


def test_two_visits_without_an_observer_and_text_outside_the_font(db: Database,
                                                                  tmp_path: Path) -> None:
    from observe_app.domain.enums import ItemKind
    from observe_app.services import responses

    with db.transaction() as s:
        teacher = people.add_person(s, "Trần Văn Minh")
        version = protocols.get_version(
            s, protocols.find_protocol(s, "questioning-wait-time").latest_version_id)
        cycle = cycles.plan_cycle(s, teacher_id=teacher.id, protocol_version_id=version.id,
                                  now=START - dt.timedelta(days=2))
        tally = version.items_of(ItemKind.TALLY)[0]
        timer = version.items_of(ItemKind.TIMER)[0]
        for n in range(2):
            start = START + dt.timedelta(days=n)
            visit = observations.start_observation(s, cycle.id, subject="PE", now=start)
            notes.add_note(s, visit.id, f"Visit {n + 1}: 🙂 学生 answer", wall_time=start,
                           elapsed_ms=5_000)
            responses.change_tally(s, visit.id, tally.id, 3 + n)
            responses.add_timer_run(s, visit.id, timer.id, 1_000, 2_500 + n * 1_000)
            observations.end_observation(s, visit.id, 600_000,
                                         now=start + dt.timedelta(minutes=10))
    result = reports.export_cycle(db, cycle.id, tmp_path / "two.pdf", tz=dt.UTC)
    text = " ".join(pdf_text(result.path))
    for expected in ("Visit 1 Monday 2 March 2026, 09:00–09:10",
                     "Visit 2 Tuesday 3 March 2026, 09:00–09:10",
                     "Visit 1 · 2 March 2026", "Visit 2 · 3 March 2026",
                     "Observer Not recorded", "2.5 s", "3.5 s", "Visit 2: "):
        assert expected in text, expected
    qpdf_check(result.path)
