"""Crash-safety harness: SIGKILL a note-saving process again and again, then check the database.

A child process saves notes (with tags, and a draft before each) through the real
services and `Database.transaction()`, and after each commit writes one line to its
stdout pipe: the note's id, text and tags. The parent kills it with SIGKILL at a random
moment, then checks the database file:

- `PRAGMA integrity_check` is ok and `PRAGMA foreign_key_check` finds nothing;
- every acknowledged note is there, with its text and exactly its tags;
- nothing is half-written: each note's text says how many tags it was saved with, and
  every note carries exactly that many (no note without its tags, no tag without a note).

Usage:  python tools/crash_harness.py --kills 500 [--seed N] [--json] [--data-dir DIR]
Exit status 0 when nothing was lost or damaged, 1 otherwise.

`--fault ack-before-commit` and `--fault tags-apart` make a deliberately broken child, so the
tests can show that the checker catches a lost note and a half-written one.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import select
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

FAULTS = ("none", "ack-before-commit", "tags-apart")


@dataclass
class Figures:
    kills: int = 0
    integrity_ok: int = 0
    acknowledged: int = 0
    lost: int = 0
    damaged: int = 0
    half_written: int = 0
    notes_in_db: int = 0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    @property
    def sound(self) -> bool:
        return (self.integrity_ok == self.kills and self.lost == 0 and self.damaged == 0
                and self.half_written == 0)


# --- setting up -----------------------------------------------------------------------------

def prepare(data_dir: Path) -> tuple[str, list[str]]:
    """A database with one open observation; returns its id and the protocol's item ids."""
    from observe_app.services import cycles, observations, people, protocols
    from observe_app.storage.opening import open_database

    with open_database(data_dir) as db, db.transaction() as s:
        protocols.install_builtins(s)
        summary = protocols.find_protocol(s, "peer-observation")
        version = protocols.get_version(s, summary.latest_version_id)
        teacher = people.add_person(s, "Ana Müller")
        observer = people.add_person(s, "Chidi Okafor")
        cycle = cycles.plan_cycle(s, teacher_id=teacher.id, observer_id=observer.id,
                                  protocol_version_id=version.id, focus="crash test")
        obs = observations.start_observation(s, cycle.id, subject="Maths")
        return obs.id, [i.id for i in version.items]


# --- the child ------------------------------------------------------------------------------

def child(data_dir: Path, observation_id: str, item_ids: list[str], seed: int, fault: str) -> None:
    """Save notes forever; acknowledge each one on stdout once its transaction committed."""
    import datetime as dt

    from observe_app.domain.models import Note, NoteTag
    from observe_app.services import notes
    from observe_app.storage.opening import open_database

    rng = random.Random(seed)
    out = sys.stdout
    db = open_database(data_dir)
    out.write("ready\n")
    out.flush()
    n = 0
    while True:
        n += 1
        lowest = 1 if fault == "tags-apart" else 0  # the broken child always has tags to lose
        tags = sorted(rng.sample(item_ids, rng.randint(lowest, 3)))
        # The text says how many tags the note was saved with, so the parent can spot a note
        # whose tags went missing even if it was never acknowledged.
        text = f"seed {seed} note {n} tags={len(tags)} " + "évidence " * rng.randint(1, 60)
        now = dt.datetime.now(dt.UTC)
        with db.transaction() as s:
            notes.save_draft(s, observation_id, text[:40], wall_time=now, elapsed_ms=n * 1000,
                             item_ids=tags)
        if fault == "ack-before-commit":
            note_id = f"early-{seed}-{n}"
            out.write(json.dumps({"id": note_id, "text": text.strip(), "tags": tags}) + "\n")
            out.flush()
            time.sleep(0.05)
            with db.transaction() as s:
                notes.add_note(s, observation_id, text, wall_time=now, elapsed_ms=n * 1000,
                               item_ids=tags, note_id=note_id)
            continue
        if fault == "tags-apart":
            with db.transaction() as s:
                note = Note(observation_id=observation_id, wall_time=now, elapsed_ms=n * 1000,
                            text=text.strip())
                s.add(note)
            time.sleep(0.05)
            with db.transaction() as s:
                for t in tags:
                    s.add(NoteTag(note_id=note.id, item_id=t))
            view_id = note.id
        else:
            with db.transaction() as s:
                view = notes.add_note(s, observation_id, text, wall_time=now,
                                      elapsed_ms=n * 1000, item_ids=tags)
            view_id = view.id
        out.write(json.dumps({"id": view_id, "text": text.strip(), "tags": tags}) + "\n")
        out.flush()


