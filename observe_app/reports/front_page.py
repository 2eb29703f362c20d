"""Page 1 of the summary: the feedback itself, with its evidence, next steps and the ratings at a
glance, so the page a mentor hands over says what the feedback is."""

from __future__ import annotations

from collections.abc import Iterable

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from observe_app import kinds
from observe_app.domain.enums import CycleStage, FeedbackKind, ItemKind
from observe_app.domain.formats import counted
from observe_app.reports import participation
from observe_app.reports.blocks import (
    Heading,
    cell,
    day,
    esc,
    grid,
    level_dots,
    para,
    subheading,
    th,
)
from observe_app.reports.data import CycleReport
from observe_app.services.cycle_views import FeedbackView
from observe_app.services.cycles import feedback_points, same_point
from observe_app.services.protocols import ItemView

Story = list[Flowable]
MUTED_SMALL = "<font size=7.5 color='#5f6b7a'>{}</font>"
WRITTEN_AT = (CycleStage.POST_CONFERENCE, CycleStage.REFLECTION, CycleStage.CLOSED)


def evidence_times(report: CycleReport, note_ids: Iterable[str]) -> str:
    """'04:12, 17:30', or 'visit 1 at 04:12; visit 2 at 12:05' when the cycle has several
    visits (a time alone would not say which lesson it is from)."""
    where = {n.id: (v.number, n.elapsed_ms, n.mm_ss) for v in report.visits for n in v.notes}
    found = sorted(where[i] for i in note_ids if i in where)
    if len(report.visits) <= 1:
        return ", ".join(stamp for _v, _ms, stamp in found)
    by_visit: dict[int, list[str]] = {}
    for visit, _ms, stamp in found:
        by_visit.setdefault(visit, []).append(stamp)
    return "; ".join(f"visit {v} at {', '.join(stamps)}" for v, stamps in by_visit.items())


def _with_evidence(report: CycleReport, item: FeedbackView) -> str:
    text = esc(item.text)
    times = evidence_times(report, item.evidence_note_ids)
    if times:
        text += " " + MUTED_SMALL.format(f"· evidence at {esc(times)}")
    if item.due_date and item.kind != FeedbackKind.NEXT_STEP:
        text += " " + MUTED_SMALL.format(f"· by {day(item.due_date)}")
    return text


def feedback_first(report: CycleReport) -> Story:
    """Glows, grows, next steps, the next visit and the ratings at a glance."""
    d = report.detail
    stage = report.summary.stage
    written_live = _written_live(report)
    story: Story = [Heading("Feedback", "feedback")]
    if not (d.feedback or written_live or d.post_conference_notes):
        story.append(para(_nothing_yet(stage), "muted"))
    else:
        for kind, title in ((FeedbackKind.GLOW, "Glows: what worked"),
                            (FeedbackKind.GROW, "Grows: what to try next")):
            items = d.feedback_of(kind)
            if not items and kind not in written_live:
                empty = ("None written." if stage in WRITTEN_AT
                         else "Written at the post-conference.")
                story += [subheading(title), para(empty, "muted")]
                continue
            if items:
                story.append(subheading(title))
                story += [para(_with_evidence(report, f), "bullet", markup=True, bullet="•")
                          for f in items]
        story += _next_steps(report, stage)
        story += _prompts_not_yet_feedback(report, written_live)
        if d.post_conference_notes:
            story += [subheading("Post-conference notes"), para(d.post_conference_notes)]
    story += _next_visit(report)
    story += ratings_at_a_glance(report)
    return story


def _nothing_yet(stage: CycleStage) -> str:
    if stage in WRITTEN_AT:
        return "No glows, grows or next steps were recorded for this cycle."
    return "No feedback yet: glows, grows and next steps are written at the post-conference."


