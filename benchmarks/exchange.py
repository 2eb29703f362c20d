"""Exchange: send and receive a package of one teacher's year, 10,000 notes.

Measured in this process, median of several runs, interleaved with the baselines so that
all meet the same load:
- send (`services.exchange.send_teacher`), plain and sealed with a passphrase;
- open (read the file and check every row: `open_package`);
- receive into an empty data folder (a checked backup, the merge, the commit), and receive a
  second package of the same data into the folder that has it all (every row compared);
- baselines: a checked backup of the same database (`storage.backup.backup_to`: the other
  way a whole folder's data is copied); the floor of sending, every note read with plain
  sqlite3 and json; the floor of receiving, the package's rows inserted into an empty
  database with plain sqlite3 executemany, nothing checked or merged.
Then, each in a process of its own: `observe-app exchange export --teacher` and
`observe-app exchange import` against `observe-app backup --out`, wall time and peak memory.

    python benchmarks/exchange.py [--runs N]

Budgets (ratios against the floors, measured in the same run): sending 5x the read floor;
receiving, into an empty folder or into one that has it all, 10x the insert floor; the import
command under 200 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

if os.environ.get("PYTHONDONTWRITEBYTECODE"):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    os.execve(sys.executable, [sys.executable, *sys.argv], env)

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import machine, verdict  # noqa: E402
from benchmarks.exchange_data import build  # noqa: E402
from benchmarks.scale import _child  # noqa: E402
from observe_app.exchange.tables import SYNCED  # noqa: E402
from observe_app.services import exchange  # noqa: E402
from observe_app.storage import backup  # noqa: E402
from observe_app.storage.opening import open_database  # noqa: E402

SEND_BUDGET = 5.0
RECEIVE_BUDGET = 10.0
MEMORY_BUDGET_MB = 200.0
PASSPHRASE = "correct horse battery staple"


def _timed(fn: Callable[[], object]) -> float:
    began = time.perf_counter()
    fn()
    return time.perf_counter() - began


def _read_notes(db_path: Path) -> int:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT * FROM notes").fetchall()
        return len("".join(json.dumps(r, ensure_ascii=False) for r in rows))
    finally:
        conn.close()


def _insert_floor(package: Path, empty: Path, target: Path) -> float:
    """The package's rows, already read, inserted with plain sqlite3: what receiving costs
    with nothing checked, compared or merged."""
    by_table: dict[str, list[tuple[object, ...]]] = {}
    columns: dict[str, list[str]] = {}
    for row in exchange.open_package(package).rows:
        columns.setdefault(row.table, list(row.values))
        by_table.setdefault(row.table, []).append(tuple(row.values[c] for c in
                                                        columns[row.table]))
    shutil.copytree(empty, target)
    began = time.perf_counter()
    conn = sqlite3.connect(target / "observe.db")
    try:
        with conn:
            for table in SYNCED:
                if table in by_table:
                    names = columns[table]
                    conn.executemany(f"INSERT INTO {table} ({', '.join(names)}) VALUES "
                                     f"({', '.join('?' * len(names))})", by_table[table])
    finally:
        conn.close()
    took = time.perf_counter() - began
    shutil.rmtree(target)
    return took


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    work = Path(tempfile.mkdtemp(prefix="observe-exchange-bench-"))
    try:
        began = time.perf_counter()
        made = build(work / "sender")
        built = time.perf_counter() - began
        empty = work / "empty"
        open_database(empty).close()
        db_path = made.folder / "observe.db"
        db_size = db_path.stat().st_size
        times: dict[str, list[float]] = {k: [] for k in (
            "backup", "read notes", "insert floor", "send", "send sealed", "open", "receive",
            "receive again")}
        sizes: dict[str, int] = {}
        for run in range(runs):
            copy = work / f"backup-{run}.db"
            times["backup"].append(_timed(lambda: backup.backup_to(db_path, copy)))  # noqa: B023
            copy.unlink()
            times["read notes"].append(_timed(lambda: _read_notes(db_path)))
            with open_database(made.folder) as db:
                plain, sealed = work / f"plain-{run}.observe", work / f"sealed-{run}.observe"
                with db.transaction() as s:
                    began = time.perf_counter()
                    exchange.send_teacher(s, made.teacher_id, plain, sender="bench")
                    times["send"].append(time.perf_counter() - began)
                with db.transaction() as s:
                    began = time.perf_counter()
                    exchange.send_teacher(s, made.teacher_id, sealed, sender="bench",
                                          passphrase=PASSPHRASE)
                    times["send sealed"].append(time.perf_counter() - began)
            sizes = {"plain": plain.stat().st_size, "sealed": sealed.stat().st_size}
            opened_at = time.perf_counter()
            opened = exchange.open_package(plain)
            times["open"].append(time.perf_counter() - opened_at)
            times["insert floor"].append(_insert_floor(plain, empty, work / f"bare-{run}"))
            receiver = Path(shutil.copytree(empty, work / f"receiver-{run}"))
            with open_database(receiver) as db:
                began = time.perf_counter()
                with db.transaction() as s:
                    preview = exchange.receive_package(s, exchange.open_package(plain))
                times["receive"].append(time.perf_counter() - began)
                assert preview.counts["notes"].added == made.notes
                with open_database(made.folder) as sender, sender.transaction() as s:
                    exchange.send_teacher(s, made.teacher_id, work / "again.observe",
                                          sender="bench")
                began = time.perf_counter()
                with db.transaction() as s:
                    preview = exchange.receive_package(
                        s, exchange.open_package(work / "again.observe"))
                times["receive again"].append(time.perf_counter() - began)
                assert preview.nothing_to_do
            del opened
            shutil.rmtree(receiver)
            plain.unlink()
            sealed.unlink()

        # The commands, each in a process of its own: wall time and peak memory.
        package = work / "cli.observe"
        commands = {
            "backup --out": ["backup", "--out", str(work / "cli-backup.db")],
            "exchange export --teacher": ["exchange", "export", "--teacher", made.teacher_id,
                                          "--out", str(package)],
            "exchange import": ["exchange", "import", str(package)],
        }
        walls: dict[str, list[float]] = {k: [] for k in commands}
        peaks: dict[str, list[float]] = {k: [] for k in commands}
        for run in range(3):
            receiver = Path(shutil.copytree(empty, work / f"cli-receiver-{run}"))
            for name, args in commands.items():
                folder = receiver if name == "exchange import" else made.folder
                wall, peak, _ = _child(["-m", "observe_app", "--data-dir", str(folder), *args])
                walls[name].append(wall)
                peaks[name].append(peak)
            (work / "cli-backup.db").unlink()
            shutil.rmtree(receiver)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    med = {k: statistics.median(v) for k, v in times.items()}
    base = med["backup"]
    print(f"exchange: one teacher's year ({made.notes:,} notes, {len(made.cycle_ids)} cycles, "
          f"database {db_size / 1e6:.0f} MB; built in {built:.0f} s); median of {runs}")
    print(f"  package: {sizes['plain'] / 1e6:.2f} MB plain, {sizes['sealed'] / 1e6:.2f} MB "
          "sealed")
    print(f"  baseline: checked backup of the database   {base * 1000:7.0f} ms")
    print(f"  floor: read every note (sqlite3 + json)    {med['read notes'] * 1000:7.0f} ms")
    print(f"  floor: insert the rows (sqlite3, unchecked) {med['insert floor'] * 1000:6.0f} ms")
    for name, label, floor, budget in (
            ("send", "send (plain)", "read notes", SEND_BUDGET),
            ("send sealed", "send (sealed, scrypt + AES-GCM)", "read notes", None),
            ("open", "open and check every row", "read notes", None),
            ("receive", "receive into an empty folder", "insert floor", RECEIVE_BUDGET),
            ("receive again", "receive the same data again", "insert floor", RECEIVE_BUDGET)):
        ratio = med[name] / med[floor]
        line = (f"  {label:<42} {med[name] * 1000:7.0f} ms  {med[name] / base:5.1f}x backup "
                f"{ratio:5.1f}x {floor}")
        if budget is not None:
            line += f" (budget {budget:.0f}x): {verdict(ratio, budget)}"
        print(line)
    cli_base = statistics.median(walls["backup --out"])
    for name in commands:
        wall, peak = statistics.median(walls[name]), max(peaks[name])
        line = (f"  observe-app {name:<27} {wall * 1000:7.0f} ms  {peak:5.0f} MB  "
                f"({wall / cli_base:4.1f}x backup --out)")
        if name == "exchange import":
            line += f" (budget {MEMORY_BUDGET_MB:.0f} MB): {verdict(peak, MEMORY_BUDGET_MB)}"
        print(line)
    print(f"  machine: {machine()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
