"""Start-up in the window: the check after the first paint, a damaged database shown with the
way back (restore the newest good backup, or read-only), backups, restore and the crash dialog."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from observe_app import app as app_module
from observe_app.errors import ReadOnlyError
from observe_app.gui import tasks
from observe_app.gui.main_window import MainWindow
from observe_app.storage import autobackup, backup, startup
from observe_app.storage.paths import backup_dir, database_path
from tests.gui.conftest import FakeClock, activate, start_visit, type_text
from tests.gui.modal import when_modal
from tests.storage.test_startup_check import corrupt_middle_page


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _count(path: Path, table: str) -> int:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


@pytest.fixture
def started(qtbot):
    """started(data_dir) → (window, controller) once the start-up check has answered."""
    made = []

    def make(data_dir: Path):
        window = MainWindow()
        qtbot.addWidget(window)
        window.resize(1280, 720)
        window.show()
        controller = app_module.AppController(window, data_dir, FakeClock())
        fatal: list[str] = []
        controller.on_fatal = fatal.append
        made.append(controller)
        controller.start()
        # The window may open an up-to-date database at once; wait for the check's answer.
        qtbot.waitUntil(lambda: (controller.status is not None and (
                            controller.backend is not None or controller.problem_page is not None))
                        or bool(fatal), timeout=10_000)
        assert not fatal
        activate(window)
        return window, controller

    yield make
    qtbot.waitUntil(lambda: not tasks.busy(), timeout=10_000)
    for controller in made:
        controller.close()


def test_a_sound_database_opens_and_is_backed_up_in_the_background(started, demo_dir, qtbot):
    window, controller = started(demo_dir)
    assert not controller.backend.read_only and window.backend is controller.backend
    qtbot.waitUntil(lambda: controller.last_backup is not None, timeout=10_000)
    [made] = autobackup.list_backups(demo_dir)
    assert made.name.endswith("-startup.db") and made == controller.last_backup
    assert backup.integrity_problems(made) == []
    assert window.data_menu.backup_action.isEnabled()


def test_a_folder_copied_elsewhere_takes_its_own_replica_id_when_the_window_opens_it(
        started, demo_dir, tmp_path, qtbot):
    """Two laptops stamping edits with one id could not tell them apart in a merge."""
    import sqlite3

    def replica(folder: Path) -> tuple[str, str]:
        conn = sqlite3.connect(folder / "observe.db")
        try:
            return conn.execute("SELECT replica_id, home FROM sync_replica").fetchone()
        finally:
            conn.close()

    window, controller = started(demo_dir)
    qtbot.waitUntil(lambda: not tasks.busy(), timeout=10_000)  # checked, backed up, claimed
    first_id, home = replica(demo_dir)
    assert str(demo_dir.resolve()) in home
    controller.close()
    copy = shutil.copytree(demo_dir, tmp_path / "on-another-laptop")
    started(copy)
    qtbot.waitUntil(lambda: not tasks.busy(), timeout=10_000)
    assert replica(copy)[0] != first_id and str(copy.resolve()) in replica(copy)[1]
    assert replica(demo_dir)[0] == first_id


def test_a_second_start_with_nothing_changed_writes_no_backup_and_says_so(
        started, demo_dir, qtbot):
    first = autobackup.backup_now(demo_dir, "startup")
    window, controller = started(demo_dir)
    qtbot.waitUntil(lambda: controller.last_backup is not None, timeout=10_000)
    assert autobackup.list_backups(demo_dir) == [first] == [controller.last_backup]
    qtbot.waitUntil(lambda: "No new backup needed" in window.messages.text(), timeout=5_000)
    assert "Backup written" not in window.messages.text()


def test_a_damaged_database_is_shown_with_the_way_back_and_restored(started, demo_dir, qtbot):
    good = autobackup.backup_now(demo_dir, "startup")
    db_path = database_path(demo_dir)
    corrupt_middle_page(db_path)
    before = _digest(db_path)

    window, controller = started(demo_dir)
    page = controller.problem_page
    assert page is not None and window.stack.currentWidget() is page
    assert controller.backend is None and controller.database is None  # the window let go
    assert "damaged" in page.explanation.text() and str(db_path) in page.explanation.text()
    label = app_module._backup_label(good)
    assert page.restore_button.text() == f"Restore the newest good backup ({label})"
    assert page.restore_button.isEnabled() and page.read_only_button.isEnabled()
    assert _digest(db_path) == before  # never overwritten

    qtbot.mouseClick(page.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: controller.backend is not None, timeout=10_000)
    assert window.stack.currentWidget() is window.home
    assert startup.check_database(demo_dir).ok
    [kept] = backup_dir(demo_dir).glob("damaged-*.db")
    assert _digest(kept) == before  # the damaged file is set aside exactly as it was
    assert _count(db_path, "notes") == _count(good, "notes")
    assert window.observe_page.model.rowCount() > 0  # the data is back in the window


def test_a_damaged_database_opens_read_only_with_a_banner_and_refuses_writes(
        started, demo_dir, qtbot):
    autobackup.backup_now(demo_dir, "startup")
    db_path = database_path(demo_dir)
    corrupt_middle_page(db_path)
    before = _digest(db_path)
    window, controller = started(demo_dir)
    qtbot.mouseClick(controller.problem_page.read_only_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: controller.backend is not None)
    assert controller.backend.read_only
    banner = window.data_menu.banner
    assert banner is not None and banner.isVisible()
    assert "Read-only" in window.data_menu.banner_label.text()
    assert not window.data_menu.backup_action.isEnabled()

    # A user tries to add a teacher: the dialog says why, keeps what was typed.
    window.show_page(2)

    def fill(dialog):
        type_text(dialog.ui.name_edit, "Nadia Rahman")
        dialog.ui.buttons.button(dialog.ui.buttons.StandardButton.Save).click()
        seen.append((dialog.ui.error_label.text(), dialog.ui.name_edit.text()))
        dialog.reject()

    seen: list[tuple[str, str]] = []
    when_modal(fill)
    QTest.keyClick(window.teachers_page.table, Qt.Key.Key_A,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    [(error, typed)] = seen
    assert "read-only" in error and "Restore from backup" in error
    assert typed == "Nadia Rahman"
    with pytest.raises(ReadOnlyError):
        controller.backend.people.add_person("Someone")
    controller.close()
    assert _digest(db_path) == before


def test_ending_a_visit_and_back_up_now_and_restore_from_the_menu(started, demo_dir, qtbot,
                                                                  tmp_path, monkeypatch):
    window, controller = started(demo_dir)
    qtbot.waitUntil(lambda: controller.last_backup is not None, timeout=10_000)
    backend = controller.backend
    obs_id = start_visit(backend, "peer-observation")
    window.open_observation(obs_id)
    window.live_view.confirm_end = lambda: True
    activate(window)
    type_text(window.live_view.note_edit, "last note of the lesson")
    QTest.keyClick(window.live_view.note_edit, Qt.Key.Key_Return)
    QTest.keyClick(window.live_view.note_edit, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert window.live_view is None
    qtbot.waitUntil(lambda: controller.last_backup is not None
                    and controller.last_backup.name.endswith("-after-observation.db"),
                    timeout=10_000)
    after = controller.last_backup
    assert backup.integrity_problems(after) == []
    conn = sqlite3.connect(f"file:{after}?mode=ro", uri=True)
    assert conn.execute("SELECT count(*) FROM notes WHERE text = 'last note of the lesson'"
                        ).fetchone()[0] == 1
    conn.close()

    # Back up now… to a file of the user's choosing.
    target = tmp_path / "copy.db"
    window.data_menu.ask_backup_path = lambda: str(target)
    window.data_menu.backup_action.trigger()
    qtbot.waitUntil(lambda: controller.last_backup == target, timeout=10_000)
    assert backup.integrity_problems(target) == []

    # A teacher added afterwards is gone once that backup is restored (after confirmation).
    backend.people.add_person("Added After Backup")
    asked: list[str] = []
    window.data_menu.ask_restore_path = lambda: str(target)
    window.data_menu.confirm_restore = lambda path: asked.append(path) or False
    window.data_menu.restore_action.trigger()
    assert asked == [str(target)] and controller.backend is backend  # "No": nothing happens
    window.data_menu.confirm_restore = lambda path: True
    refused: list[str] = []  # a refusal's message box would wait for a click forever
    monkeypatch.setattr(QMessageBox, "warning",
                        lambda parent, title, text, *a: refused.append(text))
    window.data_menu.restore_action.trigger()
    qtbot.waitUntil(lambda: refused or (
        controller.backend is not None and controller.backend is not backend), timeout=10_000)
    assert refused == []
    names = [p.name for p in controller.backend.people.list_people()]
    assert "Added After Backup" not in names
    assert list(backup_dir(demo_dir).glob("*-before-restore.db"))  # the way back again


def test_an_unexpected_error_shows_the_log_file_and_the_window_stays(qtbot, tmp_path):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    log_path = tmp_path / "logs" / "observe.log"
    old = __import__("sys").excepthook
    seen: list[str] = []

    def read_and_close():
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append(box.text())
        seen.append(" ".join(b.text() for b in box.buttons()))
        box.accept()

    try:
        hook = app_module.install_crash_dialog(window, log_path)
        QTimer.singleShot(0, read_and_close)
        try:
            raise RuntimeError("a bug")
        except RuntimeError as exc:
            hook(RuntimeError, exc, exc.__traceback__)
    finally:
        __import__("sys").excepthook = old
    assert str(log_path) in seen[0] and "go on working" in seen[0]
    assert "Copy log path" in seen[1] and "Open log folder" in seen[1]
    assert window.isVisible()


def test_an_emptied_database_shows_the_way_back_and_is_never_started_afresh(
        started, demo_dir, qtbot):
    good = autobackup.backup_now(demo_dir, "startup")
    db_path = database_path(demo_dir)
    for side in ("-wal", "-shm"):
        db_path.with_name(db_path.name + side).unlink(missing_ok=True)
    db_path.write_bytes(b"")  # a failing disk, a sync tool, a bad copy

    window, controller = started(demo_dir)
    page = controller.problem_page
    assert page is not None and "empty (0 bytes)" in page.explanation.text()
    assert not page.read_only_button.isEnabled()  # there is nothing to read
    assert db_path.stat().st_size == 0
    assert autobackup.list_backups(demo_dir) == [good]  # no backup of the empty file
    qtbot.mouseClick(page.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: controller.backend is not None, timeout=10_000)
    assert _count(db_path, "notes") == _count(good, "notes") > 0


# -- honest diagnoses: only damage is "damaged", only damage offers a restore ---------------------

def _assert_read_only_with_the_reason(window, controller, folder: Path) -> None:
    assert controller.backend is not None and controller.backend.read_only
    assert controller.problem_page is None  # no damaged page, no Restore
    assert window.stack.currentWidget() is window.home
    menu = window.data_menu
    assert menu.banner is not None and menu.banner.isVisible()
    text = menu.banner_label.text()
    assert text.startswith("Read-only: the data folder") and str(folder) in text
    assert "nothing you change can be saved" in text and "make the folder writable" in text
    assert "damaged" not in text.lower()
    assert not menu.restore_action.isEnabled() and not menu.backup_action.isEnabled()
    assert window.observe_page.model.rowCount() > 0  # the data is there to browse
    with pytest.raises(ReadOnlyError, match="cannot be written"):
        controller.backend.people.add_person("Nadia Rahman")


def test_a_read_only_folder_opens_read_only_with_the_reason_on_top(
        started, demo_template, tmp_path, qtbot):
    from tests.storage.test_diagnoses import _read_only_mount

    folder = tmp_path / "data"
    with contextlib.ExitStack() as stack:
        _read_only_mount(folder, demo_template, stack)
        before = _digest(database_path(folder))
        window, controller = started(folder)
        _assert_read_only_with_the_reason(window, controller, folder)
        controller.close()
        assert _digest(database_path(folder)) == before


def test_a_folder_that_cannot_be_written_opens_read_only_injected(
        started, demo_dir, qtbot, monkeypatch):
    """The same through os.access (runs without root or mount): the real classification."""
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, *a, **k: False if mode & os.W_OK and
                        Path(p).resolve().is_relative_to(demo_dir.resolve())
                        else real_access(p, mode, *a, **k))
    before = _digest(database_path(demo_dir))
    window, controller = started(demo_dir)
    _assert_read_only_with_the_reason(window, controller, demo_dir)
    # The demo left a visit open: read-only, it cannot be resumed, so it is not offered.
    observe_page = window.observe_page
    assert observe_page._open and not observe_page.resume_bar.isVisible()
    controller.close()
    assert _digest(database_path(demo_dir)) == before


def test_a_locked_database_says_so_with_try_again_and_opens_once_free(
        started, demo_dir, qtbot):
    from tests.storage.test_diagnoses import hold_exclusive_lock

    db_path = database_path(demo_dir)
    with contextlib.ExitStack() as holder:
        hold_exclusive_lock(db_path, holder)
        before = _digest(db_path)
        window, controller = started(demo_dir)
        page = controller.problem_page
        assert page is not None and window.stack.currentWidget() is page
        assert page.title.text() == "The database is in use by another program"
        assert str(db_path) in page.explanation.text()
        assert "did not read or change anything" in page.explanation.text()
        assert page.restore_button is None and page.read_only_button is None
        assert page.retry_button.text() == "Try again" and page.first_way() is page.retry_button
        assert page.retry_button.hasFocus()
        assert not window.data_menu.restore_action.isEnabled()  # no restore over a sound file
        assert controller.backend is None
        assert _digest(db_path) == before
    qtbot.mouseClick(page.retry_button, Qt.MouseButton.LeftButton)  # the other program closed
    qtbot.waitUntil(lambda: controller.backend is not None, timeout=10_000)
    assert controller.problem_page is None and window.stack.currentWidget() is window.home
    assert not controller.backend.read_only
    assert window.data_menu.restore_action.isEnabled()


@pytest.fixture
def dialogs(monkeypatch):
    """QMessageBox.critical recorded instead of shown; the crash hook and log put back after."""
    import logging
    import sys

    seen: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "critical",
                        lambda parent, title, text, *a: seen.append((title, text)) or
                        QMessageBox.StandardButton.Ok)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    yield seen
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "_observe_handler", False)]:
        root.removeHandler(handler)
        handler.close()
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, MainWindow):
            widget.deleteLater()
    QApplication.processEvents()


def test_a_data_folder_that_cannot_be_made_is_a_dialog_and_a_non_zero_exit(dialogs, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder's parent should be", "utf-8")
    code = app_module.run(str(blocker / "data"))
    assert code != 0
    [(title, text)] = dialogs
    assert title == "Observe cannot start"
    assert text.startswith("Cannot create the data folder") and str(blocker / "data") in text
    assert "\n" not in text and text.endswith(".")


def test_a_folder_at_the_database_path_is_a_dialog_and_exit_9(dialogs, tmp_path):
    folder = tmp_path / "data"
    (folder / "observe.db").mkdir(parents=True)
    assert app_module.run(str(folder)) == 9
    [(title, text)] = dialogs
    assert title == "Observe cannot open its data"
    assert "is a folder, not a database file" in text and "damaged" not in text
    assert (folder / "observe.db").is_dir() and not list((folder / "observe.db").iterdir())


WINDOW_DRIVER = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox
from observe_app import app

QMessageBox.critical = staticmethod(lambda p, title, text, *a: print("DIALOG", title, "|", text)
                                   or QMessageBox.StandardButton.Ok)
mode = sys.argv[2]
real_start = app.AppController.start


def start(self):
    real_start(self)
    if mode == "close-while-checking":
        QTimer.singleShot(300, self.window.close)
    elif mode == "report":
        report(self)


def report(self):
    if self.status is None:  # the check has not answered yet
        QTimer.singleShot(100, lambda: report(self))
        return
    menu = self.window.data_menu
    shown = menu.banner is not None and menu.banner.isVisible()
    print("READ_ONLY", bool(self.backend and self.backend.read_only),
          "PAGE", self.problem_page is not None, "RESTORE", menu.restore_action.isEnabled())
    print("BANNER", menu.banner_label.text() if shown else "")
    self.window.close()


app.AppController.start = start
sys.exit(app.run(sys.argv[1]))
"""