# --- the parent -----------------------------------------------------------------------------

class Child:
    """A note-saving child: a fresh interpreter (exec), or forked from this one (fork).

    Fork skips the second of interpreter start and imports per kill, so the short run in the
    tests stays short; the child still opens the database itself and is killed the same way.
    """

    def __init__(self, command: list[str], env: dict[str, str], *, fork: bool,
                 args: tuple[Path, str, list[str], int, str]) -> None:
        self.proc: subprocess.Popen[bytes] | None = None
        if not fork:
            self.proc = subprocess.Popen(command, stdout=subprocess.PIPE,
                                         stderr=subprocess.DEVNULL, env=env)
            assert self.proc.stdout is not None
            self.fd = self.proc.stdout.fileno()
            self.pid = self.proc.pid
            return
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            try:
                os.close(read_fd)
                os.dup2(write_fd, 1)
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, 2)
                sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
                child(*args)
            finally:
                os._exit(0)
        os.close(write_fd)
        self.fd, self.pid = read_fd, pid
        self._status: int | None = None

    def alive(self) -> bool:
        if self.proc is not None:
            return self.proc.poll() is None
        if self._status is None:
            done, status = os.waitpid(self.pid, os.WNOHANG)
            if done:
                self._status = status
        return self._status is None

    def kill(self) -> None:
        if self.proc is not None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()
            return
        if self.alive():
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)

    def close(self) -> None:
        if self.proc is not None and self.proc.stdout is not None:
            self.proc.stdout.close()
        else:
            os.close(self.fd)


def _read_acks(proc: Child, until: float, buffer: bytearray,
               acked: dict[str, tuple[str, list[str]]]) -> bool:
    """Collect complete acknowledgement lines until `until`; True once the child is ready."""
    ready = False
    fd = proc.fd
    while True:
        left = until - time.monotonic()
        if left <= 0:
            return ready
        readable, _, _ = select.select([fd], [], [], left)
        if not readable:
            return ready
        chunk = os.read(fd, 65536)
        if not chunk:
            return ready
        buffer.extend(chunk)
        while b"\n" in buffer:
            line, _, rest = bytes(buffer).partition(b"\n")
            buffer[:] = rest
            if line == b"ready":
                ready = True
            elif line.startswith(b"{"):
                record = json.loads(line)
                acked[record["id"]] = (record["text"], record["tags"])


def check(db_path: Path, acked: dict[str, tuple[str, list[str]]], figures: Figures) -> None:
    conn = sqlite3.connect(db_path)
    try:
        integrity = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        fk = conn.execute("PRAGMA foreign_key_check").fetchall()
        if integrity == ["ok"] and not fk:
            figures.integrity_ok += 1
        else:
            figures.problems.append(f"kill {figures.kills}: integrity {integrity[:3]} fk {fk[:3]}")
        stored = {nid: text for nid, text in conn.execute("SELECT id, text FROM notes")}
        tags: dict[str, list[str]] = {}
        for nid, item in conn.execute("SELECT note_id, item_id FROM note_tags ORDER BY item_id"):
            tags.setdefault(nid, []).append(item)
    finally:
        conn.close()
    figures.notes_in_db = len(stored)
    figures.acknowledged = len(acked)
    lost = [nid for nid in acked if nid not in stored]
    damaged = [nid for nid, (text, want) in acked.items()
               if nid in stored and (stored[nid] != text or tags.get(nid, []) != want)]
    half = [nid for nid, text in stored.items()
            if f"tags={len(tags.get(nid, []))} " not in text]
    orphans = [nid for nid in tags if nid not in stored]
    figures.lost, figures.damaged = len(lost), len(damaged)
    figures.half_written = len(half) + len(orphans)
    if lost or damaged or half or orphans:
        figures.problems.append(f"kill {figures.kills}: lost {lost[:3]} damaged {damaged[:3]} "
                                f"half-written {half[:3]} orphan tags {orphans[:3]}")


