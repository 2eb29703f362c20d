"""The whole feedback summary: title block, sections in order, growth, signatures, the PDF file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from observe_app import __version__, kinds
from observe_app.domain.enums import CycleStage, ItemKind
from observe_app.domain.formats import counted
from observe_app.reports import charts, sections
from observe_app.reports.blocks import (
    Heading,
    cell,
    clock,
    day,
    esc,
    grid,
    intro,
    notice,
    paginate,
    para,
    short_day,
    subheading,
    th,
)
from observe_app.reports.data import CycleReport, Visit, local
from observe_app.reports.styles import (
    FONT,
    FRAME_PADDING,
    FRAME_WIDTH,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    PAGE,
    RULE,
    fit,
    page_canvas,
    register_fonts,
)
from observe_app.services.growth import ScanPoint, TallyPoint, TimerPoint

Story = list[Flowable]


def title_block(report: CycleReport, tz: dt.tzinfo | None) -> Story:
    s = report.summary
    teacher = report.teacher
    observer = s.observer_name or "Not recorded"
    story: Story = [
        para("OBSERVATION FEEDBACK SUMMARY", "kicker"),
        para(s.teacher_name, "title"),
        para(f"{report.protocol.name} · {day(local(s.date, tz))} · stage: {s.stage.label.lower()}",
             "subtitle"),
    ]
    dates = report.detail.stage_dates
    facts: list[tuple[str, str]] = [
        ("Teacher", s.teacher_name + (f", {teacher.subject}" if teacher.subject else "")),
        ("Observer", observer),
        ("Protocol", f"{report.protocol.name}, version {report.protocol.number}"),
        ("Stage", s.stage.label),
        ("Pre-conference", _date_of(dates.get(CycleStage.PRE_CONFERENCE), tz)),
        ("Post-conference", _date_of(dates.get(CycleStage.POST_CONFERENCE), tz)),
    ]
    if report.visits:
        for v in report.visits:
            name = "Observation" if len(report.visits) == 1 else f"Visit {v.number}"
            facts += [(name, _visit_when(v, tz)), ("Class", _class_of(v))]
    else:
        planned = s.planned_date
        facts += [("Observation", f"Planned for {day(planned)}" if planned else "Not planned"),
                  ("Class", "—")]
    if report.detail.acknowledged_at:
        facts.append(("Acknowledged", _date_of(report.detail.acknowledged_at, tz)))
    rows = []
    for i in range(0, len(facts), 2):
        pair = facts[i:i + 2] + [("", "")] * (2 - len(facts[i:i + 2]))
        rows.append([cell(pair[0][0], "label"), cell(pair[0][1], "value"),
                     cell(pair[1][0], "label"), cell(pair[1][1], "value")])
    story.append(grid(rows, [31 * mm, 54 * mm, 31 * mm, 54 * mm], header=False,
                      extra=[("LINEABOVE", (0, 0), (-1, 0), 0.35, RULE),
                             ("TOPPADDING", (0, 0), (-1, -1), 5),
                             ("BOTTOMPADDING", (0, 0), (-1, -1), 5)]))
    return story


def _date_of(value: dt.datetime | None, tz: dt.tzinfo | None) -> str:
    return day(local(value, tz)) if value else "—"


def _visit_when(v: Visit, tz: dt.tzinfo | None) -> str:
    o = v.observation
    start = local(o.started_at, tz)
    when = f"{start:%A} {day(start)}, {clock(start)}"
    if o.ended_at is None:
        return when + " (still open)"
    end = local(o.ended_at, tz)
    # Resumed on a later day: the end says which day, and the length is lesson time only.
    when += f"–{clock(end)}" if end.date() == start.date() else f" – {day(end)}, {clock(end)}"
    return when + f" · {_minutes(o.lesson_ms)} of lesson"


def _minutes(ms: int) -> str:
    minutes = round(ms / 60_000)
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


def _class_of(v: Visit) -> str:
    o = v.observation
    parts = [o.subject, f"Grade {o.grade}" if o.grade else "", f"Room {o.room}" if o.room else "",
             counted(o.students, "student") if o.students else ""]
    return " · ".join(p for p in parts if p) or "—"


def growth(report: CycleReport, tz: dt.tzinfo | None) -> Story:
    s = report.summary
    story: Story = [Heading("Growth across cycles", "growth")]
    rows: list[list[object]] = [[th("Date"), th("Protocol"), th("Stage"), th("Focus")]]
    for c in report.history:
        style = "cell_bold" if c.id == s.id else "cell"
        rows.append([cell(short_day(local(c.date, tz)), style), cell(c.protocol_name, style),
                     cell(c.stage.label, style), cell(_gist(c.focus) or "—", style)])
    story.append(intro(f"{s.teacher_name}'s cycles so far; this one is in bold."))
    story.append(grid(rows, [25 * mm, 50 * mm, 34 * mm, 61 * mm]))
    story.append(Spacer(1, 6))
    story += _growth_chart(report, tz)
    return story


GIST = 300  # characters of each cycle's focus in the growth table; its own summary has it all


def _gist(text: str) -> str:
    """The start of a long text, cut at a word and marked with '…' (an overview table)."""
    text = " ".join(text.split())
    if len(text) <= GIST:
        return text
    return text[:GIST].rsplit(" ", 1)[0].rstrip(" ,;:.") + " …"


def _growth_chart(report: CycleReport, tz: dt.tzinfo | None) -> Story:
    """Charts for what this cycle's protocol measures; else whatever the teacher has."""
    own = [k.growth_chart for k in kinds.all_kinds() if report.has(k.name)]
    blocks = [block for make in own if (block := make(report, tz))]
    if not blocks:
        fallback = [k.growth_chart for k in kinds.all_kinds()]
        blocks = [block for make in fallback if (block := make(report, tz))][:1]
    if not blocks:
        return [para("No chart yet: a chart appears once two of this teacher's cycles have "
                     "ratings, tallies, timers or interval scans to compare.", "muted")]
    return [KeepTogether(block) for block in blocks]


