"""Generate (once, then cached) a large school database: 100,000 observations, 2,000,000 notes,
and every kind of capture the School page pools (issue 18).

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
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import CACHE  # noqa: E402
from observe_app.services import protocols  # noqa: E402
from observe_app.storage.opening import open_database  # noqa: E402

VERSION = 5  # bump when the generated content or the schema changes
TEACHERS = 400
OBSERVATIONS = 100_000
NOTES_PER_OBSERVATION = 20
TAGGED_NOTES = 3  # of a visit's notes, tagged to one of its protocol's look-fors or rubric items
TIMER_RUNS = 5  # per timer per visit
CONTRIBUTIONS = 12  # per participation map per visit
CYCLES_PER_GOAL = 5  # a teacher's goal is set in one cycle and reviewed in the next four
WORDS = ("students explain their thinking teacher asks open question waits group work pairs talk "
         "learning intention board feedback checks understanding whiteboards cold call hands up "
         "transition routine worked example misconception number line evidence plenary exit "
         "question success criteria challenge task choose praise effort").split()
NAMES = ["Aino Mäkelä", "Nguyễn Thị Hương", "Дмитрий Соколов", "Ελένη Γεωργίου", "José Muñoz",
         "Ольга Петрова", "Trần Văn Minh", "Jürgen Weiß", "Zofia Wójcik", "Siobhán Ó Briain"]
SUBJECTS = ("Maths", "English", "Science", "History", "Geography", "Languages", "Art", "Music")
# Every capture kind the School page pools: ratings, tallies, timers, scans, look-fors (ticked
# and tagged evidence) and a participation map.
SLUGS = ("new-teacher-growth", "questioning-wait-time", "engagement-interval-scan",
         "peer-observation", "learning-walk", "questioning-wait-time-engagement",
         "participation-and-talk")
START = dt.datetime(2016, 9, 1, 9, 0)
HOURS_APART = 2  # 100,000 visits run from September 2016 into 2039: 4,380 a school year
GOAL_STATUSES = ("not_yet", "partly_met", "partly_met", "met", "not_yet")
PLANNED_EVERY = 50  # one cycle in 50 more is planned for a day and has no visit
CYCLE = ("INSERT INTO cycles (id, teacher_id, observer_id, protocol_version_id, stage, focus, "
         "evidence_to_collect, post_conference_notes, reflection, planned_date, "
         "pre_conference_at, observation_at, post_conference_at, closed_at, created_at) "
         "VALUES (?,?,?,?,?,?,'','','',?,?,?,?,?,?)")


def folder(observations: int = OBSERVATIONS) -> Path:
    return CACHE / f"school-{observations}-v{VERSION}"


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


class _Rows:
    """Rows waiting to be written, one list per INSERT, flushed in the order first added
    (a parent's rows before its children's)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.pending: dict[str, list[tuple[Any, ...]]] = {}

    def add(self, sql: str, row: tuple[Any, ...]) -> None:
        self.pending.setdefault(sql, []).append(row)

    def flush(self) -> None:
        for sql, rows in self.pending.items():
            self.conn.executemany(sql, rows)
        self.pending.clear()
        self.conn.commit()


