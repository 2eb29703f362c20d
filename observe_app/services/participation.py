"""Participation: who speaks, how often and from which seat.

A class's seating chart is laid out once (rows of seats, tables, or seats placed one by one)
and kept on this laptop for the next visit to that class; a visit takes its own copy of the
seats, so a chart changed later leaves that lesson's picture as it was. Seats are numbers:
no student names are asked for. A label (initials, say) is this laptop's own and leaves it
only when the person exporting asks for it (`ChartView.labels`).

Each contribution is a seat, a talk type the protocol defines, whether the teacher called on
the student or they volunteered, and its time in the lesson; it may also say how long the
student talked (the observer held the seat, or Enter) and the look-for it is evidence of.
`summarise` gives the figures the window, the PDF and the growth view show.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session

from observe_app.domain import limits
from observe_app.domain.models import (
    Contribution,
    Observation,
    ProtocolItem,
    SeatingChart,
    VisitSeating,
)
from observe_app.domain.seats import (  # the seat rules, re-exported for the services' users
    GRID_COLUMNS,
    GRID_ROWS,
    MOST_SEATS,
    Seat,
    check_seats,
    seats_from_json,
    seats_to_json,
)
from observe_app.domain.types import utc_now
from observe_app.errors import BadInputError
from observe_app.services import co_observation
from observe_app.services.common import get_or_fail
from observe_app.services.responses import item_for

LABEL_LENGTH = 40  # initials, a nickname: never a student's full record
MOST_GROUPS = 20
CSV_BYTES = 64_000  # a class's seat list is a few hundred bytes
TIMELINE_MINUTES = 5


@dataclass(frozen=True)
class ChartView:
    id: str
    teacher_id: str
    class_name: str
    room: str
    seats: tuple[Seat, ...]
    labels: Mapping[int, str]  # this laptop's only
    updated_at: dt.datetime


@dataclass(frozen=True)
class ContributionView:
    id: str
    item_id: str
    seat: int
    talk_type: str
    called_on: bool
    elapsed_ms: int
    duration_ms: int | None = None
    lookfor_id: str | None = None
    wall_time: dt.datetime | None = None  # the clock time it was heard


# -- seats --------------------------------------------------------------------------------------


def grid_seats(rows: int, columns: int) -> tuple[Seat, ...]:
    """Rows of single seats facing the front, numbered from the front left."""
    if rows < 1 or columns < 1 or rows * columns > MOST_SEATS:
        raise BadInputError(f"a chart has 1 to {MOST_SEATS} seats: {rows} rows of {columns} "
                            "is not that; choose fewer rows or columns")
    gap_x = 2 if columns * 2 <= GRID_COLUMNS else 1
    gap_y = 2 if rows * 2 <= GRID_ROWS else 1
    if columns * gap_x > GRID_COLUMNS or rows * gap_y > GRID_ROWS:
        raise BadInputError(f"at most {GRID_ROWS} rows of {GRID_COLUMNS} seats fit on a chart")
    return tuple(Seat(r * columns + c + 1, c * gap_x, r * gap_y)
                 for r in range(rows) for c in range(columns))


def table_seats(tables: int, per_table: int) -> tuple[Seat, ...]:
    """Tables of 2 to 6 seats, three tables to a row, seats numbered table by table."""
    if not 2 <= per_table <= 6:
        raise BadInputError("a table seats 2 to 6 students")
    if tables < 1 or tables * per_table > MOST_SEATS:
        raise BadInputError(f"a chart has at most {MOST_SEATS} seats: {tables} tables of "
                            f"{per_table} is more; choose fewer tables")
    across = 2 if per_table in (2, 4) else 3  # 4: two by two; 5 and 6: three and two or three
    deep = -(-per_table // across)
    width, height = across + 1, deep + 1
    per_row = max(1, GRID_COLUMNS // width)
    if -(-tables // per_row) * height > GRID_ROWS:
        raise BadInputError("that many tables do not fit on a chart; choose fewer")
    seats = []
    for t in range(tables):
        left, top = (t % per_row) * width, (t // per_row) * height
        for s in range(per_table):
            seats.append(Seat(t * per_table + s + 1, left + s % across, top + s // across))
    return tuple(seats)


def _labels(raw: Mapping[Any, Any] | None) -> dict[int, str]:
    out: dict[int, str] = {}
    for number, label in (raw or {}).items():
        text = " ".join(str(label).split())
        if not text:
            continue
        if len(text) > LABEL_LENGTH:
            raise BadInputError(f"a seat's label can be at most {LABEL_LENGTH} characters "
                                f"(seat {number}); initials are enough")
        out[int(number)] = text
    return out


# -- charts (this laptop's) ---------------------------------------------------------------------


def _chart_view(chart: SeatingChart) -> ChartView:
    return ChartView(chart.id, chart.teacher_id, chart.class_name, chart.room,
                     seats_from_json(chart.seats), _labels(chart.labels), chart.updated_at)


def save_chart(session: Session, teacher_id: str, class_name: str, room: str,
               seats: Sequence[Seat], labels: Mapping[int, str] | None = None) -> ChartView:
    """Keep the seats of this teacher's class in this room (one chart per class and room;
    saving again replaces it). Labels of seats no longer on the chart are dropped."""
    class_name, room = " ".join(class_name.split()), " ".join(room.split())
    if len(class_name) > limits.CLASS_SUBJECT or len(room) > limits.CLASS_ROOM:
        raise BadInputError("the class or room name is too long for a chart; shorten it")
    checked = check_seats(seats)
    numbers = {s.number for s in checked}
    kept = {n: t for n, t in _labels(labels).items() if n in numbers}
    chart = session.scalar(select(SeatingChart).where(
        SeatingChart.teacher_id == teacher_id, SeatingChart.class_name == class_name,
        SeatingChart.room == room))
    if chart is None:
        chart = SeatingChart(teacher_id=teacher_id, class_name=class_name, room=room)
        session.add(chart)
    chart.seats = seats_to_json(checked)
    chart.labels = {str(n): t for n, t in sorted(kept.items())}
    chart.updated_at = utc_now()
    session.flush()
    return _chart_view(chart)


def find_chart(session: Session, teacher_id: str, class_name: str,
               room: str) -> ChartView | None:
    chart = session.scalar(select(SeatingChart).where(
        SeatingChart.teacher_id == teacher_id,
        SeatingChart.class_name == " ".join(class_name.split()),
        SeatingChart.room == " ".join(room.split())))
    return _chart_view(chart) if chart is not None else None


def charts_of(session: Session, teacher_id: str) -> list[ChartView]:
    """The teacher's charts, the one used last first."""
    rows = session.scalars(select(SeatingChart).where(SeatingChart.teacher_id == teacher_id)
                           .order_by(SeatingChart.updated_at.desc()))
    return [_chart_view(c) for c in rows]


