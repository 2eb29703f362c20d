"""Storage torture: SIGKILL a first `observe-app demo`, or an upgrade from the oldest schema,
hundreds of times; every folder must then open at the old schema or the new, never between.

Each kill: a child forked from this process (which has imported everything already) runs the
real command, `observe_app.cli.main(["--data-dir", FOLDER, "demo"])` on an empty folder, or
`... "check"` on a copy of a folder holding the demo school at schema 0001 (upgraded on
opening). It is killed at a seeded random moment between 0 and 110 % of the operation's
measured length, so kills land before the migration, during it, during its commit, in the
demo and after the end. The child only tells the parent (one byte down a pipe) when the
migration began and when it and the demo committed; it runs the code unchanged.

After each kill the folder is checked as the next start finds it:

- its schema (sqlite_master: type, name, sql) is exactly the old one or the new one, and the
  old one if the child was killed before the migration's commit began (or SQLite's rollback
  journal holds a write cut short, which only the next start, a writer, may undo);
- `open_database` opens it (creating or upgrading as needed), `PRAGMA integrity_check` is ok,
  the schema is the newest, and no row is lost (upgrade: every table's count as before;
  first demo: the whole demo or nothing of it);
- a few folders are first opened by a real `observe-app check` subprocess instead.

Usage:  python tools/torture_storage.py --mode first-demo|upgrade --kills 200 [--seed N]
                                       [--first I] [--folder DIR] [--sample 3]
Kill i of a seed is the same whatever else runs: `--seed S --first I --kills 1` repeats it.
Exit status 0 when every folder opened and checked, 1 otherwise.
"""

from __future__ import annotations

import argparse
import os
import random
import select
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from alembic import command  # noqa: E402
from sqlalchemy import event  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402

from observe_app import cli  # noqa: E402
from observe_app.errors import ObserveError  # noqa: E402
from observe_app.services import demo  # noqa: E402
from observe_app.storage import backup, migrate  # noqa: E402
from observe_app.storage.engine import Database  # noqa: E402
from observe_app.storage.opening import open_database  # noqa: E402
from observe_app.storage.paths import database_path  # noqa: E402

MODES = ("first-demo", "upgrade")
FAULTS = ("none", "legacy-transactions")
OLDEST = "0001"
COUNTED = ("people", "protocols", "protocol_items", "cycles", "observations", "notes",
           "note_tags", "ratings", "rating_evidence", "feedback_items", "goals", "pauses")
# Every n-th kill is drawn over the whole operation, the others over the start and the
# migration (0-110 % of the time the migration took to commit). The first demo spends ~95 % of
# its time building the school in one ordinary transaction: drawn over it all, few kills would
# reach the schema, and each would cost seconds. Fixed by index, so a shard's length is known.
WHOLE_EVERY = {"first-demo": 40, "upgrade": 2}
# Every third kill waits for the child's own word that the migration began, then comes within
# 0-110 % of the migration's measured length: on a loaded machine the start-up takes longer
# than it did when measured, and kills timed from the fork alone can all miss the migration.
IN_MIGRATION_EVERY = 3
# What the child tells the parent, one byte each: the migration began, it commits, the demo
# (any other transaction that wrote) commits.
MIGRATING, MIGRATED, DEMO_COMMITS = b"M", b"m", b"d"
PHASES = {"": "starting up", "M": "migrating", "Mm": "migration committing or done",
          "Mmd": "demo committing or done"}

Master = list[tuple[str, str, str, str]]


@dataclass
class Plan:
    """What one kill is measured against: the operation's timing and the two schemas."""

    mode: str
    template: Path | None  # upgrade: a folder at 0001 holding the demo school
    migrated_s: float  # fork to the migration's commit
    migrating_s: float  # the migration's own length: its BEGIN to its commit
    total_s: float  # fork to the child's exit
    old_master: Master
    new_master: Master
    counts: dict[str, int]  # upgrade: before; first demo: the finished demo
    finished: Path  # the folder the measured run left (first demo: the demo school at head)


@dataclass
class Figures:
    mode: str
    seed: int
    first: int
    kills: int = 0
    finished_first: int = 0  # the operation ended before the kill came
    phases: Counter[str] = field(default_factory=Counter)
    found: Counter[str] = field(default_factory=Counter)
    sampled: int = 0
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def sound(self) -> bool:
        return not self.failures


# --- the child ------------------------------------------------------------------------------

