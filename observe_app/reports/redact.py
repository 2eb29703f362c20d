"""A cycle's report with student names replaced: every free text the PDF prints, in one walk.

`redacted` and `report_texts` walk the same texts in the same order (roughly the PDF's), so a
preview lists exactly the labels the PDF will carry. Names of people (the teacher, the
observer) and the protocol's own words are not free text and stay as they are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace

from observe_app.reports.data import CycleReport, Visit
from observe_app.services.cycle_views import CycleSummary
from observe_app.services.goals import GoalView
from observe_app.services.redaction import Redactor

Change = Callable[[str], str]


def _summary(s: CycleSummary, change: Change) -> CycleSummary:
    return replace(s, focus=change(s.focus))


def _goal(g: GoalView, change: Change) -> GoalView:
    return replace(g, text=change(g.text),
                   history=tuple(replace(s, comment=change(s.comment)) for s in g.history))


def _visit(v: Visit, change: Change) -> Visit:
    results = replace(v.results, texts={k: change(t) for k, t in v.results.texts.items()})
    return replace(v, notes=tuple(replace(n, text=change(n.text)) for n in v.notes),
                   results=results,
                   seat_labels={item: {seat: change(text) for seat, text in labels.items()}
                                for item, labels in v.seat_labels.items()})


def _walk(report: CycleReport, change: Change) -> CycleReport:
    d = report.detail
    detail = replace(
        d, summary=_summary(d.summary, change),
        evidence_to_collect=change(d.evidence_to_collect),
        feedback=tuple(replace(f, text=change(f.text), owner=change(f.owner),
                               support=change(f.support),
                               success_measure=change(f.success_measure))
                       for f in d.feedback),
        post_conference_notes=change(d.post_conference_notes))
    goals = tuple(_goal(g, change) for g in report.goals)
    ratings = {k: replace(r, comment=change(r.comment)) for k, r in report.ratings.items()}
    visits = tuple(_visit(v, change) for v in report.visits)
    detail = replace(detail, reflection=change(d.reflection))
    growth = replace(report.growth,
                     cycles=tuple(_summary(c, change) for c in report.growth.cycles),
                     goals=tuple(_goal(g, change) for g in report.growth.goals))
    return replace(report, detail=detail, goals=goals, ratings=ratings, visits=visits,
                   growth=growth)


def redacted(report: CycleReport, redactor: Redactor | None) -> CycleReport:
    """The report with the redactor's names replaced in every free text (as it was without
    a redactor or with an empty list)."""
    if not redactor:
        return report
    return _walk(report, redactor.redact)


def report_texts(report: CycleReport) -> Iterator[str]:
    """Every free text of the report, in the order `redacted` replaces names in them."""
    texts: list[str] = []

    def keep(text: str) -> str:
        texts.append(text)
        return text

    _walk(report, keep)
    yield from texts