def get_chart(session: Session, chart_id: str) -> ChartView:
    return _chart_view(get_or_fail(session, SeatingChart, chart_id, "seating chart"))


def class_name_of(subject: str, grade: str) -> str:
    """How a visit's class is named on its chart: "Mathematics · Year 8" (cut to the length a
    chart's class name can have: a subject may be long)."""
    name = " · ".join(p for p in (subject.strip(), grade.strip()) if p) or "Class"
    return name[:limits.CLASS_SUBJECT].strip()


def read_seat_csv(path: Path) -> tuple[tuple[Seat, ...], dict[int, str]]:
    """A class's seats from a CSV file: a `seat` column (numbers), an optional `label` column
    (initials: kept on this laptop) and optional `row` and `column` (from 1, front left),
    separated by commas or semicolons. Seats without a place are laid out in rows of twelve,
    an aisle beside each. Every value is checked; a bad file is refused with the line that is
    wrong."""
    try:
        data = path.read_bytes()[:CSV_BYTES + 1]
    except OSError as exc:
        raise BadInputError(f"{path.name} could not be read ({exc.strerror})") from None
    if len(data) > CSV_BYTES:
        raise BadInputError(f"{path.name} is larger than a class's seat list can be "
                            f"({CSV_BYTES // 1000} kB); choose the right file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadInputError(f"{path.name} is not UTF-8 text; save it as CSV UTF-8") from None
    if "\0" in text:
        raise BadInputError(f"{path.name} is not a text file; choose a CSV file")
    # Excel writes semicolons where the comma is the decimal mark: take whichever the first
    # line uses.
    first = text.split("\n", 1)[0]
    separator = ";" if first.count(";") > first.count(",") else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=separator))
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        raise BadInputError(f"{path.name} is empty; it needs a seat column")
    header = [c.strip().lower() for c in rows[0]]
    if "seat" not in header:
        raise BadInputError(f"{path.name} has no 'seat' column in its first line; the first "
                            "line names the columns: seat, label, row, column")
    at = {name: header.index(name) for name in ("seat", "label", "row", "column")
          if name in header}
    seats: list[Seat] = []
    labels: dict[int, str] = {}
    unplaced: list[int] = []
    for line, row in enumerate(rows[1:], start=2):
        def cell(name: str, row: list[str] = row) -> str:
            return row[at[name]].strip() if name in at and at[name] < len(row) else ""

        def number(name: str, line: int = line) -> int | None:
            value = cell(name)
            if not value:
                return None
            if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= 999:
                raise BadInputError(f"{path.name}, line {line}: the {name} must be a whole "
                                    f"number from 1, not {value[:20]!r}")
            return int(value)

        seat = number("seat")
        if seat is None:
            raise BadInputError(f"{path.name}, line {line}: the seat number is missing")
        if len(seats) + len(unplaced) >= MOST_SEATS:
            raise BadInputError(f"{path.name} lists more than {MOST_SEATS} seats")
        r, c = number("row"), number("column")
        if (r is None) != (c is None):
            raise BadInputError(f"{path.name}, line {line}: give both row and column, or "
                                "neither")
        if r is None or c is None:
            unplaced.append(seat)
        else:
            seats.append(Seat(seat, c - 1, r - 1))
        label = cell("label")
        if label:
            labels[seat] = label
    taken = {(s.x, s.y) for s in seats}
    free = ((x, y) for y in range(GRID_ROWS) for x in range(0, GRID_COLUMNS, 2)
            if (x, y) not in taken)
    for seat in unplaced:
        place = next(free, None)
        if place is None:
            raise BadInputError(f"{path.name}: the seats without a row and column do not fit")
        seats.append(Seat(seat, *place))
    return check_seats(seats), _labels(labels)


