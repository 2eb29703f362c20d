"""Composition root: settings, database and main window are wired together here and only here.

Start-up, in order: the data folder's instance lock (a second start hands over to the window
already open and exits; a folder no one can write is opened without it), the window painted
empty, then in a worker the start-up check (storage.startup); a sound database is opened and
backed up (in a worker), a damaged one is shown with the way back (restore the newest good
backup, or open it read-only), a locked one with "Try again", one in a folder that cannot be
written or on a full disk opens read-only with the reason on top, and what cannot be opened
at all is a dialog and a non-zero exit. Never overwritten. SQLAlchemy and the services are
imported only after the first paint.
From the first open of the database until it closes, the window holds the data folder shared
(storage.folder_lock), so no command restores or migrates it underneath; its own restore holds
it alone.
"""

from __future__ import annotations

import errno
import logging
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

# How long closing the window waits for work still running (a check stops within moments).
CLOSE_WAIT_MS = 15_000


def install_crash_dialog(window: Any, log_path: Path | None) -> Callable[..., None]:
    """sys.excepthook for the window: a known error is a message, anything else a crash dialog
    offering the log file; either way the window stays open and the work goes on."""
    from PySide6.QtCore import Qt, QUrl
    from PySide6.QtGui import QDesktopServices, QGuiApplication
    from PySide6.QtWidgets import QMessageBox

    from observe_app.errors import ObserveError

    showing: list[bool] = []

    def hook(kind: type[BaseException], value: BaseException, tb: Any) -> None:
        if isinstance(value, ObserveError):
            log.info("refused: %s", kind.__name__)
            QMessageBox.warning(window, window.tr("Not done"), value.sentence())
            return
        log.error("unexpected error", exc_info=(kind, value, tb))
        if showing:  # an error while the dialog is up: logged, not stacked
            return
        where = str(log_path) if log_path else window.tr("(no log file: the data folder "
                                                         "cannot be written)")
        box = QMessageBox(QMessageBox.Icon.Critical, window.tr("Something went wrong"),
                          window.tr("Observe met an error it did not expect. Your notes up to "
                                    "now are saved, and you can go on working.\n\nThe details "
                                    "are in the log file:\n{log}\nPlease send it with a word "
                                    "on what you were doing.").format(log=where),
                          QMessageBox.StandardButton.Ok, window)
        box.setObjectName("crashDialog")
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.setDetailedText("".join(traceback.format_exception(kind, value, tb)))
        if log_path:
            copy = box.addButton(window.tr("Copy log path"), QMessageBox.ButtonRole.ActionRole)
            folder = box.addButton(window.tr("Open log folder"),
                                   QMessageBox.ButtonRole.ActionRole)
            copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(str(log_path)))
            folder.clicked.connect(lambda: QDesktopServices.openUrl(
                QUrl.fromLocalFile(str(log_path.parent))))
        showing.append(True)
        try:
            box.exec()
        finally:
            showing.clear()

    sys.excepthook = hook
    return hook


