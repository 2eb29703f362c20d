"""Participation in the PDF: the figures of a lesson as worked out by hand, seat labels only when
the export asks for them, groups, a long lesson, and the growth chart across a year."""

from __future__ import annotations

import datetime as dt
import random
import time
from pathlib import Path

import pytest

from observe_app import reports
from observe_app.reports import seat_map
from observe_app.reports.options import PdfOptions
from observe_app.services import growth, participation, people, protocols
from observe_app.services.participation import Seat, grid_seats
from observe_app.storage.engine import Database
from tests.reports.participation_helpers import T0, a_year, lesson
from tests.reports.pdf_helpers import pdftotext, qpdf_check
from tests.reports.test_pdf_cli import run

# (seat, talk type, called on, second of the lesson) in a 30-minute lesson on eight seats.
HEARD = [(1, "a", True, 30), (1, "q", False, 100), (3, "e", False, 200), (1, "a", True, 320),
         (6, "b", False, 400), (3, "a", False, 700), (8, "a", True, 800), (8, "q", False, 1500),
         (6, "e", False, 1600)]
LABELS = {2: "Q.Z.", 6: "Ξένια Β."}


def _lesson(db: Database, teacher: str = "Aino Mäkelä", **kw) -> str:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        observed = people.add_person(s, teacher, subject="Mathematics")
        observer = people.add_person(s, f"Observer of {teacher}")
        cycle_id, _visit = lesson(s, observed.id, observer.id, start=T0, **{"minutes": 30} | kw)
    return cycle_id


def _export(db: Database, cycle_id: str, path: Path, **options) -> str:  # type: ignore[no-untyped-def]
    result = reports.export_cycle(db, cycle_id, path, tz=dt.UTC,
                                  options=PdfOptions(**options))
    return pdftotext(result.path)


def test_the_lesson_s_figures_are_those_worked_out_by_hand(db: Database, tmp_path: Path):
    cycle_id = _lesson(db, seats=grid_seats(2, 4), heard=HEARD)
    text = _export(db, cycle_id, tmp_path / "lesson.pdf")
    page_1 = pdftotext(tmp_path / "lesson.pdf", "-l", "1")
    assert "Participation at a glance 4 of 8 seats heard (50%); Gini 0.54: a few seats did " \
           "much of the talking; 3 called on, 6 volunteered." in page_1
    assert "Participation Student contributions by seat 9 contributions from 8 seats." in text
    # Seats 1, 3, 6 and 8 were heard: 3, 2, 2 and 2 times.
    assert "Students heard: 4 of 8 seats (50%). Not heard: seats 2, 4, 5 and 7." in text
    # Sorted 0,0,0,0,2,2,2,3: (1*2 + 3*2 + 5*2 + 7*3) / (8 * 9) = 39/72 = 0.54.
    assert "Gini 0.54 (0 is perfectly even, 1 is one seat doing all the talking): a few " \
           "seats did much of the talking." in text
    # The top quarter is two seats: (3 + 2) of 9 = 56%; two of eight seats would make 25%.
    assert "The most-heard quarter of the seats (2) made 56% of the contributions; spread " \
           "evenly, they would make 25%." in text
    assert "the teacher called on a student 3 times (33%); students volunteered 6 times " \
           "(67%)." in text
    assert "Kinds of talk: Answered a question 4; Asked a question 2; Explained their " \
           "thinking 2; Built on a peer's idea 1." in text
    # Per 5 minutes of the 30: 3, 2, 2, 0, 0 and 2 contributions.
    assert "Contributions over the lesson, per 5 minutes" in text
    for minutes in ("0–5", "5–10", "10–15", "15–20", "20–25", "25–30"):
        assert minutes in text
    assert "25–30" in text and "30–35" not in text
    assert "Front of the room" in text
    qpdf_check(tmp_path / "lesson.pdf")


def test_the_chart_draws_the_turns_between_speakers_and_shades_by_count():
    transitions = {(1, 3): 1, (3, 1): 1, (1, 6): 1, (6, 3): 1, (3, 8): 1, (8, 6): 1}
    # 1→3 and 3→1 are one pair of seats talk passed between twice.
    assert participation.turns(transitions) == [(1, 3, 2), (1, 6, 1), (3, 6, 1), (3, 8, 1),
                                           (6, 8, 1)]
    assert participation.turns(transitions, most=2) == [(1, 3, 2), (1, 6, 1)]
    assert seat_map.shade(0, 3) == seat_map.PAPER
    grey = [seat_map.shade(n, 3) for n in (1, 2, 3)]
    assert grey[0].red > grey[1].red > grey[2].red  # darker for more


def test_seat_labels_appear_only_when_the_export_asks_for_them(db: Database, tmp_path: Path):
    cycle_id = _lesson(db, seats=grid_seats(2, 4), heard=HEARD, labels=LABELS)
    plain = _export(db, cycle_id, tmp_path / "plain.pdf")
    assert "Q.Z." not in plain and "Ξένια" not in plain
    assert "Not heard: seats 2, 4, 5 and 7." in plain
    shown = _export(db, cycle_id, tmp_path / "labels.pdf", seat_labels=True)
    assert "Q.Z." in shown and "Ξένια Β." in shown
    assert "Not heard: seats 2 (Q.Z.), 4, 5 and 7." in shown


def test_the_command_line_shows_seat_labels_only_with_its_flag(db: Database, data_dir: Path,
                                                                 tmp_path: Path):
    cycle_id = _lesson(db, seats=grid_seats(2, 4), heard=HEARD, labels=LABELS)
    db.close()
    for flags, expected in (((), False), (("--seat-labels",), True)):
        out = tmp_path / f"cli{len(flags)}.pdf"
        result = run(data_dir, "export-pdf", "--cycle", cycle_id, "--out", str(out), *flags)
        assert result.returncode == 0, result.stderr
        assert ("Q.Z." in pdftotext(out)) is expected


