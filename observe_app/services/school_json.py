"""The school's picture as JSON and as lines of text, for `observe-app school report`: the
coordinator's own view, so coverage names people; the patterns and impact never do."""

from __future__ import annotations

from typing import Any

from observe_app.services.school import MINIMUM_TEACHERS, SchoolPicture
from observe_app.services.school_figures import Figure, Pattern
from observe_app.services.school_impact import Line
from observe_app.services.school_period import Period

PERCENT_KINDS = frozenset({"lookfor", "interval", "rubric", "participation"})


def period_json(period: Period) -> dict[str, str]:
    return {"name": period.name, "start": period.start.isoformat(),
            "end": period.end.isoformat(), "kind": period.kind}


def figure_json(figure: Figure) -> dict[str, Any]:
    return {"value": figure.value, "visits": figure.visits, "teachers": figure.teachers,
            "withheld": figure.withheld}


def pattern_json(p: Pattern) -> dict[str, Any]:
    return {"kind": p.kind, "protocol": p.protocol, "group": p.group, "label": p.label,
            "measure": p.measure, "now": figure_json(p.now), "before": figure_json(p.before),
            "change": p.change}


def line_json(line: Line) -> dict[str, Any]:
    return {"label": line.label, "points": [{"term": term.name, **figure_json(figure)}
                                            for term, figure in line.points]}


def picture_json(picture: SchoolPicture) -> dict[str, Any]:
    c = picture.coverage
    scope = picture.scope
    return {
        "period": period_json(picture.period),
        "before": period_json(picture.before),
        "scope": {"name": scope.name, "subject": scope.subject, "grade": scope.grade,
                  "teacher_ids": sorted(scope.teacher_ids)},
        "minimum_visits": picture.minimum_visits,
        "minimum_teachers": MINIMUM_TEACHERS,
        "coverage": {
            "as_of": c.as_of.isoformat(),
            "teachers": [{"id": t.person_id, "name": t.name, "subject": t.subject,
                          "observed": t.observed, "observing": t.observing}
                         for t in c.teachers],
            "never_observed": [t.name for t in c.never_observed],
            "never_observing": [t.name for t in c.never_observing],
            "pairs": [{"observer_id": p.observer_id, "teacher_id": p.teacher_id,
                       "visits": p.visits} for p in c.pairs],
            "stages": {stage.value: n for stage, n in c.stages},
            "overdue": [{"cycle_id": o.cycle_id, "teacher": o.teacher, "observer": o.observer,
                         "visited": o.visited.isoformat(), "days": o.days}
                        for o in c.overdue],
        },
        "patterns": [pattern_json(p) for p in picture.patterns],
        "impact": {
            "terms": [period_json(t) for t in picture.impact.terms],
            "goals_met": line_json(picture.impact.goals_met),
            "new_teachers": [line_json(line) for line in picture.impact.new_teachers],
            "school": [line_json(line) for line in picture.impact.school],
        },
    }


def is_share(kind: str, measure: str = "") -> bool:
    """Whether a kind's figures are shares (0..1): the built-in kinds are known; another
    kind's measure says so ("share of visits answered yes")."""
    return kind in PERCENT_KINDS or "share" in measure


def shown_value(kind: str, value: float, measure: str = "") -> str:
    """A figure as people read it: a share in per cent, seconds, or a mean count."""
    if is_share(kind, measure):
        return f"{value * 100:.0f}%"
    if kind == "timer":
        return f"{value:.1f} s"
    return f"{value:.1f}"


def shown_change(kind: str, change: float, measure: str = "") -> str:
    """Against the period before: percentage points for a share, else the unit's own."""
    if is_share(kind, measure):
        shown, unit = f"{change * 100:+.0f}", " pts"
    else:
        shown, unit = f"{change:+.1f}", " s" if kind == "timer" else ""
    return ("0" if shown.lstrip("+-").strip("0.") == "" else shown) + unit


def _figure_words(p: Pattern, figure: Figure) -> str:
    return shown_value(p.kind, figure.value, p.measure) if figure.value is not None \
        else figure.withheld


def picture_lines(picture: SchoolPicture) -> list[str]:
    """The picture in a few lines for a terminal: coverage by name, then the patterns."""
    c = picture.coverage
    lines = [f"{picture.period.name} ({picture.period.start} to {picture.period.end}), "
             f"{picture.scope.name}; compared with {picture.before.name}.",
             (f"Teachers whose lessons in grade {picture.scope.grade} were visited: "
              f"{len(c.teachers)}" if picture.scope.grade else
              f"Teachers: {len(c.teachers)}; observed: "
              f"{len(c.teachers) - len(c.never_observed)}")
             + f"; observing a colleague: {len(c.teachers) - len(c.never_observing)}.",
             "Cycles by stage: " + ", ".join(f"{stage.label.lower()} {n}"
                                              for stage, n in c.stages) + "."]
    if c.never_observed:
        lines.append("Not yet observed: " + ", ".join(t.name for t in c.never_observed) + ".")
    for o in c.overdue:
        lines.append(f"Post-conference overdue: {o.teacher} (observed by {o.observer or '—'}), "
                     f"{o.days} days since the visit.")
    lines.append("")
    lines.append(f"Patterns (figures from fewer than {picture.minimum_visits} visits or "
                 f"{MINIMUM_TEACHERS} teachers are withheld):")
    for p in picture.patterns:
        where = " · ".join(part for part in (p.protocol, p.group, p.label) if part)
        change = f", {shown_change(p.kind, p.change, p.measure)}" if p.change is not None \
            else ""
        lines.append(f"  {where}: {_figure_words(p, p.now)} (before: "
                     f"{_figure_words(p, p.before)}{change})")
    return lines
