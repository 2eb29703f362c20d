"""Impact over time, term by term: the share of goals met, and the mean rubric level per
domain for teachers in their first two years and for the whole school — anonymised by the same
rules as the patterns (services/school_figures.py)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from observe_app.services.school_figures import (
    MINIMUM_TEACHERS,
    MINIMUM_VISITS,
    Figure,
    beside_the_rest,
    figure,
)
from observe_app.services.school_period import Period, Scope, scope_params, scope_sql, terms_up_to

TERMS_SHOWN = 6  # two school years: this year against last
NEW_TEACHER_DAYS = 730  # "in their first two years": started fewer than this many days before


@dataclass(frozen=True)
class Line:
    """One series over the terms: a figure per term, withheld where too little stands behind."""

    label: str
    points: tuple[tuple[Period, Figure], ...]
    key: str = ""  # the same line in another read: "goals", or a domain's protocol and section


@dataclass(frozen=True)
class Impact:
    terms: tuple[Period, ...]
    goals_met: Line  # the share of goals reviewed in a term that were met
    new_teachers: tuple[Line, ...]  # mean level per domain, teachers in their first two years
    school: tuple[Line, ...]  # mean level per domain, everyone


def _term_case(terms: list[Period], column: str) -> tuple[str, dict[str, str]]:
    """SQL giving the index of the term a time falls in (`column`), and its parameters."""
    params: dict[str, str] = {}
    whens = []
    for n, term in enumerate(terms):
        params[f"t{n}"], params[f"u{n}"] = term.bounds()
        whens.append(f"WHEN {column} >= :t{n} AND {column} < :u{n} THEN {n}")
    return f"CASE {' '.join(whens)} END", params


def impact(session: Session, period: Period, scope: Scope, *,
           minimum: int = MINIMUM_VISITS) -> Impact:
    """The terms up to the period's; a scope's points beside the rest of the school's
    (`beside_the_rest`)."""
    found = read_impact(session, period, scope, minimum)
    if scope.whole_school:
        return found
    rest = read_impact(session, period, scope.rest(), minimum)
    return Impact(found.terms, _beside(found.goals_met, (rest.goals_met,)),
                  tuple(_beside(line, rest.new_teachers) for line in found.new_teachers),
                  tuple(_beside(line, rest.school) for line in found.school))


def _beside(line: Line, rest: Sequence[Line]) -> Line:
    other = next((r for r in rest if r.key == line.key), None)
    if other is None:
        return line
    return Line(line.label, tuple((term, beside_the_rest(point, other_point)) for (
        term, point), (_term, other_point) in zip(line.points, other.points, strict=True)),
        line.key)


def read_impact(session: Session, period: Period, scope: Scope, minimum: int) -> Impact:
    """The scope's own impact, in one read (what `impact` sets beside the rest's)."""
    terms = terms_up_to(period, TERMS_SHOWN)
    term_of, params = _term_case(terms, "o.started_at")
    params.update(scope_params(scope))
    params["from_"], params["to_"] = terms[0].bounds()[0], terms[-1].bounds()[1]
    starts = " ".join(f"WHEN {n} THEN '{term.start.isoformat()}'" for n, term in enumerate(terms))
    new_then = ("CASE WHEN k.started IS NULL THEN lower(k.stage) IN ('new', 'early') "
                f"ELSE julianday(CASE k.term {starts} END) - julianday(k.started) "
                f"< {NEW_TEACHER_DAYS} END")
    new = f"CASE WHEN ({new_then}) THEN"
    # The cycles are found once (`k`, used twice: SQLite materialises it) for the goals and
    # the ratings. The term of a cycle: the term of its last visit the teacher's record shows.
    # Everyone's and the new teachers' means come from one read of the ratings: a new
    # teacher's rating counts in both.
    rows = session.execute(text(
        f"WITH k AS (SELECT c.id AS cid, c.teacher_id AS tid, max({term_of}) "
        "AS term, max(t.start_date) AS started, max(t.career_stage) AS stage "
        "FROM observations o JOIN cycles c ON c.id = o.cycle_id "
        "JOIN people t ON t.id = c.teacher_id WHERE o.started_at >= :from_ "
        f"AND o.started_at < :to_ AND {scope_sql(scope)} GROUP BY c.id) "
        "SELECT 'goals', k.term, NULL, count(DISTINCT g.goal_id), count(DISTINCT k.tid), "
        "count(DISTINCT CASE WHEN g.status = 'met' THEN g.goal_id END), NULL, NULL, NULL "
        # Reviewed: judged in the cycle (a goal carried into a learning walk is not).
        "FROM k CROSS JOIN goal_cycles g ON g.cycle_id = k.cid AND g.status != 'open' "
        "GROUP BY k.term "
        # A domain is a protocol's section: another protocol's "Instruction" has its own
        # levels, and its own line.
        "UNION ALL SELECT 'ratings', k.term, p.name || char(31) || i.section, avg(r.level), "
        "count(DISTINCT k.cid), "
        f"count(DISTINCT k.tid), avg({new} r.level END), count(DISTINCT {new} k.cid END), "
        f"count(DISTINCT {new} k.tid END) FROM k "
        "CROSS JOIN ratings r ON r.cycle_id = k.cid "  # the period's cycles' ratings, not all
        "JOIN protocol_items i ON i.id = r.item_id AND i.kind = 'rubric' "
        "JOIN protocol_versions pv ON pv.id = i.version_id "
        "JOIN protocols p ON p.id = pv.protocol_id "
        "WHERE r.level IS NOT NULL GROUP BY k.term, p.name, i.section"), params).all()
    met = {term: (n, teachers, hits) for part, term, _s, n, teachers, hits, *_ in rows
           if part == "goals"}
    goals_line = Line("Goals met", key="goals", points=tuple(
        (term, figure(met[n][2] / met[n][0], met[n][0], met[n][1], minimum, "goal")
         if n in met else figure(None, 0, 0, minimum, "goal"))
        for n, term in enumerate(terms)))
    ratings = [row[1:] for row in rows if row[0] == "ratings"]
    everyone = [(term, section, mean, cycles, teachers)
                for term, section, mean, cycles, teachers, *_new in ratings]
    new_teachers = [(term, section, mean, cycles, teachers)
                    for term, section, _m, _c, _t, mean, cycles, teachers in ratings if cycles]
    # The two lines side by side give the other teachers' mean by subtraction: where they
    # are too few to be shown on their own, the new teachers' point is withheld.
    others = {(term, section): _others_too_few(all_c - new_c, all_t - new_t, minimum)
              for term, section, _m, all_c, all_t, _n, new_c, new_t in ratings if new_c}
    return Impact(tuple(terms), goals_line,
                  _domain_lines(terms, new_teachers, minimum, others),
                  _domain_lines(terms, everyone, minimum))


def _others_too_few(cycles: int, teachers: int, minimum: int) -> str:
    if cycles and (cycles < minimum or teachers < MINIMUM_TEACHERS):
        return ("withheld: beside the figure for everyone it would show the other "
                f"{teachers} teacher{'s' if teachers != 1 else ''}' mean"
                if teachers != 1 else "withheld: beside the figure for everyone it would show "
                "the one other teacher's mean")
    return ""


def _domain_lines(terms: list[Period], rows: Sequence[Any], minimum: int,
                  hidden: dict[tuple[int, str], str] | None = None) -> tuple[Line, ...]:
    """Per domain, the mean level per term, from how many cycles and teachers (a point with
    a reason in `hidden` withheld for it)."""
    found: dict[str, dict[int, tuple[float, int, int]]] = defaultdict(dict)
    for term, section, mean, cycles, teachers in rows:
        found[section][term] = (float(mean), cycles, teachers)
    return tuple(Line(_domain_name(section, found), tuple(
        (term, _mean(found[section].get(n), minimum, (hidden or {}).get((n, section), "")))
        for n, term in enumerate(terms)), section) for section in sorted(found))


def _domain_name(key: str, every: Iterable[str]) -> str:
    """A domain by its section's title, with its protocol's name where two protocols have a
    section of that title."""
    protocol, _, section = key.partition("\x1f")
    same = sum(1 for other in every if other.partition("\x1f")[2] == section)
    return section if same == 1 else f"{section} ({protocol})"


def _mean(found: tuple[float, int, int] | None, minimum: int, hidden: str = "") -> Figure:
    mean, cycles, teachers = found or (None, 0, 0)
    shown = figure(mean, cycles, teachers, minimum, "cycle")
    return Figure(None, cycles, teachers, hidden) if hidden and shown.shown else shown
