"""The calibration PDF: how far the observers of one lesson agree, for the conversation they have
about it; or one observer's agreement with the others across their lessons (drift).

The figures carry the sentences the window and `observe-app calibration` print
(services.calibration_words); styles, fonts, page furniture and bookmarks are the feedback
summary's.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, SimpleDocTemplate, Spacer
from sqlalchemy.orm import Session

from observe_app import __version__
from observe_app.domain.enums import ItemKind
from observe_app.reports.blocks import (
    Heading,
    cell,
    clock,
    day,
    grid,
    intro,
    notice,
    paginate,
    para,
    short_day,
    subheading,
    th,
)
from observe_app.reports.calibration_blocks import (
    Shown,
    counts_table,
    figure_rows,
    interval_grid,
    lookfors_side_by_side,
    ratings_side_by_side,
    reading,
    scan_codes,
    share,
    targets_line,
)
from observe_app.reports.calibration_drift import observer_story
from observe_app.reports.data import local
from observe_app.reports.export import ExportResult, session_of, write_atomically
from observe_app.reports.options import PageSize, default_page_size
from observe_app.reports.styles import (
    FRAME_PADDING,
    FRAME_WIDTH,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    fit,
    margin_x,
    page_canvas,
    page_size,
    register_fonts,
)
from observe_app.services import agreement, calibration, calibration_words, co_observation
from observe_app.services import protocols as protocols_service
from observe_app.services.calibration import (
    GroupAgreement,
    LessonAgreement,
    ObserverAgreement,
    PairAgreement,
)
from observe_app.services.co_observation import LessonVisit
from observe_app.services.protocols import ProtocolVersionView
from observe_app.storage.engine import Database
from observe_app.storage.paths import database_of, refuse_own_file, safe_file_stem

log = logging.getLogger(__name__)

Story = list[Flowable]


@dataclass(frozen=True)
class LessonReport:
    """What the PDF of one co-observed lesson shows; read in a session, rendered outside it."""

    agreement: LessonAgreement
    protocol: ProtocolVersionView
    visits: tuple[LessonVisit, ...]  # each observer's handed-in visit, the cycle's observer first
    observer_id: str | None  # the cycle's observer (the others are co-observers)


def load_lesson(session: Session, cycle_id: str) -> LessonReport:
    """Refused (BadInputError) until every observer has handed in, as the figures are."""
    found = calibration.lesson_agreement(session, cycle_id)
    lesson = co_observation.lesson(session, cycle_id)
    first: dict[str | None, LessonVisit] = {}
    for v in lesson.visits:
        if v.handed_in_at is not None:
            first.setdefault(v.observer_id, v)
    order = [pid for pid, _name in lesson.observers]
    visits = tuple(sorted(first.values(), key=lambda v: order.index(v.observer_id)
                          if v.observer_id in order else len(order)))
    return LessonReport(found, protocols_service.get_version(
        session, found.cycle.protocol_version_id), visits, lesson.observers[0][0])


# --- one lesson ------------------------------------------------------------------------------

def lesson_story(report: LessonReport, tz: dt.tzinfo | None = None) -> Story:
    found = report.agreement
    s = found.cycle
    names = found.observers
    story: Story = [
        para(f"CALIBRATION · ONE LESSON, {len(names)} OBSERVERS", "kicker"),
        para("How the observers saw one lesson", "title"),
        para(f"{s.teacher_name} · {s.protocol_name} · {day(local(found.date, tz))}",
             "subtitle"),
        notice("For the observers' calibration conversation. These figures say how far their "
               "records of the same lesson agree, and where they saw it differently; they "
               "describe the records, not the teacher, and they are not a verdict on any "
               "observer."),
        Spacer(1, 4),
    ]
    story += _who_observed(report, tz)
    story += _at_a_glance(report)
    if found.group is not None:
        story += _group(report, found.group)
    if report.protocol.items_of(ItemKind.RUBRIC):
        story += _ratings(report)
    if report.protocol.items_of(ItemKind.LOOKFOR):
        story += _lookfors(report)
    for n, item in enumerate(report.protocol.items_of(ItemKind.INTERVAL)):
        story += _scan(report, item.id, item.label, n)
    if report.protocol.items_of(ItemKind.TALLY, ItemKind.TIMER):
        story += [Heading("Tallies and timers", "counts")]
        for p in found.pairs:
            if len(found.pairs) > 1:
                story.append(subheading(f"{p.a_name} and {p.b_name}"))
            story += counts_table(p.counts, p.a_name, p.b_name)
    story += reading(ratings=bool(report.protocol.items_of(ItemKind.RUBRIC)),
                      scans=bool(report.protocol.items_of(ItemKind.INTERVAL)))
    return paginate(story)


def _group(report: LessonReport, g: GroupAgreement) -> Story:
    """Three or more observers: the rubric's levels, and the scan codes, all at once."""
    shown, words = [], []
    if report.protocol.items_of(ItemKind.RUBRIC):
        shown += [Shown(g.fleiss), Shown(g.alpha_ordinal)]
        words.append("Fleiss' kappa and the ordinal alpha are on every rubric item's levels "
                     "from every observer at once.")
    if report.protocol.items_of(ItemKind.INTERVAL):
        shown.append(Shown(g.alpha_codes))
        words.append("The nominal alpha is on the scan codes, interval by interval.")
    if not shown:
        return []
    return [Heading(f"All {len(g.names)} observers together", "group"), intro(" ".join(words)),
            figure_rows(shown)]


