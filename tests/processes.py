"""Helper processes the tests start: waited for, and their pipes closed."""

from __future__ import annotations

import contextlib
import subprocess
from typing import Any


def finish(proc: subprocess.Popen[Any], timeout: float = 10) -> None:
    """Wait for `proc`, then close its pipes: an open one is a ResourceWarning, an error here."""
    try:
        proc.wait(timeout=timeout)
    finally:
        for pipe in (proc.stdin, proc.stdout, proc.stderr):
            if pipe is not None:
                with contextlib.suppress(OSError):  # a pipe to a killed reader
                    pipe.close()
