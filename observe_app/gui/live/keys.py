"""The one-key combinations of a protocol: each capture kind takes keys from its own range."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from observe_app.gui import kinds


def assign_keys(items: list[Any]) -> dict[str, str]:
    """item id → key sequence text; items past the end of a range simply get no key. Kinds
    with the same range share it (look-fors and rubric items are both tags)."""
    keys: dict[str, str] = {}
    pools: dict[str, Iterator[str]] = {}
    for item in items:
        key_range = kinds.get(item.kind).key_range
        if key_range is None:
            continue
        pool = pools.setdefault(key_range.action, iter(key_range.keys))
        key = next(pool, None)
        if key:
            keys[item.id] = key
    return keys