def _who_observed(report: LessonReport, tz: dt.tzinfo | None) -> Story:
    rows: list[list[object]] = [[th("Observer"), th("Role"), th("Began recording"),
                                 th("Handed in")]]
    for v in report.visits:
        role = "Observer" if v.observer_id == report.observer_id else "Co-observer"
        began = local(v.started_at, tz)
        handed = local(v.handed_in_at, tz) if v.handed_in_at else None
        rows.append([cell(v.observer_name), cell(role), cell(f"{clock(began)}, {day(began)}"),
                     cell(f"{clock(handed)}, {day(handed)}" if handed else "—")])
    return [Heading("Who observed", "who"),
            intro("Each recorded the lesson on their own, and saw the others' records only "
                  "once all had handed theirs in."),
            grid(rows, [58 * mm, 28 * mm, 42 * mm, 42 * mm])]


def _at_a_glance(report: LessonReport) -> Story:
    """One row per pair of observers: the headline figures of each part of the protocol."""
    protocol = report.protocol
    columns: list[tuple[str, Callable[[PairAgreement], str]]] = []
    if protocol.items_of(ItemKind.RUBRIC):
        columns += [("Exact", lambda p: share(p.exact)),
                    ("Within one level", lambda p: share(p.within_one)),
                    ("Weighted kappa", lambda p: calibration_words.value(p.weighted_kappa))]
    if protocol.items_of(ItemKind.LOOKFOR):
        columns.append(("Look-fors", lambda p: share(p.seen_agreement)))
    if protocol.items_of(ItemKind.INTERVAL):
        columns.append(("Same codes per interval",
                        lambda p: "; ".join(share(s.overall) for s in p.scans) or "—"))
    if not columns:
        return []
    pairs_width = FRAME_WIDTH - 29 * mm * len(columns)
    rows: list[list[object]] = [[th("Observers")] + [th(c, right=True) for c, _f in columns]]
    for p in report.agreement.pairs:
        rows.append([cell(f"{p.a_name} and {p.b_name}")]
                    + [cell(show(p), "cell_right") for _c, show in columns])
    return [Heading("At a glance", "glance"), grid(rows, [pairs_width] + [29 * mm] * len(columns))]


def _pairs_in_turn(report: LessonReport) -> Iterator[tuple[PairAgreement, Story]]:
    """Each pair, with a subheading when the lesson had more than two observers."""
    many = len(report.agreement.pairs) > 1
    for p in report.agreement.pairs:
        yield p, ([subheading(f"{p.a_name} and {p.b_name}")] if many else [])


def _by_pair(report: LessonReport, heading: Heading,
             figures: Callable[[PairAgreement], list[Shown]]) -> Story:
    """The heading, then each pair's figures: a pair's stay on one page, and the heading
    stays with the first pair's."""
    story: Story = []
    lead: Story = [heading]
    for p, head in _pairs_in_turn(report):
        story.append(KeepTogether(lead + head + [figure_rows(figures(p))]))
        lead = []
    return story


def _ratings(report: LessonReport) -> Story:
    story = _by_pair(report, Heading("Ratings", "ratings"), lambda p: [
        Shown(p.exact, share=True),
        Shown(p.within_one, share=True, target=agreement.WITHIN_ONE_TARGET),
        Shown(p.weighted_kappa, target=agreement.WEIGHTED_KAPPA_TARGET)])
    story += [para(targets_line(), "muted"), subheading("Each observer's levels side by side")]
    story += ratings_side_by_side(report.agreement, report.protocol)
    return story


def _lookfors(report: LessonReport) -> Story:
    story = _by_pair(report, Heading("Look-fors", "lookfors"), lambda p: [
        Shown(p.seen_agreement, share=True), Shown(p.seen_kappa)])
    story.append(subheading("Seen or not, by each observer"))
    story += lookfors_side_by_side(report.agreement, report.protocol)
    return story


