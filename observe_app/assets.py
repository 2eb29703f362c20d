"""The one place that knows where `resources/` and `ui/` are: source tree, wheel or frozen app."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def _root(name: str) -> Path:
    frozen = getattr(sys, "_MEIPASS", None)
    candidates = [
        Path(frozen) / "observe_app" / name if frozen else None,  # PyInstaller bundle
        _PACKAGE / name,  # installed wheel: shipped inside the package
        _PACKAGE.parent / name,  # source checkout or editable install
    ]
    for candidate in candidates:
        if candidate is not None and candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"Observe's {name}/ folder is missing; reinstall Observe")


def resource_path(*parts: str) -> Path:
    return _root("resources").joinpath(*parts)