def _tell_phases(fd: int) -> None:
    """Write a byte when the migration begins and when a transaction that wrote commits."""

    told = False

    def before_execute(conn, cursor, statement, *args) -> None:  # type: ignore[no-untyped-def]
        # The migration's own BEGIN, or (the legacy fault sends none) its first DDL statement.
        nonlocal told
        if not told and (statement == "BEGIN IMMEDIATE" or
                         statement.lstrip()[:6].upper() in ("CREATE", "ALTER ", "DROP T")):
            told = True
            os.write(fd, MIGRATING)

    def on_commit(conn) -> None:  # type: ignore[no-untyped-def]
        raw = conn.connection.dbapi_connection
        if raw is not None and raw.in_transaction:
            os.write(fd, MIGRATED if raw.isolation_level is None else DEMO_COMMITS)

    event.listen(Engine, "before_cursor_execute", before_execute)
    event.listen(Engine, "commit", on_commit)


def _legacy_migrations(db: Database, step, target: str) -> None:  # type: ignore[no-untyped-def]
    """The fault: migrations as they ran before issue 11, each CREATE or DROP committing on its
    own (the driver's legacy transactions), to show that the checks below catch it."""
    migrate.in_migration_transaction = lambda connection: True  # env.py's guard stands aside
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        conn.commit()
        with conn.begin():
            config = migrate.alembic_config()
            config.attributes["connection"] = conn
            step(config, target)


def _fork(folder: Path, mode: str, fault: str = "none") -> tuple[int, int]:
    """Start the operation in a forked child; returns its pid and the read end of its pipe."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: the real command, then out without running the parent's atexit
        code = 70
        try:
            os.close(read_fd)
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
            _tell_phases(write_fd)
            if fault == "legacy-transactions":
                migrate.run_migrations = _legacy_migrations
            action = "demo" if mode == "first-demo" else "check"
            code = cli.main(["--data-dir", str(folder), action])
        finally:
            os._exit(code)
    os.close(write_fd)
    return pid, read_fd


def _drain(fd: int, timeout: float = 0.0) -> bytes:
    out = b""
    while select.select([fd], [], [], timeout)[0]:
        chunk = os.read(fd, 64)
        if not chunk:
            break
        out += chunk
        timeout = 0.0
    return out


# --- looking at a folder --------------------------------------------------------------------

def _master(path: Path) -> Master:
    """The schema as sqlite_master holds it; none for a missing or empty file (a first start
    cut short, which the next start makes afresh)."""
    if not path.exists() or path.stat().st_size == 0:
        return []
    with backup.connect(path, read_only=True) as conn:
        return sorted(conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"))


def _counts(path: Path) -> dict[str, int]:
    with backup.connect(path, read_only=True) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in COUNTED}


def _copy_folder(template: Path | None, folder: Path) -> None:
    folder.mkdir(parents=True)
    if template is not None:
        shutil.copy(database_path(template), database_path(folder))


def _real_check(folder: Path) -> str | None:
    """Open the folder with a real `observe-app check`; what went wrong, or None."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p))
    env.pop("OBSERVE_APP_DATA_DIR", None)
    proc = subprocess.run([sys.executable, "-m", "observe_app", "--data-dir", str(folder),
                           "check"], capture_output=True, text=True, env=env, timeout=120)
    if proc.returncode != 0 or proc.stderr or f"schema {migrate.HEAD}" not in proc.stdout:
        return f"`observe-app check` said {proc.returncode}: {proc.stderr.strip()[:300]}"
    return None


def check_folder(folder: Path, plan: Plan, phase: str, real_check: bool) -> tuple[str, str | None]:
    """What the kill left (old/new schema) and the first thing wrong with it, if any."""
    path = database_path(folder)
    journal = path.with_name(path.name + "-journal")
    if journal.exists() and journal.stat().st_size > 0:
        # Killed while switching the new file to WAL: SQLite's hot journal, which only a
        # writer may roll back (the next start does); not read here, so as not to undo it.
        found = "journal"
    else:
        try:
            master = _master(path)
        except sqlite3.Error as exc:
            return "unreadable", f"the file cannot be read ({exc})"
        found = "old" if master == plan.old_master else "new" if master == plan.new_master else ""
        if not found:
            names = sorted({m[1] for m in master} ^ {m[1] for m in plan.old_master})
            return "between", f"a half-changed schema (differs from the old one in {names[:6]})"
        if found == "new" and phase in ("", "M"):
            return found, "the new schema although the migration had not reached its commit"
    if real_check:
        problem = _real_check(folder)
        if problem:
            return found, problem
    try:
        open_database(folder).close()  # as the next start: creates or upgrades as needed
    except ObserveError as exc:
        return found, f"the next start refused it: {exc}"
    problems = backup.integrity_problems(path)
    if problems:
        return found, f"integrity check: {problems[0]}"
    revision = backup.schema_revision(path)
    if revision != migrate.HEAD:
        return found, f"at schema {revision} after opening, not {migrate.HEAD}"
    counts = _counts(path)
    expected = [plan.counts] if plan.mode == "upgrade" else [plan.counts, dict.fromkeys(COUNTED, 0)]
    if counts not in expected:
        lost = {t: (plan.counts[t], n) for t, n in counts.items() if n != plan.counts[t]}
        return found, f"rows differ from before (table: (before, now)): {lost}"
    return found, None