def _next_steps(report: CycleReport, stage: CycleStage) -> Story:
    steps = report.detail.feedback_of(FeedbackKind.NEXT_STEP)
    story: Story = [subheading("Next steps")]
    if not steps:
        return story + [para("None agreed." if stage in WRITTEN_AT
                             else "Agreed at the post-conference.", "muted")]
    if not any(s.owner or s.support or s.success_measure for s in steps):
        for s in steps:
            due = " " + MUTED_SMALL.format(f"· by {day(s.due_date)}") if s.due_date else ""
            story.append(para(_with_evidence(report, s) + due, "bullet", markup=True,
                              bullet="→"))
        return story
    rows: list[list[object]] = [[th("Action"), th("Who"), th("Support offered"),
                                 th("Success looks like"), th("By")]]
    for s in steps:
        rows.append([cell(_with_evidence(report, s), markup=True), cell(s.owner or "—"),
                     cell(s.support or "—"), cell(s.success_measure or "—"),
                     cell(day(s.due_date) if s.due_date else "—")])
    story.append(grid(rows, [52 * mm, 28 * mm, 34 * mm, 36 * mm, 20 * mm]))
    return story


def _next_visit(report: CycleReport) -> Story:
    when = report.detail.next_visit_date
    if when is None:
        return []
    return [para(f"<b>Next visit:</b> {esc(day(when))}", "body", markup=True)]


def _written_live(report: CycleReport) -> set[FeedbackKind | None]:
    """The feedback kinds whose prompts were answered during a visit (None: other prompts)."""
    return {_prompt_kind(item) for item, _text in _answers(report)}


def _answers(report: CycleReport) -> list[tuple[ItemView, str]]:
    return [(i, v.results.texts[i.id]) for v in report.visits
            for i in report.protocol.items_of(ItemKind.PROMPT) if v.results.texts.get(i.id)]


def _prompt_kind(item: ItemView) -> FeedbackKind | None:
    return next((k for k in FeedbackKind if k.value == item.prompt_kind), None)


def _prompts_not_yet_feedback(report: CycleReport, written: set[FeedbackKind | None]) -> Story:
    """Answers to prompts that are not (yet) feedback items, such as an open visit's glow.
    Once every point of the answers is a glow, grow or next step, they are not repeated."""
    if not written:
        return []
    # the same points, by the same rule, as ending the visit turned into feedback items
    have = {(f.kind, same_point(f.text)) for f in report.detail.feedback}
    fresh = any(_prompt_kind(item) is None
                or any((_prompt_kind(item), same_point(point)) not in have
                       for point in feedback_points(text))
                for item, text in _answers(report))
    if not fresh:
        return []
    prompts = next(k for k in kinds.all_kinds() if k.pdf_place == "feedback")
    return list(prompts.pdf_section(report))


def ratings_at_a_glance(report: CycleReport) -> Story:
    """Each rated item's level in two columns; look-fors seen, tallies and participation in a
    line each."""
    story: Story = []
    items = report.protocol.items_of(ItemKind.RUBRIC)
    if items and report.ratings:
        cells: list[list[object]] = []
        for item in items:
            r = report.ratings.get(item.id)
            level, top = report.level_given(item)
            if level is not None:
                shown = (f"<b>{esc(level.name)}</b> "
                         + MUTED_SMALL.format(level_dots(level.level, top)))
            else:
                shown = MUTED_SMALL.format("not observed" if r and r.not_observed
                                           else "not rated")
            cells.append([cell(item.label), cell(shown, markup=True)])
        rows = [a + b for a, b in zip(cells[::2], cells[1::2] + [["", ""]], strict=False)]
        story += [subheading("Ratings at a glance"),
                  grid(rows, [49 * mm, 36 * mm, 49 * mm, 36 * mm], header=False,
                       extra=[("TOPPADDING", (0, 0), (-1, -1), 2.5),
                              ("BOTTOMPADDING", (0, 0), (-1, -1), 3)])]
    lookfors = report.protocol.items_of(ItemKind.LOOKFOR)
    if lookfors and report.visits:
        seen = [i.label for i in lookfors if any(v.results.seen(i.id) for v in report.visits)]
        story += [subheading("Look-fors at a glance"),
                  para(f"{len(seen)} of {counted(len(lookfors), 'look-for')} seen"
                       + (f": {'; '.join(seen)}." if seen else "."))]
    tallies = report.protocol.items_of(ItemKind.TALLY)
    if tallies and report.visits:
        counts = [f"{i.label} {sum(v.results.counts.get(i.id, 0) for v in report.visits)}"
                  for i in tallies]
        story += [subheading("Tallies at a glance"), para("; ".join(counts) + ".")]
    return story + participation.at_a_glance(report)
