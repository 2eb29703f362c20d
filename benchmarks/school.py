"""The School page's queries at 100,000 observations (issue 18): programme coverage, the
visits the patterns read (once, into a temporary table), each capture kind's anonymised
patterns (against the period before), impact term by term and the scope choices, each under
200 ms, for the whole school over a school year, over a term, and one subject over a term (with
the rest of the school's reads its figures are set beside); and, for the record, all the
patterns together and the page's whole read (one worker call).

The baseline, measured in the same run, is the floor of any such query: reading the visits
of the same period and scope (what every reader starts from, as plain SQL on the same
session), so the ratio shows how much the figures add to finding the visits.
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import time
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import scale_data  # noqa: E402
from benchmarks.common import percentile, verdict  # noqa: E402

BUDGET_MS = 200.0
RUNS = 11  # the first is shown apart too: it also fills SQLite's page cache
SUBJECT = "Science"
# A school year that has one before it (patterns compare against it) and two years of terms
# (impact shows six); the summer term is the longest (April to August).
YEAR_DAY = dt.date(2026, 3, 1)
TERM_DAY = dt.date(2026, 5, 1)


def _cases() -> list[tuple[str, Any, Any]]:
    from observe_app.services.school_period import Scope, school_year_of, term_of

    year, term = school_year_of(YEAR_DAY), term_of(TERM_DAY)
    return [(f"whole school, {year.name}", year, Scope()),
            (f"whole school, {term.name}", term, Scope()),
            (f"{SUBJECT}, {term.name}", term, Scope(subject=SUBJECT))]


def _times(db: Any, fn: Callable[..., object],
           reading: Any = None) -> tuple[list[float], list[float]]:
    """Each run in a transaction of its own, as the page's worker thread reads: wall and CPU
    times (ms; on a shared machine the CPU time shows what waiting for a core added). With a
    `reading`, its visits are read first (untimed: they are a query of their own) and `fn`
    is a pattern reader."""
    walls, cpus = [], []
    for _ in range(RUNS):
        with db.transaction() as s, (reading.read_once(s) if reading else nullcontext()) as once:
            began, cpu = time.perf_counter(), time.process_time()
            fn(s, once) if reading else fn(s)
            walls.append((time.perf_counter() - began) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
    return walls, cpus


def _read_visits(reading: Any) -> Callable[[Any], object]:
    def read(s: Any) -> None:
        with reading.read_once(s):
            pass
    return read


def _floor(period: Any, scope: Any) -> Callable[[Any], object]:
    from sqlalchemy import text

    from observe_app.services.school_patterns import Reading

    reading = Reading(period, period, scope)
    sql = text(reading.visits_sql().replace(":from_", ":now_from") + "SELECT count(*) FROM v")
    return lambda s: s.execute(sql, reading.params()).scalar()


def main() -> int:
    folder = scale_data.ensure()
    from sqlalchemy import text

    from observe_app import kinds
    from observe_app.kinds.base import nothing
    from observe_app.services import school, school_choices
    from observe_app.services.school_figures import MINIMUM_VISITS
    from observe_app.services.school_impact import read_impact
    from observe_app.services.school_patterns import Reading
    from observe_app.storage.opening import open_database

    db = open_database(folder)
    with db.transaction() as s:
        counts = {t: s.scalar(text(f"SELECT count(*) FROM {t}")) for t in (
            "observations", "notes", "note_tags", "item_responses", "timer_runs",
            "interval_records", "ratings", "contributions", "goal_cycles")}
    print("school page: " + ", ".join(f"{n:,} {t}" for t, n in counts.items()))
    header = (f"  {'query':<22} {'first':>9} {'median':>9} {'p95':>9} {'CPU':>9}  "
              f"{'× floor':>7}  (budget {BUDGET_MS:.0f} ms, p95)")
    worst, first = 0.0, True
    for title, period, scope in _cases():
        today = period.end + dt.timedelta(days=1)
        with db.transaction() as s:
            visits = _floor(period, scope)(s)
            shown = sum(p.now.shown for p in school.patterns(s, period, scope))
        floor = statistics.median(_times(db, _floor(period, scope))[0])
        print(f"  {title}: {visits:,} visits and {period.previous().name}'s before it "
              f"({shown} patterns shown); floor, reading those visits: {floor:.1f} ms")
        print(header)
        # A scope's figures are set beside the rest of the school's: those reads too.
        scopes = [("", scope)] + ([] if scope.whole_school else [(" (rest)", scope.rest())])
        queries: dict[str, tuple[Callable[..., object], Any]] = {
            "coverage": (lambda s, p=period, c=scope, d=today:
                         school.coverage(s, p, c, today=d), None)}
        for suffix, which in scopes:
            reading = Reading(period, period.previous(), which)
            queries[f"visits{suffix}"] = (_read_visits(reading), None)
            queries.update({f"  {kind.name}{suffix}": (kind.school_patterns, reading)
                            for kind in kinds.all_kinds() if kind.school_patterns is not nothing})
        for suffix, which in scopes:
            queries[f"impact{suffix}"] = (
                lambda s, p=period, c=which: read_impact(s, p, c, MINIMUM_VISITS), None)
        if first:  # the same whatever the period
            queries["choices"] = (school_choices.scope_choices, None)
        for name, (fn, with_visits) in queries.items():
            walls, cpus = _times(db, fn, with_visits)
            median, p95 = statistics.median(walls), percentile(walls, 95)
            worst = max(worst, p95)
            print(f"  {name:<22} {walls[0]:6.1f} ms {median:6.1f} ms {p95:6.1f} ms "
                  f"{statistics.median(cpus):6.1f} ms  {median / floor:6.1f}×  "
                  f"{verdict(p95, BUDGET_MS)}")
        walls, cpus = _times(db, lambda s, p=period, c=scope: school.patterns(  # type: ignore[misc]
            s, p, c))
        print(f"  {'the patterns':<22} {walls[0]:6.1f} ms {statistics.median(walls):6.1f} ms "
              f"{percentile(walls, 95):6.1f} ms {statistics.median(cpus):6.1f} ms  "
              "(the visits and every reader, one call)")
        first = False
        # What the page reads on a worker when it opens or the period changes: all of it.
        walls, cpus = _times(db, lambda s, p=period, c=scope, d=today: (  # type: ignore[misc]
            school.school_picture(s, p, c, today=d), school_choices.scope_choices(s)))
        print(f"  {'the page':<22} {walls[0]:6.1f} ms {statistics.median(walls):6.1f} ms "
              f"{percentile(walls, 95):6.1f} ms {statistics.median(cpus):6.1f} ms  "
              "(school_picture + scope_choices, one read)")
    db.close()
    print(f"  slowest p95 {worst:.1f} ms (budget {BUDGET_MS:.0f} ms each): "
          f"{verdict(worst, BUDGET_MS)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