# -- a visit's seats and contributions ----------------------------------------------------------


def _participation_item(session: Session, observation_id: str, item_id: str) -> ProtocolItem:
    return item_for(session, observation_id, item_id, "contributions")


def talk_types(item: ProtocolItem) -> dict[str, str]:
    """The item's talk types, key → label, in the protocol's order."""
    return {t["key"]: t["label"] for t in (item.config or {}).get("talk_types", [])}


def seat_visit(session: Session, observation_id: str, item_id: str, seats: Sequence[Seat],
               chart_id: str | None = None) -> tuple[Seat, ...]:
    """Lay the visit's seats out (from a chart, or changed during the visit). A seat that has
    contributions cannot go: they would lose their place."""
    item = _participation_item(session, observation_id, item_id)
    checked = check_seats(seats, (item.config or {}).get("groups", []))
    numbers = {s.number for s in checked}
    heard = set(session.scalars(select(Contribution.seat).where(
        Contribution.observation_id == observation_id, Contribution.item_id == item_id)))
    lost = sorted(heard - numbers)
    if lost:
        raise BadInputError(f"seat {lost[0]} has contributions in this visit; keep it on the "
                            "chart (move it instead)")
    seating = session.scalar(select(VisitSeating).where(
        VisitSeating.observation_id == observation_id, VisitSeating.item_id == item_id))
    if seating is None:
        seating = VisitSeating(observation_id=observation_id, item_id=item_id)
        session.add(seating)
    seating.seats = seats_to_json(checked)
    if chart_id is not None:
        # The labels as they are now are this lesson's: a chart changed later (a new class
        # list in January) does not relabel September's seats.
        chart = session.get(SeatingChart, chart_id)
        labels = _labels(chart.labels) if chart is not None else {}
        seating.chart_id = chart_id
        seating.labels = {str(n): t for n, t in labels.items() if n in numbers}
    seating.updated_at = utc_now()
    session.flush()
    return checked


