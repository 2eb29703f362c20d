"""The PLC data review PDF: the school's practice over a period, anonymised (counts, shares
and means; no teacher's name, class or room, no student's name), against the period before,
with impact term by term and a page for the team's questions and next steps.

Read from services/school.school_picture, the School page's read model; styles, fonts and
page furniture are the feedback summary's.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    PageBreak,
    Spacer,
    Table,
    TableStyle,
)
from sqlalchemy.orm import Session

from observe_app import kinds
from observe_app.reports import charts
from observe_app.reports.blocks import (
    Heading,
    cell,
    day,
    grid,
    intro,
    notice,
    paginate,
    para,
    subheading,
    th,
)
from observe_app.reports.calibration_pdf import render as render_story
from observe_app.reports.export import session_of, write_atomically
from observe_app.reports.options import PageSize
from observe_app.reports.school_blocks import (
    any_shown,
    figure_table,
    legend_line,
    none_shown,
    rubric_block,
)
from observe_app.reports.styles import FONT, FRAME_WIDTH, INK, fit, register_fonts
from observe_app.services.school import (
    MINIMUM_TEACHERS,
    OVERDUE_AFTER_DAYS,
    SchoolPicture,
    school_picture,
)
from observe_app.services.school_figures import Pattern
from observe_app.services.school_impact import Line
from observe_app.services.school_period import Period, Scope
from observe_app.storage.engine import Database
from observe_app.storage.paths import database_of, refuse_own_file

log = logging.getLogger(__name__)

Story = list[Flowable]

_BLOCKS = {  # kind -> (the block's title, the first column's heading)
    "lookfor": ("Look-fors: the share of visits in which each was seen", "Look-for"),
    "interval": ("Interval scan: {group}", "Code"),
    "tally": ("Tallies: the mean count per visit", "Tally"),
    "timer": ("Timers: the mean length of a run", "Timer"),
    "participation": ("Participation: the mean share of students who spoke", "Map"),
    "rubric": ("Rubric: the share of ratings at each level, per domain", "Domain"),
}


@dataclass(frozen=True)
class ReviewResult:
    path: Path
    pages: int


def span(period: Period) -> str:
    return f"{day(period.start)} to {day(period.end)}"


def title_story(picture: SchoolPicture) -> Story:
    p, before = picture.period, picture.before
    return [para("PLC DATA REVIEW · WHAT OUR OBSERVATIONS SHOW", "kicker"),
            para(picture.scope.name[:1].upper() + picture.scope.name[1:], "title"),
            para(f"{p.name} · {span(p)}", "subtitle"),
            para(f"Compared with {before.name} ({span(before)}).", "context")]


def how_to_read(picture: SchoolPicture) -> Story:
    least = picture.minimum_visits
    return [Heading("How to read this", "read"), notice(
        "<b>These figures describe practice, not people.</b> They are counts, shares and "
        "means across the visits of this period, pooled from everyone's observations; no "
        "teacher's name, class or room appears, and no student's. A figure that comes from "
        f"fewer than {least} visits (or cycles, or goals) or from fewer than "
        f"{MINIMUM_TEACHERS} teachers is <b>withheld</b>, with the reason, so that no one can "
        "be singled out: a small department's figures are often withheld. A subject's, "
        "grade's or team's figure is also withheld where the rest of the school's would be, "
        "as the whole school's figure less this one would show it. Each figure stands "
        "beside the same figure for the period before; the change of a share is in "
        "percentage points. Read them as questions to ask together, not as verdicts.",
        markup=True)]


def programme(picture: SchoolPicture) -> Story:
    """Counts only: who is in the programme is the coordinator's business, not the PLC's."""
    c = picture.coverage
    total = len(c.teachers)
    # A grade is the visit's: its teachers are those visited in it, none "not yet observed".
    teachers = [("Teachers whose lessons in it were visited", total)] if picture.scope.grade \
        else [("Teachers in this scope", total),
              ("Observed at least once", total - len(c.never_observed)),
              ("Not yet observed", len(c.never_observed))]
    teachers += [("Observed a colleague", total - len(c.never_observing)),
                ("Not yet observing a colleague", len(c.never_observing)),
                ("Visits to colleagues' lessons", sum(p.visits for p in c.pairs))]
    stages = [(stage.label, n) for stage, n in c.stages]
    stages.append((f"Post-conferences overdue (over {OVERDUE_AFTER_DAYS} days after the "
                   "visit)", len(c.overdue)))
    half = (FRAME_WIDTH - 6 * mm) / 2
    left = _counts(th("Teachers"), teachers, half)
    right = _counts(th("Cycles of this period, by stage"), stages, half)
    pair = Table([[left, "", right]], colWidths=[half, 6 * mm, half], hAlign="LEFT")
    pair.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), FONT, 8),
                              ("VALIGN", (0, 0), (-1, -1), "TOP"),
                              ("LEFTPADDING", (0, 0), (-1, -1), 0),
                              ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return [Heading("The peer-observation programme", "programme"),
            intro(f"Counts as of {day(c.as_of)}. Who observed whom stays with the "
                  "coordinator."), pair]


def _counts(head: Flowable, rows: Sequence[tuple[str, int]], width: float) -> Table:
    body: list[list[object]] = [[head, th("Count", right=True)]]
    body += [[cell(label), cell(str(n), "cell_right")] for label, n in rows]
    return grid(body, [width - 18 * mm, 18 * mm])


def patterns(picture: SchoolPicture) -> Story:
    heading = Heading("Practice patterns", "patterns")
    if not picture.patterns:
        return [heading, para("No visit in this period and scope has anything recorded yet.",
                              "muted")]
    # The heading stays with the start of the first protocol's first block.
    lead: Story = [heading, intro("Each protocol in turn. Dark bars are this period, light "
                                  "bars the one before; where a figure is withheld, the note "
                                  "under its table says why.")]
    order = {name: n for n, name in enumerate(kinds.names())}
    by_protocol: dict[str, list[Pattern]] = {}
    for p in picture.patterns:
        by_protocol.setdefault(p.protocol, []).append(p)
    story: Story = []
    for protocol in sorted(by_protocol, key=str.casefold):
        blocks: dict[tuple[str, str], list[Pattern]] = {}
        for p in sorted(by_protocol[protocol], key=lambda p: order.get(p.kind, len(order))):
            group = p.group if p.kind == "interval" else ""
            blocks.setdefault((p.kind, group), []).append(p)
        head: Story = [*lead, subheading(protocol)]  # kept with the start of its first block
        for (kind, group), mine in blocks.items():
            start, rest = _block(picture, kind, group, mine)
            story += [*kept(head + start), *rest]
            head = lead = []
    return story


KEEP_WHOLE = 70 * mm  # a block's start up to this tall moves to the next page whole
ROOM_TO_START = 55 * mm  # a taller one starts where it is if this much room is left


def kept(flowables: Story) -> Story:
    """A block's title kept with its table: the whole block when it is short; a long table
    starts on this page when there is room for its title and first rows, and runs on."""
    height = sum(f.wrap(FRAME_WIDTH, 10_000)[1] + f.getSpaceBefore() + f.getSpaceAfter()
                 for f in flowables)
    if height <= KEEP_WHOLE:
        return [KeepTogether(flowables)]
    return [CondPageBreak(ROOM_TO_START), *flowables]


def _block(picture: SchoolPicture, kind: str, group: str,
           mine: list[Pattern]) -> tuple[Story, Story]:
    """The block's start, to keep together (its title, its legend, its table), and the rest
    (the notes on withheld figures)."""
    title, column = _BLOCKS.get(kind, (f"{kind.capitalize()}: {mine[0].measure}", "Item"))
    title = title.format(group=group)
    now, before = picture.period.name, picture.before.name
    if not any_shown(mine):
        return none_shown(title, mine, now, before), []
    if kind == "rubric":
        legend, table, *notes = rubric_block(mine)
        return [para(title, "group"), intro(f"In each domain, the upper bar is {now}, the "
                                            f"lower {before}."), legend, table], notes
    table, *notes = figure_table(kind, column, mine)
    return [para(title, "group"), legend_line(now, before, kind, mine[0].measure), table], \
        [*notes, Spacer(1, 4)]


# -- impact over time --------------------------------------------------------------------------

def short_term(term: Period) -> str:
    """'Aut 25–26' for 'Autumn term 2025–26': six fit under a chart."""
    season, _term, year = term.name.partition(" term ")
    return f"{season[:3]} {year[2:]}" if year else term.name


def impact(picture: SchoolPicture) -> Story:
    found = picture.impact
    labels = [short_term(t) for t in found.terms]
    lead: Story = [Heading("Impact over time", "impact"),
                   intro("Term by term over two school years (Aut, Spr, Sum: the autumn, "
                         "spring and summer terms). A term whose figure is withheld, or has "
                         "nothing recorded, has no point on the line; the line under each "
                         "chart says which.")]
    return [KeepTogether(lead + _chart(
                "Goals met: the share of goals reviewed in the term that were met",
                [found.goals_met], labels, percent=True)),
            KeepTogether(_chart("Mean rubric level per domain: teachers in their first two "
                                "years", list(found.new_teachers), labels)),
            KeepTogether(_chart("Mean rubric level per domain: everyone", list(found.school),
                                labels))]


def _chart(title: str, lines: Sequence[Line], labels: Sequence[str], *,
           percent: bool = False) -> Story:
    scale = 100.0 if percent else 1.0
    series = {line.label: [(x, f.value * scale) for x, (_t, f) in enumerate(line.points)
                           if f.value is not None] for line in lines}
    series = {name: points for name, points in series.items() if points}
    head: Story = [subheading(title)]
    missing = _not_shown(lines)
    if not series:
        return head + [para("No chart: " + (missing or "nothing was recorded in these terms."),
                            "muted")]
    if percent:
        drawing = charts.trend_lines(series, labels, FRAME_WIDTH, y_min=0, y_max=100,
                                     y_step=25, y_format="%d%%", height=120)
    else:
        top = max(4, math.ceil(max(v for points in series.values() for _x, v in points)))
        drawing = charts.trend_lines(series, labels, FRAME_WIDTH, y_min=1, y_max=top,
                                     y_step=1, height=150)
    story = head + [drawing]
    if missing:
        story.append(para("Not shown: " + missing, "muted"))
    return story


def _not_shown(lines: Sequence[Line]) -> str:
    """'Autumn 2026–27: nothing was recorded. Summer 2025–26, Instruction: withheld: …'"""
    whole: dict[str, list[str]] = {}  # a reason -> the terms it holds for on every line
    said = []
    for n, (term, _figure) in enumerate(lines[0].points if lines else ()):
        reasons = {line.label: line.points[n][1].withheld for line in lines
                   if line.points[n][1].value is None}
        if len(reasons) == len(lines) and len(set(reasons.values())) == 1:
            whole.setdefault(next(iter(reasons.values())), []).append(short_term(term))
        else:
            said += [f"{short_term(term)}, {label}: {why}." for label, why in reasons.items()]
    return " ".join([f"{_and(terms)}: {why}." for why, terms in whole.items()] + said)


def _and(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


# -- the team's page ---------------------------------------------------------------------------

QUESTION_LINES = 9
NEXT_STEP_ROWS = 6
LINE_HEIGHT = 9 * mm


def team_page() -> Story:
    """Ruled space to write on at the meeting."""
    lines = Table([[""]] * QUESTION_LINES, colWidths=[FRAME_WIDTH],
                  rowHeights=[LINE_HEIGHT] * QUESTION_LINES, hAlign="LEFT")
    lines.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), FONT, 8),
                               ("LINEBELOW", (0, 0), (-1, -1), 0.5, INK)]))
    steps = Table([[th("Next step"), th("Who"), th("By when")]]
                  + [["", "", ""]] * NEXT_STEP_ROWS,
                  colWidths=[FRAME_WIDTH - 70 * mm, 40 * mm, 30 * mm],
                  rowHeights=[None] + [LINE_HEIGHT * 1.3] * NEXT_STEP_ROWS, hAlign="LEFT")
    steps.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), FONT, 8),
                               ("LINEBELOW", (0, 0), (-1, -1), 0.5, INK),
                               ("LINEBEFORE", (1, 0), (-1, -1), 0.35, INK)]))
    return [PageBreak(),
            KeepTogether([Heading("Our questions", "questions"),
                          intro("What do these figures make us wonder? What would we want to "
                                "see for ourselves on a learning walk?"), lines]),
            KeepTogether([Heading("Next steps", "next"),
                          intro("What we will try, in our own lessons or as a team, and how "
                                "we will know it made a difference."), steps])]


def review_story(picture: SchoolPicture) -> Story:
    story = title_story(picture) + how_to_read(picture) + programme(picture)
    story += patterns(picture) + impact(picture)
    return paginate(story) + team_page()


def render(picture: SchoolPicture, out: Path | BinaryIO, page: PageSize | None = None) -> int:
    register_fonts()
    scope = fit(picture.scope.name, FRAME_WIDTH / 3, 7.5)
    return render_story(
        review_story(picture), out, title=f"PLC data review: {picture.scope.name}, "
        f"{picture.period.name}", header=f"PLC data review · {scope} · {picture.period.name}",
        footer="· Anonymised figures for the team's data review: no teacher, class or room "
               "is named.", subject=f"{picture.scope.name}, {span(picture.period)}", page=page)


def read_picture(source: Database | Session, period: Period, scope: Scope,
                 today: dt.date | None = None) -> SchoolPicture:
    with session_of(source) as session:
        return school_picture(session, period, scope, today=today)


def export_review(source: Database | Session, picture: SchoolPicture, path: Path | str, *,
                  page: PageSize | None = None) -> ReviewResult:
    """Write the review of `picture` (read from `source`) to the PDF file `path`."""
    target = Path(path).expanduser()
    refuse_own_file(database_of(source), target, "PDF")
    pages = write_atomically(target, lambda out: render(picture, out, page))
    log.info("exported the PLC data review (%d pages)", pages)
    return ReviewResult(target, pages)


