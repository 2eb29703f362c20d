"""SIGKILL a process that saves notes, again and again: nothing acknowledged is lost or torn."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

HARNESS = Path(__file__).resolve().parent.parent / "tools" / "crash_harness.py"


def _harness():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("crash_harness", HARNESS)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["crash_harness"] = module
    spec.loader.exec_module(module)
    return module


pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and fork")]


def test_fifteen_kills_lose_nothing(tmp_path: Path) -> None:
    figures = _harness().run(15, seed=7, data_dir=tmp_path / "data", fork=True)
    assert figures.kills == 15
    assert figures.integrity_ok == 15, figures.problems
    assert figures.acknowledged > 15  # the child really was saving notes when killed
    assert (figures.lost, figures.damaged, figures.half_written) == (0, 0, 0), figures.problems
    assert figures.sound


def test_kills_of_a_freshly_started_interpreter_lose_nothing(tmp_path: Path) -> None:
    """As the long run does it: each child a new `python`, so start-up is killed too."""
    figures = _harness().run(3, seed=5, data_dir=tmp_path / "data")
    assert figures.sound, figures.problems
    assert figures.acknowledged > 0


def test_the_checker_catches_a_note_acknowledged_before_its_commit(tmp_path: Path) -> None:
    figures = _harness().run(8, seed=11, data_dir=tmp_path / "data", fault="ack-before-commit",
                             fork=True)
    assert figures.lost > 0
    assert not figures.sound


def test_the_checker_catches_a_note_saved_apart_from_its_tags(tmp_path: Path) -> None:
    figures = _harness().run(8, seed=13, data_dir=tmp_path / "data", fault="tags-apart", fork=True)
    assert figures.half_written > 0
    assert not figures.sound
