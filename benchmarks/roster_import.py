"""Staff roster import of 10,000, 40,000 and 80,000 people: seconds per 10,000 rows.

The app path is what `observe-app people import FILE` runs: `read_roster` and `parse_roster`
check the whole file before the database is opened, then `store_roster` adds everyone in one
transaction (the only time the write lock is held). The database starts as a real one: the
built-in protocols and 400 people, 200 of whom the roster updates.

Baselines measured in the same run, interleaved:
- linearity: seconds per 10,000 rows at 80,000 against the same at 10,000 (budget 1.5×; the
  old row-by-row import was quadratic: 2.6 s for 5,000 rows, 354 s for 80,000);
- the floor: `csv.reader` over the same file and one `sqlite3` executemany of the same rows into
  the same table (WAL, synchronous=FULL), no checks at all (budget 5×).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import shutil
import sqlite3
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import verdict  # noqa: E402
from observe_app.services import people, protocols  # noqa: E402
from observe_app.storage.opening import open_database  # noqa: E402

SIZES = (10_000, 40_000, 80_000)
REPEAT = 3
LINEAR_BUDGET = 1.5
FLOOR_BUDGET = 5.0
KNOWN = 400
FIRST = ["Aino", "Νίκος", "Hương", "Дмитрий", "Zoë", "José", "Siobhán", "Ana", "Ben", "Yuki"]
LAST = ["Mäkelä", "Παππάς", "Nguyễn", "Соколов", "Lima", "García", "Okafor", "Sato", "Ito"]
SUBJECTS = ["Maths", "Science", "English", "PE", "Art", "Music", ""]


def roster(rows: int) -> str:
    """A realistic roster: names in several scripts, unique emails, some start dates."""
    rng = random.Random(rows)
    lines = ["name,email,role,subject,start_date"]
    for n in range(rows):
        start = f"20{rng.randint(0, 25):02d}-09-01" if rng.random() < 0.7 else ""
        lines.append(f"{rng.choice(FIRST)} {rng.choice(LAST)},t{n}@school.example,"
                     f"{rng.choice(('teacher', 'teacher', 'mentor', 'coach'))},"
                     f"{rng.choice(SUBJECTS)},{start}")
    return "\n".join(lines) + "\n"


def template(folder: Path) -> Path:
    """A data folder with the built-ins and 400 people (the first 200 emails of the roster)."""
    with open_database(folder) as db, db.transaction() as s:
        protocols.install_builtins(s)
        for n in range(KNOWN):
            email = f"t{n}@school.example" if n < KNOWN // 2 else f"other{n}@school.example"
            people.add_person(s, f"Known {n}", email=email)
    return folder


def observe(path: Path, folder: Path) -> tuple[float, float, int]:
    """Seconds for the whole import and for the part that holds the write lock; rows stored."""
    started = time.perf_counter()
    rows = people.parse_roster(people.read_roster(path), source=path.name,
                               today=dt.date(2026, 11, 24))
    with open_database(folder) as db:
        locked = time.perf_counter()
        with db.transaction() as s:
            added = people.store_roster(s, rows)
        done = time.perf_counter()
    return done - started, done - locked, len(added)


def bare(path: Path, folder: Path) -> float:
    """The floor: read the CSV and insert the same rows in one executemany, nothing checked."""
    started = time.perf_counter()
    text = path.read_bytes().decode("utf-8-sig")
    records = list(csv.reader(io.StringIO(text, newline="")))[1:]
    conn = sqlite3.connect(folder / "bare.db")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE IF NOT EXISTS people (id TEXT PRIMARY KEY, name TEXT, "
                 "email TEXT UNIQUE, role TEXT, subject TEXT, start_date TEXT)")
    with conn:
        conn.executemany("INSERT INTO people VALUES (?, ?, ?, ?, ?, ?)",
                         ([str(uuid.uuid4()), *r] for r in records))
    conn.close()
    return time.perf_counter() - started


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="observe-roster-bench-"))
    try:
        base = template(work / "template")
        results: dict[int, dict[str, float]] = {}
        for size in SIZES:
            path = work / f"staff-{size}.csv"
            path.write_text(roster(size), encoding="utf-8")
            best = {"observe": float("inf"), "locked": float("inf"), "bare": float("inf"),
                    "again": float("inf")}
            for run in range(REPEAT):
                folder = Path(shutil.copytree(base, work / f"run-{size}-{run}"))
                total, locked, stored = observe(path, folder)
                assert stored == size
                again, _locked, _stored = observe(path, folder)  # everyone known: updates
                best["observe"] = min(best["observe"], total)
                best["locked"] = min(best["locked"], locked)
                best["again"] = min(best["again"], again)
                best["bare"] = min(best["bare"], bare(path, folder))
                shutil.rmtree(folder)
            results[size] = {k: v / size * 10_000 for k, v in best.items()}
            results[size]["bytes"] = path.stat().st_size
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"roster import (people import), best of {REPEAT}; seconds per 10,000 rows")
    print(f"  {'rows':>7} {'file':>8}  {'Observe':>8} {'lock held':>9} {'again':>8} "
          f"{'bare':>8}  {'vs bare':>7}")
    for size, r in results.items():
        print(f"  {size:>7,} {r['bytes'] / 1e6:>6.1f}MB  {r['observe']:>7.3f}s "
              f"{r['locked']:>8.3f}s {r['again']:>7.3f}s {r['bare']:>7.3f}s  "
              f"{r['observe'] / r['bare']:>6.2f}×")
    first, last = results[SIZES[0]], results[SIZES[-1]]
    linear = last["observe"] / first["observe"]
    floor = last["observe"] / last["bare"]
    print(f"  linearity: per 10,000 rows at {SIZES[-1]:,} vs at {SIZES[0]:,}: {linear:.2f}× "
          f"(budget {LINEAR_BUDGET}×): {verdict(linear, LINEAR_BUDGET)}")
    print(f"  {SIZES[-1]:,} rows against the bare csv + sqlite3 floor: {floor:.2f}× "
          f"(budget {FLOOR_BUDGET}×): {verdict(floor, FLOOR_BUDGET)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
