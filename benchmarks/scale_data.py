"""Generate (once, then cached) a large school database: 100,000 observations, 2,000,000 notes.

Rows are written with plain executemany through the migrated schema (the same triggers keep the
search index), so the database is exactly what years of real use would leave behind.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sqlite3
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import CACHE  # noqa: E402
from observe_app.services import protocols  # noqa: E402
from observe_app.storage.opening import open_database  # noqa: E402

VERSION = 3  # bump when the generated content or the schema changes
TEACHERS = 400
OBSERVATIONS = 100_000
NOTES_PER_OBSERVATION = 20
WORDS = ("students explain their thinking teacher asks open question waits group work pairs talk "
         "learning intention board feedback checks understanding whiteboards cold call hands up "
         "transition routine worked example misconception number line evidence plenary exit "
         "question success criteria challenge task choose praise effort").split()
NAMES = ["Aino Mäkelä", "Nguyễn Thị Hương", "Дмитрий Соколов", "Ελένη Γεωργίου", "José Muñoz",
         "Ольга Петрова", "Trần Văn Minh", "Jürgen Weiß", "Zofia Wójcik", "Siobhán Ó Briain"]


def folder(observations: int = OBSERVATIONS) -> Path:
    return CACHE / f"school-{observations}-v{VERSION}"


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def generate(target: Path, observations: int = OBSERVATIONS) -> None:
    rng = random.Random(7)
    target.mkdir(parents=True, exist_ok=True)
    db = open_database(target)
    with db.transaction() as s:
        protocols.install_builtins(s)
        versions = {p.slug: protocols.get_version(s, p.latest_version_id)
                    for p in protocols.list_protocols(s)}
    db.close()
    conn = sqlite3.connect(target / "observe.db")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")  # a generator, not the app: speed over durability
    stamp = "2026-01-01 00:00:00.000000"
    teachers = [(_uuid(rng), f"{rng.choice(NAMES)} {i}", f"t{i}@big.school", "teacher", "Maths",
                 "new" if i % 4 == 0 else "experienced", "2025-09-01", None, stamp)
                for i in range(TEACHERS)]
    conn.executemany("INSERT INTO people VALUES (?,?,?,?,?,?,?,?,?)", teachers)
    slugs = ["new-teacher-growth", "questioning-wait-time", "engagement-interval-scan",
             "peer-observation"]
    start = dt.datetime(2016, 9, 1, 9, 0)
    batch_notes: list[tuple] = []
    for n in range(observations):
        teacher = teachers[n % TEACHERS][0]
        observer = teachers[(n * 7 + 1) % TEACHERS][0]
        version = versions[slugs[(n // TEACHERS) % len(slugs)]]  # every teacher sees all four
        when = start + dt.timedelta(hours=2 * n)
        w = when.strftime("%Y-%m-%d %H:%M:%S.000000")
        cycle_id, obs_id = _uuid(rng), _uuid(rng)
        # The newest few cycles are still open, as in a real school in term time.
        stage = "closed" if n < observations - 60 else ("observation", "post_conference")[n % 2]
        conn.execute("INSERT INTO cycles (id, teacher_id, observer_id, protocol_version_id, stage, "
                     "focus, evidence_to_collect, post_conference_notes, reflection, "
                     "pre_conference_at, observation_at, post_conference_at, closed_at, "
                     "created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                     (cycle_id, teacher, observer, version.id, stage, "Open questions", "",
                      "", "", w, w, w, w, w))
        conn.execute("INSERT INTO observations (id, cycle_id, subject, grade, room, students, "
                     "started_at, ended_at, duration_ms) VALUES (?,?,?,?,?,?,?,?,?)",
                     (obs_id, cycle_id, "Maths", "8", "B12", 25, w, w, 2_700_000))
        for k in range(NOTES_PER_OBSERVATION):
            text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 14)))
            batch_notes.append((_uuid(rng), obs_id, w, k * 120_000, text, w, w))
        for item in version.items:
            if item.kind == "rubric":
                conn.execute("INSERT INTO ratings (id, cycle_id, item_id, level, not_observed, "
                             "comment, updated_at) VALUES (?,?,?,?,0,'',?)",
                             (_uuid(rng), cycle_id, item.id, rng.randint(1, 4), w))
            elif item.kind == "tally":
                conn.execute("INSERT INTO item_responses (id, observation_id, item_id, count, "
                             "updated_at) VALUES (?,?,?,?,?)",
                             (_uuid(rng), obs_id, item.id, rng.randint(0, 20), w))
            elif item.kind == "interval":
                conn.executemany(
                    "INSERT INTO interval_records (id, observation_id, item_id, interval_index, "
                    "codes, missed, recorded_at) VALUES (?,?,?,?,?,0,?)",
                    [(_uuid(rng), obs_id, item.id, i,
                      json.dumps(rng.sample([c.key for c in item.codes], 2)), w)
                     for i in range(20)])
        if len(batch_notes) >= 200_000:
            conn.executemany("INSERT INTO notes (id, observation_id, wall_time, elapsed_ms, text, "
                             "created_at, updated_at) VALUES (?,?,?,?,?,?,?)", batch_notes)
            conn.commit()
            batch_notes.clear()
            print(f"  {n + 1:,} observations written", file=sys.stderr)
    conn.executemany("INSERT INTO notes (id, observation_id, wall_time, elapsed_ms, text, "
                     "created_at, updated_at) VALUES (?,?,?,?,?,?,?)", batch_notes)
    conn.commit()
    # What services.search.index_new_notes does after each save, here once for all notes.
    conn.execute("INSERT INTO notes_fts(rowid, text) SELECT rowid, text FROM notes "
                 "WHERE search_indexed = 0")
    conn.execute("UPDATE notes SET search_indexed = 1 WHERE search_indexed = 0")
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("ANALYZE")
    conn.close()


def ensure(observations: int = OBSERVATIONS) -> Path:
    """The cached database, generated on first use (a few minutes for the largest)."""
    target = folder(observations)
    done = target / "complete"
    if not done.exists():
        import shutil

        shutil.rmtree(target, ignore_errors=True)
        began = time.perf_counter()
        print(f"generating {observations:,} observations and "
              f"{observations * NOTES_PER_OBSERVATION:,} notes in {target} ...", file=sys.stderr)
        generate(target, observations)
        done.write_text(f"{time.perf_counter() - began:.0f} s\n")
    return target


if __name__ == "__main__":
    print(ensure())
