"""SIGKILL a first `demo` and an upgrade from 0001, 200 times each: every folder opens after.

The runs are cut into shards (one test each) so that xdist spreads them over the cores; kill
i of the seed is the same kill in whichever shard or run it comes, so a failure names the
seed and the kill index to repeat it with `tools/torture_storage.py --seed S --first I`.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

TOOL = Path(__file__).resolve().parent.parent.parent / "tools" / "torture_storage.py"
SEED = 11
# mode: (shards, kills per shard); 200 kills each.
SHARDS = {"first-demo": (10, 20), "upgrade": (8, 25)}

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and fork")]


def _tool() -> ModuleType:
    if "torture_storage" in sys.modules:
        return sys.modules["torture_storage"]
    spec = importlib.util.spec_from_file_location("torture_storage", TOOL)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["torture_storage"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def plans(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Each operation run once unkilled and timed; the finished demo, taken down to 0001,
    is the folder every upgrade starts from."""
    tool = _tool()
    work = tmp_path_factory.mktemp("torture")
    first_demo = tool.measure("first-demo", work)
    template = tool.make_upgrade_template(work / "template", demo_at_head=first_demo.finished)
    return {"first-demo": first_demo, "upgrade": tool.measure("upgrade", work, template)}


@pytest.mark.parametrize(("mode", "shard"),
                         [(mode, i) for mode, (n, _) in SHARDS.items() for i in range(n)])
def test_a_folder_killed_anywhere_opens_at_the_old_schema_or_the_new(
        mode: str, shard: int, plans: dict[str, Any], tmp_path: Path) -> None:
    _, kills = SHARDS[mode]
    plan = plans[mode]
    sample = 1 if shard % 3 == 0 else 0  # a few folders opened by a real `observe-app check`
    figures = _tool().run(plan, kills, seed=SEED, first=shard * kills, work=tmp_path,
                          sample=sample)
    summary = _tool().report(plan, figures)
    assert figures.kills == kills
    assert figures.sound, summary  # each failure: seed, kill index, moment, phase, folder, why
    assert figures.phases["migrating"] > 0, f"no kill landed mid-migration:\n{summary}"
    assert figures.sampled == sample


def test_the_checks_catch_a_schema_made_one_statement_at_a_time(
        plans: dict[str, Any], tmp_path: Path) -> None:
    """Migrations as they ran before (each CREATE committing on its own): kills leave folders
    that are neither empty nor whole, and the run says which."""
    figures = _tool().run(plans["first-demo"], 12, seed=SEED, work=tmp_path, sample=0,
                          fault="legacy-transactions")
    assert figures.found["between"] > 0, _tool().report(plans["first-demo"], figures)
    assert sum("half-changed schema" in f for f in figures.failures) == figures.found["between"]
    assert not figures.sound
