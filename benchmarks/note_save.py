"""Enter → note durable on disk, through the live view's path, against a bare SQLAlchemy commit.

The app path is the live view's `backend.impatient().notes.add_note(...)`: its own
transaction with a 10 ms lock wait (restored after), tag checked, draft cleared, search index
updated by trigger, commit, and the `changed` announcement.

Both write the same row into a database with the same pragmas (WAL, synchronous=FULL), one
commit per note, interleaved so both see the same disk and noise. Budget: p99 within 1.5×.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert  # noqa: E402

from benchmarks.common import percentile, verdict  # noqa: E402
from observe_app.domain.models import Base, Note  # noqa: E402
from observe_app.domain.types import new_id  # noqa: E402
from observe_app.gui.backend import Backend  # noqa: E402  (the window's data facade)
from observe_app.services import cycles, observations, people, protocols  # noqa: E402
from observe_app.storage.engine import make_engine  # noqa: E402
from observe_app.storage.opening import open_database  # noqa: E402

NOTES = 2000
BUDGET = 1.5
TEXT = "T asks 'How do you know?' and waits; three students answer, one explains her method"


def main() -> int:
    folder = Path(tempfile.mkdtemp(prefix="observe-bench-"))
    db = open_database(folder / "app")
    with db.transaction() as s:
        protocols.install_builtins(s)
        teacher = people.add_person(s, "Aino Mäkelä")
        version = protocols.find_protocol(s, "peer-observation").latest_version_id
        cycle = cycles.plan_cycle(s, teacher_id=teacher.id, protocol_version_id=version)
        visit = observations.start_observation(s, cycle.id)
        tag = protocols.get_version(s, version).items[0].id

    bare = make_engine(folder / "bare.db")
    Base.metadata.create_all(bare)
    with bare.begin() as conn:  # the parent row the bare note points at
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
    start = dt.datetime.now(dt.UTC)
    backend = Backend(db).impatient()  # as the live view saves
    real_ms: list[float] = []
    bare_ms: list[float] = []
    for i in range(NOTES):
        began = start + dt.timedelta(seconds=i)
        t0 = time.perf_counter()
        backend.notes.add_note(visit.id, TEXT, wall_time=began, elapsed_ms=i * 1000,
                               item_ids=[tag])
        real_ms.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        with bare.begin() as conn:
            conn.execute(insert(Note).values(id=new_id(), observation_id=visit.id,
                                             wall_time=began, elapsed_ms=i * 1000, text=TEXT,
                                             created_at=began, updated_at=began))
        bare_ms.append((time.perf_counter() - t0) * 1000)
    db.close()
    bare.dispose()

    print(f"note save, {NOTES} notes, one durable commit each (WAL, synchronous=FULL)")
    for name, values in (("Observe (window path)", real_ms), ("bare SQLAlchemy commit", bare_ms)):
        print(f"  {name:<24} p50 {percentile(values, 50):6.2f} ms   "
              f"p99 {percentile(values, 99):6.2f} ms")
    ratio = percentile(real_ms, 99) / percentile(bare_ms, 99)
    print(f"  p99 ratio {ratio:.2f}× (budget {BUDGET}×): {verdict(ratio, BUDGET)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
