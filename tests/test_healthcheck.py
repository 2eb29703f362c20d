"""`observe-app --healthcheck` checks a whole installation and says what it checked."""

from __future__ import annotations

import pytest

from observe_app import healthcheck
from tests.cli.conftest import run_cli


@pytest.mark.slow
def test_healthcheck_passes_and_names_each_step() -> None:
    result = run_cli("--healthcheck")
    assert result.code == 0, result.out + result.err
    for words in ("migrated to schema", "built-in protocols", "found by full-text search",
                  "PDF feedback summary rendered", "main window built and painted", "healthy"):
        assert words in result.out
    assert "FAIL" not in result.out


def test_a_failing_step_fails_the_check() -> None:
    lines: list[str] = []

    def broken_window(_folder):  # type: ignore[no-untyped-def]
        raise ImportError("libEGL.so.1: cannot open shared object file")

    assert healthcheck.run(lines.append, window_check=broken_window) == 1
    assert lines[-1].startswith("FAIL ImportError: libEGL")
    assert any(line.startswith("ok   PDF feedback summary") for line in lines)