def lay_out_visit(session: Session, observation_id: str, item_id: str, teacher_id: str,
                  class_name: str, room: str, seats: Sequence[Seat],
                  labels: Mapping[int, str] | None = None,
                  lesson_seats: Sequence[Seat] | None = None) -> tuple[Seat, ...]:
    """The class's chart saved and the visit laid out from it, at once (either both or
    neither): `lesson_seats` are the seats as this lesson keeps them (the protocol's groups
    only), `seats` the class's."""
    chart = save_chart(session, teacher_id, class_name, room, seats, labels)
    return seat_visit(session, observation_id, item_id,
                      seats if lesson_seats is None else lesson_seats, chart.id)


def visit_seats(session: Session, observation_id: str, item_id: str) -> tuple[Seat, ...]:
    """The visit's seats for the item; () before any are laid out."""
    raw = session.scalar(select(VisitSeating.seats).where(
        VisitSeating.observation_id == observation_id, VisitSeating.item_id == item_id))
    return seats_from_json(raw) if raw is not None else ()


def visit_labels(session: Session, observation_id: str, item_id: str) -> dict[int, str]:
    """This laptop's labels for the visit's seats as they were that lesson, if any."""
    raw = session.scalar(select(VisitSeating.labels).where(
        VisitSeating.observation_id == observation_id, VisitSeating.item_id == item_id))
    return _labels(raw if isinstance(raw, dict) else None)


def record_contribution(session: Session, observation_id: str, item_id: str, seat: int,
                        talk_type: str, *, elapsed_ms: int, wall_time: dt.datetime | None = None,
                        called_on: bool = False, duration_ms: int | None = None,
                        lookfor_id: str | None = None,
                        contribution_id: str | None = None) -> ContributionView:
    """One contribution from `seat`, of a talk type of the item's."""
    item = _participation_item(session, observation_id, item_id)
    types = talk_types(item)
    if talk_type not in types:
        raise BadInputError(f"{talk_type!r} is not one of {item.label!r}'s talk types")
    if seat not in {s.number for s in visit_seats(session, observation_id, item_id)}:
        raise BadInputError(f"there is no seat {seat} on this lesson's chart")
    if elapsed_ms < 0 or (duration_ms is not None and duration_ms < 0):
        raise BadInputError("a contribution cannot come before the lesson or last less than "
                            "nothing")
    if lookfor_id is not None:
        tagged = session.get(ProtocolItem, lookfor_id)
        if tagged is None or tagged.version_id != item.version_id or tagged.kind != "lookfor":
            raise BadInputError("a contribution is tagged only to a look-for of this protocol")
    made = Contribution(observation_id=observation_id, item_id=item_id, seat=seat,
                        talk_type=talk_type, called_on=called_on,
                        wall_time=wall_time or utc_now(), elapsed_ms=elapsed_ms,
                        duration_ms=duration_ms, lookfor_id=lookfor_id)
    if contribution_id:
        made.id = contribution_id
    session.add(made)
    session.flush()
    return ContributionView(made.id, item_id, seat, talk_type, called_on, elapsed_ms,
                            duration_ms, lookfor_id, made.wall_time)


