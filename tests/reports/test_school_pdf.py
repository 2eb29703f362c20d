"""The PLC data review: no teacher's name, class or room and no student's name in the PDF or
the CSV; a department of two has its patterns withheld, with the reason; look-for shares as
computed by hand; the demo school's review with every block, fonts embedded."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest
from pdf_helpers import embedded_font_file, fonts, pdf_text, qpdf_check
from sqlalchemy import select

from observe_app.domain.models import Observation, Person
from observe_app.errors import BadInputError
from observe_app.reports import school_csv, school_pdf
from observe_app.services import school_json
from observe_app.services.school_period import Scope, school_year_of, term_of
from observe_app.storage.engine import Database
from tests.school_helpers import GOAL_VISIBLE, TERM_DAY, build_school

SPRING = term_of(dt.date.fromisoformat(TERM_DAY))
TWO_TEACHERS = ("withheld: it comes from 2 teachers, fewer than 3, so a teacher could be "
                "picked out")


def _export(db: Database, scope: Scope, folder: Path) -> tuple[str, list[dict[str, str]], str]:
    """The review's PDF text (all pages), the CSV's rows and its raw text."""
    picture = school_pdf.read_picture(db, SPRING, scope)
    pdf = school_pdf.export_review(db, picture, folder / "review.pdf")
    table = school_csv.export_csv(db, picture, folder / "review.csv")
    raw = table.path.read_text(encoding="utf-8-sig")
    assert table.rows == len(list(csv.DictReader(raw.splitlines()))) > 0
    return " ".join(pdf_text(pdf.path)), list(csv.DictReader(raw.splitlines())), raw


def _row(rows: list[dict[str, str]], label: str) -> dict[str, str]:
    return next(r for r in rows if r["section"] == "pattern" and r["label"] == label)


def test_no_name_class_room_or_student_reaches_the_pdf_or_the_csv(db: Database,
                                                                  tmp_path: Path) -> None:
    school = build_school(db)
    text, rows, raw = _export(db, Scope(), tmp_path)
    for secret in school.secrets():
        assert secret not in text, f"{secret!r} is in the PDF"
        assert secret not in raw, f"{secret!r} is in the CSV"
    # Surnames alone, too (a name cut short by a narrow column would still show them).
    for name in school.teachers:
        assert name.split()[-1] not in text and name.split()[-1] not in raw
    # What the review does show: the programme as counts, the patterns, the team's page.
    for heading in ("How to read this", "The peer-observation programme", "Practice patterns",
                    "Impact over time", "Our questions", "Next steps"):
        assert heading in text
    assert "Teachers in this scope 6" in text and "Not yet observed 0" in text
    assert "Post-conferences overdue (over 14 days after the visit) 12" in text


def test_look_for_shares_are_the_ones_computed_by_hand(db: Database, tmp_path: Path) -> None:
    build_school(db)
    text, rows, _raw = _export(db, Scope(), tmp_path)
    # Seen in 6 of the term's 12 visits (5 ticked, 1 by a tagged note) by 6 teachers; in 1 of
    # the 5 visits of the autumn term, by 3 teachers.
    goal = _row(rows, GOAL_VISIBLE)
    assert (goal["value"], goal["n"], goal["n_counts"], goal["teachers"]) == \
        ("0.5", "12", "visits", "6")
    assert (goal["previous_value"], goal["previous_n"], goal["change"]) == ("0.2", "5", "0.3")
    assert goal["period"] == "Spring term 2025–26"
    assert goal["previous_period"] == "Autumn term 2025–26"
    # A look-for never seen is a share of 0, not a gap.
    assert _row(rows, "Students can say what they are learning")["value"] == "0"
    assert f"{GOAL_VISIBLE} 50% 12 visits 20% 5 visits +30 pts" in text
    # The JSON of the same picture agrees.
    with db.transaction() as s:
        from observe_app.services.school import school_picture

        found = school_json.picture_json(school_picture(s, SPRING, Scope()))
    shown = next(p for p in json.loads(json.dumps(found))["patterns"]
                 if p["label"] == GOAL_VISIBLE)
    assert shown["now"] == {"value": 0.5, "visits": 12, "teachers": 6, "withheld": ""}
    assert shown["before"]["value"] == pytest.approx(0.2)
    assert shown["change"] == pytest.approx(0.3)


def test_a_department_of_two_teachers_has_its_patterns_withheld(db: Database,
                                                                tmp_path: Path) -> None:
    school = build_school(db)
    text, rows, raw = _export(db, Scope(subject="Drama"), tmp_path)
    assert TWO_TEACHERS in text
    assert "50%" not in text  # the department's own 3 ticks in 6 visits stay unseen
    patterns = [r for r in rows if r["section"] == "pattern"]
    assert len(patterns) == 7  # the learning walk's look-fors
    for r in patterns:
        assert r["value"] == "" and r["withheld"] == TWO_TEACHERS and r["teachers"] == "2"
        assert r["previous_withheld"] == "nothing was recorded" and r["change"] == ""
    for name in ("Cressida Fairweather", "Bartholomew Ashgrove", *school.rooms):
        assert name not in text and name not in raw


def test_a_period_with_no_visits_says_so(db: Database, tmp_path: Path) -> None:
    picture = school_pdf.read_picture(db, SPRING, Scope())
    text = " ".join(pdf_text(school_pdf.export_review(db, picture, tmp_path / "r.pdf").path))
    assert "No visit in this period and scope has anything recorded yet." in text
    assert "No chart: nothing was recorded in these terms." in text
    assert "Our questions" in text


def test_a_missing_folder_is_refused_and_nothing_is_written(db: Database,
                                                            tmp_path: Path) -> None:
    picture = school_pdf.read_picture(db, SPRING, Scope())
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(BadInputError, match="does not exist"):
        school_pdf.export_review(db, picture, out / "missing" / "r.pdf")
    with pytest.raises(BadInputError, match="does not exist"):
        school_csv.export_csv(db, picture, out / "missing" / "r.csv")
    assert list(out.iterdir()) == []


@pytest.mark.slow
def test_the_demo_schools_review_shows_every_block_and_no_name(demo_copy: Database,
                                                                tmp_path: Path) -> None:
    year = school_year_of(dt.date(2026, 1, 15))
    picture = school_pdf.read_picture(demo_copy, year, Scope())
    path = school_pdf.export_review(demo_copy, picture, tmp_path / "demo.pdf").path
    pages = pdf_text(path)
    text = " ".join(pages)
    with demo_copy.transaction() as s:
        names = s.scalars(select(Person.name)).all()
        rooms = {r for r in s.scalars(select(Observation.room)).all() if r}
    assert names and rooms
    for name in names:
        assert name not in text
    for room in rooms:
        # Rooms are short codes ("B12"): look for them as words.
        assert f" {room} " not in f" {text} " and f"Room {room}" not in text
    for n, page in enumerate(pages, start=1):
        assert "Confidential" in page and f"Page {n} of {len(pages)}" in page
    # Rubric levels as stacked bars, tallies and timers as tables, the impact charts.
    for shown in ("1 Beginning", "Tallies: the mean count per visit",
                  "Timers: the mean length of a run", "Goals met", "Mean rubric level"):
        assert shown in text
    used = fonts(path)
    assert used and all(embedded_font_file(f) for f in used.values())
    qpdf_check(path)


def test_a_grade_review_counts_the_teachers_visited_in_it(db: Database, tmp_path: Path) -> None:
    """A grade is the visit's: no one is 'not yet observed' in it, so no export says so."""
    build_school(db)
    with db.transaction() as s:
        grade = s.scalars(select(Observation.grade).where(Observation.grade != "")).first()
    assert grade
    text, rows, _raw = _export(db, Scope(grade=grade), tmp_path)
    counts = {r["label"]: r["value"] for r in rows if r["section"] == "programme"}
    assert "teachers whose lessons in this grade were visited" in counts
    assert "teachers not yet observed" not in counts
    assert "Teachers whose lessons in it were visited" in text and "Not yet observed" not in text
    picture = school_pdf.read_picture(db, SPRING, Scope(grade=grade))
    assert f"Teachers whose lessons in grade {grade} were visited: " in "\n".join(
        school_json.picture_lines(picture))
