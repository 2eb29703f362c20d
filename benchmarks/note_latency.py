"""Enter → note durable on disk: the live view's path against a bare SQLAlchemy commit.

The app path is `backend.notes.add_note(...)` (its own transaction, synchronous=FULL, draft
cleared); the baseline inserts the same row with a bare Session and commits. Budget: p99 of the
app within 1.5 × the p99 of the bare commit.

    PYTHONPATH=. python benchmarks/note_latency.py [NOTES]
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

BUDGET = 1.5


def _p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98]


def main() -> int:
    from observe_app.domain.models import Note
    from observe_app.gui.backend import Backend
    from observe_app.storage.opening import open_database

    count = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(Path(folder))
        backend = Backend(db)
        backend.protocols.install_builtins()
        teacher = backend.people.add_person("Ana Lima")
        version = backend.protocols.find_protocol("peer-observation").latest_version_id
        cycle = backend.cycles.plan_cycle(teacher_id=teacher.id, protocol_version_id=version)
        obs = backend.observations.start_observation(cycle.id)
        now = dt.datetime.now(dt.UTC)
        bare, app = [], []
        for n in range(count):
            start = time.perf_counter()
            with db.session() as s:
                s.add(Note(observation_id=obs.id, wall_time=now, elapsed_ms=n,
                           text=f"bare note {n}"))
                s.commit()
            bare.append(time.perf_counter() - start)
            start = time.perf_counter()
            backend.notes.add_note(obs.id, f"app note {n}", wall_time=now, elapsed_ms=n)
            app.append(time.perf_counter() - start)
        db.close()
    b, a = _p99(bare), _p99(app)
    print(f"bare commit p99 {b * 1000:.2f} ms (median {statistics.median(bare) * 1000:.2f})")
    print(f"add_note    p99 {a * 1000:.2f} ms (median {statistics.median(app) * 1000:.2f})"
          f"  ({a / b:.2f}x, budget {BUDGET}x)")
    return 0 if a <= BUDGET * b else 1


if __name__ == "__main__":
    sys.exit(main())
