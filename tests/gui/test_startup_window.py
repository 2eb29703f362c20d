"""Start-up in the window: the check after the first paint, a damaged database shown with the
way back (restore the newest good backup, or read-only), backups, restore and the crash dialog."""

from __future__ import annotations

import hashlib
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
                            controller.backend is not None or controller.damaged_page is not None))
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


def test_a_damaged_database_is_shown_with_the_way_back_and_restored(started, demo_dir, qtbot):
    good = autobackup.backup_now(demo_dir, "startup")
    db_path = database_path(demo_dir)
    corrupt_middle_page(db_path)
    before = _digest(db_path)

    window, controller = started(demo_dir)
    page = controller.damaged_page
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
    qtbot.mouseClick(controller.damaged_page.read_only_button, Qt.MouseButton.LeftButton)
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
    QTimer.singleShot(0, lambda: fill(QApplication.activeModalWidget()))
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
                                                                  tmp_path):
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
    window.data_menu.restore_action.trigger()
    qtbot.waitUntil(lambda: controller.backend is not None and controller.backend is not backend,
                    timeout=10_000)
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
    page = controller.damaged_page
    assert page is not None and "empty (0 bytes)" in page.explanation.text()
    assert not page.read_only_button.isEnabled()  # there is nothing to read
    assert db_path.stat().st_size == 0
    assert autobackup.list_backups(demo_dir) == [good]  # no backup of the empty file
    qtbot.mouseClick(page.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: controller.backend is not None, timeout=10_000)
    assert _count(db_path, "notes") == _count(good, "notes") > 0