def run(kills: int, *, seed: int = 0, data_dir: Path | None = None, fault: str = "none",
        max_delay: float = 0.4, progress: bool = False, fork: bool = False) -> Figures:
    """Kill a note-saving child `kills` times and check the database after each kill."""
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="observe-crash-") as tmp:
        folder = data_dir or Path(tmp) / "data"
        folder.mkdir(parents=True, exist_ok=True)
        observation_id, item_ids = prepare(folder)
        db_path = folder / "observe.db"
        acked: dict[str, tuple[str, list[str]]] = {}
        figures = Figures()
        started = time.monotonic()
        env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
        for round_ in range(kills):
            child_seed = rng.randrange(1 << 30)
            proc = Child(
                [sys.executable, str(Path(__file__).resolve()), "--child", str(folder),
                 "--observation", observation_id, "--items", ",".join(item_ids),
                 "--seed", str(child_seed), "--fault", fault], env,
                fork=fork, args=(folder, observation_id, item_ids, child_seed, fault))
            buffer = bytearray()
            # Mostly kill while notes are being written; now and then while the child starts.
            if rng.random() < 0.1:
                _read_acks(proc, time.monotonic() + rng.uniform(0.0, 1.0), buffer, acked)
            else:
                deadline = time.monotonic() + 30
                while not _read_acks(proc, min(deadline, time.monotonic() + 0.05), buffer, acked):
                    if time.monotonic() > deadline or not proc.alive():
                        break
                _read_acks(proc, time.monotonic() + rng.uniform(0.0, max_delay), buffer, acked)
            proc.kill()
            # Lines the child wrote before it died still count: they were acknowledged.
            _read_acks(proc, time.monotonic() + 0.05, buffer, acked)
            proc.close()
            figures.kills += 1
            check(db_path, acked, figures)
            if progress and (round_ + 1) % 25 == 0:
                print(f"{round_ + 1} kills, {figures.acknowledged} notes acknowledged, "
                      f"lost {figures.lost}, integrity ok {figures.integrity_ok}",
                      file=sys.stderr, flush=True)
        figures.seconds = round(time.monotonic() - started, 1)
        return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=500)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--max-delay", type=float, default=0.4,
                        help="longest wait, in seconds, between the child's start and the kill")
    parser.add_argument("--fault", choices=FAULTS, default="none", help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--fork", action="store_true",
                        help="fork children from this process instead of starting Python anew")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--observation", help=argparse.SUPPRESS)
    parser.add_argument("--items", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.observation, args.items.split(","), args.seed, args.fault)
        return 0
    figures = run(args.kills, seed=args.seed, data_dir=args.data_dir, fault=args.fault,
                  max_delay=args.max_delay, progress=not args.json, fork=args.fork)
    if args.json:
        print(json.dumps(asdict(figures) | {"seed": args.seed, "sound": figures.sound}))
    else:
        print(f"seed {args.seed}: {figures.kills} kills in {figures.seconds} s; integrity ok "
              f"{figures.integrity_ok}/{figures.kills}; {figures.acknowledged} notes "
              f"acknowledged, {figures.lost} lost, {figures.damaged} damaged, "
              f"{figures.half_written} half-written; {figures.notes_in_db} notes in the database")
        for problem in figures.problems[:10]:
            print("  " + problem)
    return 0 if figures.sound else 1


if __name__ == "__main__":
    sys.exit(main())
