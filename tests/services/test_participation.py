"""Participation in the services: seats laid out and checked, a chart kept per class and room,
contributions logged and undone, and the figures against ones worked out by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from observe_app.errors import BadInputError
from observe_app.services import participation, responses
from observe_app.services.participation import ContributionView, Seat
from tests.services.helpers import T0, cycle_with_visit


def _item(version):
    [item] = [i for i in version.items if i.kind == "participation"]
    return item


def test_a_grid_and_tables_are_numbered_from_the_front_and_fit_the_chart() -> None:
    grid = participation.grid_seats(5, 6)
    assert [s.number for s in grid] == list(range(1, 31))
    assert (grid[0].x, grid[0].y) == (0, 0) and (grid[6].x, grid[6].y) == (0, 2)
    tables = participation.table_seats(7, 4)
    assert len(tables) == 28 and len({(s.x, s.y) for s in tables}) == 28
    # The first table's four seats are neighbours: two by two.
    assert {(s.x, s.y) for s in tables[:4]} == {(0, 0), (1, 0), (0, 1), (1, 1)}
    with pytest.raises(BadInputError, match="at most 99 seats"):
        participation.table_seats(30, 4)
    with pytest.raises(BadInputError, match="2 to 6"):
        participation.table_seats(3, 7)


def test_seats_that_cannot_make_a_chart_are_refused_with_the_reason() -> None:
    with pytest.raises(BadInputError, match="seat 3 is on the chart twice"):
        participation.check_seats([Seat(3, 0, 0), Seat(3, 1, 0)])
    with pytest.raises(BadInputError, match="sits on another seat"):
        participation.check_seats([Seat(1, 0, 0), Seat(2, 0, 0)])
    with pytest.raises(BadInputError, match="off the chart"):
        participation.check_seats([Seat(1, 99, 0)])
    with pytest.raises(BadInputError, match="not a list"):
        participation.seats_from_json({"n": 1})
    with pytest.raises(BadInputError, match="whole numbers"):
        participation.seats_from_json([{"n": True, "x": 0, "y": 0}])


def test_gini_and_the_top_quarter_by_hand() -> None:
    assert participation.gini([0, 0, 0, 0]) is None
    assert participation.gini([2, 2, 2, 2]) == 0
    # One of four seats did all the talking: (2*4 - 4 - 1) * 8 / (4 * 8) = 3/4.
    assert participation.gini([0, 0, 0, 8]) == pytest.approx(0.75)
    # 1, 2, 3, 4: sum of (2i - n - 1) * x = -3 - 2 + 3 + 12 = 10; 10 / (4 * 10) = 0.25.
    assert participation.gini([4, 1, 3, 2]) == pytest.approx(0.25)
    assert participation.top_quarter_share([4, 1, 3, 2]) == pytest.approx(0.4)
    assert participation.top_quarter_share([1] * 8) == pytest.approx(0.25)


def test_the_summary_of_a_small_lesson_by_hand() -> None:
    seats = [Seat(n, n, 0, ("Front row",) if n <= 2 else ()) for n in range(1, 5)]

    def said(seat: int, minute: int, kind: str = "a", called: bool = False) -> ContributionView:
        return ContributionView(f"c{seat}{minute}", "item", seat, kind, called, minute * 60_000)

    heard = [said(1, 1), said(1, 2, "q"), said(2, 3, called=True), said(1, 7), said(1, 8)]
    figures = participation.summarise(seats, heard, lesson_ms=12 * 60_000,
                                      groups=["Front row"])
    assert (figures.seats, figures.contributions, figures.spoke) == (4, 5, 2)
    assert figures.spoke_share == 0.5
    assert figures.per_seat == {1: {"a": 3, "q": 1}, 2: {"a": 1}}
    assert figures.per_type == {"a": 4, "q": 1}
    assert (figures.called_on, figures.volunteered) == (1, 4)
    # Counts 4, 1, 0, 0 → sorted 0, 0, 1, 4: (-3*0 - 1*0 + 1*1 + 3*4) / (4 * 5) = 13/20.
    assert figures.gini == pytest.approx(0.65)
    assert figures.top_quarter_share == pytest.approx(0.8)
    assert figures.timeline == (3, 2, 0)  # 0-5, 5-10, 10-12 minutes
    assert figures.transitions == {(1, 2): 1, (2, 1): 1}
    assert figures.groups["Front row"] == participation.GroupFigures(2, 2, 5)


def test_a_lesson_logged_undone_and_read_back(db) -> None:
    with db.transaction() as s:
        teacher, _cycle, visit, version = cycle_with_visit(s, "participation-and-talk")
        item = _item(version)
        chart = participation.save_chart(s, teacher.id, "Maths · 7", "B12",
                                         participation.grid_seats(2, 3), {2: "A.B."})
        participation.seat_visit(s, visit.id, item.id, chart.seats, chart.id)
        first = participation.record_contribution(s, visit.id, item.id, 2, "a",
                                                  elapsed_ms=60_000, wall_time=T0)
        participation.record_contribution(s, visit.id, item.id, 5, "e", elapsed_ms=90_000,
                                          called_on=True)
        participation.record_contribution(s, visit.id, item.id, 2, "q", elapsed_ms=120_000)
        participation.remove_contribution(s, first.id)
    with db.transaction() as s:
        figures = participation.visit_summary(s, visit.id, item.id)
        assert (figures.contributions, figures.spoke, figures.seats) == (2, 2, 6)
        assert figures.per_seat == {2: {"q": 1}, 5: {"e": 1}}
        assert participation.visit_labels(s, visit.id, item.id) == {2: "A.B."}
        results = responses.observation_results(s, visit.id)
        assert results.participation(item.id).per_seat == figures.per_seat
        # The next visit to the class finds its chart again.
        again = participation.find_chart(s, teacher.id, " Maths ·  7", "B12")
        assert again is not None and again.id == chart.id


def test_what_a_contribution_cannot_be(db) -> None:
    with db.transaction() as s:
        _teacher, _cycle, visit, version = cycle_with_visit(s, "participation-and-talk")
        item = _item(version)
        with pytest.raises(BadInputError, match="no seat 1"):
            participation.record_contribution(s, visit.id, item.id, 1, "a", elapsed_ms=0)
        participation.seat_visit(s, visit.id, item.id, participation.grid_seats(1, 3))
        with pytest.raises(BadInputError, match="not one of"):
            participation.record_contribution(s, visit.id, item.id, 1, "z", elapsed_ms=0)
        participation.record_contribution(s, visit.id, item.id, 3, "a", elapsed_ms=0)
        with pytest.raises(BadInputError, match="seat 3 has contributions"):
            participation.seat_visit(s, visit.id, item.id, participation.grid_seats(1, 2))
        lookfor = next(i for i in version.items if i.kind == "lookfor")
        with pytest.raises(BadInputError, match="is a lookfor"):
            participation.record_contribution(s, visit.id, lookfor.id, 1, "a", elapsed_ms=0)


def test_a_seat_list_from_a_csv(tmp_path: Path) -> None:
    good = tmp_path / "seats.csv"
    good.write_text("Seat,Label,Row,Column\n1,A.B.,1,1\n2,,1,2\n3,C.D.\n", encoding="utf-8")
    seats, labels = participation.read_seat_csv(good)
    assert [(s.number, s.x, s.y) for s in seats] == [(1, 0, 0), (2, 1, 0), (3, 2, 0)]
    assert labels == {1: "A.B.", 3: "C.D."}
    for text, problem in [("label\nA\n", "no 'seat' column"),
                          ("seat\nseven\n", "line 2: the seat must be a whole number"),
                          ("seat,row\n1,2\n", "give both row and column"),
                          ("seat\n1\n1\n", "seat 1 is on the chart twice")]:
        bad = tmp_path / "bad.csv"
        bad.write_text(text, encoding="utf-8")
        with pytest.raises(BadInputError, match=problem):
            participation.read_seat_csv(bad)
    binary = tmp_path / "photo.csv"
    binary.write_bytes(b"\xff\xd8\xff\xe0" * 10)
    with pytest.raises(BadInputError, match="not UTF-8"):
        participation.read_seat_csv(binary)


def test_the_growth_series_counts_only_the_teacher_s_own_visits(db) -> None:
    from observe_app.services import growth

    with db.transaction() as s:
        teacher, _cycle, visit, version = cycle_with_visit(s, "participation-and-talk")
        item = _item(version)
        participation.seat_visit(s, visit.id, item.id, participation.grid_seats(2, 2))
        for seat in (1, 1, 2):
            participation.record_contribution(s, visit.id, item.id, seat, "a", elapsed_ms=0)
        [point] = growth.participation_trend(s, teacher.id)
        assert (point.seats, point.spoke, point.contributions) == (4, 2, 3)
        assert point.spoke_share == 0.5
        # Counts 2, 1, 0, 0: (-3*0 - 1*0 + 1*1 + 3*2) / (4 * 3) = 7/12.
        assert point.gini == pytest.approx(7 / 12)
        assert point.started_at.tzinfo is not None


def test_timed_talk_and_tags_in_the_summary_by_hand() -> None:
    seats = [Seat(n, n, 0) for n in range(1, 4)]
    heard = [ContributionView("c1", "item", 1, "a", False, 60_000, 12_000, "look-1"),
             ContributionView("c2", "item", 2, "e", True, 120_000, 3_500, None),
             ContributionView("c3", "item", 1, "q", False, 180_000, None, "look-1"),
             ContributionView("c4", "item", 3, "a", False, 240_000, 61_000, "look-2"),
             ContributionView("c5", "item", 2, "a", False, 300_000)]
    figures = participation.summarise(seats, heard)
    # Three held: 12 s + 3.5 s + 61 s = 76.5 s; two quick presses have no duration.
    assert (figures.timed, figures.timed_ms) == (3, 76_500)
    assert figures.tagged == {"look-1": 2, "look-2": 1}
    assert participation.duration_words(figures.timed_ms) == "1 min 16 s"  # 76.5 → 76
    assert participation.duration_words(figures.timed_ms // figures.timed) == "26 s"  # 25.5 s
    assert participation.duration_words(12_000) == "12 s"
    assert participation.duration_words(120_000) == "2 min"
    # Nothing timed: the fields keep their defaults, for every other caller.
    untimed = participation.summarise(seats, heard[4:])
    assert (untimed.timed, untimed.timed_ms, untimed.tagged) == (0, 0, {})


def test_a_look_for_with_contributions_tagged_counts_as_seen(db) -> None:
    with db.transaction() as s:
        _teacher, _cycle, visit, version = cycle_with_visit(s, "participation-and-talk")
        item = _item(version)
        first, second, third = [i for i in version.items if i.kind == "lookfor"]
        participation.seat_visit(s, visit.id, item.id, participation.grid_seats(1, 3))
        for seat, lookfor in ((1, second), (2, second), (3, first)):
            participation.record_contribution(s, visit.id, item.id, seat, "a", elapsed_ms=0,
                                              duration_ms=4_000, lookfor_id=lookfor.id)
        responses.set_checked(s, visit.id, third.id, False)
        with pytest.raises(BadInputError, match="only to a look-for of this protocol"):
            participation.record_contribution(s, visit.id, item.id, 1, "a", elapsed_ms=0,
                                              lookfor_id=item.id)
    with db.transaction() as s:
        results = responses.observation_results(s, visit.id)
        assert results.tagged == {second.id: 2, first.id: 1}
        assert (results.seen(first.id), results.seen(second.id), results.seen(third.id)) == (
            True, True, False)
        # In the protocol's order, for the results to name them.
        assert results.lookfor_labels == {first.id: first.label, second.id: second.label}
        figures = results.participation(item.id)
        assert figures.tagged == {second.id: 2, first.id: 1}
        assert (figures.timed, figures.timed_ms) == (3, 12_000)


def test_csv_files_as_schools_write_them(tmp_path: Path) -> None:
    semicolons = tmp_path / "excel.csv"
    semicolons.write_text("seat;label\n1;A.B.\n2;\n", encoding="utf-8")
    seats, labels = participation.read_seat_csv(semicolons)
    assert [s.number for s in seats] == [1, 2] and labels == {1: "A.B."}
    big = tmp_path / "hall.csv"
    big.write_text("seat\n" + "".join(f"{n}\n" for n in range(1, 61)), encoding="utf-8")
    seats, _labels = participation.read_seat_csv(big)
    assert len(seats) == 60 and len({(s.x, s.y) for s in seats}) == 60
    superscript = tmp_path / "odd.csv"
    superscript.write_text("seat\n²\n", encoding="utf-8")  # isdigit() says yes; int() says no
    with pytest.raises(BadInputError, match="line 2: the seat must be a whole number"):
        participation.read_seat_csv(superscript)


def test_a_lesson_keeps_the_labels_it_had(db) -> None:
    """Relabelling the class's chart in January leaves September's seats as they were."""
    with db.transaction() as s:
        teacher, _cycle, visit, version = cycle_with_visit(s, "participation-and-talk")
        item = _item(version)
        seats = participation.grid_seats(1, 3)
        participation.lay_out_visit(s, visit.id, item.id, teacher.id, "Maths · 7", "B12",
                                    seats, {1: "A.B.", 3: "C.D."})
        participation.save_chart(s, teacher.id, "Maths · 7", "B12", seats, {1: "X.Y."})
        assert participation.visit_labels(s, visit.id, item.id) == {1: "A.B.", 3: "C.D."}


def test_a_long_subject_still_names_a_chart(db) -> None:
    name = participation.class_name_of("Design and technology " * 10, "Year 10 (set 3)")
    assert len(name) <= 200
    with db.transaction() as s:
        teacher, _cycle, visit, version = cycle_with_visit(s, "participation-and-talk")
        participation.lay_out_visit(s, visit.id, _item(version).id, teacher.id, name, "B12",
                                    participation.grid_seats(1, 2))
        assert participation.find_chart(s, teacher.id, name, "B12") is not None


def test_a_contribution_keeps_its_clock_time_and_a_map_not_used_is_not_a_silent_lesson(db):
    from observe_app.services import growth

    with db.transaction() as s:
        teacher, _cycle, visit, version = cycle_with_visit(s, "participation-and-talk")
        item = _item(version)
        participation.seat_visit(s, visit.id, item.id, participation.grid_seats(1, 2))
        assert growth.participation_trend(s, teacher.id) == []  # laid out, never tapped
        participation.record_contribution(s, visit.id, item.id, 1, "a", elapsed_ms=5_000,
                                          wall_time=T0)
        [heard] = participation.contributions(s, visit.id)
        assert heard.wall_time == T0
        assert len(growth.participation_trend(s, teacher.id)) == 1
