"""Scale: 100,000 observations and 2,000,000 notes. The teacher list, one teacher's growth view
queries and full-text searches must each stay under 100 ms, and the process under 300 MB.

The baseline, measured in the same run, is the cheapest possible query on the same database
(one indexed row by primary key), so the ratio shows how much work each real query adds.
"""

from __future__ import annotations

import resource
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import scale_data  # noqa: E402
from benchmarks.common import median_of, verdict  # noqa: E402

BUDGET_MS = 100.0
BUDGET_MB = 300.0


def main() -> int:
    folder = scale_data.ensure()
    from sqlalchemy import text

    from observe_app.services import growth, people, search
    from observe_app.storage.opening import open_database

    db = open_database(folder)
    with db.transaction() as s:
        counts = {t: s.scalar(text(f"SELECT count(*) FROM {t}"))
                  for t in ("people", "observations", "notes")}
        teacher = s.scalar(text("SELECT teacher_id FROM cycles LIMIT 1"))
    print("scale: " + ", ".join(f"{n:,} {t}" for t, n in counts.items()))

    def timed(fn):  # type: ignore[no-untyped-def]
        def run() -> None:
            with db.transaction() as s:
                fn(s)
        return median_of(run, repeat=5) * 1000

    baseline = timed(lambda s: s.execute(text("SELECT name FROM people WHERE id = :i"),
                                         {"i": teacher}).one())
    cases = {
        "teacher list": lambda s: people.list_people(s),
        "growth view (levels, tallies, scans)": lambda s: (
            growth.domain_levels(s, teacher), growth.tally_trend(s, teacher),
            growth.scan_trend(s, teacher)),
        "search 'explain'": lambda s: search.search(s, "explain"),
        "search 'wait time'": lambda s: search.search(s, "wait time"),
        "search 'ex' (2-letter prefix)": lambda s: search.search(s, "ex"),
        "search 'Mäkelä'": lambda s: search.search(s, "Mäkelä"),
    }
    print(f"  {'baseline: one row by key':<38} {baseline:8.2f} ms")
    worst = 0.0
    for name, fn in cases.items():
        ms = timed(fn)
        worst = max(worst, ms)
        print(f"  {name:<38} {ms:8.2f} ms  ({ms / baseline:7.0f}× baseline)  "
              f"{verdict(ms, BUDGET_MS)}")
    db.close()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  slowest {worst:.1f} ms (budget {BUDGET_MS:.0f} ms): {verdict(worst, BUDGET_MS)}")
    print(f"  peak memory {peak_mb:.0f} MB (budget {BUDGET_MB:.0f} MB): "
          f"{verdict(peak_mb, BUDGET_MB)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
