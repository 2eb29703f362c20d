"""A data folder for sending: one teacher observed in 10 cycles with 10,000 notes in all.

Made through the services (the same rows, stamps and search index a year of real use leaves
behind), in one transaction: about 10 s. Used by benchmarks/exchange.py and by the test that
receives a 10,000-note package (tests/exchange/test_large_package.py).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

from observe_app.domain.enums import ItemKind
from observe_app.services import cycles, notes, observations, people, protocols
from observe_app.storage.opening import open_database

WORDS = ("students explain their thinking teacher asks open question waits group work pairs "
         "talk learning intention board feedback checks understanding whiteboards cold call "
         "hands up transition routine worked example misconception number line evidence "
         "plenary exit question success criteria challenge task choose praise effort").split()


@dataclass(frozen=True)
class Made:
    folder: Path
    teacher_id: str
    cycle_ids: list[str]
    notes: int


def build(folder: Path, *, notes_total: int = 10_000, cycle_count: int = 10,
          visits_per_cycle: int = 4, seed: int = 13) -> Made:
    rng = random.Random(seed)
    per_visit = notes_total // (cycle_count * visits_per_cycle)
    start = dt.datetime(2025, 9, 1, 8, 0, tzinfo=dt.UTC)
    made: list[str] = []
    with open_database(folder) as db, db.transaction() as s:
        protocols.install_builtins(s)
        summary = protocols.find_protocol(s, "peer-observation")
        version = protocols.get_version(s, summary.latest_version_id)
        tags = [i.id for i in version.items if i.kind == ItemKind.LOOKFOR] or \
            [i.id for i in version.items]
        teacher = people.add_person(s, "Ελένη Γεωργίου")
        observer = people.add_person(s, "Siobhán Ó Briain")
        count = 0
        for c in range(cycle_count):
            cycle = cycles.plan_cycle(s, teacher_id=teacher.id, observer_id=observer.id,
                                      protocol_version_id=version.id,
                                      focus=f"Students explaining their thinking, cycle {c + 1}")
            made.append(cycle.id)
            for v in range(visits_per_cycle):
                began = start + dt.timedelta(days=7 * (c * visits_per_cycle + v))
                visit = observations.start_observation(s, cycle.id, subject="Maths",
                                                       grade="7", now=began)
                for n in range(per_visit):
                    text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 18)))
                    elapsed = n * 15_000
                    notes.add_note(s, visit.id, f"{text} ({count})",
                                   wall_time=began + dt.timedelta(milliseconds=elapsed),
                                   elapsed_ms=elapsed,
                                   item_ids=[rng.choice(tags)] if n % 3 == 0 else ())
                    count += 1
                observations.end_observation(s, visit.id, per_visit * 15_000,
                                             began + dt.timedelta(milliseconds=per_visit * 15_000))
    return Made(folder, teacher.id, made, count)
