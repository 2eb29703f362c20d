"""The whole feedback summary: title block, sections in order, growth, signatures, the PDF file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import (
    ActionFlowable,
    BaseDocTemplate,
    Flowable,
    KeepTogether,
    PageBreak,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from observe_app import __version__, kinds
from observe_app.domain.enums import CycleStage, ItemKind
from observe_app.domain.formats import counted
from observe_app.reports import charts, front_page, sections
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
from observe_app.reports.options import EvidencePlace, PdfOptions
from observe_app.reports.styles import (
    FONT,
    FRAME_PADDING,
    FRAME_WIDTH,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    RULE,
    fit,
    margin_x,
    page_canvas,
    page_size,
    register_fonts,
)
from observe_app.services.trends import Trend

Story = list[Flowable]


class AfterTheFeedback(ActionFlowable):
    """Start the detail on a new page when the feedback filled page 1 only; when it ran
    over onto page 2, the detail follows on that page (no page left mostly empty)."""

    def apply(self, doc: BaseDocTemplate) -> None:
        if doc.page == 1:
            doc.handle_pageBreak()


def title_block(report: CycleReport, tz: dt.tzinfo | None) -> Story:
    """Who, what and when in three lines: the page a mentor hands over starts with them."""
    s = report.summary
    story: Story = [
        para("OBSERVATION FEEDBACK SUMMARY", "kicker"),
        para(s.teacher_name, "title"),
        para(f"{report.protocol.name} · {day(local(s.date, tz))} · stage: {s.stage.label.lower()}",
             "subtitle"),
    ]
    context = [f"Observed by {s.observer_name}" if s.observer_name else "Observer not recorded"]
    for v in report.visits:
        visit = "" if len(report.visits) == 1 else f"Visit {v.number}: "
        context.append(f"{visit}{_visit_when(v, tz)} · {_class_of(v)}")
    story.append(para("<br/>".join(esc(line) for line in context), "context", markup=True))
    return story


def about(report: CycleReport, tz: dt.tzinfo | None) -> Story:
    """The cycle's facts in full: stages and their dates, each visit, the acknowledgment."""
    s = report.summary
    teacher = report.teacher
    observer = s.observer_name or "Not recorded"
    story: Story = [Heading("About this cycle", "about")]
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
                      extra=[("TOPPADDING", (0, 0), (-1, -1), 5),
                             ("BOTTOMPADDING", (0, 0), (-1, -1), 5)]))
    if report.visits and report.detail.evidence_to_collect:
        story += [subheading("Evidence agreed at the pre-conference"),
                  para(report.detail.evidence_to_collect)]
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
                     "ratings, tallies, timers, interval scans or participation maps to "
                     "compare.", "muted")]
    return [KeepTogether(block) for block in blocks]


def _series(trend: Trend, x: dict[str, int]) -> dict[str, list[tuple[int, float]]]:
    """The trend's lines as the chart draws them: x is the place along `x`."""
    return {line.name: [(x[p.at], p.value) for p in line.points] for line in trend.lines}


def _x_labels(moments: Sequence[tuple[str, dt.datetime]], tz: dt.tzinfo | None) -> list[str]:
    return [short_day(local(when, tz)) for _at, when in moments]


def _first_and_last(series: dict[str, list[tuple[int, float]]],
                    moments: Sequence[tuple[str, dt.datetime]], tz: dt.tzinfo | None,
                    value: str) -> str:
    """'Wait time: 1.2 s on 24 Sep 2025, 3.9 s on 20 May 2026.' for the first two lines that
    have both the first and the last visit."""
    last = len(moments) - 1
    said = []
    for name, values in list(series.items())[:2]:
        by_visit = dict(values)
        if 0 in by_visit and last in by_visit:
            said.append(f"{name}: {value.format(by_visit[0])} on "
                        f"{day(local(moments[0][1], tz))}, {value.format(by_visit[last])} on "
                        f"{day(local(moments[-1][1], tz))}.")
    return " ".join(said)


