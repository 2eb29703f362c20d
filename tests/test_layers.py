"""The layering rules of DESIGN.md, checked on the source: imports point down."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "observe_app"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _modules() -> list[tuple[str, set[str]]]:
    return [
        (str(p.relative_to(PACKAGE.parent)), _imports(p))
        for p in PACKAGE.rglob("*.py")
        if "forms" not in p.parts
    ]


def _uses(imports: set[str], prefix: str) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for name in imports)


def test_only_gui_and_app_import_qt() -> None:
    offenders = [
        m
        for m, imports in _modules()
        if _uses(imports, "PySide6")
        and not (m.startswith("observe_app/gui/") or m == "observe_app/app.py")
    ]
    assert offenders == []


def test_gui_never_builds_queries_or_pdfs() -> None:
    offenders = [
        m
        for m, imports in _modules()
        if m.startswith("observe_app/gui/")
        and (
            _uses(imports, "sqlalchemy")
            or _uses(imports, "reportlab")
            or _uses(imports, "observe_app.domain.models")
        )
    ]
    assert offenders == []


def test_lower_layers_do_not_reach_up() -> None:
    rules = {
        "observe_app/domain/": (
            "observe_app.services",
            "observe_app.storage",
            "observe_app.reports",
            "observe_app.gui",
        ),
        "observe_app/storage/": ("observe_app.services", "observe_app.reports", "observe_app.gui"),
        "observe_app/protocols/": (
            "observe_app.services",
            "observe_app.gui",
            "observe_app.reports",
        ),
        "observe_app/services/": ("observe_app.gui", "observe_app.reports", "observe_app.cli"),
        "observe_app/reports/": ("observe_app.gui", "observe_app.cli"),
        # The live visit's state: no Qt (checked above), no widgets, no database library.
        "observe_app/live/": ("observe_app.gui", "sqlalchemy", "observe_app.storage",
                              "observe_app.services"),
    }
    offenders = [
        (m, name)
        for m, imports in _modules()
        for folder, banned in rules.items()
        if m.startswith(folder)
        for name in imports
        if any(_uses({name}, b) for b in banned)
    ]
    assert offenders == []


FIRST_PAINT_PROBE = """
import os, sys
import observe_app.gui.main_window as main_window
from observe_app import app

shown = main_window.MainWindow.show

def show(self):
    shown(self)
    print(sorted(m for m in ("sqlalchemy", "alembic", "reportlab") if m in sys.modules))
    sys.stdout.flush()
    os._exit(0)

main_window.MainWindow.show = show
app.run(sys.argv[1])
"""


def test_the_first_paint_waits_for_no_database_library(tmp_path: Path) -> None:
    """The window appears before SQLAlchemy, Alembic or ReportLab are imported (a fifth of a
    second and more each): whatever the start-up checks need is imported after the paint."""
    import os
    import subprocess
    import sys

    env = os.environ | {"QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-c", FIRST_PAINT_PROBE, str(tmp_path / "data")],
                            capture_output=True, text=True, env=env, timeout=60)
    assert result.stdout.strip() == "[]", (result.stdout, result.stderr[-2000:])
