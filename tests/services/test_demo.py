"""The demo school reads true: tags fit their notes, reflections fit their protocol, one
visit was left open days ago (to show resuming a visit), co-observed lessons disagree as
real observers do, with a coach who drifts over the year, and two new teachers' classes are
heard more widely as the year goes on."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

from observe_app import cli
from observe_app.domain.models import (
    Cycle,
    CycleCoObserver,
    FeedbackItem,
    Note,
    NoteTag,
    Observation,
    Person,
    Protocol,
    ProtocolItem,
    ProtocolVersion,
    SeatingChart,
    VisitSeating,
)
from observe_app.services import calibration, demo, participation
from observe_app.storage.engine import Database
from observe_app.storage.opening import open_database

# A word of each look-for or rubric item's label that a note tagged to it should carry (in
# some form), for the English evidence; a spot check that NOTE_TAGS itself is sensible.
ITEM_WORDS = {
    # "key points": a summary of what the lesson was for (NOTE_TAGS allows it; the demo's
    # round of peer observations tags it so).
    "learning-intention": ("learning intention", "lesson", "key points"),
    "students-explain": ("explain",
    "how do you know", "build on", "presents", "question"),
    "checks-understanding": ("whiteboards", "exit question", "cold call", "self-assess",
                             "every student"),
    "every-student-responds": ("every student", "pairs", "quiet students", "24 of 27",
                               "wait time"),
    "feedback-in-lesson": ("feedback", "praises", "corrects", "asks a question"),
    "routines": ("transition", "attendance", "countdown", "seating plan"),
    "goal-visible": ("board",), "work-displayed": ("student work",),
    "on-task": ("off task", "copying", "settles"),
}


def test_every_tag_is_one_the_note_is_evidence_of(demo_db: Database) -> None:
    with demo_db.transaction() as s:
        rows = s.execute(select(Note.text, ProtocolItem.key)
                         .join(NoteTag, NoteTag.note_id == Note.id)
                         .join(ProtocolItem, ProtocolItem.id == NoteTag.item_id)).all()
    assert len(rows) > 100  # the demo does tag notes
    wrong = [(text, key) for text, key in rows if key not in demo.tags_for(text)]
    assert wrong == []
    for text, key in rows:
        words = ITEM_WORDS.get(key)
        if words and text in demo.EVIDENCE:
            assert any(w in text.lower() for w in words), (text, key)


def test_every_reflection_is_about_its_protocol(demo_db: Database) -> None:
    with demo_db.transaction() as s:
        rows = s.execute(select(Protocol.slug, Cycle.reflection)
                         .join(ProtocolVersion, ProtocolVersion.id == Cycle.protocol_version_id)
                         .join(Protocol, Protocol.id == ProtocolVersion.protocol_id)
                         .where(Cycle.reflection != "")).all()
    assert {slug for slug, _text in rows} == set(demo.SUBJECTS)
    for slug, text in rows:
        assert demo.SUBJECTS[slug] in text.lower(), (slug, text)


def test_one_visit_was_left_open_days_ago_with_a_few_notes(demo_db: Database) -> None:
    with demo_db.transaction() as s:
        open_visits = s.scalars(select(Observation).where(Observation.ended_at.is_(None))).all()
        assert len(open_visits) == 1
        [visit] = open_visits
        started = visit.started_at.astimezone(dt.UTC).date()
        count = len(s.scalars(select(Note.id).where(Note.observation_id == visit.id)).all())
    assert 3 <= (demo.DEMO_TODAY - started).days <= 7
    assert 2 <= count <= 8


def test_no_cycle_has_the_same_feedback_twice(demo_db: Database) -> None:
    """The live prompts become feedback when a visit ends; the demo's post-conferences add
    to them without repeating a point."""
    with demo_db.transaction() as s:
        rows = s.execute(select(FeedbackItem.cycle_id, FeedbackItem.kind,
                                FeedbackItem.text)).all()
    assert rows
    assert len(rows) == len(set(rows))


def _co_observed(demo_db: Database) -> list[calibration.LessonAgreement]:
    with demo_db.transaction() as s:
        cycle_ids = sorted(set(s.scalars(select(CycleCoObserver.cycle_id))))
        # Refused for a lesson still waiting for a visit: every one is open for calibration.
        return [calibration.lesson_agreement(s, c) for c in cycle_ids]


def test_co_observed_lessons_disagree_as_real_observers_do(demo_db: Database) -> None:
    lessons = _co_observed(demo_db)
    sizes = Counter(len(lesson.observers) for lesson in lessons)
    assert sizes[2] >= 3 and sizes[3] >= 1
    given = [(r.a, r.b) for lesson in lessons for p in lesson.pairs for r in p.ratings
             if r.a is not None and r.b is not None]
    apart = Counter(abs(a - b) for a, b in given)
    assert apart[0] + apart[1] >= 0.9 * len(given)  # mostly the same level or the next one
    assert apart[1] >= 0.25 * len(given)
    assert apart[2] >= 3 and apart[3] == 0  # some two levels apart, none further
    assert any(r.a is None or r.b is None for lesson in lessons for p in lesson.pairs
               for r in p.ratings)  # one rated what the other marked not observed
    # A code one observer ticks and the other never does.
    one_sided = {c.label for lesson in lessons for p in lesson.pairs for scan in p.scans
                 for c in scan.codes
                 if any(x and c.code in x for x in scan.a) != any(x and c.code in x
                                                                  for x in scan.b)}
    assert one_sided
    assert any(p.counts for lesson in lessons for p in lesson.pairs)  # tallies and timers too


def test_a_coach_s_agreement_drifts_over_the_year_and_comes_back(demo_db: Database) -> None:
    with demo_db.transaction() as s:
        coach = s.scalar(select(Person.id).where(Person.name == "Siobhán Ó Briain"))
        assert coach is not None
        found = calibration.observer_agreement(s, coach)
    assert not found.waiting and len(found.lessons) >= 4
    assert (found.lessons[-1].date - found.lessons[0].date).days > 300
    kappas = [p.weighted_kappa.value for p in found.lessons]
    assert all(k is not None for k in kappas)
    lowest = min(kappas)  # type: ignore[type-var]
    assert kappas[0] - lowest > 0.4 and kappas[-1] - lowest > 0.3  # down, then back up
    within = [p.within_one.value or 0 for p in found.lessons]
    assert min(within) < within[0] and min(within) < within[-1]


@pytest.mark.parametrize("which", ["--cycle", "--observer"])
def test_the_calibration_command_on_the_demo(demo_dir: Path, which: str, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    with open_database(demo_dir) as db, db.transaction() as s:
        three = next(c for c in set(s.scalars(select(CycleCoObserver.cycle_id)))
                     if len(calibration.lesson_agreement(s, c).observers) == 3)
        coach = s.scalar(select(Person.id).where(Person.name == "Siobhán Ó Briain"))
    target = three if which == "--cycle" else coach
    out = tmp_path / "calibration.pdf"
    code = cli.main(["--data-dir", str(demo_dir), "calibration", which, str(target), "--json",
                     "--out", str(out)])
    printed = capsys.readouterr()
    assert code == 0, printed.err
    found = json.loads(printed.out)
    assert out.stat().st_size > 0 and f"Wrote {out}" in printed.err
    if which == "--cycle":
        assert len(found["observers"]) == 3 and len(found["pairs"]) == 3
        for pair in found["pairs"]:
            paired = pair["ratings"]["paired"]
            assert len(paired) == 16 and all({"a", "b"} <= set(p) for p in paired)
            assert isinstance(pair["ratings"]["within_one"]["value"], float)
        assert found["all_observers"]["fleiss_kappa"]["value"] is not None
        assert len(found["all_observers"]["paired"]) == 16
    else:
        assert found["observer"] == "Siobhán Ó Briain" and len(found["lessons"]) >= 4
        assert all(lesson["within_one"]["value"] is not None for lesson in found["lessons"])


def test_two_teachers_classes_are_heard_more_widely_over_the_year(demo_db: Database) -> None:
    with demo_db.transaction() as s:
        visits = s.execute(
            select(Person.name, Observation.started_at, VisitSeating.observation_id,
                   VisitSeating.item_id)
            .join(Observation, Observation.id == VisitSeating.observation_id)
            .join(Cycle, Cycle.id == Observation.cycle_id)
            .join(Person, Person.id == Cycle.teacher_id)
            .order_by(Observation.started_at)).all()
        year: dict[str, list[participation.ParticipationSummary]] = {}
        for name, _started, visit_id, item_id in visits:
            year.setdefault(name, []).append(participation.visit_summary(s, visit_id, item_id))
    assert set(year) == {teacher for teacher, *_rest in demo.PARTICIPATION_LESSONS}
    for name, lessons in year.items():
        assert len(lessons) == 4, name
        first, last = lessons[0], lessons[-1]
        assert all(lesson.contributions >= 10 and lesson.seats >= 20 for lesson in lessons)
        assert first.spoke_share is not None and last.spoke_share is not None
        assert first.gini is not None and last.gini is not None
        assert last.spoke_share - first.spoke_share > 0.25, name  # heard: rising
        assert first.gini - last.gini > 0.2, name  # spread: more even
        assert last.volunteered > last.called_on and first.called_on >= first.volunteered
    # Not a straight line: some lesson is heard less widely than the one before it.
    assert any(later.gini > earlier.gini  # type: ignore[operator]
               for lessons in year.values()
               for earlier, later in zip(lessons, lessons[1:], strict=False))


def test_one_class_s_seats_have_initials_kept_on_this_laptop(demo_db: Database) -> None:
    with demo_db.transaction() as s:
        charts = s.execute(select(SeatingChart.class_name, SeatingChart.seats,
                                  SeatingChart.labels)).all()
        labelled_visits = s.scalars(select(VisitSeating.chart_id)
                                    .where(VisitSeating.chart_id.is_not(None))).all()
        lesson_labels = [labels for labels in s.scalars(select(VisitSeating.labels)) if labels]
    assert len(charts) == 2
    labelled = [(name, seats, labels) for name, seats, labels in charts if labels]
    assert len(labelled) == 1
    [(name, seats, labels)] = labelled
    assert name.startswith("Science")
    assert len(labels) == len(seats)
    assert all(len(label) <= 5 and label.endswith(".") for label in labels.values())
    assert len(labelled_visits) == 8  # each visit knows its chart, here
    # Labelled after the class's first lesson: the three lessons after it keep the initials.
    assert len(lesson_labels) == 3 and all(len(labels) == len(seats) for labels in lesson_labels)


def test_the_labelled_class_s_pdf_has_its_initials_only_when_asked(demo_db: Database,
                                                                   tmp_path: Path) -> None:
    from pypdf import PdfReader

    from observe_app.reports.export import export_cycle
    from observe_app.reports.options import PdfOptions

    teacher = demo.PARTICIPATION_LESSONS[demo.LABELLED_CLASS][0]
    with demo_db.transaction() as s:
        cycle_id = s.scalars(select(Cycle.id).join(Person, Person.id == Cycle.teacher_id)
                             .join(Observation, Observation.cycle_id == Cycle.id)
                             .join(VisitSeating, VisitSeating.observation_id == Observation.id)
                             .where(Person.name == teacher)
                             .order_by(Observation.started_at.desc())).first()
    assert cycle_id is not None
    texts = []
    for shown in (False, True):
        out = export_cycle(demo_db, cycle_id, tmp_path / f"labels-{shown}.pdf",
                           options=PdfOptions(seat_labels=shown)).path
        texts.append(" ".join(page.extract_text() for page in PdfReader(out).pages))
    hidden, shown_text = texts
    assert "seats heard" in hidden  # the map is in the PDF
    assert not [label for label in demo.INITIALS if label in hidden]
    assert len([label for label in set(demo.INITIALS) if label in shown_text]) >= 10
