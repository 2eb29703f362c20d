"""Fixtures for the PDF tests: a copy of the demo school shared by a module, and its cycles."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from observe_app.services import cycles
from observe_app.services.cycles import CycleSummary
from observe_app.storage.engine import Database
from observe_app.storage.opening import open_database


@pytest.fixture(scope="module")
def demo_copy(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """One copy of the demo per test module: rendering only reads, so tests can share it."""
    folder = tmp_path_factory.mktemp("pdf-demo") / "data"
    shutil.copytree(demo_template, folder)
    database = open_database(folder)
    yield database
    database.close()


@pytest.fixture(scope="module")
def demo_cycles(demo_copy: Database) -> list[CycleSummary]:
    with demo_copy.transaction() as s:
        return cycles.list_cycles(s)