def _scan(report: LessonReport, item_id: str, label: str, n: int) -> Story:
    item = next(i for i in report.protocol.items if i.id == item_id)
    codes = [(c.key, c.label) for c in item.codes]
    story: Story = []
    lead: Story = [Heading(f"Interval scan: {label}", f"scan-{n}")]
    for p, head in _pairs_in_turn(report):
        scan = next(s for s in p.scans if s.item_id == item_id)
        story += [KeepTogether(lead + head + [figure_rows([Shown(scan.overall, share=True)])]),
                  subheading("Code by code"), *scan_codes(scan, p.a_name, p.b_name),
                  KeepTogether([
                      subheading("Interval by interval"),
                      intro(f"■ both ticked the code; A only {p.a_name}; B only {p.b_name}; "
                            "· one of them missed the interval."),
                      *interval_grid(scan, codes)])]
        lead = []
    return story


# --- files -----------------------------------------------------------------------------------

def render(story: Story, out: Path | BinaryIO, *, title: str, header: str, footer: str,
           subject: str, page: PageSize | None = None) -> int:
    """Write the story as a PDF with the summary's page furniture; returns the page count."""
    register_fonts()
    size = page_size(page or default_page_size())
    side = margin_x(size)
    doc = SimpleDocTemplate(
        str(out) if isinstance(out, Path) else out, pagesize=size,
        leftMargin=side - FRAME_PADDING, rightMargin=side - FRAME_PADDING,
        topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM, title=title, subject=subject,
        creator=f"Observe {__version__}", lang="en")
    doc.build(story, canvasmaker=page_canvas(header, footer))
    return doc.page


def render_lesson(report: LessonReport, out: Path | BinaryIO, tz: dt.tzinfo | None = None,
                  page: PageSize | None = None) -> int:
    register_fonts()  # fit() measures in the embedded font
    s = report.agreement.cycle
    when = local(report.agreement.date, tz)
    name = fit(s.teacher_name, FRAME_WIDTH / 2, 7.5)
    return render(lesson_story(report, tz), out,
                  title=f"Calibration: {s.teacher_name}, {s.protocol_name}, {day(when)}",
                  header=f"Calibration · {name} · {s.protocol_name} · {short_day(when)}",
                  footer=f"· Calibration of one lesson, for its {len(report.visits)} observers.",
                  subject=f"{s.protocol_name} (version {s.protocol_version})", page=page)


def render_observer(found: ObserverAgreement, out: Path | BinaryIO,
                    tz: dt.tzinfo | None = None, page: PageSize | None = None) -> int:
    register_fonts()
    name = fit(found.observer, FRAME_WIDTH / 2, 7.5)
    return render(observer_story(found, tz), out, title=f"Calibration: {found.observer}",
                  header=f"Calibration · {name}",
                  footer=f"· Calibration of {name}, for the observer and the colleagues "
                         "they observed with.",
                  subject="Agreement with other observers over time", page=page)


def _target(source: Database | Session, path: Path | str, stem: str, fallback: str) -> Path:
    target = Path(path).expanduser()
    if target.is_dir():
        target = target / f"{safe_file_stem(stem) or fallback}.pdf"
    refuse_own_file(database_of(source), target, "PDF")
    return target


def export_lesson(source: Database | Session, cycle_id: str, path: Path | str, *,
                  tz: dt.tzinfo | None = None, page: PageSize | None = None) -> ExportResult:
    """Write the calibration PDF of one co-observed lesson to `path` (a file, or a folder to
    name it in), read in a short transaction and rendered outside it."""
    with session_of(source) as session:
        report = load_lesson(session, cycle_id)
    s = report.agreement.cycle
    stem = (f"{local(report.agreement.date, tz):%Y-%m-%d} Calibration - {s.teacher_name} - "
            f"{s.protocol_name}")
    target = _target(source, path, stem, f"calibration-{cycle_id}")
    pages = write_atomically(target, lambda out: render_lesson(report, out, tz, page))
    log.info("exported the calibration of cycle %s (%d pages)", cycle_id, pages)
    return ExportResult(cycle_id, target, pages)


def export_observer(source: Database | Session, observer_id: str, path: Path | str, *,
                    tz: dt.tzinfo | None = None, page: PageSize | None = None) -> ExportResult:
    """Write one observer's calibration over time to `path` (a file, or a folder)."""
    with session_of(source) as session:
        found = calibration.observer_agreement(session, observer_id)
    target = _target(source, path, f"Calibration - {found.observer}",
                     f"calibration-{observer_id}")
    pages = write_atomically(target, lambda out: render_observer(found, out, tz, page))
    log.info("exported the calibration of observer %s (%d pages)", observer_id, pages)
    return ExportResult(observer_id, target, pages)