class AppController:
    """Opens the data folder behind the window and answers its Data menu. No Qt subclass: the
    window's signals call it, slow work goes through `gui.tasks.run_in_background`."""

    def __init__(self, window: Any, data_dir: Path, clock: Any = None,
                 instance_lock: Any = None) -> None:
        from observe_app.storage.folder_lock import WINDOW, FolderLock

        self.window = window
        self.data_dir = data_dir
        self.clock = clock
        # Shared from the first open of the database until the window closes; exclusive for a
        # restore. Every replacing operation also needs the instance lock, which the window
        # holds, so the shared hold never has to wait long: a second at most.
        self.folder_lock = FolderLock(data_dir, WINDOW, instance_lock=instance_lock, wait_s=1.0)
        self.database: Any = None
        self.backend: Any = None
        self.problem_page: Any = None
        self.status: Any = None
        self.last_backup: Path | None = None
        self.on_fatal: Callable[[Any], None] = lambda error: None  # an ObserveError
        self._closing = threading.Event()  # stops a start-up check still reading the file
        # While a restore replaces the file, a start-up check still running answers about the
        # file it read before: its answer is dropped (the restore opens the new one itself).
        self._restoring = False
        window.data_menu.backup_requested.connect(self.backup_to)
        window.data_menu.restore_requested.connect(self.restore_from_file)
        window.observation_finished.connect(lambda _id: self.auto_backup("after-observation"))

    def _status(self, text: str, priority: str = "routine", timeout_ms: int = 0) -> None:
        """A status-bar message through the window's queue (an error stays until seen)."""
        from observe_app.gui.status_messages import Priority

        self.window.messages.show(text, Priority[priority.upper()], timeout_ms)

    # -- start-up ------------------------------------------------------------------------------

    def start(self) -> None:
        """Open the database and check it: an up-to-date one opens at once while the check (it
        reads the whole file, seconds on a big one) runs alongside in a worker; one that needs
        migrating is checked first, as nothing may write to a damaged file. What the file system
        alone settles (a folder or a pipe at the database's path, no permission) is answered
        here, before anything opens the file."""
        from observe_app.errors import StorageError
        from observe_app.storage import startup
        from observe_app.storage.opening import open_database

        self._status(self.window.tr("Checking the database…"))
        early = startup.look(self.data_dir)
        if early is not None and not early.ok:
            self._on_checked(early)
            return
        if not startup.opens_at_once(self.data_dir):
            self._check(self._on_checked)
            return
        opened = False
        try:
            try:
                database = open_database(self.data_dir, check=False, lock=self.folder_lock)
            except (StorageError, OSError):
                return  # the check's answer says what stops it
            opened = True
            self._attach(database, read_only=database.read_only)
        finally:
            # Started once the first page is filled: its answer is taken only after this
            # anyway, and reading the whole file meanwhile slowed the first queries on two
            # shared cores (benchmarks/startup.py).
            self._check(self._on_checked_alongside, opened=opened)

    def show_first_rows(self) -> None:
        """Right after the first paint, before the data layer is imported: the page on screen
        gets its first rows read with plain sqlite3 (services.plain_cycles). Importing
        SQLAlchemy and setting up the ORM took most of the wait for them (benchmarks/README).
        Only for a database `start` opens at once (writable, newest schema, not locked), in
        the folder held shared as `start` holds it; anything else waits for `start`."""
        import sqlite3

        from observe_app.errors import ObserveError
        from observe_app.services import plain_cycles
        from observe_app.storage import startup
        from observe_app.storage.plain_reads import open_for_reading

        if startup.look(self.data_dir) is not None or not startup.opens_at_once(self.data_dir):
            return
        try:
            # A lock taken meanwhile by another program: a moment's wait, then `start` decides.
            conn = open_for_reading(self.data_dir, self.folder_lock, integrity=None, wait_s=0.05)
        except (ObserveError, sqlite3.Error, OSError) as exc:
            log.info("first rows left to the normal open: %s", type(exc).__name__)
            return
        if conn is None:
            return
        try:
            self.window.show_first_rows(
                lambda **page: plain_cycles.newest_first(conn, **page))
        except sqlite3.Error as exc:  # `start` meets it too, and its check says what it is
            log.info("first rows left to the normal open: %s", type(exc).__name__)
        finally:
            conn.close()

    def _check(self, on_done: Callable[[Any], None], *, opened: bool = False) -> None:
        """`opened`: the window has the database open (see startup.check_database)."""
        from observe_app.gui.tasks import run_in_background
        from observe_app.storage import startup

        folder, closing = self.data_dir, self._closing

        def answer(status: Any) -> None:
            if not closing.is_set() and not self._restoring:  # closed, or replaced meanwhile
                on_done(status)

        def failed(exc: BaseException) -> None:
            if not closing.is_set() and not self._restoring:
                self._on_open_failed(exc)

        run_in_background(lambda: startup.check_database(folder, cancel=closing, opened=opened),
                          answer, failed, self.window)

    def retry(self) -> None:
        """Try again (a lock let go, a drive reconnected): the check runs afresh."""
        if self.problem_page is not None:
            self.problem_page.set_busy(self.window.tr("Checking again…"))
        self._status(self.window.tr("Checking the database…"))
        self._check(self._on_checked)

    def _on_checked(self, status: Any) -> None:
        self.status = status
        if status.ok:
            self.open_normally()
            return
        self._on_problem(status)

    def _on_checked_alongside(self, status: Any) -> None:
        """The check of a database that is already open: back it up, or take it away."""
        self.status = status
        if status.ok:
            if self.database is None:
                self.open_normally()
            else:
                self.auto_backup("startup")
            return
        self._close_database()  # the page (or a read-only window) takes its place
        self.backend = None
        self._on_problem(status)

    def _on_problem(self, status: Any) -> None:
        """Damage or a lock: a page with the way on. A folder that cannot be written or a full
        disk: the data read-only, with the reason on top. Not a database at all, no permission,
        a newer version: nothing can be shown, so a dialog, and the window closes."""
        from observe_app.storage.startup import DatabaseState as S

        state = status.state
        if state in (S.DAMAGED, S.EMPTIED):
            log.warning("start-up check: the database is %s (%d problems); backup: %s",
                        state.value, len(status.problems), status.newest_good_backup.name
                        if status.newest_good_backup else "none")
        else:
            log.info("start-up check: %s", state.value)
        if state in (S.READ_ONLY, S.DISK_FULL) and status.can_open_read_only:
            self.open_read_only(status)
        elif state in (S.NOT_A_FILE, S.PERMISSION, S.NOT_SQLITE, S.NEWER):
            self.on_fatal(status.error())
        else:
            self._show_problem(status)

    def _show_problem(self, status: Any) -> None:
        from observe_app.errors import as_sentence
        from observe_app.gui.damaged_page import DatabaseProblemWidget

        good = status.newest_good_backup
        page = DatabaseProblemWidget(status.state.value, str(status.db_path),
                                     status.problems[0] if status.problems else "",
                                     as_sentence(status.message),
                                     _backup_label(good) if good else None,
                                     status.can_open_read_only, self.window)
        page.restore_clicked.connect(self.restore_newest)
        page.read_only_clicked.connect(lambda: self.open_read_only())
        page.retry_clicked.connect(self.retry)
        page.quit_clicked.connect(self.window.close)
        old, self.problem_page = self.problem_page, page
        # Restoring over a sound database would put an older copy in its place: only damage
        # offers it (here and in the Data menu).
        self.window.data_menu.set_enabled(status.offers_restore, can_back_up=False)
        self.window.show_instead(page)
        if old is not None:
            old.deleteLater()
        if status.offers_restore:
            text = self.window.tr("The database is damaged and was left untouched. Restore the "
                                  "newest backup or open it read-only.")
        else:
            text = self.window.tr("The database cannot be opened just now; nothing was "
                                  "changed. See the page for why.")
        self._status(text, "error")
        page.first_way().setFocus()

    def open_normally(self, backup: bool = True) -> None:
        """Open the checked database on a worker: bringing an older one up to date (a backup,
        then the migration) can take seconds, and the window answers meanwhile."""
        from observe_app.gui.tasks import run_in_background
        from observe_app.storage.opening import open_database

        folder, lock, closing = self.data_dir, self.folder_lock, self._closing

        def opened(database: Any) -> None:
            if closing.is_set() or self._restoring:  # closed, or replaced meanwhile
                database.close()
                return
            self._attach(database, read_only=database.read_only)
            if backup:
                self.auto_backup("startup")

        def failed(exc: BaseException) -> None:
            if not closing.is_set():
                self._on_open_failed(exc)

        run_in_background(lambda: open_database(folder, check=False, lock=lock), opened,
                          failed, self.window)

    def open_read_only(self, status: Any = None) -> None:
        """Open read-only: a damaged database (from its page), or a sound one that cannot be
        written (`status` says why: the folder, or a full disk)."""
        from observe_app.storage.opening import open_database

        try:
            database = open_database(self.data_dir, read_only=True)
        except Exception as exc:  # noqa: BLE001
            self._on_open_failed(exc)
            return
        self._attach(database, read_only=True, why=status)

    def _read_only_banner(self, why: Any) -> str:
        from observe_app.storage.startup import DatabaseState as S

        tr = self.window.tr
        state = why.state if why is not None else None
        if state is S.READ_ONLY:
            return tr("Read-only: the data folder {folder} cannot be written, so you can look at "
                      "and copy everything, but nothing you change can be saved. To work "
                      "normally, make the folder writable (or copy it somewhere writable and "
                      "open that), then start Observe again.").format(folder=self.data_dir)
        if state is S.DISK_FULL:
            return tr("Read-only: the disk holding {folder} is full, so you can look at and "
                      "copy everything, but nothing you change can be saved. Free some space "
                      "on that disk, then start Observe again.").format(folder=self.data_dir)
        return tr("Read-only: this database is damaged, so nothing you change can be saved. "
                  "Copy out what you need, then use Data ▸ Restore from backup… to go on "
                  "working.")

    def _attach(self, database: Any, *, read_only: bool, why: Any = None) -> None:
        from observe_app.gui.backend import WINDOW_LOCK_WAIT_MS, Backend

        self._close_database()
        self.database = database
        self.backend = Backend(database, self.clock, lock_wait_ms=WINDOW_LOCK_WAIT_MS)
        if not read_only:
            self.backend.protocols.install_builtins()
        self.window.show_instead(None)
        if self.problem_page is not None:
            self.problem_page.deleteLater()
            self.problem_page = None
        self.window.attach(self.backend)
        menu = self.window.data_menu
        menu.backup_folder = self.data_dir / "backups"
        # A sound database that cannot be written has nothing to restore over it.
        menu.set_enabled(getattr(database, "refusal", None) is None, can_back_up=not read_only)
        menu.set_read_only(self._read_only_banner(why) if read_only else None)
        if read_only and why is not None:
            self._status(self.window.tr("Opened read-only: nothing can be saved. The bar at "
                                        "the top says why."), "important")
        log.info("database open%s", " read-only" if read_only else "")

    def _on_open_failed(self, exc: BaseException) -> None:
        from observe_app.errors import ObserveError
        from observe_app.storage import faults

        known = exc if isinstance(exc, ObserveError) else faults.translate(exc, None)
        if known is None:
            raise exc
        log.warning("cannot open the data folder: %s", type(known).__name__)
        self.on_fatal(known)

    # -- backups -------------------------------------------------------------------------------

    def auto_backup(self, reason: str) -> None:
        """An automatic, checked, rotating backup in a worker; a failure is shown, not fatal."""
        from observe_app.gui.tasks import run_in_background
        from observe_app.storage import autobackup

        if self.database is None or self.database.read_only:
            return
        if reason == "after-observation":
            self.database.checkpoint()  # the lesson is over: a quiet moment for it
        backend, folder = self.backend, self.data_dir

        def work() -> Any:
            taken = autobackup.backup_if_changed(folder, reason)
            if reason == "startup" and backend is not None:
                # Checked sound and backed up: a folder copied here from another laptop (or
                # folder) now takes its own replica id, before anything is stamped with it.
                from observe_app.services import exchange

                backend.run(exchange.claim_replica)
            return taken

        run_in_background(work, self._on_auto_backup, self._on_backup_failed, self.window)

    def backup_to(self, target: str) -> None:
        """Back up now… : the same code as `observe-app backup --out FILE`."""
        from observe_app.gui.tasks import run_in_background
        from observe_app.storage import backup

        if self.database is None:  # the damaged page is showing: nothing open to back up
            return
        db_path = self.database.path
        self._status(self.window.tr("Backing up…"))
        run_in_background(lambda: backup.backup_to(db_path, Path(target).expanduser().resolve()),
                          self._on_backed_up, self._on_backup_failed, self.window)

    def _on_auto_backup(self, result: tuple[Path, bool]) -> None:
        path, written = result
        if written:
            self._on_backed_up(path)
            return
        self.last_backup = path
        text = self.window.tr("No new backup needed: nothing changed since the backup of {name}")
        self._status(text.format(name=_backup_label(path)), timeout_ms=8_000)

    def _on_backed_up(self, path: Path) -> None:
        self.last_backup = path
        self._status(self.window.tr("Backup written and checked: {path}").format(path=path),
                     timeout_ms=15_000)

    def _on_backup_failed(self, exc: BaseException) -> None:
        from observe_app.errors import ObserveError
        from observe_app.storage import faults

        known = exc if isinstance(exc, ObserveError) else faults.translate(exc, None)
        if known is None:
            raise exc
        log.warning("backup failed: %s", type(known).__name__)
        self._status(
            self.window.tr("The backup failed. {message}").format(message=known.sentence()),
            "error")

    # -- restore -------------------------------------------------------------------------------

    def restore_newest(self) -> None:
        good = self.status.newest_good_backup if self.status is not None else None
        if good is not None:
            self.restore_from_file(str(good))

    def restore_from_file(self, source: str) -> None:
        """Restore from backup… : the same code as `observe-app restore FILE`; the database as
        it was is kept first (a damaged one is set aside unchanged). Then open normally.

        The folder is taken exclusively first, here: that never waits, and while a command
        uses the folder it fails at once, with the database still open and untouched. The
        worker then waits (two seconds at most) for a program holding SQLite's write lock."""
        from PySide6.QtWidgets import QMessageBox

        from observe_app.errors import ObserveError
        from observe_app.gui.tasks import run_in_background
        from observe_app.storage import backup, folder_lock, migrate
        from observe_app.storage.paths import backup_dir, database_path

        lock = self.folder_lock
        try:
            lock.begin_exclusive(folder_lock.RESTORE)
        except ObserveError as exc:
            log.info("restore refused: %s", type(exc).__name__)
            QMessageBox.warning(self.window, self.window.tr("Not restored"), exc.sentence())
            return
        self._restoring = True
        self._close_database()
        if self.problem_page is not None:
            self.problem_page.set_busy(self.window.tr("Restoring {name}…").format(
                name=Path(source).name))
        self.window.setEnabled(False)
        self._status(self.window.tr("Restoring…"))
        folder = self.data_dir

        def work() -> Path:
            try:
                folder_lock.check_database_free(database_path(folder))
                return backup.restore_from(Path(source), database_path(folder),
                                           backup_dir(folder), migrate.known_revisions())
            finally:
                lock.end_exclusive()  # shared again (if it was) before the window reopens

        run_in_background(work, self._on_restored, self._on_restore_failed, self.window)

    def _on_restored(self, kept: Path) -> None:
        from observe_app.storage.paths import database_path

        self.window.setEnabled(True)
        self._restoring = False
        log.info("restored a backup; the previous database is kept as %s", kept.name)
        self.open_normally()
        if kept == database_path(self.data_dir):  # there was none before
            text = self.window.tr("Restored.")
        else:
            text = self.window.tr("Restored. The database as it was before is kept in "
                                  "{path}.").format(path=kept)
        self._status(text, "important")

    def _on_restore_failed(self, exc: BaseException) -> None:
        from observe_app.errors import ObserveError

        self.window.setEnabled(True)
        self._restoring = False
        if not isinstance(exc, ObserveError):
            raise exc
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.warning(self.window, self.window.tr("Not restored"), exc.sentence())
        self._check(self._on_checked)  # back to where we were: check again, open what is there

    # -- the end -------------------------------------------------------------------------------

    def _close_database(self) -> None:
        database, self.database = self.database, None
        if database is not None:
            database.close()

    def close(self) -> None:
        self._closing.set()
        self._close_database()
        self.folder_lock.release()


