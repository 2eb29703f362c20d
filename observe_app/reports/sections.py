"""The sections of the summary that show what was planned, recorded and said in one cycle."""

from __future__ import annotations

import datetime as dt
from statistics import mean

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from observe_app import kinds
from observe_app.domain.enums import CycleStage, ItemKind
from observe_app.domain.formats import counted
from observe_app.reports import charts
from observe_app.reports.blocks import (
    Heading,
    cell,
    day,
    esc,
    grid,
    intro,
    level_dots,
    para,
    seconds,
    subheading,
    th,
)
from observe_app.reports.data import CycleReport, local
from observe_app.reports.front_page import evidence_times
from observe_app.reports.styles import FONT, FRAME_WIDTH, SERIES

Story = list[Flowable]

SEEN = "✓ Seen"
NOT_SEEN = "Not seen"


def focus(report: CycleReport) -> Story:
    d = report.detail
    story: Story = [Heading("Focus for this cycle", "focus")]
    story.append(para(d.summary.focus or "No focus was written down at the pre-conference.",
                      "quote" if d.summary.focus else "muted"))
    if d.evidence_to_collect and not report.visits:  # else on page 2, with the visit's facts
        story += [subheading("Evidence agreed at the pre-conference"),
                  para(d.evidence_to_collect)]
    return story


def goals(report: CycleReport) -> Story:
    """The teacher's goals this cycle touched, with where each stands now."""
    d = report.detail
    story: Story = []
    if report.goals:
        story.append(Heading("Goals being worked on", "goals"))
        rows = [[th("Goal"), th("Set"), th("Status")]]
        for g in report.goals:
            step = next((s for s in g.history if s.cycle_id == d.id), None)
            status = step.status.label if step else g.status.label
            comment = f"<br/><font size=7.5 color='#5f6b7a'>{esc(step.comment)}</font>" \
                if step and step.comment else ""
            set_in = next((s for s in g.history if s.cycle_id == g.set_in_cycle_id), None)
            rows.append([cell(g.text), cell(day(set_in.cycle_created_at if set_in
                                                else g.created_at)),
                         cell(f"{esc(status)}{comment}", markup=True)])
        story.append(grid(rows, [100 * mm, 32 * mm, 38 * mm]))
    return story


def plan(report: CycleReport) -> Story:
    """Before any visit: what the observer will look for, so the teacher knows."""
    story: Story = [Heading("What the observer will look for", "plan")]
    story.append(para(f"{report.protocol.name} (version {report.protocol.number}). "
                      f"{report.protocol.description}", "muted"))
    for section, items in report.protocol.sections:
        story.append(subheading(section))
        for item in items:
            story.append(para(f"{esc(item.label)} <font color='#5f6b7a' size=8>"
                              f"({kinds.get(item.kind).plan_words})</font>", "bullet", markup=True,
                              bullet="•"))
    return story


def ratings(report: CycleReport) -> Story:
    items = report.protocol.items_of(ItemKind.RUBRIC)
    rows: list[list[object]] = [[th("Item"), th("Level"), th("What this level looks like")]]
    groups = []
    section = None
    for item in items:
        if item.section != section:
            section = item.section
            groups.append(len(rows))
            rows.append([cell(section, "group"), "", ""])
        r = report.ratings.get(item.id)
        level, top = report.level_given(item)
        if level is not None:
            level_cell = cell(f"<b>{esc(level.name)}</b><br/><font size=7.5 color='#5f6b7a'>"
                              f"{level_dots(level.level, top)}  {level.level} of {top}</font>",
                              markup=True)
            text = esc(level.descriptor)
        elif r and r.not_observed:
            level_cell, text = cell("Not observed", "cell_muted"), ""
        else:
            level_cell, text = cell("Not rated yet", "cell_muted"), ""
        if r and r.comment:
            text += f"<br/><i>{esc(r.comment)}</i>"
        evidence = evidence_times(report, r.evidence_note_ids) if r else ""
        if evidence:
            text += (f"<br/><font size=7.5 color='#5f6b7a'>Evidence at "
                     f"{esc(evidence)}</font>")
        rows.append([cell(item.label), level_cell, cell(text or "—", markup=True)])
    rated = sum(1 for r in report.ratings.values() if r.level is not None)
    story: Story = [Heading("Ratings", "ratings")]
    if not report.ratings:
        story.append(para(f"No ratings yet: {counted(len(items), 'item')} to rate after the "
                          "visit, with the evidence beside them.", "muted"))
        return story
    story.append(intro(f"{rated} of {counted(len(items), 'item')} rated. Levels describe the "
                       "practice seen in this cycle, not the person."))
    story.append(grid(rows, [52 * mm, 34 * mm, 84 * mm], groups=groups))
    return story


