"""Every file in tests/data/bad is refused through the CLI with one clear line, changing nothing.

Each case runs `observe-app` as a subprocess on a copy of the demo school's database and
checks: non-zero exit, exactly one line `error: ...` on stderr naming the file, and the
database byte-for-byte what it was (file hash after closing, and its SQL dump).
"""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

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


def test_the_corpus_is_there() -> None:
    counts = {kind: sum(1 for k, _ in CASES if k == kind) for kind in COMMANDS}
    assert counts["protocols"] >= 25 and counts["rosters"] >= 18 and counts["backups"] >= 10


@pytest.mark.parametrize(("kind", "name"), CASES)
def test_bad_file_is_refused_and_the_database_is_unchanged(kind: str, name: str,
                                                           demo_dir: Path) -> None:
    db_path = demo_dir / "observe.db"
    assert not db_path.with_name("observe.db-wal").exists()  # closed: the file is the whole db
    before = _state(db_path)
    source = BAD / kind / name
    result = subprocess.run(
        [sys.executable, "-m", "observe_app", "--data-dir", str(demo_dir), *COMMANDS[kind],
         str(source)], capture_output=True, text=True, timeout=120)
    assert result.returncode != 0, result.stdout
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr[:2000]
    assert lines[0].startswith("error: "), lines[0]
    assert name in lines[0], lines[0]
    assert len(lines[0]) < 400, lines[0][:400]
    assert _state(db_path) == before
    wal = db_path.with_name("observe.db-wal")
    assert not wal.exists() or wal.stat().st_size == 0  # nothing waiting to be written either