def timer_chart(report: CycleReport, tz: dt.tzinfo | None) -> Story:
    trend = report.growth.timers
    if len(trend.moments) < 2:
        return []
    series = _series(trend, trend.position())
    return [subheading("Mean time per lesson"),
            para(_first_and_last(series, trend.moments, tz, "{:.1f} s"), "muted"),
            charts.trend_lines(series, _x_labels(trend.moments, tz), FRAME_WIDTH, y_min=0,
                               y_max=float(int(trend.top) + 1), y_step=1, y_format="%g s",
                               height=130)]


def domain_chart(report: CycleReport, tz: dt.tzinfo | None) -> Story:
    trend = report.growth.domains
    rated = trend.position()
    # along x in the order of the cycles so far, as the growth table lists them
    moments = [(c.id, c.date) for c in report.history if c.id in rated]
    if len(moments) < 2:
        return []
    series = _series(trend, {cycle_id: i for i, (cycle_id, _date) in enumerate(moments)})
    top = max((lv.level for i in report.protocol.items_of(ItemKind.RUBRIC) for lv in i.levels),
              default=4)
    means = {cycle_id: mean for cycle_id, _date, mean in report.growth.cycle_means}
    (first, first_date), (last, last_date) = moments[0], moments[-1]
    summary = (f"Mean level across domains: {means[first]:.1f} on "
               f"{day(local(first_date, tz))}, {means[last]:.1f} on "
               f"{day(local(last_date, tz))} (of {top}).")
    return [subheading("Mean rubric level per domain"), para(summary, "muted"),
            charts.trend_lines(series, _x_labels(moments, tz), FRAME_WIDTH, y_min=1, y_max=top,
                               y_step=1)]


def tally_chart(report: CycleReport, tz: dt.tzinfo | None) -> Story:
    trend = report.growth.tallies
    if len(trend.moments) < 2:
        return []
    series = _series(trend, trend.position())
    top = int(trend.top)
    step = 5 if top <= 40 else 10
    return [subheading("Tallies per lesson"),
            para(_first_and_last(series, trend.moments, tz, "{:.0f}"), "muted"),
            charts.trend_lines(series, _x_labels(trend.moments, tz), FRAME_WIDTH, y_min=0,
                               y_max=step * (top // step + 1), y_step=step)]


def scan_chart(report: CycleReport, tz: dt.tzinfo | None) -> Story:
    trend = report.growth.scans
    if len(trend.moments) < 2:
        return []
    codes = {c.key: c for i in report.protocol.items_of(ItemKind.INTERVAL) for c in i.codes}
    students = [k for k, c in codes.items() if c.group == "Students"] or list(codes)
    x = trend.position()
    # named as this cycle's protocol names its codes
    series = {codes[key].label: [(x[p.at], p.value) for p in line.points]
              for key in students if (line := trend.line(key)) is not None}
    if not series:
        return []
    return [subheading("What students were doing, share of scans"),
            charts.trend_lines(series, _x_labels(trend.moments, tz), FRAME_WIDTH, y_min=0,
                               y_max=100, y_step=25, y_format="%d%%")]


COMMENTS_BOX = 32 * mm  # room to write by hand at the meeting


def closing(report: CycleReport, tz: dt.tzinfo | None) -> Story:
    """The reflection, a box for the teacher's comments and the signatures, on one page."""
    box = Table([[cell("The teacher's comments", "sign")]], colWidths=[FRAME_WIDTH],
                rowHeights=[COMMENTS_BOX], hAlign="LEFT")
    box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.6, RULE),
                             ("VALIGN", (0, 0), (-1, -1), "TOP"),
                             ("FONT", (0, 0), (-1, -1), FONT, 8)]))
    return [KeepTogether([*sections.reflection(report), Spacer(1, 8), box, Spacer(1, 4),
                          *signatures(report, tz)])]