# --- setting up -----------------------------------------------------------------------------

def make_upgrade_template(folder: Path, demo_at_head: Path | None = None) -> Path:
    """A folder holding the demo school at schema 0001 (the demo, built at head or copied
    from `demo_at_head`, taken down by the migrations' own downgrades)."""
    folder.mkdir(parents=True)
    path = database_path(folder)
    if demo_at_head is None:
        with open_database(folder) as db, db.transaction() as s:
            demo.build_demo(s)
    else:
        shutil.copy(database_path(demo_at_head), path)
        for side in ("-wal", "-shm"):
            source = database_path(demo_at_head).with_name(path.name + side)
            if source.exists():
                shutil.copy(source, path.with_name(path.name + side))
    with Database(path) as db:
        migrate.run_migrations(db, command.downgrade, OLDEST)
    shutil.rmtree(folder / "backups", ignore_errors=True)
    shutil.rmtree(folder / "logs", ignore_errors=True)
    assert not path.with_name(path.name + "-wal").exists()  # closed: one file to copy
    assert backup.schema_revision(path) == OLDEST
    return folder


def _timed_run(folder: Path, mode: str, *,
               to_the_end: bool) -> tuple[float, float, float | None]:
    """One unkilled run (or one stopped once its migration committed): seconds from the fork
    to the migration's commit, the migration's own length, and the seconds to the child's
    exit."""
    started = time.monotonic()
    pid, fd = _fork(folder, mode)
    began = migrated = None
    status = None
    while status is None:
        said = _drain(fd, 0.002)
        if MIGRATING in said and began is None:
            began = time.monotonic() - started
        if MIGRATED in said and migrated is None:
            migrated = time.monotonic() - started
            if not to_the_end:
                os.kill(pid, signal.SIGKILL)
        done, code = os.waitpid(pid, os.WNOHANG)
        status = code if done else None
    total = time.monotonic() - started
    os.close(fd)
    if migrated is None or to_the_end and (not os.WIFEXITED(status) or os.WEXITSTATUS(status)):
        raise RuntimeError(f"the unkilled {mode} run failed (status {status})")
    return migrated, migrated - (began if began is not None else migrated), \
        total if to_the_end else None


def measure(mode: str, work: Path, template: Path | None = None, repeats: int = 3) -> Plan:
    """Time the operation's phases (the median of `repeats` runs: the load of a shared machine
    comes and goes), and keep the schemas and rows of a finished run to compare with."""
    if mode == "upgrade" and template is None:
        template = make_upgrade_template(work / "template")
    migrated: list[float] = []
    lengths: list[float] = []
    totals: list[float] = []
    # The first demo takes seconds to build: it runs to the end once, the others stop there.
    for i in range(repeats):
        folder = work / f"measured-{mode}-{i}"
        _copy_folder(template, folder)
        last = i == repeats - 1
        to_the_end = mode == "upgrade" or last
        until_migrated, length, total = _timed_run(folder, mode, to_the_end=to_the_end)
        migrated.append(until_migrated)
        lengths.append(length)
        if total is not None:
            totals.append(total)
        if not last:
            shutil.rmtree(folder)
    path = database_path(folder)
    old_master = _master(database_path(template)) if template else []
    counts = _counts(path) if mode == "first-demo" else _counts(database_path(template))
    return Plan(mode, template, statistics.median(migrated), statistics.median(lengths),
                statistics.median(totals),
                old_master, _master(path), counts, folder)


# --- the run --------------------------------------------------------------------------------

def kill_moment(index: int, rng: random.Random, plan: Plan) -> tuple[bool, float]:
    """(whether to wait for the migration to begin, then how long to wait before the kill)."""
    every = WHOLE_EVERY[plan.mode]
    if index % every == every - 1:
        return False, rng.uniform(0.0, 1.1 * plan.total_s)
    if index % IN_MIGRATION_EVERY == 0:
        return True, rng.uniform(0.0, 1.1 * max(plan.migrating_s, 0.005))
    return False, rng.uniform(0.0, 1.1 * plan.migrated_s)