def remove_contribution(session: Session, contribution_id: str) -> None:
    """Undo: the contribution is gone (it was logged by mistake)."""
    made = get_or_fail(session, Contribution, contribution_id, "contribution")
    co_observation.refuse_if_handed_in(session, made.observation_id)
    session.execute(delete(Contribution).where(Contribution.id == contribution_id))
    session.flush()


def contributions(session: Session, observation_id: str,
                  item_id: str | None = None) -> list[ContributionView]:
    """The visit's contributions (of one item, or all), in the order they were heard."""
    get_or_fail(session, Observation, observation_id, "observation")
    return [c for c in heard_in(session, observation_id) if item_id in (None, c.item_id)]


def heard_in(session: Session, observation_id: str) -> list[ContributionView]:
    rows = session.execute(_contributions_query(), {"observation_id": observation_id})
    return [ContributionView(*row) for row in rows]


@cache
def _contributions_query():  # type: ignore[no-untyped-def]
    return (select(Contribution.id, Contribution.item_id, Contribution.seat,
                   Contribution.talk_type, Contribution.called_on, Contribution.elapsed_ms,
                   Contribution.duration_ms, Contribution.lookfor_id, Contribution.wall_time)
            .where(Contribution.observation_id == bindparam("observation_id"))
            .order_by(Contribution.elapsed_ms, Contribution.id))


# -- the figures --------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupFigures:
    seats: int
    spoke: int  # seats of the group heard at least once
    contributions: int


@dataclass(frozen=True)
class ParticipationSummary:
    """What one visit's participation shows, for the window, the PDF and the growth view."""

    seats: int
    contributions: int
    spoke: int  # seats heard at least once
    per_seat: Mapping[int, Mapping[str, int]]  # seat -> talk type -> count (heard seats only)
    per_type: Mapping[str, int]
    called_on: int
    volunteered: int
    gini: float | None  # 0: every seat as often as every other; 1: one seat did all the talking
    top_quarter_share: float | None  # share of contributions from the most-heard quarter
    timeline: tuple[int, ...]  # contributions per TIMELINE_MINUTES of the lesson
    transitions: Mapping[tuple[int, int], int]  # (from seat, to seat) -> times
    groups: Mapping[str, GroupFigures] = field(default_factory=dict)
    tagged: Mapping[str, int] = field(default_factory=dict)  # look-for id -> contributions
    timed: int = 0  # contributions timed by holding the seat or Enter
    timed_ms: int = 0  # how long those students talked, in all

    @property
    def spoke_share(self) -> float | None:
        return self.spoke / self.seats if self.seats else None

    def seat_total(self, seat: int) -> int:
        return sum(self.per_seat.get(seat, {}).values())


def gini(values: Sequence[int]) -> float | None:
    """The Gini coefficient of how contributions spread over seats (every seat counts, silent
    ones as 0): None when nobody spoke, since there is no spread to describe."""
    total = sum(values)
    if not values or total == 0:
        return None
    ordered = sorted(values)
    n = len(ordered)
    weighted = sum((2 * (i + 1) - n - 1) * v for i, v in enumerate(ordered))
    return weighted / (n * total)


def top_quarter_share(values: Sequence[int]) -> float | None:
    """The share of all contributions made by the most-heard quarter of seats (at least one
    seat): 0.25 when talk is spread evenly."""
    total = sum(values)
    if not values or total == 0:
        return None
    quarter = max(1, round(len(values) / 4))
    return sum(sorted(values, reverse=True)[:quarter]) / total