def _window(data_dir: Path, mode: str = "run", user: list[str] | None = None):
    """The window as a user starts it (`observe-app`), in its own process, with the dialogs
    it would show printed instead."""
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "OBSERVE_APP_DATA_DIR"}
    return subprocess.run([*(user or []), sys.executable, "-c", WINDOW_DRIVER, str(data_dir),
                           mode], capture_output=True, text=True, env=env, timeout=20)


def _the_dialog(result, code: int) -> str:  # type: ignore[no-untyped-def]
    """The one dialog the window showed before it exited with `code`, and nothing on stderr
    that a user would see as a crash."""
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr and "Logging error" not in result.stderr
    [line] = [x for x in result.stdout.splitlines() if x.startswith("DIALOG")]
    return line


@pytest.mark.slow
def test_a_read_only_folder_starts_the_window_without_its_lock(demo_template, tmp_path):
    """The lock file cannot be written there either: the window still starts, read-only."""
    from tests.storage.test_diagnoses import copy_school, mount_tmpfs, remount_read_only

    folder = tmp_path / "data"
    with contextlib.ExitStack() as stack:
        mount_tmpfs(folder, "16m", stack)
        copy_school(demo_template, folder)
        remount_read_only(folder)
        before = _digest(database_path(folder))
        result = _window(folder, "report")
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr and "DIALOG" not in result.stdout
        lines = result.stdout.splitlines()
        assert "READ_ONLY True PAGE False RESTORE False" in lines, result.stdout
        assert f"BANNER Read-only: the data folder {folder} cannot be written" in result.stdout
        assert _digest(database_path(folder)) == before


