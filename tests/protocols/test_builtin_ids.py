"""A built-in protocol is never changed by an import, and a start never goes over a user's one.

Before: a file with a built-in's id became a new version of the built-in, and the next start
put the built-in back over it without a word.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from observe_app import cli
from observe_app.protocols import loader
from observe_app.services import protocols
from observe_app.storage.opening import open_database
from tests.cli.conftest import Result, run_cli


@pytest.fixture
def observe(capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """`observe(*args, data_dir=D)`: the command line in this process (a second each saved)."""
    def run(*args: object, data_dir: Path) -> Result:
        capsys.readouterr()
        code = cli.main(["--data-dir", str(data_dir), *map(str, args)])
        out, err = capsys.readouterr()
        return Result(code, out, err)
    return run


def _files(data: Path) -> bytes:
    return b"".join(p.read_bytes() if p.exists() else b"-"
                    for p in (data / "observe.db", data / "observe.db-wal"))


def _listed(observe, data: Path) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    result = observe("protocols", "list", "--json", data_dir=data)
    assert result.code == 0, result.err
    return {p["slug"]: p for p in json.loads(result.out)}


def _changed_walk(tmp_path: Path, **changes: object) -> Path:
    document = json.loads(loader.resource_path("protocols", "learning-walk.json")
                          .read_text(encoding="utf-8"))
    document["sections"][0]["items"][0]["label"] = "Today's goal is on the board"
    document.update(changes)
    path = tmp_path / "our walk.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_a_file_with_a_builtin_id_is_refused_with_the_way_to_import_it_as_a_copy(
        observe, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "d"
    assert observe("protocols", "list", data_dir=data).code == 0
    before = _files(data)
    result = run_cli("protocols", "import", _changed_walk(tmp_path), data_dir=data)  # for real
    assert result.code == 2 and result.out == ""
    assert result.err == (
        "error: our walk.json: the id 'learning-walk' belongs to the built-in protocol "
        "Learning walk, which cannot be changed, so nothing was imported; import the file as "
        "a copy to keep it as a protocol of your own: observe-app protocols import "
        f"'{tmp_path / 'our walk.json'}' --as-copy\n")
    assert _files(data) == before


def test_as_copy_keeps_the_builtin_and_names_the_new_id(observe, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "d"
    path = _changed_walk(tmp_path)
    result = observe("protocols", "import", path, "--as-copy", data_dir=data)
    assert result.code == 0, result.err
    assert result.out == ("Imported Learning walk (copy) as a copy with the id "
                          "learning-walk-copy, version 1, 8 items.\n")
    # The same file again finds its copy; a file with a name of its own keeps that name.
    again = observe("protocols", "import", path, "--as-copy", data_dir=data)
    assert "learning-walk-copy, unchanged" in again.out, again.err
    named = _changed_walk(tmp_path, name="Our learning walk", description="Ours")
    third = observe("protocols", "import", named, "--as-copy", data_dir=data)
    assert third.out.startswith("Imported Our learning walk as a copy with the id "
                                "learning-walk-copy-2, version 1"), third.err
    listed = _listed(observe, data)
    assert listed["learning-walk"]["builtin"] and listed["learning-walk"]["version"] == 1
    assert listed["learning-walk-copy"]["name"] == "Learning walk (copy)"
    assert not listed["learning-walk-copy"]["builtin"]
    # The next start leaves everything as it is (before, it put the built-in back on top).
    assert _listed(observe, data) == listed
    exported = tmp_path / "copy.json"
    assert observe("protocols", "export", "learning-walk-copy", exported, data_dir=data).code == 0
    assert json.loads(exported.read_text(encoding="utf-8"))["sections"][0]["items"][0][
        "label"] == "Today's goal is on the board"


def test_the_builtin_itself_imports_as_unchanged(observe, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "d"
    source = loader.resource_path("protocols", "peer-observation.json")
    result = observe("protocols", "import", source, data_dir=data)
    assert result.code == 0 and "(peer-observation), unchanged" in result.out, result.err


def test_a_users_protocol_takes_new_versions_as_before(observe, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "d"
    path = _changed_walk(tmp_path, id="our-walk", name="Our walk")
    assert "version 1" in observe("protocols", "import", path, data_dir=data).out
    path.write_text(path.read_text(encoding="utf-8").replace("on the board", "on the wall"),
                    encoding="utf-8")
    assert "version 2" in observe("protocols", "import", path, data_dir=data).out


def test_a_start_never_puts_a_builtin_over_a_users_protocol(
        data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with open_database(data_dir) as db:
        with db.transaction() as s:
            protocols.install_builtins(s)
            mine = protocols.import_document(s, loader.load_file(
                _changed_walk(tmp_path, id="our-walk", name="Our walk")))
        document = json.loads(loader.resource_path("protocols", "learning-walk.json")
                              .read_text(encoding="utf-8"))
        document.update(id="our-walk", name="Walk (shipped with the app)")
        shipped_path = tmp_path / "our-walk.json"
        shipped_path.write_text(json.dumps(document), encoding="utf-8")
        shipped = loader.builtin_files()
        monkeypatch.setattr(loader, "builtin_files", lambda: [*shipped, shipped_path])
        protocols._builtin_ids.cache_clear()
        try:
            for _start in range(2):
                with db.transaction() as s:
                    added = protocols.install_builtins(s)
                assert len(added) == (1 if _start == 0 else 0)
            with db.transaction() as s:
                ours = protocols.find_protocol(s, "our-walk")
                beside = protocols.find_protocol(s, "our-walk-built-in")
                label = protocols.get_version(s, ours.latest_version_id).items[0].label
        finally:
            protocols._builtin_ids.cache_clear()
    assert (ours.id, ours.name, ours.builtin, ours.latest_version) == (
        mine.protocol.id, "Our walk", False, 1)
    assert label == "Today's goal is on the board"
    assert beside.builtin and beside.name == "Walk (shipped with the app)"


def test_a_database_where_an_old_import_went_over_a_builtin_keeps_that_version(
        data_dir: Path) -> None:
    """Databases written before this fix may hold a user's version on top of a built-in: the
    start must not bury it under the built-in again (nor add a version at every start)."""
    with open_database(data_dir) as db:
        with db.transaction() as s:
            protocols.install_builtins(s)
            document = protocols.export_document(s, "learning-walk")
            document["sections"][0]["items"][0]["label"] = "Edited before the fix"
            builtin = s.scalar(protocols.select(protocols.Protocol)
                               .where(protocols.Protocol.slug == "learning-walk"))
            protocols._store(s, builtin, document, builtin=False)  # what the old import did
        with db.transaction() as s:
            assert protocols.install_builtins(s) == []
            walk = protocols.find_protocol(s, "learning-walk")
            label = protocols.get_version(s, walk.latest_version_id).items[0].label
    assert walk.latest_version == 2 and label == "Edited before the fix"
