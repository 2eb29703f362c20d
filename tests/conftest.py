"""Shared fixtures: every test gets its own data folder; Qt runs offscreen."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("OBSERVE_APP_DATA_DIR", None)
# Subprocesses (the CLI, crash and lock helpers) import this checkout whatever their cwd.
_ROOT = str(Path(__file__).resolve().parent.parent)
os.environ["PYTHONPATH"] = os.pathsep.join(
    p for p in (_ROOT, os.environ.get("PYTHONPATH", "")) if p)

from observe_app.storage.engine import Database  # noqa: E402
from observe_app.storage.opening import open_database  # noqa: E402


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture
def db(data_dir: Path) -> Iterator[Database]:
    """A fresh, migrated database with the built-in protocols installed."""
    from observe_app.services import protocols

    database = open_database(data_dir)
    with database.transaction() as s:
        protocols.install_builtins(s)
    yield database
    database.close()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo school, built once per test run; tests get their own copy (demo_db)."""
    from observe_app.services import demo

    folder = tmp_path_factory.mktemp("demo-template")
    with open_database(folder) as database, database.transaction() as s:
        demo.build_demo(s)
    return folder


@pytest.fixture
def demo_dir(demo_template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "demo"
    shutil.copytree(demo_template, target)
    return target


@pytest.fixture
def demo_db(demo_dir: Path) -> Iterator[Database]:
    database = open_database(demo_dir)
    yield database
    database.close()


@pytest.fixture
def observation(db: Database) -> tuple[str, list[str]]:
    """An open observation in `db` and the ids of its protocol's items."""
    from observe_app.services import cycles, observations, people, protocols

    with db.transaction() as s:
        summary = protocols.find_protocol(s, "peer-observation")
        version = protocols.get_version(s, summary.latest_version_id)
        teacher = people.add_person(s, "Zoë Παπαδοπούλου")
        observer = people.add_person(s, "Ivan Petrov")
        cycle = cycles.plan_cycle(s, teacher_id=teacher.id, observer_id=observer.id,
                                  protocol_version_id=version.id, focus="faults")
        obs = observations.start_observation(s, cycle.id, subject="History")
    return obs.id, [i.id for i in version.items]
