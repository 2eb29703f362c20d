"""The window's start kept short: no garbage-collection passes until it is filled, and the data
layer imported in one go past PySide6's import hook.

Measured on the 10,000-observation start (benchmarks/startup.py, `-X importtime`, cProfile):
after the first paint nearly all the time goes on importing SQLAlchemy, the models and the
services. Two costs in that are not the work itself:
- The collector runs full passes over a heap that only grows while modules load (each
  passes over every object made so far): 50-150 ms of collections that free next to nothing.
- PySide6 (6.11, 6.12) replaces `builtins.__import__` with a hook that, for every module
  imported after it, reads the module's whole source to see whether it mentions PySide6
  (shibokensupport.feature, for `from __feature__ import snake_case`): 50-110 ms for the
  data layer's ~230 modules. The data layer never uses Qt, so it is imported with Python's
  own `importlib.__import__`; PySide6's hook is back in place for everything after.
No Qt here: this module only touches the interpreter.
"""

from __future__ import annotations

import builtins
import gc
import importlib
import logging

log = logging.getLogger(__name__)

# What the window needs from the first open to the first page filled (storage opens and checks
# the file, the models and the services the pages list with); the rest loads on first use.
DATA_LAYER = (
    "sqlalchemy.orm",
    "sqlalchemy.dialects.sqlite.pysqlite",
    "observe_app.storage.startup",
    "observe_app.storage.opening",
    "observe_app.storage.autobackup",
    "observe_app.domain.models",
    "observe_app.services.protocols",
    "observe_app.services.cycles",
    "observe_app.services.observations",
    "observe_app.services.people",
)


def hold_collector() -> None:
    """No collection passes from here until `release_collector()` (the window filled)."""
    gc.disable()


def release_collector() -> None:
    gc.enable()


def load_data_layer() -> None:
    """Import DATA_LAYER now, on this thread, past PySide6's import hook (if it is there).

    Run where nothing else imports at the same time (the GUI thread, before the data folder is
    opened): the hook is set aside for the whole interpreter while this runs."""
    hooked = builtins.__import__
    builtins.__import__ = importlib.__import__
    try:
        for name in DATA_LAYER:
            importlib.import_module(name)
    finally:
        builtins.__import__ = hooked
