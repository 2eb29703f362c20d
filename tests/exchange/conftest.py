"""Two or more laptops' data folders for the exchange tests (tests/exchange/replicas.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.exchange.replicas import Laptops


@pytest.fixture
def laptops(tmp_path: Path) -> Iterator[Laptops]:
    made = Laptops(tmp_path)
    yield made
    made.close()
