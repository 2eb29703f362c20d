"""Build the standalone Observe (one folder) with PyInstaller, check it, and state its size.

    python packaging/build.py            # build into packaging/dist/Observe
    python packaging/build.py --check    # ...then run the bundle's --healthcheck offscreen

Works on Linux, Windows and macOS (the spec picks the platform's parts); the Windows installer
is then made from the folder with Inno Setup (packaging/observe.iss).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DIST = HERE / "dist"
BUNDLE = DIST / "Observe"


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def add_desktop_files(bundle: Path) -> None:
    """Linux: the desktop entry, AppStream metainfo and icons in the usual share/ layout."""
    share = bundle / "share"
    (share / "applications").mkdir(parents=True, exist_ok=True)
    (share / "metainfo").mkdir(parents=True, exist_ok=True)
    shutil.copy2(HERE / "org.observe_app.Observe.desktop", share / "applications")
    shutil.copy2(HERE / "org.observe_app.Observe.metainfo.xml", share / "metainfo")
    icons = ROOT / "resources" / "icons"
    scalable = share / "icons" / "hicolor" / "scalable" / "apps"
    scalable.mkdir(parents=True, exist_ok=True)
    shutil.copy2(icons / "observe.svg", scalable / "org.observe_app.Observe.svg")
    for png in icons.glob("observe-*.png"):
        size = png.stem.split("-")[1]
        target = share / "icons" / "hicolor" / f"{size}x{size}" / "apps"
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy2(png, target / "org.observe_app.Observe.png")


def executable(bundle: Path) -> Path:
    name = "observe-app.exe" if sys.platform == "win32" else "observe-app"
    return bundle / name


def healthcheck(bundle: Path) -> int:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("OBSERVE_APP_DATA_DIR", None)
    return subprocess.run([str(executable(bundle)), "--healthcheck"], env=env,
                          timeout=300).returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="run --healthcheck on the bundle")
    args = parser.parse_args()
    shutil.rmtree(BUNDLE, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean",
                    "--log-level", "WARN",
                    "--distpath", str(DIST), "--workpath", str(HERE / "build"),
                    str(HERE / "observe.spec")], check=True, cwd=ROOT)
    if sys.platform.startswith("linux"):
        add_desktop_files(BUNDLE)
    size = folder_size(BUNDLE)
    print(f"bundle: {BUNDLE} ({size / 1e6:.0f} MB, "
          f"{sum(1 for _ in BUNDLE.rglob('*'))} files)")
    if args.check:
        code = healthcheck(BUNDLE)
        print("healthcheck:", "ok" if code == 0 else f"FAILED (exit {code})")
        return code
    return 0


if __name__ == "__main__":
    sys.exit(main())
