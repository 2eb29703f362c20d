"""The window holds its data folder shared while the database is open, and its restore takes
the folder alone: while a command uses the folder, Data ▸ Restore says why in one sentence and
changes nothing; once the command has finished, the restore goes through."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from observe_app import app as app_module
from observe_app.gui import tasks
from observe_app.gui.main_window import MainWindow
from observe_app.storage import backup
from observe_app.storage.folder_lock import WINDOW, holders
from observe_app.storage.paths import database_path
from tests.cli.conftest import run_cli
from tests.gui.conftest import FakeClock
from tests.processes import finish

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX locks in the helper")

COMMAND = textwrap.dedent("""
    import sys
    from pathlib import Path
    from observe_app.storage.folder_lock import FolderLock
    lock = FolderLock(Path(sys.argv[1]), "observe-app people import").share()
    print("held", flush=True)
    sys.stdin.readline()
    lock.release()
""")


def _bytes(db: Path) -> list[str]:
    return [hashlib.sha256(p.read_bytes()).hexdigest() if p.exists() else ""
            for p in (db, db.with_name(db.name + "-wal"))]


@pytest.mark.slow
def test_restore_in_the_window_waits_for_no_one_and_changes_nothing_while_a_command_runs(
        qtbot, demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    controller = app_module.AppController(window, demo_dir, FakeClock())
    fatal: list[str] = []
    controller.on_fatal = fatal.append
    controller.start()
    qtbot.waitUntil(lambda: controller.last_backup is not None or bool(fatal), timeout=20_000)
    assert not fatal
    db = database_path(demo_dir)
    saved = backup.backup_to(db, tmp_path / "saved.db")
    controller.backend.people.add_person("Added After Backup")
    assert [(h["command"], h["pid"]) for h in holders(demo_dir)] == [(WINDOW, os.getpid())]

    # A command started from a terminal cannot restore under the open window either.
    refused = run_cli("restore", saved, data_dir=demo_dir)
    assert refused.code == 5 and refused.err.count("\n") == 1
    assert (f"restore needs the data folder {demo_dir} to itself, but the Observe window "
            f"(process {os.getpid()}) is using it") in refused.err

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: (
        shown.append(text) or QMessageBox.StandardButton.Ok))
    window.data_menu.ask_restore_path = lambda: str(saved)
    window.data_menu.confirm_restore = lambda path: True
    command = subprocess.Popen([sys.executable, "-c", COMMAND, str(demo_dir)], text=True,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert command.stdout is not None and command.stdout.readline().strip() == "held"
        before = _bytes(db)
        backend = controller.backend
        window.data_menu.restore_action.trigger()
        assert shown == [
            f"Restore needs the data folder {demo_dir} to itself, but `observe-app people "
            f"import` (process {command.pid}) is using it; try again when it has finished. "
            "Nothing was changed."]
        assert controller.backend is backend and window.isEnabled()  # still open, as it was
        assert _bytes(db) == before
        assert "Added After Backup" in [p.name for p in backend.people.list_people()]
    finally:
        assert command.stdin is not None
        command.stdin.close()
        finish(command)

    window.data_menu.restore_action.trigger()  # the command has finished: now it goes through
    qtbot.waitUntil(lambda: controller.backend not in (None, backend), timeout=20_000)
    assert "Added After Backup" not in [p.name for p in controller.backend.people.list_people()]
    assert [(h["command"], h["exclusive"]) for h in holders(demo_dir)] == [(WINDOW, False)]
    qtbot.waitUntil(lambda: not tasks.busy(), timeout=10_000)
    controller.close()
    assert holders(demo_dir) == []
