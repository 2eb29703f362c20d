"""Every file in tests/data/bad is refused through the CLI with one clear line, changing nothing.

Each case runs the CLI in its own process on a copy of the demo school's database and checks:
non-zero exit, exactly one line `error: ...` on stderr naming the file, and the database
byte-for-byte what it was (file hash after closing, and its SQL dump).

Starting Python and importing SQLAlchemy costs about a second a process, too much for sixty
cases, so the cases run in processes forked from one that has already imported the CLI
(`cli.main(argv)`, exit status and stderr as a real run); a few cases also run through
`python -m observe_app` from scratch to prove the entry point behaves the same.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.processes import finish

BAD = Path(__file__).resolve().parent / "data" / "bad"
COMMANDS = {"protocols": ["protocols", "import"], "rosters": ["people", "import"],
            "backups": ["restore"]}
CASES = sorted((kind, path.name) for kind in COMMANDS
               for path in (BAD / kind).iterdir() if path.is_file())


def _state(db_path: Path) -> tuple[str, str]:
    digest = hashlib.sha256(db_path.read_bytes()).hexdigest()
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        dump = hashlib.sha256("\n".join(conn.iterdump()).encode()).hexdigest()
    finally:
        conn.close()
    return digest, dump


FORK_SERVER = textwrap.dedent("""
    import json, os, sys
    from observe_app import cli
    from observe_app.protocols import loader
    from observe_app.services import people, protocols
    from observe_app.storage import backup, migrate, opening
    print("ready", flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            with open(request["out"], "wb") as out, open(request["err"], "wb") as err:
                os.dup2(out.fileno(), 1)
                os.dup2(err.fileno(), 2)
            sys.stdout = open(1, "w", encoding="utf-8", closefd=False)
            sys.stderr = open(2, "w", encoding="utf-8", closefd=False)
            try:
                code = cli.main(request["argv"])
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
            except BaseException:
                import traceback
                traceback.print_exc()
                code = 70
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
        _, status = os.waitpid(pid, 0)
        print(json.dumps({"code": os.waitstatus_to_exitcode(status)}), flush=True)
""")


class ForkServer:
    def __init__(self) -> None:
        self.proc = subprocess.Popen([sys.executable, "-c", FORK_SERVER], text=True,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        assert self.proc.stdout is not None
        assert self.proc.stdout.readline().strip() == "ready"

    def run(self, argv: list[str], folder: Path) -> subprocess.CompletedProcess[str]:
        out, err = folder / "cli.out", folder / "cli.err"
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps({"argv": argv, "out": str(out), "err": str(err)})
                              + "\n")
        self.proc.stdin.flush()
        code = json.loads(self.proc.stdout.readline())["code"]
        return subprocess.CompletedProcess(argv, code, out.read_text("utf-8", "replace"),
                                           err.read_text("utf-8", "replace"))

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        finish(self.proc, 30)


@pytest.fixture(scope="module")
def fork_server() -> Iterator[ForkServer | None]:
    if not hasattr(os, "fork"):
        yield None
        return
    server = ForkServer()
    yield server
    server.close()


# One case of each kind also runs through the real entry point, from a fresh interpreter.
FROM_SCRATCH = {("protocols", "duplicate-json-keys.json"), ("rosters", "utf16.csv"),
                ("backups", "newer-schema.db")}


def test_the_corpus_is_there() -> None:
    counts = {kind: sum(1 for k, _ in CASES if k == kind) for kind in COMMANDS}
    assert counts["protocols"] >= 25 and counts["rosters"] >= 18 and counts["backups"] >= 10


@pytest.mark.parametrize(("kind", "name"), CASES)
def test_bad_file_is_refused_and_the_database_is_unchanged(
        kind: str, name: str, demo_dir: Path, tmp_path: Path,
        fork_server: ForkServer | None) -> None:
    db_path = demo_dir / "observe.db"
    assert not db_path.with_name("observe.db-wal").exists()  # closed: the file is the whole db
    before = _state(db_path)
    source = BAD / kind / name
    argv = ["--data-dir", str(demo_dir), *COMMANDS[kind], str(source)]
    if fork_server is None or (kind, name) in FROM_SCRATCH:
        result = subprocess.run([sys.executable, "-m", "observe_app", *argv],
                                capture_output=True, text=True, timeout=120)
    else:
        result = fork_server.run(argv, tmp_path)
    assert result.returncode != 0, result.stdout
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr[:2000]
    assert lines[0].startswith("error: "), lines[0]
    assert name in lines[0], lines[0]
    assert len(lines[0]) < 400, lines[0][:400]
    if kind == "protocols":  # a sentence first, the JSON path only as the detail after it
        sentence = lines[0].removeprefix("error: ").partition(" (at ")[0]
        assert "$." not in sentence and re.match(rf"{re.escape(name)}: [A-Z]", sentence), lines[0]
        assert sentence.endswith(" Nothing was imported."), lines[0]
    assert _state(db_path) == before
    wal = db_path.with_name("observe.db-wal")
    assert not wal.exists() or wal.stat().st_size == 0  # nothing waiting to be written either
