"""Participation in the feedback summary: per visit, the seating chart with who was heard, the
figures in sentences a teacher reads (with timed talk and the look-fors contributions were
tagged to), and talk over the lesson; across visits, the share of students heard and how
evenly talk was spread."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from reportlab.platypus import Flowable, KeepTogether, Table, TableStyle

from observe_app.domain.formats import counted
from observe_app.reports import charts, seat_map
from observe_app.reports.blocks import Heading, day, esc, intro, para, short_day, subheading
from observe_app.reports.data import CycleReport, Visit, local
from observe_app.reports.styles import FONT, FRAME_WIDTH
from observe_app.services.participation import (
    ParticipationSummary,
    duration_words,
    evenness_words,
)
from observe_app.services.protocols import ItemView
from observe_app.services.trends import Trend

Story = list[Flowable]

KIND = "participation"
MOST_SEATS_LISTED = 24  # "not heard: seats 3, 7, …": past this, the chart says it better


def participation_section(report: CycleReport) -> Story:
    """Each participation map of each visit, kept on one page where it fits: the chart, its
    figures and its timeline are read together (and handed out as one sheet)."""
    heading: Story = [Heading("Participation", "participation")]
    story: Story = []
    for item in report.protocol.items_of(KIND):
        for visit in report.visits:
            title = item.label if len(report.visits) == 1 else \
                f"{item.label} (visit {visit.number})"
            story.append(KeepTogether([*heading, *_one_map(item, visit, title)]))
            heading = []
    return heading + story


def _one_map(item: ItemView, visit: Visit, title: str) -> Story:
    seats = visit.results.seats.get(item.id, ())
    if not seats:
        return [subheading(title), para("No seating chart was laid out for this visit, so "
                                        "no contributions were recorded.", "muted")]
    figures = visit.results.participation(item.id, lesson_ms=visit.observation.lesson_ms,
                                          groups=item.groups)
    if not figures.contributions:
        # A map nobody tapped is a map not used (the seats come from the class's chart when
        # the visit opens), not a lesson where no student spoke: no 0 % to read into.
        return [subheading(title), para(
            f"No contribution was logged in this visit ({counted(figures.seats, 'seat')} laid "
            "out).", "muted")]
    labels = visit.seat_labels.get(item.id, {})
    story: Story = [subheading(title), intro(
        f"{counted(figures.contributions, 'contribution')} from {counted(figures.seats, 'seat')}"
        ". Each box is a seat as laid out for this lesson, with its number in the corner and "
        "the times a student there was heard in the middle; lines join the seats between which "
        "talk passed most often."), seat_map.seating_chart(seats, figures, FRAME_WIDTH, labels)]
    silent = [s.number for s in seats if s.number not in figures.per_seat]
    story += [para(line, "bullet", markup=True, bullet="•")
              for line in summary_lines(figures, item, silent, labels,
                                        visit.results.lookfor_labels)]
    if figures.contributions:
        story += [para("<b>Contributions over the lesson</b>, per "
                       f"{seat_map.TIMELINE_MINUTES} minutes", "muted", markup=True),
                  seat_map.timeline_bars(figures.timeline, FRAME_WIDTH)]
    return story


def _percent(part: float, whole: float) -> str:
    return f"{round(100 * part / whole)}%" if whole else "—"


def summary_lines(figures: ParticipationSummary, item: ItemView, silent: Sequence[int],
                  labels: Mapping[int, str],
                  lookfors: Mapping[str, str] | None = None) -> list[str]:
    """The figures as sentences (Paragraph markup): who was heard (and which seats were not,
    `silent`), how evenly, called on or volunteered, each kind of talk, timed talk, each
    group, and how many contributions were tagged to each look-for (`lookfors`: id -> label)."""
    f = figures
    heard_line = (f"<b>Students heard:</b> {f.spoke} of {counted(f.seats, 'seat')} "
                  f"({_percent(f.spoke, f.seats)}).")
    if 0 < len(silent) <= MOST_SEATS_LISTED:
        heard_line += f" Not heard: {_seat_list(silent, labels)}."
    lines = [heard_line]
    if f.gini is None:
        lines.append(f"<b>How evenly:</b> {esc(evenness_words(None))}.")
    else:
        quarter = max(1, round(f.seats / 4))
        lines.append(
            f"<b>How evenly:</b> Gini {f.gini:.2f} (0 is perfectly even, 1 is one seat doing "
            f"all the talking): {esc(evenness_words(f.gini))}. The most-heard quarter of the "
            f"seats ({quarter}) made {_percent(f.top_quarter_share or 0, 1)} of the "
            f"contributions; spread evenly, they would make {_percent(quarter, f.seats)}.")
    if f.contributions:
        lines.append(
            f"<b>Called on or volunteered:</b> the teacher called on a student "
            f"{_times(f.called_on)} ({_percent(f.called_on, f.contributions)}); students "
            f"volunteered {_times(f.volunteered)} ({_percent(f.volunteered, f.contributions)}).")
        named = {t.key: t.label for t in item.talk_types}
        kinds = [*named, *(k for k in f.per_type if k not in named)]
        lines.append("<b>Kinds of talk:</b> " + "; ".join(
            f"{esc(named.get(k, k))} {f.per_type.get(k, 0)}" for k in kinds) + ".")
    if f.timed:
        lines.append(
            f"<b>Timed talk:</b> {counted(f.timed, 'contribution')} "
            f"{'was' if f.timed == 1 else 'were'} timed by holding the seat or Enter: "
            f"{duration_words(f.timed_ms)} of talk in all, "
            f"{duration_words(f.timed_ms // f.timed)} on average.")
    for name, group in f.groups.items():
        lines.append(
            f"<b>Group “{esc(name)}”:</b> {group.spoke} of {counted(group.seats, 'seat')} heard "
            f"({_percent(group.spoke, group.seats)}), "
            f"{counted(group.contributions, 'contribution')} "
            f"({_percent(group.contributions, f.contributions)} of all).")
    lines += [f"<b>Tagged to “{esc(label)}”:</b> {counted(n, 'contribution')}."
              for lookfor_id, label in (lookfors or {}).items()
              if (n := f.tagged.get(lookfor_id, 0))]
    return lines


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def _seat_list(numbers: Sequence[int], labels: Mapping[int, str]) -> str:
    """'seats 3, 7 and 12', each with its label when labels are shown."""
    named = [f"{n} ({esc(labels[n])})" if n in labels else str(n) for n in numbers]
    listed = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]
    return ("seat " if len(named) == 1 else "seats ") + listed


def at_a_glance(report: CycleReport) -> Story:
    """On page 1: per map, how many students were heard and how evenly, in a line."""
    lines = []
    for item in report.protocol.items_of(KIND):
        for visit in report.visits:
            if not visit.results.seats.get(item.id):
                continue
            f = visit.results.participation(item.id, lesson_ms=visit.observation.lesson_ms)
            said = f"{f.spoke} of {counted(f.seats, 'seat')} heard ({_percent(f.spoke, f.seats)})"
            if f.gini is not None:
                said += f"; Gini {f.gini:.2f}: {evenness_words(f.gini)}"
            if f.contributions:
                said += f"; {f.called_on} called on, {f.volunteered} volunteered"
            where = "" if len(report.visits) == 1 else f"Visit {visit.number}: "
            lines.append(para(f"{where}{said}."))
    return [subheading("Participation at a glance"), *lines] if lines else []


# -- growth across visits -----------------------------------------------------------------------


def participation_chart(report: CycleReport, tz: dt.tzinfo | None) -> Story:
    """Per lesson, the share of students heard and the Gini coefficient, side by side."""
    heard, evenness = report.growth.heard, report.growth.evenness
    if len(heard.moments) < 2:
        return []
    width = FRAME_WIDTH / 2 - 4
    left = charts.trend_lines(_series(heard, "heard"), _x_labels(heard, tz), width, y_min=0,
                              y_max=100, y_step=25, y_format="%d%%", height=130)
    right = charts.trend_lines(_series(evenness, "Gini"), _x_labels(evenness, tz), width, y_min=0,
                               y_max=1, y_step=0.25, y_format="%.2f", height=130) \
        if len(evenness.moments) >= 2 else ""
    table = Table([[para("<b>Share of students heard</b>", "muted", markup=True),
                    para("<b>How evenly talk was spread</b> (Gini)", "muted", markup=True)
                    if right else ""],
                   [left, right]], colWidths=[FRAME_WIDTH / 2] * 2, hAlign="LEFT")
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), FONT, 8.5),
                               ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                               ("BOTTOMPADDING", (0, 0), (-1, 0), 0)]))
    return [subheading("Participation per lesson"),
            para(_first_and_last(heard, evenness, tz), "muted"), table]


def _series(trend: Trend, measure: str) -> dict[str, list[tuple[int, float]]]:
    """The lines along the lessons; one line is named by what it measures (the chart's title
    names the map), several by their items."""
    x = trend.position()
    return {(line.name if len(trend.lines) > 1 else measure):
            [(x[p.at], p.value) for p in line.points] for line in trend.lines}


def _x_labels(trend: Trend, tz: dt.tzinfo | None) -> list[str]:
    return [short_day(local(when, tz)) for _at, when in trend.moments]


def _first_and_last(heard: Trend, evenness: Trend, tz: dt.tzinfo | None) -> str:
    """'Students heard: 40% on 24 September 2025, 85% on 20 May 2026.' and the same of the
    Gini coefficient, for the first participation item's first and last lesson."""
    said = []
    for trend, name, value in ((heard, "Students heard", "{:.0f}%"),
                               (evenness, "Gini (0 even, 1 one seat did all the talking)",
                                "{:.2f}")):
        line = trend.lines[0] if trend.lines else None
        if line is None or len(line.points) < 2:
            continue
        first, last = line.points[0], line.points[-1]
        said.append(f"{name}: {value.format(first.value)} on {day(local(first.when, tz))}, "
                    f"{value.format(last.value)} on {day(local(last.when, tz))}.")
    return " ".join(said)
