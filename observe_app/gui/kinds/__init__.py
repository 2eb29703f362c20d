"""The window's registry of capture kinds: each kind's live widget, keys and results.

Keyed by the same names as observe_app.kinds (validation, PDF, growth, demo); a test holds the
two registries to the same kinds. Each kind's parts are in its own module here.
"""

from __future__ import annotations

from observe_app.gui.kinds import (
    interval,
    lookfor,
    participation,
    prompt,
    rubric,
    tally,
    timer,
)
from observe_app.gui.kinds.base import OPTIONAL_PARTS, PARTS, KindView, ResultBlock

__all__ = ["OPTIONAL_PARTS", "PARTS", "KindView", "ResultBlock", "all_views", "get", "names",
           "register", "unregister"]

_VIEWS: dict[str, KindView] = {}


def register(view: KindView) -> KindView:
    if view.name in _VIEWS:
        raise ValueError(f"the capture kind {view.name!r} has its window parts already")
    if (view.key_range is None) != (view.on_key is None):
        raise ValueError(f"the capture kind {view.name!r} needs both a key range and a key "
                         "action, or neither")
    _VIEWS[view.name] = view
    return view


def unregister(name: str) -> None:
    del _VIEWS[name]


def get(name: str) -> KindView:
    try:
        return _VIEWS[name]
    except KeyError:
        raise KeyError(f"no window parts are registered for the capture kind {name!r}") from None


def names() -> tuple[str, ...]:
    return tuple(_VIEWS)


def all_views() -> tuple[KindView, ...]:
    return tuple(_VIEWS.values())


for _module in (rubric, lookfor, tally, timer, interval, prompt, participation):
    register(_module.VIEW)
