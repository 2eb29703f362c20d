"""Ids of protocol versions and items made from their content.

The same protocol version has the same ids on every laptop, so notes tagged to its items and
ratings of them can travel in observation packages without translation (migration 0006 gave
existing versions these ids).
"""

from __future__ import annotations

import uuid

NAMESPACE = uuid.UUID("5b0c3a52-6f8e-4f4a-9d4e-0b5e2c7f9a10")


def version_id(content_hash: str, number: int | None = None) -> str:
    """`number` only for content stored a second time in one protocol (an edit undone)."""
    tail = f":{number}" if number is not None else ""
    return str(uuid.uuid5(NAMESPACE, f"version:{content_hash}{tail}"))


def item_id(version: str, key: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"item:{version}:{key}"))