def _visits_of(points: Sequence[TallyPoint | TimerPoint | ScanPoint]
               ) -> list[tuple[str, dt.datetime]]:
    visits: list[tuple[str, dt.datetime]] = []
    for p in points:
        if (p.observation_id, p.started_at) not in visits:
            visits.append((p.observation_id, p.started_at))
    return visits


def timer_chart(report: CycleReport, tz: dt.tzinfo | None) -> Story:
    points = report.timer_points
    visits = _visits_of(points)
    if len(visits) < 2:
        return []
    index = {obs: i for i, (obs, _start) in enumerate(visits)}
    series: dict[str, list[tuple[int, float]]] = {}
    for p in points:
        series.setdefault(_short(p.label), []).append((index[p.observation_id],
                                                       p.mean_ms / 1000))
    top = max(p.mean_ms for p in points) / 1000
    lines = []
    for name, values in list(series.items())[:2]:
        by_visit = dict(values)
        if 0 in by_visit and len(visits) - 1 in by_visit:
            lines.append(f"{name}: {by_visit[0]:.1f} s on {day(local(visits[0][1], tz))}, "
                         f"{by_visit[len(visits) - 1]:.1f} s on "
                         f"{day(local(visits[-1][1], tz))}.")
    return [subheading("Mean time per lesson"), para(" ".join(lines), "muted"),
            charts.trend_lines(series, [short_day(local(s, tz)) for _o, s in visits],
                               FRAME_WIDTH, y_min=0, y_max=float(int(top) + 1), y_step=1,
                               y_format="%g s", height=130)]


def domain_chart(report: CycleReport, tz: dt.tzinfo | None) -> Story:
    points = report.domain_points
    order = [c.id for c in report.history]
    cycle_ids = [cid for cid in order if any(p.cycle_id == cid for p in points)]
    if len(cycle_ids) < 2:
        return []
    dates = {c.id: c.date for c in report.history}
    series: dict[str, list[tuple[int, float]]] = {}
    for p in points:
        series.setdefault(p.domain, []).append((cycle_ids.index(p.cycle_id), p.mean_level))
    top = max((lv.level for i in report.protocol.items_of(ItemKind.RUBRIC) for lv in i.levels),
              default=4)
    first = [p.mean_level for p in points if p.cycle_id == cycle_ids[0]]
    last = [p.mean_level for p in points if p.cycle_id == cycle_ids[-1]]
    summary = (f"Mean level across domains: {sum(first) / len(first):.1f} on "
               f"{day(local(dates[cycle_ids[0]], tz))}, {sum(last) / len(last):.1f} on "
               f"{day(local(dates[cycle_ids[-1]], tz))} (of {top}).")
    return [subheading("Mean rubric level per domain"), para(summary, "muted"),
            charts.trend_lines(series, [short_day(local(dates[c], tz)) for c in cycle_ids],
                               FRAME_WIDTH, y_min=1, y_max=top, y_step=1)]


