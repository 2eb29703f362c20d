"""The generated forms match ui/*.ui, and the window keeps to its layer (and loads lazily)."""

from __future__ import annotations

import ast
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUI = ROOT / "observe_app" / "gui"


def _build_ui():
    spec = importlib.util.spec_from_file_location("build_ui", ROOT / "tools" / "build_ui.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("ui_file", sorted((ROOT / "ui").glob("*.ui")), ids=lambda p: p.name)
def test_generated_form_is_up_to_date(ui_file):
    build_ui = _build_ui()
    target = build_ui.target_for(ui_file)
    assert target.exists(), f"run `python tools/build_ui.py` to generate {target.name}"
    assert target.read_text(encoding="utf-8") == build_ui.generate(ui_file), (
        f"{target.name} is stale: run `python tools/build_ui.py`")
    assert target.read_text(encoding="utf-8").startswith("# Generated from ui/")


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_gui_never_imports_sqlalchemy_or_reportlab():
    for path in GUI.rglob("*.py"):
        assert not _imports(path) & {"sqlalchemy", "reportlab"}, path


def test_only_gui_and_app_import_qt():
    for path in (ROOT / "observe_app").rglob("*.py"):
        if GUI in path.parents or path.name == "app.py":
            continue
        assert "PySide6" not in _imports(path), path


def test_the_window_module_loads_without_sqlalchemy():
    code = ("import sys; import observe_app.app, observe_app.gui.main_window; "
            "bad = [m for m in ('sqlalchemy', 'reportlab', 'observe_app.services') "
            "if m in sys.modules]; print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