def signatures(report: CycleReport, tz: dt.tzinfo | None = None) -> Story:
    s = report.summary
    ink = colors.HexColor("#1f2933")
    # Acknowledged in Observe (perhaps on the teacher's own laptop, by package): said where
    # the teacher signs, so a printed copy shows it even before it is signed.
    acknowledged = report.detail.acknowledged_at
    rows = [["", "", ""],
            [cell(f"Observed teacher: {esc(s.teacher_name)}", "sign", markup=True), "",
             cell(f"Observer: {esc(s.observer_name or '')}", "sign", markup=True)],
            ["", "", ""],
            [cell("Date", "sign"), "", cell("Date", "sign")]]
    heights: list[float | None] = [30, None, 24, None]
    if acknowledged:  # its own line: the two Date labels stay level
        rows.append([cell(f"Acknowledged in Observe on {_date_of(acknowledged, tz)}", "sign"),
                     "", ""])
        heights.append(None)
    table = Table(rows, colWidths=[76 * mm, 18 * mm, 76 * mm], rowHeights=heights,
                  hAlign="LEFT")
    table.setStyle(TableStyle([
        ("LINEABOVE", (0, 1), (0, 1), 0.7, ink), ("LINEABOVE", (2, 1), (2, 1), 0.7, ink),
        ("LINEABOVE", (0, 3), (0, 3), 0.7, ink), ("LINEABOVE", (2, 3), (2, 3), 0.7, ink),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("FONT", (0, 0), (-1, -1), FONT, 8)]))
    return [Heading("Signatures", "signatures"),
            para("Signing confirms that the feedback was discussed together; it does not mean "
                 "agreeing with every point. The teacher's reflection is part of the record.",
                 "muted"),
            table]


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


def build_story(report: CycleReport, tz: dt.tzinfo | None = None,
                options: PdfOptions | None = None) -> Story:
    """The flowables of the summary, in reading order: page 1 is the feedback."""
    options = options or PdfOptions()
    story = title_block(report, tz)
    story += sections.focus(report)
    visits = report.visits
    if not visits:
        planned = report.summary.planned_date
        when = f"The visit is planned for {day(planned)}." if planned else ""
        stage = report.summary.stage.label.lower()
        story += [Spacer(1, 10), notice(
            f"<b>No observation yet.</b> This cycle is at the {stage} stage. {esc(when)} "
            "Evidence, ratings and feedback appear in this summary once the visit has been "
            "recorded.", markup=True)]
        story += sections.plan(report)
        story += about(report, tz)
        story += sections.goals(report)
    else:
        if any(v.observation.is_open for v in visits):
            story += [Spacer(1, 6), notice(
                "<b>The visit is still open.</b> This summary shows the evidence recorded so "
                "far; ratings and feedback follow at the post-conference.", markup=True)]
        story += front_page.feedback_first(report)
        story.append(AfterTheFeedback())
        story += about(report, tz)
        story += sections.goals(report)
        story += _results_sections(report)
        if options.evidence == EvidencePlace.FULL:
            story += sections.evidence_log(report, tz)
    story += growth(report, tz)
    story += closing(report, tz)
    notes = sum(len(v.notes) for v in visits)
    if notes and options.evidence == EvidencePlace.APPENDIX:
        story += [PageBreak(), *sections.evidence_log(report, tz, appendix=True)]
    elif notes and options.evidence == EvidencePlace.NONE:
        story.append(para(f"The evidence log ({counted(notes, 'timestamped note')}) is left out "
                          "of this copy; the observer keeps it.", "muted"))
    return paginate(story)


def render(report: CycleReport, out: Path | BinaryIO, tz: dt.tzinfo | None = None,
           options: PdfOptions | None = None) -> int:
    """Write the summary as PDF to a path or binary file; returns the number of pages."""
    options = options or PdfOptions()
    register_fonts()
    s = report.summary
    title = f"Observation feedback: {s.teacher_name}, {s.protocol_name}"
    page = page_size(options.page_size)
    side = margin_x(page)
    doc = SimpleDocTemplate(
        str(out) if isinstance(out, Path) else out, pagesize=page,
        leftMargin=side - FRAME_PADDING, rightMargin=side - FRAME_PADDING,
        topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM, title=title, author=s.observer_name or "",
        subject=f"{s.protocol_name} (version {s.protocol_version}), "
                f"{day(local(s.date, tz))}",
        creator=f"Observe {__version__}", lang="en")
    name = fit(s.teacher_name, FRAME_WIDTH / 2, 7.5)
    header = f"{name} · {s.protocol_name} · {short_day(local(s.date, tz))}"
    footer = f"· Feedback for {name}. Share only with the teacher's agreement."
    doc.build(build_story(report, tz, options), canvasmaker=page_canvas(header, footer))
    return doc.page
