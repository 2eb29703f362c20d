"""The wheel carries ui/ and resources/, and its console command works in a fresh environment."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Building the wheel alone takes several seconds.
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # No build isolation: the build backend comes from the test extra, so no network is used.
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        timeout=300,
    )
    [built] = out.glob("observe_app-*.whl")
    return built


def test_wheel_ships_resources_and_forms(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "observe_app/resources/protocol.schema.json" in names
    for stem in (
        "peer-observation",
        "learning-walk",
        "new-teacher-growth",
        "engagement-interval-scan",
        "questioning-wait-time",
        "classroom-discourse-scan",
        "questioning-wait-time-engagement",
    ):
        assert f"observe_app/resources/protocols/{stem}.json" in names
    assert any(n.startswith("observe_app/ui/") for n in names)
    assert "observe_app/storage/migrations/versions/0001_initial_schema.py" in names


def test_installed_wheel_lists_protocols(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    # The fresh environment borrows the dependencies installed where the tests run (no
    # network in tests) but gets Observe itself only from the wheel. A .pth file names the
    # test environment's site-packages: `system_site_packages` would name the base Python's,
    # which has none of them when the tests run in a virtual environment, as a newcomer's do.
    venv.create(env_dir, with_pip=False)
    bindir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / "python"
    env_site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True, timeout=60).stdout.strip()
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (Path(env_site) / "observe-test-dependencies.pth").write_text(
        "\n".join(sorted(ours)) + "\n", encoding="utf-8")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-deps",
            "--no-index",
            "-q",
            str(wheel),
        ],
        check=True,
        timeout=300,
    )
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "OBSERVE_APP_DATA_DIR")}
    result = subprocess.run(
        [str(bindir / "observe-app"), "--data-dir", str(tmp_path / "d"), "protocols", "list"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "New-teacher growth rubric" in result.stdout
    located = subprocess.run(
        [str(python), "-c", "import observe_app, sys; print(observe_app.__file__)"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    assert str(env_dir) in located.stdout, "the command must run the installed wheel"