def _backup_label(path: Path) -> str:
    """'2 March 2026, 09:15' from a backup's name (observe-20260302T091500123456Z-reason.db)."""
    import datetime as dt

    try:
        stamp = dt.datetime.strptime(path.name.split("-")[1], "%Y%m%dT%H%M%S%fZ")
    except (IndexError, ValueError):
        return path.name
    local = stamp.replace(tzinfo=dt.UTC).astimezone()
    return f"{local.day} {local:%B %Y, %H:%M}"


def _hand_over(data_dir: Path, busy: BaseException) -> int:
    """A second start: bring the running window forward and exit 0, or say why we cannot."""
    from PySide6.QtCore import QCoreApplication

    from observe_app.gui.single_instance import hand_over

    _app = QCoreApplication.instance() or QCoreApplication(sys.argv[:1])
    if hand_over(data_dir):
        print(f"Observe is already open on {data_dir}; switched to that window.")
        return 0
    pid = getattr(busy, "pid", None)
    print(f"error: {busy}; that process (PID {pid or 'unknown'}) did not answer, so this "
          "window cannot open: close it (or end it) and start again", file=sys.stderr)
    return 2


def run(data_dir: str | None) -> int:
    """Open the window on the data folder; returns the exit status."""
    from observe_app.errors import AlreadyOpenError, ObserveError
    from observe_app.storage.instance_lock import InstanceLock
    from observe_app.storage.paths import resolve_data_dir

    folder = resolve_data_dir(data_dir)
    lock = InstanceLock(folder)
    try:
        lock.acquire()
    except AlreadyOpenError as exc:
        return _hand_over(folder, exc)
    except (ObserveError, OSError) as exc:
        # Only here: storage.startup imports SQLAlchemy, which the first paint never waits for.
        from observe_app.storage import startup

        if startup.read_only_folder(folder):
            # No one can write there, so two windows cannot spoil it: open without the lock;
            # the start-up check opens the data read-only and says why at the top.
            return _run_window(folder, None)
        return _cannot_start(_lock_fault(folder, exc))
    try:
        return _run_window(folder, lock)
    finally:
        lock.release()


