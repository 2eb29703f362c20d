"""The calibration PDF: one lesson's figures with their sentences and each observer's levels
side by side, the figures of three observers together, one observer's drift over time, names
in every script, and `observe-app calibration --out`."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from pdf_helpers import pdf_text, pdftotext, qpdf_check
from sqlalchemy import select
from sqlalchemy.orm import Session

from observe_app import cli
from observe_app.domain.models import CycleCoObserver, Person
from observe_app.errors import BadInputError
from observe_app.reports import calibration_pdf
from observe_app.services import (
    calibration,
    calibration_words,
    co_observation,
    cycles,
    notes,
    observations,
    people,
    protocols,
    responses,
)
from observe_app.services.agreement import Figure
from observe_app.storage.engine import Database

LESSON = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
LEVEL_NAMES = {1: "Beginning", 2: "Developing", 3: "Proficient", 4: "Accomplished"}


def _lesson(db: Database, teacher: str, observers: dict[str, list[int | None]], *,
            when: dt.datetime = LESSON, slug: str = "new-teacher-growth",
            known: dict[str, str] | None = None,
            record: Callable[[Session, str, str], None] | None = None) -> str:
    """A co-observed lesson: the first observer plans it, every observer records it with a
    note tagged to the first rubric item and their levels, and hands it in. `known` maps
    names to people already in the database (else each is added); `record(session, visit,
    observer's name)` records more in each visit before it is handed in."""
    known = {} if known is None else known
    with db.transaction() as s:
        for name in [teacher, *observers]:
            if name not in known:
                known[name] = people.add_person(s, name).id
        version = protocols.get_version(s, protocols.find_protocol(s, slug).latest_version_id)
        first, *others = observers
        cycle = cycles.plan_cycle(s, teacher_id=known[teacher], observer_id=known[first],
                                  protocol_version_id=version.id, focus="Questioning")
        for name in others:
            co_observation.add_co_observer(s, cycle.id, known[name])
        rubric = version.items_of("rubric")
        visits = []
        for n, (name, levels) in enumerate(observers.items()):
            start = when + dt.timedelta(seconds=20 * n)
            visit = observations.start_observation(s, cycle.id, observer_id=known[name],
                                                   now=start)
            if rubric:
                notes.add_note(s, visit.id, f"{name}'s evidence", wall_time=start,
                               elapsed_ms=60_000, item_ids=[rubric[0].id])
            for item, level in zip(rubric, levels, strict=False):
                co_observation.rate_from_visit(s, visit.id, item.id, level,
                                               not_observed=level is None)
            if record is not None:
                record(s, visit.id, name)
            visits.append(visit.id)
        for n, visit_id in enumerate(visits):
            observations.end_observation(s, visit_id, 45 * 60_000,
                                         now=when + dt.timedelta(minutes=45))
            co_observation.hand_in(s, visit_id, now=when + dt.timedelta(hours=1, minutes=n))
        return cycle.id


def _head(f: Figure, *, share: bool = False) -> str:
    """How the sentence of a figure begins, as the command line prints it too."""
    if f.value is None:
        return f"{f.name}: {f.why_undefined}"
    return f"{f.name}: {calibration_words.value(f, share=share)}"


def test_two_observers_the_figures_their_sentences_and_both_levels_item_by_item(
        db: Database, tmp_path: Path) -> None:
    anna = [3, 3, 1, 2, 4]
    carla = [3, 2, 2, None, 2]
    cycle_id = _lesson(db, "Ben Okafor", {"Anna Lindqvist": anna, "Carla Ruiz": carla})
    out = tmp_path / "calibration.pdf"
    result = calibration_pdf.export_lesson(db, cycle_id, out, tz=dt.UTC)
    assert result.path == out and result.pages >= 2
    qpdf_check(out)
    text = pdftotext(out)
    with db.transaction() as s:
        [pair] = calibration.lesson_agreement(s, cycle_id).pairs
    for f, share in ((pair.exact, True), (pair.within_one, True), (pair.weighted_kappa, False)):
        assert _head(f, share=share) in text
    assert "Exact agreement: 25 %" in text  # 3 3, 3 2, 1 2, 4 2: one of four the same
    assert "Within one level: 75 %" in text
    assert "12 left out where an observer gave no value" in text  # one not observed, 11 unrated
    assert "below the 80 % CLASS asks of its observers before certifying them" in text
    assert "not a verdict on any observer" in text
    assert "Ben Okafor · New-teacher growth rubric · 2 March 2026" in text
    for level in (1, 2, 3, 4):
        assert f"{level} {LEVEL_NAMES[level]}" in text
    # Item by item, each observer's level with the evidence they tagged (in drawing order:
    # pdftotext reads a table's columns apart).
    text = " ".join(pdf_text(out))
    assert ("Clear learning outcomes same level 3 Proficient ●●●○ “Anna Lindqvist's evidence” "
            "3 Proficient ●●●○ “Carla Ruiz's evidence”") in text
    assert "Planning from what students know one level apart 3 Proficient ●●●○ 2 Developing" \
        in text
    assert "Resources and materials one level apart 1 Beginning ●○○○ 2 Developing" in text
    assert ("Respect and rapport one level given 2 Developing ●●○○ no level (not rated, or not "
            "observed)") in text
    assert "Routines and transitions 2 levels apart 4 Accomplished ●●●● 2 Developing" in text
    assert "Reading these figures" in text and "Landis and Koch" in text


def test_three_observers_add_the_group_figures_and_a_column_each(db: Database,
                                                                  tmp_path: Path) -> None:
    cycle_id = _lesson(db, "Ben Okafor", {"Anna Lindqvist": [3, 3, 2, 2, 4, 1],
                                          "Carla Ruiz": [3, 2, 2, 3, 2, 1],
                                          "Dev Patel": [4, 3, 2, 2, 3, 2]})
    out = tmp_path / "three.pdf"
    calibration_pdf.export_lesson(db, cycle_id, out, tz=dt.UTC)
    text = pdftotext(out)
    rows = " ".join(pdf_text(out))
    with db.transaction() as s:
        found = calibration.lesson_agreement(s, cycle_id)
    assert found.group is not None
    assert "CALIBRATION · ONE LESSON, 3 OBSERVERS" in text
    assert "All 3 observers together" in text
    assert _head(found.group.fleiss) in text and _head(found.group.alpha_ordinal) in text
    assert "Krippendorff's alpha (nominal)" not in text  # no interval scan in this protocol
    for a, b in (("Anna Lindqvist", "Carla Ruiz"), ("Anna Lindqvist", "Dev Patel"),
                 ("Carla Ruiz", "Dev Patel")):
        assert f"{a} and {b}" in text
    assert "ITEM ANNA LINDQVIST CARLA RUIZ DEV PATEL" in rows
    assert ("Clear learning outcomes one level apart 3 Proficient ●●●○ “Anna Lindqvist's "
            "evidence” 3 Proficient ●●●○ “Carla Ruiz's evidence” 4 Accomplished") in rows
    assert "Routines and transitions 2 levels apart 4 Accomplished ●●●● 2 Developing ●●○○ " \
        "3 Proficient" in rows


def test_scans_tallies_and_timers_per_code_with_and_without_a_tolerance(
        db: Database, tmp_path: Path) -> None:
    scans = {"Anna Lindqvist": [["listening", "lecturing"], ["listening"], ["asking"]],
             "Carla Ruiz": [["listening", "lecturing"], ["asking", "waiting"], ["asking"]]}

    def record(s: Session, visit: str, observer: str) -> None:
        version = protocols.get_version(
            s, protocols.find_protocol(s, "questioning-wait-time-engagement").latest_version_id)
        [scan] = version.items_of("interval")
        open_question = next(i for i in version.items_of("tally") if i.key == "open-question")
        [wait] = version.items_of("timer")
        for index, codes in enumerate(scans[observer]):
            responses.record_interval(s, visit, scan.id, index, codes)
        responses.change_tally(s, visit, open_question.id,
                               8 if observer == "Anna Lindqvist" else 10)
        responses.add_timer_run(s, visit, wait.id, 60_000, 3_000)

    cycle_id = _lesson(db, "Ben Okafor", {"Anna Lindqvist": [], "Carla Ruiz": []},
                       slug="questioning-wait-time-engagement", record=record)
    with db.transaction() as s:
        found = calibration.lesson_agreement(s, cycle_id)
    out = tmp_path / "scan.pdf"
    calibration_pdf.export_lesson(db, cycle_id, out, tz=dt.UTC)
    [pair] = found.pairs
    assert _head(pair.scans[0].overall, share=True) in pdftotext(out)
    text = " ".join(pdf_text(out))
    assert "Same codes in an interval: 67 %" in text  # all but the second interval
    # Asking: Carla a scan early. Exact 2 of 3 intervals agree; within one, all three.
    assert "Asking 1 / 2 67 % 0.40 100 % 1.00" in text
    assert "Listening 2 / 1 67 %" in text
    assert "Waiting 0 / 1 67 % 0.00(1) 67 % 0.00(1)" in text
    assert "(1) One observer ticked Waiting in every interval, or in none, so kappa is 0 " \
        "however often the two agree." in text
    assert "Neither observer ticked Working alone, Talking in pairs or groups" in text
    assert "INTERVAL 1 2 3 Listening ■ A Asking B ■ Lecturing ■ Waiting B" in text
    assert "Open question (many possible answers) 8 10 2 20 %" in text
    assert "Wait time after a question 3 s 3 s 0 s 0 %" in text
    assert "Neither observer used Closed question (one right answer), Follow-up" in text


def test_an_observer_s_lessons_over_time_drift_chart_and_table(demo_copy: Database,
                                                               tmp_path: Path) -> None:
    with demo_copy.transaction() as s:
        siobhan = s.scalar(select(Person.id).where(Person.name == "Siobhán Ó Briain"))
        assert siobhan is not None
        found = calibration.observer_agreement(s, siobhan)
    out = tmp_path / "drift.pdf"
    result = calibration_pdf.export_observer(demo_copy, siobhan, out, tz=dt.UTC)
    qpdf_check(out)
    text = " ".join(pdf_text(out))
    assert result.pages >= 1 and "Page 1 of" in text
    assert "CALIBRATION · ONE OBSERVER OVER TIME Siobhán Ó Briain" in text
    assert f"{len(found.lessons)} co-observed lessons" in text
    assert "Levels within one level of the other observers'" in text
    assert "Weighted kappa with the other observers" in text
    assert "The dashed line is 80 %, what CLASS asks of its observers before certifying " \
        "them." in text
    assert "The dashed line is 0.70, often asked of high-stakes assessments." in text
    for p in found.lessons:
        row = (f"{p.date:%-d %b %Y} {p.teacher_name} {', '.join(p.with_names)} "
               f"{calibration_words.value(p.within_one, share=True)} "
               f"{calibration_words.value(p.weighted_kappa)}")
        assert row in text


def test_names_in_every_script_print_with_embedded_fonts(db: Database, tmp_path: Path) -> None:
    pdffonts = shutil.which("pdffonts")
    if pdffonts is None:
        pytest.skip("pdffonts is not installed (apt-get install poppler-utils)")
    names = {"فاطمة الزهراء": [3, 2], "王芳": [3, 3], "שרה לוי": [2, 2],
             "ครูสมศรี": [4, 3]}
    teacher = "김민수"
    cycle_id = _lesson(db, teacher, names)
    out = tmp_path / "scripts.pdf"
    calibration_pdf.export_lesson(db, cycle_id, out, tz=dt.UTC)
    text = pdftotext(out)
    page_one = text.split("Page 1 of")[0]
    for name in [teacher, *names]:
        assert name in page_one, name
    assert "\ufffd" not in text
    with db.transaction() as s:
        observer = s.scalar(select(CycleCoObserver.person_id).join(
            Person, Person.id == CycleCoObserver.person_id).where(Person.name == "王芳"))
    drift = tmp_path / "drift.pdf"
    calibration_pdf.export_observer(db, observer, drift, tz=dt.UTC)
    assert "王芳" in pdftotext(drift)
    for pdf in (out, drift):
        listing = subprocess.run([pdffonts, str(pdf)], capture_output=True, text=True,
                                 check=True).stdout.splitlines()[2:]
        rows = [line.split() for line in listing]
        assert {"DejaVuSans", "NotoSansArabic-Regular", "NotoSansHebrew-Regular",
                "NotoSansThai-Regular", "DroidSansFallback"} <= \
            {row[0].split("+")[-1] for row in rows}
        for row in rows:  # name type encoding emb sub uni object-id
            assert row[-5:-2] == ["yes", "yes", "yes"], f"not embedded, subset, mapped: {row}"


def test_a_lesson_still_waiting_for_a_visit_has_no_pdf(db: Database, tmp_path: Path) -> None:
    with db.transaction() as s:
        ben, anna, carla = (people.add_person(s, n).id for n in ("Ben", "Anna", "Carla"))
        version = protocols.find_protocol(s, "new-teacher-growth").latest_version_id
        cycle = cycles.plan_cycle(s, teacher_id=ben, observer_id=anna,
                                  protocol_version_id=version)
        co_observation.add_co_observer(s, cycle.id, carla)
    with pytest.raises(BadInputError, match="waiting for Anna and Carla"):
        calibration_pdf.export_lesson(db, cycle.id, tmp_path / "early.pdf")
    assert list(tmp_path.glob("*.pdf*")) == list(tmp_path.glob(".observe-*")) == []


def test_calibration_out_writes_the_pdf_and_refuses_the_folder_s_own_files(
        db: Database, data_dir: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    cycle_id = _lesson(db, "Ben Okafor", {"Anna Lindqvist": [3, 2], "Carla Ruiz": [3, 3]})
    db.close()
    out = tmp_path / "out.pdf"
    code = cli.main(["--data-dir", str(data_dir), "calibration", "--cycle", cycle_id,
                     "--out", str(out)])
    printed = capsys.readouterr()
    assert code == 0, printed.err
    assert f"Wrote {out} (" in printed.out and "Anna Lindqvist and Carla Ruiz" in printed.out
    assert "Exact agreement: 50 %" in pdftotext(out)
    # With --json, stdout stays JSON: the line about the file goes to stderr.
    code = cli.main(["--data-dir", str(data_dir), "calibration", "--cycle", cycle_id, "--json",
                     "--out", str(tmp_path)])
    printed = capsys.readouterr()
    assert code == 0 and printed.out.lstrip().startswith("{") and "Wrote " in printed.err
    assert len(list(tmp_path.glob("*Calibration - Ben Okafor*.pdf"))) == 1
    before = (data_dir / "observe.db").read_bytes()
    code = cli.main(["--data-dir", str(data_dir), "calibration", "--cycle", cycle_id,
                     "--out", str(data_dir / "observe.db")])
    printed = capsys.readouterr()
    assert code != 0 and "Observe's own files" in printed.err
    assert (data_dir / "observe.db").read_bytes() == before
    assert not list(data_dir.glob(".observe-*"))
