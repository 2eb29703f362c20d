"""`observe-app cycles list | head -1`: a reader that goes away early ends the command quietly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def _run_into_closed_pipe(*args: str, data_dir: Path) -> subprocess.CompletedProcess[bytes]:
    """Run the CLI with stdout on a pipe whose reader has already gone (as `| head` does)."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # closed before the first line: every write meets a broken pipe
    env = {k: v for k, v in os.environ.items() if k != "OBSERVE_APP_DATA_DIR"}
    try:
        return subprocess.run([sys.executable, "-m", "observe_app", "--data-dir", str(data_dir),
                               *args], stdout=write_end, stderr=subprocess.PIPE, env=env,
                              timeout=120, check=False)
    finally:
        os.close(write_end)


@pytest.mark.parametrize("args", [("protocols", "list"), ("cycles", "list")])
def test_a_closed_pipe_ends_the_command_quietly(args, demo_dir):
    result = _run_into_closed_pipe(*args, data_dir=demo_dir)
    assert result.stderr == b""  # no BrokenPipeError traceback, no "Exception ignored" line
    assert result.returncode == 141  # as a program that SIGPIPE stopped


def test_head_reads_the_first_line_and_nothing_complains(demo_dir):
    env = {k: v for k, v in os.environ.items() if k != "OBSERVE_APP_DATA_DIR"}
    command = (f"{sys.executable} -m observe_app --data-dir '{demo_dir}' cycles list | head -1")
    result = subprocess.run(["sh", "-c", command], capture_output=True, text=True, env=env,
                            timeout=120, check=False)
    assert result.returncode == 0
    assert len(result.stdout.splitlines()) == 1
    assert result.stderr == ""
