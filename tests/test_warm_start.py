"""The window's quick start: the data layer loads past an import hook and puts it back."""

from __future__ import annotations

import gc
import subprocess
import sys
import textwrap

import pytest

from observe_app import warm_start

# A fresh interpreter (here everything is imported already): a stand-in for PySide6's hook
# counts the imports it sees while the data layer loads, and must be back in place after.
CHILD = textwrap.dedent("""
    import builtins, sys
    from observe_app import warm_start

    plain, seen = builtins.__import__, []

    def hook(name, *args, **kwargs):
        seen.append(name)
        return plain(name, *args, **kwargs)

    builtins.__import__ = hook
    warm_start.load_data_layer()
    assert builtins.__import__ is hook, "the hook was not put back"
    missing = [name for name in warm_start.DATA_LAYER if name not in sys.modules]
    assert not missing, missing
    assert "sqlalchemy" in sys.modules
    assert not any(name.startswith("PySide6") for name in sys.modules), "the data layer uses Qt"
    print(len(seen))
""")


def test_the_data_layer_loads_without_passing_through_the_hook() -> None:
    out = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["0"]  # not one of its hundreds of imports went through it


def test_the_hook_is_put_back_when_an_import_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    def hook(*args: object, **kwargs: object) -> object:
        raise AssertionError("not called")

    monkeypatch.setattr(warm_start, "DATA_LAYER", ("observe_app.no_such_module",))
    monkeypatch.setattr(builtins, "__import__", hook)
    with pytest.raises(ModuleNotFoundError):
        warm_start.load_data_layer()
    assert builtins.__import__ is hook


def test_the_collector_is_held_and_released() -> None:
    assert gc.isenabled()
    try:
        warm_start.hold_collector()
        assert not gc.isenabled()
    finally:
        warm_start.release_collector()
    assert gc.isenabled()
