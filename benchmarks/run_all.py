"""Run every benchmark, one after another, and print their figures and ratios.

    python benchmarks/run_all.py            # all of them (first run also builds the scale data)
    python benchmarks/run_all.py startup    # only those whose name contains 'startup'

Each benchmark runs in its own process with bytecode caching on (this machine sets
PYTHONDONTWRITEBYTECODE=1, which would otherwise recompile the app on every start), after the
project has been compiled once, so it measures the app as an installed copy would run.
The output is also written to benchmarks/latest.txt.
"""

from __future__ import annotations

import compileall
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import machine  # noqa: E402

BENCHMARKS = ["startup.py", "note_save.py", "participation_capture.py", "pdf_export.py",
              "scale.py", "school.py", "roster_import.py", "exchange.py"]


def main() -> int:
    wanted = sys.argv[1:]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    compileall.compile_dir(ROOT / "observe_app", quiet=1)
    compileall.compile_dir(HERE, quiet=1)
    lines = [f"machine: {machine()}", time.strftime("date: %Y-%m-%d %H:%M UTC", time.gmtime())]
    print("\n".join(lines), flush=True)
    started = time.perf_counter()
    failed = 0
    for script in BENCHMARKS:
        if wanted and not any(w in script for w in wanted):
            continue
        if not (HERE / script).exists():
            continue
        began = time.perf_counter()
        proc = subprocess.run([sys.executable, str(HERE / script)], env=env, cwd=ROOT,
                              capture_output=True, text=True, timeout=900)
        out = proc.stdout.rstrip()
        if proc.returncode != 0:
            failed += 1
            out += f"\n  FAILED (exit {proc.returncode}): {proc.stderr.strip()[-800:]}"
        out += f"\n  ({time.perf_counter() - began:.0f} s)"
        print(out, flush=True)
        lines.append(out)
    total = f"all benchmarks: {time.perf_counter() - started:.0f} s"
    print(total)
    lines.append(total)
    (HERE / "latest.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