def _lock_fault(folder: Path, exc: BaseException) -> Any:
    """Why the lock could not be taken, as the error the dialog shows (a full disk fails
    while the lock file is written, as a bare OSError)."""
    from observe_app.errors import ObserveError
    from observe_app.storage import startup

    cause = exc if isinstance(exc, OSError) else exc.__cause__
    if isinstance(cause, OSError) and (cause.errno in (errno.ENOSPC, errno.EDQUOT)
                                       or not isinstance(exc, ObserveError)):
        return startup.folder_fault(folder, cause, "write its lock file in the data folder")
    return exc


def _cannot_start(error: Any) -> int:
    """A dialog with the one sentence that says why the window cannot open; the exit status."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication, QMessageBox

    _app = QApplication.instance() or QApplication(sys.argv[:1])
    QMessageBox.critical(None, QCoreApplication.translate("app", "Observe cannot start"),
                         error.sentence())
    return int(error.exit_code)


def _run_window(folder: Path, lock: Any, clock: Any = None) -> int:
    """The window's life. `clock` is for tools/soak_lesson.py, which types a whole lesson
    into this window on a clock it moves itself."""
    from observe_app import warm_start

    warm_start.hold_collector()  # until the window is filled (see warm_start)
    from PySide6.QtCore import QThreadPool, QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from observe_app.gui.main_window import MainWindow
    from observe_app.gui.settings import WindowSettings
    from observe_app.gui.style import STYLE_SHEET

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)  # widgets need a QApplication, not a core one
    app.setApplicationName("Observe")
    app.setStyleSheet(STYLE_SHEET)
    window = MainWindow()
    window.restore_layout(WindowSettings(folder))  # its size and page as last left
    window.show()
    controller = AppController(window, folder, clock, instance_lock=lock)
    servers: list[Any] = []

    def fatal(error: Any) -> None:  # an ObserveError: it cannot go on, so it says why and ends
        QMessageBox.critical(window, window.tr("Observe cannot open its data"), error.sentence())
        app.exit(error.exit_code)

    controller.on_fatal = fatal

    def come_forward() -> None:
        if window.isMinimized():
            window.showNormal()
        window.raise_()
        window.activateWindow()

    def load() -> None:
        """After the first paint: the log, the hand-over channel, then the data."""
        if servers:
            return
        from observe_app.gui.single_instance import HandOverServer
        from observe_app.logging_setup import setup_logging

        install_crash_dialog(window, setup_logging(folder))
        if lock is not None and lock.recovered_from:
            log.info("recovered the lock left by process %s (it had stopped)",
                     lock.recovered_from.get("pid"))
        server = HandOverServer(folder)
        servers.append(server)
        server.activation_requested.connect(come_forward)
        server.listen()
        try:
            controller.show_first_rows()  # without the data layer (see warm_start)
            warm_start.load_data_layer()
            controller.start()
        finally:
            warm_start.release_collector()  # whatever happened, collection is back on

    # Data is read once the empty window is on screen (or after a moment if no paint comes).
    window.first_painted.connect(lambda: QTimer.singleShot(0, load))
    QTimer.singleShot(1000, load)
    try:
        return app.exec()
    finally:
        warm_start.release_collector()
        for server in servers:
            server.close()
        controller.close()
        # Work still running (a start-up check, a backup) ends before Python does: a worker
        # reporting to a window already torn down would log a bogus error, or worse.
        QThreadPool.globalInstance().waitForDone(CLOSE_WAIT_MS)
