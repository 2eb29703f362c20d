"""Composition root: settings, database and main window are wired together here and only here."""

from __future__ import annotations

import sys

from observe_app.errors import ObserveError


def run(data_dir: str | None) -> int:
    """Open the window on the data folder (the GUI lands with the live observation issue)."""
    print("error: the Observe window is not built yet; use the subcommands (observe-app --help)",
          file=sys.stderr)
    raise SystemExit(2) from ObserveError("no window")
