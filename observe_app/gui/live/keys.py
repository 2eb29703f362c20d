"""The one-key combinations of a protocol: tags, tallies and timers each get their own range."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from observe_app.domain.enums import ItemKind
from observe_app.gui import shortcuts

if TYPE_CHECKING:
    from observe_app.services.protocols import ItemView

TAG_KEYS = list(shortcuts.TAG.keys)
TALLY_KEYS = list(shortcuts.TALLY.keys)
TIMER_KEYS = list(shortcuts.TIMER.keys)


def assign_keys(items: Sequence[ItemView]) -> dict[str, str]:
    """item id → key sequence text; items past the end of a range simply get no key."""
    keys: dict[str, str] = {}
    pools = {
        ItemKind.LOOKFOR: iter(TAG_KEYS), ItemKind.RUBRIC: None,
        ItemKind.TALLY: iter(TALLY_KEYS), ItemKind.TIMER: iter(TIMER_KEYS),
    }
    pools[ItemKind.RUBRIC] = pools[ItemKind.LOOKFOR]  # both are tags: one shared range
    for item in items:
        pool = pools.get(item.kind)
        key = next(pool, None) if pool is not None else None
        if key:
            keys[item.id] = key
    return keys
