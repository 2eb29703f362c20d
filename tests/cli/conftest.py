"""Run the command line as a user would: a subprocess on a temporary data folder."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass
class Result:
    code: int
    out: str
    err: str


def run_cli(
    *args: str | os.PathLike[str], data_dir: Path | None = None, env: dict[str, str] | None = None
) -> Result:
    cmd = [sys.executable, "-m", "observe_app"]
    if data_dir is not None:
        cmd += ["--data-dir", str(data_dir)]
    full_env = {k: v for k, v in os.environ.items() if k != "OBSERVE_APP_DATA_DIR"}
    full_env |= env or {}
    proc = subprocess.run(
        [*cmd, *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=full_env,
        timeout=120,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def fingerprint(data_dir: Path) -> tuple[str, list[str]]:
    """The database file's bytes and its logical content, to prove nothing changed."""
    path = data_dir / "observe.db"
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        dump = list(conn.iterdump())
    conn.close()
    return digest, dump


@pytest.fixture
def cli():  # type: ignore[no-untyped-def]
    return run_cli
