"""Column helpers: UUID keys, and times stored as UTC that come back timezone-aware."""

from __future__ import annotations

import contextlib
import datetime as dt
import random
import uuid
from collections.abc import Iterator
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

_seeded: random.Random | None = None  # set only while a reproducible demo school is built


def new_id() -> str:
    if _seeded is not None:
        return str(uuid.UUID(int=_seeded.getrandbits(128), version=4))
    return str(uuid.uuid4())


@contextlib.contextmanager
def reproducible_ids(seed: int) -> Iterator[None]:
    """New ids drawn from a seeded generator: the demo school is the same file every time."""
    global _seeded
    previous, _seeded = _seeded, random.Random(seed)
    try:
        yield
    finally:
        _seeded = previous


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def utc_from_db(value: object) -> dt.datetime:
    """A time read with plain SQL or through an aggregate (which bypass UTCDateTime)."""
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return dt.datetime.fromisoformat(str(value)).replace(tzinfo=dt.UTC)


def to_sqlite_text(value: dt.datetime) -> str:
    """A time as UTCDateTime stores it, for the few hot paths that write with plain SQL."""
    if value.tzinfo is None:
        raise ValueError("times must be timezone-aware")
    return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timestamp that refuses naive values and always reads back as UTC."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("times must be timezone-aware")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC)