def _visit_columns(report: CycleReport) -> list[str]:
    if len(report.visits) == 1:
        return ["Result"]
    return [f"Visit {v.number}" for v in report.visits]


def checklist(report: CycleReport) -> Story:
    items = report.protocol.items_of(ItemKind.LOOKFOR)
    heads = _visit_columns(report)
    col = min(30 * mm, 80 * mm / len(heads))
    rows: list[list[object]] = [[th("Look-for")] + [th(h) for h in heads]]
    seen = 0
    for item in items:
        marks = []
        for v in report.visits:
            value = v.results.seen(item.id)  # ticked, or evidence tagged to it
            marks.append(cell(SEEN, "cell_bold") if value else
                         cell(NOT_SEEN if value is False else "—", "cell_muted"))
            seen += bool(value)
        rows.append([cell(item.label)] + marks)
    story: Story = [Heading("Look-fors", "lookfors")]
    if len(report.visits) == 1:
        story.append(intro(f"{seen} of {counted(len(items), 'look-for')} seen during the "
                           "visit."))
    story.append(grid(rows, [FRAME_WIDTH - col * len(heads)] + [col] * len(heads)))
    return story


def tallies_and_timers(report: CycleReport) -> Story:
    story: Story = [Heading("Tallies and timers", "tallies")]
    heads = _visit_columns(report)
    tallies = report.protocol.items_of(ItemKind.TALLY)
    if tallies:
        col = min(26 * mm, 80 * mm / len(heads))
        rows: list[list[object]] = [[th("Tally")] + [th("Count", right=True) if h == "Result"
                                                     else th(h, right=True) for h in heads]]
        for item in tallies:
            rows.append([cell(item.label)] + [
                cell(str(v.results.counts.get(item.id, 0)), "cell_right") for v in report.visits])
        story.append(grid(rows, [FRAME_WIDTH - col * len(heads)] + [col] * len(heads)))
    timers = report.protocol.items_of(ItemKind.TIMER)
    if timers:
        if tallies:
            story.append(Spacer(1, 8))
        rows = [[th("Timer"), th("Times", right=True), th("Mean", right=True),
                 th("Longest", right=True), th("Shortest", right=True)]]
        for v in report.visits:
            for item in timers:
                runs = [r.duration_ms for r in v.results.timer_runs.get(item.id, [])]
                label = item.label if len(report.visits) == 1 else \
                    f"{item.label} (visit {v.number})"
                if runs:
                    values = [str(len(runs)), seconds(mean(runs)), seconds(max(runs)),
                              seconds(min(runs))]
                else:
                    values = ["0", "—", "—", "—"]
                rows.append([cell(label)] + [cell(x, "cell_right") for x in values])
        story.append(grid(rows, [78 * mm, 20 * mm, 24 * mm, 24 * mm, 24 * mm]))
    return story