def summarise(seats: Sequence[Seat], heard: Sequence[ContributionView], *,
              lesson_ms: int | None = None, groups: Sequence[str] = ()) -> ParticipationSummary:
    numbers = [s.number for s in seats]
    per_seat: dict[int, Counter[str]] = {}
    for c in heard:
        per_seat.setdefault(c.seat, Counter())[c.talk_type] += 1
    counts = [sum(per_seat.get(n, Counter()).values()) for n in numbers]
    ordered = sorted(heard, key=lambda c: c.elapsed_ms)
    end = max([lesson_ms or 0] + [c.elapsed_ms + 1 for c in ordered])
    bin_ms = TIMELINE_MINUTES * 60_000
    timeline = [0] * max(1, -(-end // bin_ms))
    for c in ordered:
        timeline[min(len(timeline) - 1, c.elapsed_ms // bin_ms)] += 1
    transitions: Counter[tuple[int, int]] = Counter(
        (a.seat, b.seat) for a, b in zip(ordered, ordered[1:], strict=False)
        if a.seat != b.seat)
    by_group: dict[str, GroupFigures] = {}
    for name in groups:
        members = [s.number for s in seats if name in s.groups]
        by_group[name] = GroupFigures(
            len(members), sum(1 for n in members if n in per_seat),
            sum(sum(per_seat.get(n, Counter()).values()) for n in members))
    called = sum(1 for c in heard if c.called_on)
    timed = [c.duration_ms for c in heard if c.duration_ms is not None]
    return ParticipationSummary(
        seats=len(numbers), contributions=len(heard),
        spoke=sum(1 for n in numbers if n in per_seat),
        per_seat={n: dict(per_seat[n]) for n in sorted(per_seat)},
        per_type=dict(Counter(c.talk_type for c in heard)),
        called_on=called, volunteered=len(heard) - called,
        gini=gini(counts), top_quarter_share=top_quarter_share(counts),
        timeline=tuple(timeline), transitions=dict(transitions), groups=by_group,
        tagged=dict(Counter(c.lookfor_id for c in heard if c.lookfor_id)),
        timed=len(timed), timed_ms=sum(timed))


MOST_TURNS = 8  # more lines than this on a chart hide the seats they join


def turns(transitions: Mapping[tuple[int, int], int], most: int = MOST_TURNS
          ) -> list[tuple[int, int, int]]:
    """The pairs of seats that most often spoke one right after the other, either way round:
    (seat, seat, times), most frequent first, at most `most`."""
    pairs: Counter[tuple[int, int]] = Counter()
    for (a, b), n in transitions.items():
        pairs[(min(a, b), max(a, b))] += n
    ranked = sorted(pairs.items(), key=lambda pair: (-pair[1], pair[0]))
    return [(a, b, n) for (a, b), n in ranked[:most]]


def visit_summary(session: Session, observation_id: str,
                  item_id: str) -> ParticipationSummary:
    """The figures of one participation item in one visit."""
    visit = get_or_fail(session, Observation, observation_id, "observation")
    item = get_or_fail(session, ProtocolItem, item_id, "protocol item")
    return summarise(visit_seats(session, observation_id, item_id),
                     contributions(session, observation_id, item_id),
                     lesson_ms=visit.duration_ms,
                     groups=(item.config or {}).get("groups", []))


def evenness_words(value: float | None) -> str:
    """The Gini coefficient in words a teacher reads without the formula."""
    if value is None:
        return "nobody was heard yet, so there is no spread to describe"
    if value < 0.2:
        return "talk was spread evenly across the seats"
    if value < 0.4:
        return "talk was spread fairly evenly, with some seats heard more"
    if value < 0.6:
        return "a few seats did much of the talking"
    return "a handful of seats did most of the talking"


def duration_words(ms: int) -> str:
    """How long a student talked, as the observer reads it: '12 s', '1 min 5 s', '2 min'."""
    seconds = round(ms / 1000)
    if seconds < 60:
        return f"{seconds} s"
    minutes, rest = divmod(seconds, 60)
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"
