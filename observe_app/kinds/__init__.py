"""One registry of capture kinds (rubric, look-for, tally, timer, interval, prompt, …).

Each kind declares its parts in its own module (`kinds/<kind>.py`) and is registered here;
the window's parts (live widget, keys, results) are in `gui/kinds/`, registered under the
same names. Qt-free and light: read at first paint, so heavy parts are imported when called.

Adding a kind: `kinds/<kind>.py` and `gui/kinds/<kind>.py`, one line in each registry, and
the kind's name (and any fields of its own) in resources/protocol.schema.json, which a test
holds to this registry. Stored as its name: no migration.
"""

from __future__ import annotations

from observe_app.kinds import interval, lookfor, participation, prompt, rubric, tally, timer
from observe_app.kinds.base import PARTS, RECORDS, CaptureKind, Story, later, nothing

__all__ = ["PARTS", "RECORDS", "CaptureKind", "Story", "all_kinds", "get", "later", "names",
           "nothing", "register", "unregister"]

_KINDS: dict[str, CaptureKind] = {}


def register(kind: CaptureKind) -> CaptureKind:
    if kind.name in _KINDS:
        raise ValueError(f"the capture kind {kind.name!r} is registered already")
    unknown = kind.records - RECORDS
    if unknown or kind.pdf_place not in ("results", "feedback"):
        raise ValueError(f"the capture kind {kind.name!r} declares an unknown record or place")
    _KINDS[kind.name] = kind
    return kind


def unregister(name: str) -> None:
    del _KINDS[name]


def get(name: str) -> CaptureKind:
    try:
        return _KINDS[name]
    except KeyError:
        raise KeyError(f"no capture kind {name!r} is registered") from None


def names() -> tuple[str, ...]:
    """The registered kinds, in the order the app shows them."""
    return tuple(_KINDS)


def all_kinds() -> tuple[CaptureKind, ...]:
    return tuple(_KINDS.values())


for _module in (rubric, lookfor, tally, timer, interval, prompt, participation):
    register(_module.KIND)
