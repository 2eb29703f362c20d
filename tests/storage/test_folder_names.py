"""A data folder named with characters that mean something in a URI (`#`, `?`, `%`, a space)
is that folder: SQLite is never handed a name it reads as another file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from observe_app import cli
from observe_app.storage import autobackup, backup, migrate
from observe_app.storage.opening import open_database
from observe_app.storage.paths import database_path


@pytest.mark.parametrize("name", ["school #2", "what?now", "100%41", "a b"])
def test_every_storage_path_opens_the_folder_it_is_given(
        name: str, demo_template: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / name / "data"
    shutil.copytree(demo_template, folder)
    people_before = backup.table_names(database_path(folder))
    assert "people" in people_before

    made = autobackup.backup_now(folder, "startup")  # through backup.connect and rotation
    assert {"people", "notes"} <= backup.table_names(made)
    out = tmp_path / "copy.db"
    assert cli.main(["--data-dir", str(folder), "backup", "--out", str(out)]) == 0
    assert backup.integrity_problems(out) == []
    assert backup.schema_revision(out) == migrate.HEAD
    with open_database(folder, read_only=True) as db, db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM people").scalar() > 0
    assert cli.main(["--data-dir", str(folder), "restore", str(out)]) == 0
    assert cli.main(["--data-dir", str(folder), "check"]) == 0
    assert "integrity ok, schema" in capsys.readouterr().out
    # Nothing was made beside the folder under a name cut at the special character.
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["copy.db", name])