def _wait_for_migration(fd: int, pid: int, said: bytearray, limit_s: float = 60.0) -> None:
    """Until the child says its migration began (or it ends first); what it said is kept."""
    deadline = time.monotonic() + limit_s
    while MIGRATING not in said and time.monotonic() < deadline:
        chunk = _drain(fd, 0.001)
        said += chunk
        if not chunk and os.waitpid(pid, os.WNOHANG)[0]:
            return  # it ended first (a failure the folder check below reports)


def run(plan: Plan, kills: int, *, seed: int, first: int = 0, work: Path,
        sample: int = 3, progress: bool = False, fault: str = "none") -> Figures:
    """Kills `first` .. `first + kills - 1` of `seed`; each its own folder, kept if it fails."""
    figures = Figures(plan.mode, seed, first)
    sampled = {first + i * kills // sample for i in range(sample)} if sample else set()
    started = time.monotonic()
    for index in range(first, first + kills):
        rng = random.Random(f"{seed}:{index}")
        folder = work / f"kill-{index}"
        _copy_folder(plan.template, folder)
        anchored, delay = kill_moment(index, rng, plan)
        pid, fd = _fork(folder, plan.mode, fault)
        said = bytearray()
        if anchored:
            _wait_for_migration(fd, pid, said)
        time.sleep(delay)
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        marks = (bytes(said) + _drain(fd)).decode()
        os.close(fd)
        figures.kills += 1
        phase = marks if marks in PHASES else marks[:3]
        figures.phases[PHASES.get(phase, f"markers {marks!r}")] += 1
        if not os.WIFSIGNALED(status):
            figures.finished_first += 1
            if os.WEXITSTATUS(status) != 0:
                figures.failures.append(f"seed {seed} kill {index} ({folder}): the unkilled "
                                        f"command failed with status {os.WEXITSTATUS(status)}")
        found, problem = check_folder(folder, plan, phase, index in sampled)
        figures.found[found] += 1
        figures.sampled += index in sampled
        if problem:
            figures.failures.append(f"seed {seed} kill {index} at {delay:.3f} s while "
                                    f"{PHASES.get(phase, marks)} ({folder}): {problem}")
        else:
            shutil.rmtree(folder)
        if progress and (index - first + 1) % 20 == 0:
            print(f"  {index - first + 1}/{kills} kills, {len(figures.failures)} failures",
                  file=sys.stderr, flush=True)
    figures.seconds = round(time.monotonic() - started, 1)
    return figures


def report(plan: Plan, figures: Figures) -> str:
    what = {"old": "no schema" if plan.mode == "first-demo" else f"schema {OLDEST}",
            "new": f"schema {migrate.HEAD}",
            "journal": "a write cut short in a rollback journal (the next start undid it)"}
    lines = [
        f"torture {plan.mode}: {figures.kills} kills (seed {figures.seed}, kills "
        f"{figures.first}-{figures.first + figures.kills - 1}), {len(figures.failures)} "
        f"failures, {figures.seconds} s",
        f"  measured: migration committed {plan.migrated_s:.3f} s after the fork (it ran "
        f"{plan.migrating_s:.3f} s), the operation ended at {plan.total_s:.3f} s; one kill in "
        f"{WHOLE_EVERY[plan.mode]} drawn over 0-110 % of the operation, one in "
        f"{IN_MIGRATION_EVERY} over 0-110 % of the migration once it began, the others over "
        "0-110 % of the time to its commit",
        "  killed while: " + ", ".join(f"{n} {p}" for p, n in figures.phases.most_common())
        + f" ({figures.finished_first} had finished)",
        "  found after the kill: " + ", ".join(f"{n} {what.get(f, f)}"
                                               for f, n in figures.found.most_common()),
        f"  opened by a real `observe-app check` first: {figures.sampled} folders",
    ]
    lines += [f"  FAILED {f}" for f in figures.failures[:20]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=MODES, required=True)
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--first", type=int, default=0, help="index of the first kill")
    parser.add_argument("--folder", type=Path,
                        help="work folder (default: a new temporary one, removed if all is well)")
    parser.add_argument("--sample", type=int, default=3,
                        help="folders opened by a real `observe-app check` subprocess first")
    parser.add_argument("--fault", choices=FAULTS, default="none", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if sys.platform == "win32":
        parser.error("needs fork and SIGKILL")
    work = args.folder or Path(tempfile.mkdtemp(prefix="observe-torture-"))
    work.mkdir(parents=True, exist_ok=True)
    plan = measure(args.mode, work)
    figures = run(plan, args.kills, seed=args.seed, first=args.first, work=work,
                  sample=args.sample, progress=True, fault=args.fault)
    print(report(plan, figures))
    if figures.sound and args.folder is None:
        shutil.rmtree(work)
    return 0 if figures.sound else 1


if __name__ == "__main__":
    sys.exit(main())