def test_groups_are_summed_per_group(db: Database, tmp_path: Path):
    with db.transaction() as s:
        document = protocols.export_document(s, "participation-and-talk")
        document |= {"id": "participation-by-table", "name": "Participation by table"}
        [item] = [i for section in document["sections"] for i in section["items"]
                  if i["kind"] == "participation"]
        item["groups"] = ["Window tables", "Group work leads"]
        protocols.import_document(s, document)
    seats = [Seat(n, n - 1, 0, ("Window tables",) if n <= 4 else ()) for n in range(1, 9)]
    seats[2] = Seat(3, 2, 0, ("Window tables", "Group work leads"))
    cycle_id = _lesson(db, seats=seats, heard=HEARD, slug="participation-by-table")
    text = _export(db, cycle_id, tmp_path / "groups.pdf")
    # Window tables: seats 1-4, heard 1 (3 times) and 3 (twice).
    assert "Group “Window tables”: 2 of 4 seats heard (50%), 5 contributions (56% of " \
           "all)." in text
    assert "Group “Group work leads”: 1 of 1 seat heard (100%), 2 contributions (22% of " \
           "all)." in text


def test_an_hour_with_400_contributions_exports_in_about_the_time_of_an_empty_one(
        db: Database, tmp_path: Path):
    rng = random.Random(4)
    seats = grid_seats(5, 6)
    heard = sorted(((rng.randint(1, 30), rng.choice("aqeb"), rng.random() < 0.5,
                     rng.randrange(3600)) for _ in range(400)), key=lambda c: c[3])
    busy = _lesson(db, seats=seats, heard=heard, minutes=60)
    quiet = _lesson(db, "Quiet Class", seats=seats, heard=[], minutes=60)

    def seconds(cycle_id: str, name: str) -> float:
        best = float("inf")
        for _ in range(2):
            started = time.perf_counter()
            reports.export_cycle(db, cycle_id, tmp_path / name, tz=dt.UTC)
            best = min(best, time.perf_counter() - started)
        return best

    empty, full = seconds(quiet, "quiet.pdf"), seconds(busy, "busy.pdf")
    text = pdftotext(tmp_path / "busy.pdf")
    assert "400 contributions from 30 seats." in text
    assert "55–60" in text  # twelve bars of five minutes
    # A map, its sentences and twelve bars: not work that grows with the contributions.
    assert full < 3 * empty + 0.5, (full, empty)


def test_the_growth_chart_follows_a_year_of_lessons(db: Database, tmp_path: Path):
    with db.transaction() as s:
        teacher_id, cycle_ids = a_year(s)
        points = growth.participation_trend(s, teacher_id)
    first, last = (round(100 * p.spoke / p.seats) for p in (points[0], points[-1]))
    assert last > first  # the kind's demo data: talk spreads out over the year
    text = _export(db, cycle_ids[-1], tmp_path / "year.pdf")
    assert "Participation per lesson" in text
    assert f"Students heard: {first}% on 15 September 2025, {last}% on 12 February 2026. " \
           f"Gini (0 even, 1 one seat did all the talking): {points[0].gini:.2f} on " \
           f"15 September 2025, {points[-1].gini:.2f} on " \
           "12 February 2026." in text
    assert "Share of students heard" in text and "How evenly talk was spread" in text


@pytest.mark.parametrize("heard", [[], [(1, "a", False, 10)]])
def test_a_lesson_with_little_or_no_talk_still_reads(db: Database, tmp_path: Path, heard):
    cycle_id = _lesson(db, seats=grid_seats(1, 3), heard=heard)
    text = _export(db, cycle_id, tmp_path / "little.pdf")
    if heard:
        assert "Students heard: 1 of 3 seats (33%). Not heard: seats 2 and 3." in text
        assert "Gini 0.67" in text  # sorted 0, 0, 1: (2*3 - 3 - 1) * 1 / (3 * 1) = 2/3
    else:
        assert "No contribution was logged in this visit (3 seats laid out)." \
            in " ".join(text.split())
        assert "Students heard" not in text and "Contributions over the lesson" not in text


def test_timed_talk_and_tagged_contributions_are_said_and_the_look_for_is_seen(
        db: Database, tmp_path: Path):
    from observe_app.services import observations, participation
    from tests.reports.participation_helpers import the_item

    cycle_id = _lesson(db, seats=grid_seats(2, 4), heard=HEARD)
    with db.transaction() as s:
        [visit] = [v.id for v in observations.list_observations(s, cycle_id)]
        version_id, item = the_item(s)
        lookfors = protocols.get_version(s, version_id).items_of("lookfor")
        for seat, second, held in ((2, 1000, 14_000), (4, 1100, 6_500)):
            participation.record_contribution(s, visit, item.id, seat, "e",
                                              elapsed_ms=second * 1000, duration_ms=held,
                                              lookfor_id=lookfors[2].id)
    text = _export(db, cycle_id, tmp_path / "tagged.pdf")
    # Two held: 14 + 6.5 = 20.5 s of talk, 10.25 s on average.
    assert "Timed talk: 2 contributions were timed by holding the seat or Enter: 20 s of " \
           "talk in all, 10 s on average." in text
    assert f"Tagged to “{lookfors[2].label}”: 2 contributions." in text
    # The look-fors table agrees with the window: evidence tagged to it, so seen.
    assert "1 of 3 look-fors seen during the visit." in text