def interval_scan(report: CycleReport) -> Story:
    story: Story = [Heading("Interval scan", "scan")]
    for item in report.protocol.items_of(ItemKind.INTERVAL):
        for v in report.visits:
            records = v.results.intervals.get(item.id, [])
            recorded = [r for r in records if not r.missed]
            period = seconds((item.period_seconds or 0) * 1000)
            title = item.label if len(report.visits) == 1 else f"{item.label} (visit {v.number})"
            missed = len(records) - len(recorded)
            block: Story = [subheading(title), intro(
                f"{counted(len(recorded), 'scan')}, one every {period}"
                + (f"; {missed} missed" if missed else "")
                + ". Each bar is the share of scans in which the activity was seen; "
                  "a scan can show more than one.")]
            if not recorded:
                story += block
                continue
            shares = v.results.code_shares(item.id)
            groups: dict[str, list[tuple[str, float]]] = {}
            for code in item.codes:
                groups.setdefault(code.group or "Codes", []).append(
                    (code.label, shares.get(code.key, 0.0)))
            width = FRAME_WIDTH / 2 - 4
            drawings = [charts.share_bars(name, rows, width, SERIES[i % len(SERIES)])
                        for i, (name, rows) in enumerate(groups.items())]
            pairs = [drawings[i:i + 2] for i in range(0, len(drawings), 2)]
            table = Table([p + [""] * (2 - len(p)) for p in pairs],
                          colWidths=[FRAME_WIDTH / 2] * 2, hAlign="LEFT")
            table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), FONT, 8.5),
                                       ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                       ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                       ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
            story.append(KeepTogether([*block, table]))
    return story


def evidence_log(report: CycleReport, tz: dt.tzinfo | None, *, appendix: bool = False) -> Story:
    labels = report.item_labels
    total = sum(len(v.notes) for v in report.visits)
    tagged = any(n.item_ids for v in report.visits for n in v.notes)  # else no look-fors column
    title = "Appendix: evidence log" if appendix else "Evidence log"
    story: Story = [Heading(title, "evidence"),
                    intro(f"{counted(total, 'timestamped note')}. The first time is "
                          "minutes:seconds since the start of the visit; the second is the time "
                          "of day.")]
    for v in report.visits:
        if len(report.visits) > 1:
            started = local(v.observation.started_at, tz)
            story.append(subheading(f"Visit {v.number} · {day(started)}"))
        if not v.notes:
            story.append(para("No notes were written in this visit.", "muted"))
            continue
        rows: list[list[object]] = [[th("Time"), th("Evidence")]
                                    + ([th("Look-fors")] if tagged else [])]
        for n in v.notes:
            row = [cell(f"<b>{n.mm_ss}</b><br/><font size=7.5 color='#5f6b7a'>"
                        f"{local(n.wall_time, tz):%H:%M:%S}</font>", markup=True),
                   cell(n.text)]
            if tagged:
                row.append(cell("<br/>".join(esc(labels[t]) for t in n.item_ids if t in labels),
                                "cell_muted", markup=True))
            rows.append(row)
        widths = [20 * mm, 104 * mm, 46 * mm] if tagged else [20 * mm, 150 * mm]
        story.append(grid(rows, widths, zebra=True, split_in_row=True))
    return story


def written_during_visit(report: CycleReport) -> Story:
    """The prompts' answers, inside the feedback section."""
    written = [(i.label, v.results.texts[i.id]) for v in report.visits
               for i in report.protocol.items_of(ItemKind.PROMPT) if v.results.texts.get(i.id)]
    if not written:
        return []
    rows = [[cell(label, "cell_muted"), cell(text)] for label, text in written]
    return [subheading("Written during the visit"), grid(rows, [60 * mm, 110 * mm], header=False)]


def reflection(report: CycleReport) -> Story:
    text = report.detail.reflection
    story: Story = [Heading("The teacher's reflection", "reflection")]
    if text:
        story.append(para(text, "quote"))
        story.append(para(f"— {report.summary.teacher_name}", "muted"))
    else:
        closed = report.summary.stage == CycleStage.CLOSED
        story.append(para("No reflection was written for this cycle." if closed else
                          "Not written yet. The teacher adds a reflection after the "
                          "post-conference.", "muted"))
    return story
