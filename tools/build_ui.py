"""Compile the Qt Designer forms in ui/ into observe_app/gui/forms/ui_<name>.py.

Run `python tools/build_ui.py` after editing a form; `--check` exits 1 if a generated file is
stale (the test suite does the same check).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UI_DIR = ROOT / "ui"
FORMS_DIR = ROOT / "observe_app" / "gui" / "forms"
HEADER = ("# Generated from ui/{name} by tools/build_ui.py (pyside6-uic). DO NOT EDIT:\n"
          "# change the form in Qt Designer and run `python tools/build_ui.py`.\n")


def _uic() -> list[str]:
    # Beside this Python first: a virtual environment's bin/ need not be on PATH.
    here = Path(sys.executable).parent
    exe = shutil.which("pyside6-uic", path=str(here)) or shutil.which("pyside6-uic")
    if exe is None:
        raise SystemExit("pyside6-uic not found; install PySide6-Essentials")
    return [exe]


def target_for(ui_file: Path) -> Path:
    return FORMS_DIR / f"ui_{ui_file.stem}.py"


def generate(ui_file: Path) -> str:
    """The Python source that pyside6-uic makes of one form, with our header."""
    out = subprocess.run([*_uic(), "--no-autoconnection", str(ui_file)], check=True,
                         capture_output=True, text=True).stdout
    # uic's own banner names the Qt version and the absolute path: drop it so output is stable.
    body = out.split("#" * 80 + "\n")[-1]
    return HEADER.format(name=ui_file.name) + body.lstrip("\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="only report stale forms")
    args = parser.parse_args(argv)
    FORMS_DIR.mkdir(parents=True, exist_ok=True)
    stale = []
    for ui_file in sorted(UI_DIR.glob("*.ui")):
        target = target_for(ui_file)
        source = generate(ui_file)
        if target.exists() and target.read_text(encoding="utf-8") == source:
            continue
        stale.append(target)
        if not args.check:
            target.write_text(source, encoding="utf-8")
            print(f"wrote {target.relative_to(ROOT)}")
    if args.check and stale:
        print("stale: " + ", ".join(str(t.relative_to(ROOT)) for t in stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