@pytest.mark.slow
def test_a_database_the_user_cannot_read_is_a_dialog(demo_template):
    from tests.storage.test_diagnoses import _no_permission, shared_folder

    with contextlib.ExitStack() as stack:
        folder = shared_folder(stack) / "data"
        user = _no_permission(folder, demo_template, stack)
        before = _digest(database_path(folder))
        result = _window(folder, user=user)
        line = _the_dialog(result, 8)
        assert line.startswith("DIALOG Observe cannot open its data | Observe is not allowed "
                               f"to read {database_path(folder)}")
        assert "damaged" not in line and "restore" not in line.lower()
        assert _digest(database_path(folder)) == before


@pytest.mark.slow
def test_a_full_disk_at_start_is_a_dialog_not_a_traceback(demo_template, tmp_path):
    from tests.storage.test_diagnoses import _disk_full

    folder = tmp_path / "data"
    with contextlib.ExitStack() as stack:
        _disk_full(folder, demo_template, stack)
        before = _digest(database_path(folder))
        line = _the_dialog(_window(folder), 7)
        assert line.startswith("DIALOG Observe cannot start | The disk holding")
        assert "is full" in line and "Free some space" in line
        assert _digest(database_path(folder)) == before


@pytest.mark.slow
def test_closing_the_window_while_the_check_runs_logs_nothing_unexpected(demo_dir):
    from tests.storage.test_diagnoses import hold_exclusive_lock

    with contextlib.ExitStack() as holder:  # the check waits on the lock while the window goes
        hold_exclusive_lock(database_path(demo_dir), holder)
        result = _window(demo_dir, "close-while-checking")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    logged = (demo_dir / "logs" / "observe.log").read_text("utf-8")
    assert "database open" not in logged  # it closed before the check answered
    assert not [line for line in logged.splitlines()
                if " WARNING " in line or " ERROR " in line or "Traceback" in line], logged


def test_a_check_answering_during_a_restore_is_dropped(started, demo_dir, qtbot):
    """A start-up check read the file a restore is now replacing: its answer would reopen the
    old database mid-restore, so it is not acted on (the restore opens the new file)."""
    window, controller = started(demo_dir)
    answers: list[object] = []
    controller._restoring = True
    controller._check(answers.append)
    qtbot.waitUntil(lambda: not tasks.busy(), timeout=10_000)
    QTest.qWait(50)
    assert answers == []
    controller._restoring = False
    controller._check(answers.append)
    qtbot.waitUntil(lambda: bool(answers), timeout=10_000)