def tally_chart(report: CycleReport, tz: dt.tzinfo | None) -> Story:
    points = report.tally_points
    visits = _visits_of(points)
    if len(visits) < 2:
        return []
    index = {obs: i for i, (obs, _start) in enumerate(visits)}
    series: dict[str, list[tuple[int, float]]] = {}
    for p in points:
        series.setdefault(_short(p.label), []).append((index[p.observation_id], p.count))
    top = max(p.count for p in points)
    step = 5 if top <= 40 else 10
    first, last = visits[0], visits[-1]
    lines = []
    for name, values in list(series.items())[:2]:
        by_visit = dict(values)
        if 0 in by_visit and len(visits) - 1 in by_visit:
            lines.append(f"{name}: {by_visit[0]:.0f} on {day(local(first[1], tz))}, "
                         f"{by_visit[len(visits) - 1]:.0f} on {day(local(last[1], tz))}.")
    return [subheading("Tallies per lesson"), para(" ".join(lines), "muted"),
            charts.trend_lines(series, [short_day(local(s, tz)) for _o, s in visits],
                               FRAME_WIDTH, y_min=0, y_max=step * (top // step + 1),
                               y_step=step)]


def scan_chart(report: CycleReport, tz: dt.tzinfo | None) -> Story:
    points = report.scan_points
    visits = _visits_of(points)
    if len(visits) < 2:
        return []
    codes = {c.key: c for i in report.protocol.items_of(ItemKind.INTERVAL) for c in i.codes}
    students = [k for k, c in codes.items() if c.group == "Students"] or list(codes)
    index = {obs: i for i, (obs, _start) in enumerate(visits)}
    series: dict[str, list[tuple[int, float]]] = {}
    for key in students:
        values = [(index[p.observation_id], p.share * 100) for p in points if p.code == key]
        if values:
            series[codes[key].label] = values
    if not series:
        return []
    return [subheading("What students were doing, share of scans"),
            charts.trend_lines(series, [short_day(local(s, tz)) for _o, s in visits],
                               FRAME_WIDTH, y_min=0, y_max=100, y_step=25, y_format="%d%%")]


def _short(label: str) -> str:
    return label.split(" (")[0]


def signatures(report: CycleReport) -> Story:
    s = report.summary
    ink = colors.HexColor("#1f2933")
    rows = [["", "", ""],
            [cell(f"Observed teacher: {esc(s.teacher_name)}", "sign", markup=True), "",
             cell(f"Observer: {esc(s.observer_name or '')}", "sign", markup=True)],
            ["", "", ""],
            [cell("Date", "sign"), "", cell("Date", "sign")]]
    table = Table(rows, colWidths=[76 * mm, 18 * mm, 76 * mm], rowHeights=[30, None, 24, None],
                  hAlign="LEFT")
    table.setStyle(TableStyle([
        ("LINEABOVE", (0, 1), (0, 1), 0.7, ink), ("LINEABOVE", (2, 1), (2, 1), 0.7, ink),
        ("LINEABOVE", (0, 3), (0, 3), 0.7, ink), ("LINEABOVE", (2, 3), (2, 3), 0.7, ink),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("FONT", (0, 0), (-1, -1), FONT, 8)]))
    return [KeepTogether([
        Heading("Signatures", "signatures"),
        para("Signing confirms that the feedback was discussed together; it does not mean "
             "agreeing with every point. The teacher's reflection is part of the record.",
             "muted"),
        table])]


def _results_sections(report: CycleReport) -> Story:
    """Each kind's section, in the registry's order; kinds sharing a section show it once."""
    story: Story = []
    shown: set[object] = set()
    for kind in kinds.all_kinds():
        section = kind.pdf_section
        name: object = getattr(section, "target", None) or id(section)
        if kind.pdf_place != "results" or not report.has(kind.name) or name in shown:
            continue
        shown.add(name)
        story += section(report)
    return story


def build_story(report: CycleReport, tz: dt.tzinfo | None = None) -> Story:
    """The flowables of the summary, in reading order."""
    story = title_block(report, tz)
    story.append(Spacer(1, 2))
    story += sections.focus(report)
    if not report.visits:
        planned = report.summary.planned_date
        when = f"The visit is planned for {day(planned)}." if planned else ""
        stage = report.summary.stage.label.lower()
        story += [Spacer(1, 10), notice(
            f"<b>No observation yet.</b> This cycle is at the {stage} stage. {esc(when)} "
            "Evidence, ratings and feedback appear in this summary once the visit has been "
            "recorded.", markup=True)]
        story += sections.plan(report)
    else:
        if any(v.observation.is_open for v in report.visits):
            story += [Spacer(1, 10), notice(
                "<b>The visit is still open.</b> This summary shows the evidence recorded so "
                "far; ratings and feedback follow at the post-conference.", markup=True)]
        story += _results_sections(report)
        story += sections.evidence_log(report, tz)
    story += sections.feedback(report)
    story += sections.reflection(report)
    story += growth(report, tz)
    story += signatures(report)
    return paginate(story)


def render(report: CycleReport, out: Path | BinaryIO, tz: dt.tzinfo | None = None) -> int:
    """Write the summary as PDF to a path or binary file; returns the number of pages."""
    register_fonts()
    s = report.summary
    title = f"Observation feedback: {s.teacher_name}, {s.protocol_name}"
    doc = SimpleDocTemplate(
        str(out) if isinstance(out, Path) else out, pagesize=PAGE,
        leftMargin=MARGIN_X - FRAME_PADDING, rightMargin=MARGIN_X - FRAME_PADDING,
        topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM, title=title, author=s.observer_name or "",
        subject=f"{s.protocol_name} (version {s.protocol_version}), "
                f"{day(local(s.date, tz))}",
        creator=f"Observe {__version__}", lang="en")
    name = fit(s.teacher_name, FRAME_WIDTH / 2, 7.5)
    header = f"{name} · {s.protocol_name} · {short_day(local(s.date, tz))}"
    footer = f"· Feedback for {name}. Share only with the teacher's agreement."
    doc.build(build_story(report, tz), canvasmaker=page_canvas(header, footer))
    return doc.page