def generate(target: Path, observations: int = OBSERVATIONS) -> None:
    from observe_app.domain.seats import seats_to_json
    from observe_app.services.participation import table_seats

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
    # A quarter are new teachers, their first Septembers spread over the years the visits cover,
    # so "teachers in their first two years" has members in every term.
    teachers = [(_uuid(rng), f"{rng.choice(NAMES)} {i}", f"t{i}@big.school", "teacher",
                 SUBJECTS[i % len(SUBJECTS)], "new" if i % 4 == 0 else "experienced",
                 f"{2015 + (i // 4) % 24}-09-01" if i % 4 == 0 else "2010-09-01", None, stamp)
                for i in range(TEACHERS)]
    conn.executemany("INSERT INTO people (id, name, email, role, subject, career_stage, "
                     "start_date, mentor_id, created_at) VALUES (?,?,?,?,?,?,?,?,?)", teachers)
    seats = json.dumps(seats_to_json(table_seats(7, 4)))
    goal_of: dict[str, str] = {}  # each teacher's goal under review
    rows = _Rows(conn)
    batch_notes = 0
    for n in range(observations):
        teacher_index = n % TEACHERS
        teacher = teachers[teacher_index][0]
        subject = teachers[teacher_index][4]
        observer = teachers[(n * 7 + 1) % TEACHERS][0]
        # Every teacher sees every protocol in turn, and any stretch of days holds them all.
        version = versions[SLUGS[(n + n // TEACHERS) % len(SLUGS)]]
        when = START + dt.timedelta(hours=HOURS_APART * n)
        w = when.strftime("%Y-%m-%d %H:%M:%S.000000")
        cycle_id, obs_id = _uuid(rng), _uuid(rng)
        # The newest few cycles are still open, as in a real school in term time.
        stage = "closed" if n < observations - 60 else ("observation", "post_conference")[n % 2]
        rows.add(CYCLE, (cycle_id, teacher, observer, version.id, stage, "Open questions",
                         when.date().isoformat(), w, w, w if stage != "observation" else None,
                         w if stage == "closed" else None, w))
        if n % PLANNED_EVERY == 0:  # planned a week ahead, not visited (yet, or ever)
            rows.add(CYCLE, (_uuid(rng), teachers[(n + 13) % TEACHERS][0], observer, version.id,
                             "pre_conference", "Open questions",
                             (when + dt.timedelta(days=7)).date().isoformat(), w, None, None,
                             None, w))
        rows.add("INSERT INTO observations (id, cycle_id, subject, grade, room, students, "
                 "started_at, ended_at, duration_ms) VALUES (?,?,?,?,?,?,?,?,?)",
                 (obs_id, cycle_id, subject, str(7 + n % 6), f"B{n % 30}", 25, w, w, 2_700_000))
        taggable = [i.id for i in version.items if i.kind in ("lookfor", "rubric")]
        tagged = set(rng.sample(range(NOTES_PER_OBSERVATION), TAGGED_NOTES)) if taggable else ()
        for k in range(NOTES_PER_OBSERVATION):
            text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 14)))
            note_id = _uuid(rng)
            rows.add("INSERT INTO notes (id, observation_id, wall_time, elapsed_ms, text, "
                     "created_at, updated_at) VALUES (?,?,?,?,?,?,?)",
                     (note_id, obs_id, w, k * 120_000, text, w, w))
            if k in tagged:
                rows.add("INSERT INTO note_tags (note_id, item_id) VALUES (?,?)",
                         (note_id, rng.choice(taggable)))
        batch_notes += NOTES_PER_OBSERVATION
        _captures(rows, rng, version, cycle_id, obs_id, w, seats)
        # Goals: set in one cycle, reviewed in the teacher's next cycles, then a new one.
        if (n // TEACHERS) % CYCLES_PER_GOAL == 0 or teacher not in goal_of:
            goal_of[teacher] = _uuid(rng)
            rows.add("INSERT INTO goals (id, teacher_id, text, status, set_in_cycle_id, "
                     "created_at, updated_at) VALUES (?,?,?,?,?,?,?)",
                     (goal_of[teacher], teacher, "More students explain their thinking",
                      GOAL_STATUSES[(n // TEACHERS + teacher_index) % len(GOAL_STATUSES)],
                      cycle_id, w, w))
            status = "open"
        else:
            status = GOAL_STATUSES[(n // TEACHERS + teacher_index) % len(GOAL_STATUSES)]
        rows.add("INSERT INTO goal_cycles (goal_id, cycle_id, status, comment) "
                 "VALUES (?,?,?,'')", (goal_of[teacher], cycle_id, status))
        if batch_notes >= 200_000:
            rows.flush()
            batch_notes = 0
            print(f"  {n + 1:,} observations written", file=sys.stderr)
    rows.flush()
    # What services.search.index_new_notes does after each save, here once for all notes.
    conn.execute("INSERT INTO notes_fts(rowid, text) SELECT rowid, text FROM notes "
                 "WHERE search_indexed = 0")
    conn.execute("UPDATE notes SET search_indexed = 1 WHERE search_indexed = 0")
    conn.commit()
    # No ANALYZE: the app never runs it, so its query plans are made without statistics.
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def _captures(rows: _Rows, rng: random.Random, version: Any, cycle_id: str, obs_id: str,
              w: str, seats: str) -> None:
    """What was captured in one visit, item by item of its protocol."""
    for item in version.items:
        if item.kind == "rubric":
            rows.add("INSERT INTO ratings (id, cycle_id, item_id, level, not_observed, "
                     "comment, updated_at) VALUES (?,?,?,?,0,'',?)",
                     (_uuid(rng), cycle_id, item.id, rng.randint(1, 4), w))
        elif item.kind == "tally":
            rows.add("INSERT INTO item_responses (id, observation_id, item_id, count, "
                     "updated_at) VALUES (?,?,?,?,?)",
                     (_uuid(rng), obs_id, item.id, rng.randint(0, 20), w))
        elif item.kind == "lookfor":
            rows.add("INSERT INTO item_responses (id, observation_id, item_id, checked, "
                     "updated_at) VALUES (?,?,?,?,?)",
                     (_uuid(rng), obs_id, item.id, rng.random() < 0.4, w))
        elif item.kind == "timer":
            for r in range(TIMER_RUNS):
                rows.add("INSERT INTO timer_runs (id, observation_id, item_id, started_ms, "
                         "duration_ms) VALUES (?,?,?,?,?)",
                         (_uuid(rng), obs_id, item.id, r * 300_000, rng.randint(500, 8_000)))
        elif item.kind == "interval":
            for i in range(20):
                rows.add("INSERT INTO interval_records (id, observation_id, item_id, "
                         "interval_index, codes, missed, recorded_at) VALUES (?,?,?,?,?,?,?)",
                         (_uuid(rng), obs_id, item.id, i,
                          "[]" if i % 10 == 9 else
                          json.dumps(rng.sample([c.key for c in item.codes], 2)),
                          i % 10 == 9, w))  # one scan in ten missed
        elif item.kind == "participation":
            rows.add("INSERT INTO visit_seatings (id, observation_id, item_id, seats, "
                     "updated_at) VALUES (?,?,?,?,?)", (_uuid(rng), obs_id, item.id, seats, w))
            for c in range(CONTRIBUTIONS):
                rows.add("INSERT INTO contributions (id, observation_id, item_id, seat, "
                         "talk_type, called_on, wall_time, elapsed_ms) VALUES (?,?,?,?,?,?,?,?)",
                         (_uuid(rng), obs_id, item.id, rng.randint(1, 28),
                          rng.choice(item.talk_types).key, c % 3 == 0, w, c * 200_000))


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
