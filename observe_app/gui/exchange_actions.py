"""Send… and Receive… in the window: the Data menu's actions, the pages' context menus, and the
steps between them (choose a file, ask a passphrase, preview, receive).

Every file is read and written on a worker through `backend.exchange`; the dialogs say what
happened, the status bar repeats it, and a refused package changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QWidget

from observe_app.gui import shortcuts
from observe_app.gui.status_messages import Priority
from observe_app.gui.tasks import run_in_background

if TYPE_CHECKING:
    from observe_app.gui.backend import Backend
    from observe_app.gui.exchange_dialogs import PassphraseDialog, SendDialog
    from observe_app.gui.history_dialog import HistoryDialog
    from observe_app.gui.main_window import MainWindow
    from observe_app.gui.preview_dialog import PreviewDialog
    from observe_app.gui.settings import WindowSettings
    from observe_app.services.exchange import Package, Preview, SentPackage
    from observe_app.services.redaction import Redactor, Replacement


class ExchangeActions(QObject):
    """Owned by the main window; `attach(backend)` enables the actions once data is open."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.backend: Backend | None = None
        self.send_cycle_action = QAction(self.tr("Send the selected cycle…"), window)
        self.send_teacher_action = QAction(
            self.tr("Send everything about the selected teacher…"), window)
        self.send_everything_action = QAction(self.tr("Send everything…"), window)
        self.receive_action = QAction(self.tr("Receive…"), window)
        self.receive_action.setShortcut(QKeySequence(shortcuts.RECEIVE_PACKAGE.key))
        self.receive_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.send_cycle_action.triggered.connect(lambda: self.send_cycle())
        self.send_teacher_action.triggered.connect(lambda: self.send_teacher())
        self.send_everything_action.triggered.connect(self.send_everything)
        self.receive_action.triggered.connect(self.receive)
        self.history_action = QAction(self.tr("Changes from other laptops…"), window)
        self.history_action.triggered.connect(self.show_history)
        self.send_dialog: SendDialog | None = None
        self.passphrase_dialog: PassphraseDialog | None = None
        self.preview_dialog: PreviewDialog | None = None
        self.history_dialog: HistoryDialog | None = None
        self.working = False  # a package being opened or previewed: no second one meanwhile
        self.set_enabled(False)

    def add_to(self, menu: QMenu) -> None:
        """The actions at the end of the Data menu; their texts name what is selected."""
        menu.addSeparator()
        menu.addActions([self.send_cycle_action, self.send_teacher_action,
                         self.send_everything_action])
        menu.addSeparator()
        menu.addAction(self.receive_action)
        menu.addAction(self.history_action)
        menu.aboutToShow.connect(self._on_menu_about_to_show)

    def attach(self, backend: Backend) -> None:
        self.backend = backend
        self.set_enabled(True)

    def set_enabled(self, enabled: bool) -> None:
        for action in (self.send_cycle_action, self.send_teacher_action,
                       self.send_everything_action, self.history_action):
            action.setEnabled(enabled)
        # Receiving writes: not into a database opened read-only.
        self.receive_action.setEnabled(
            enabled and self.backend is not None and not self.backend.read_only)

    def page_built(self, page: QWidget) -> None:
        """Each cycle list and the Teachers page get Send… in their rows' context menu."""
        from observe_app.gui.pages import CyclesPage, TeachersPage

        if isinstance(page, CyclesPage):
            action = QAction(self.tr("Send this cycle to a colleague…"), page.table)
            action.triggered.connect(lambda: self.send_cycle())
        elif isinstance(page, TeachersPage):
            action = QAction(self.tr("Send everything about this teacher…"), page.table)
            action.triggered.connect(lambda: self.send_teacher())
        else:
            return
        page.table.addAction(action)  # the page's own context menu lists it first

    # -- what is selected ----------------------------------------------------------------------

    def current_cycle(self) -> Any:
        """The CycleSummary of the cycle open or selected, or None."""
        from observe_app.gui.pages import CyclesPage
        from observe_app.gui.review.cycle_view import CycleView

        view = self.window.review.current_view
        if isinstance(view, CycleView):
            return view.detail.summary
        if view is None and not self.window.live_view:
            page = self.window.pages_stack.currentWidget()
            if isinstance(page, CyclesPage):
                return page.current_row()
        return None

    def current_teacher(self) -> tuple[str, str] | None:
        """(id, name) of the teacher whose growth is open or who is selected, or None."""
        from observe_app.gui.pages import TeachersPage
        from observe_app.gui.review.growth_view import GrowthView

        view = self.window.review.current_view
        if isinstance(view, GrowthView) and self.backend is not None:
            return view.teacher_id, self.backend.people.get_person(view.teacher_id).name
        page = self.window.pages_stack.currentWidget()
        if view is None and isinstance(page, TeachersPage):
            person = page.current_row()
            return (person.id, person.name) if person is not None else None
        return None

    def _on_menu_about_to_show(self) -> None:
        if self.backend is None:
            return
        cycle, teacher = self.current_cycle(), self.current_teacher()
        self.send_cycle_action.setEnabled(cycle is not None)
        self.send_cycle_action.setText(self.tr("Send the cycle of {teacher}…").format(
            teacher=cycle.teacher_name) if cycle else self.tr("Send the selected cycle…"))
        self.send_teacher_action.setEnabled(teacher is not None)
        self.send_teacher_action.setText(self.tr("Send everything about {teacher}…").format(
            teacher=teacher[1]) if teacher else self.tr("Send everything about the selected "
                                                        "teacher…"))

    # -- sending -------------------------------------------------------------------------------

    def _settings(self) -> WindowSettings | None:
        from observe_app.gui.settings import WindowSettings

        return WindowSettings.of(self.backend) if self.backend is not None else None

    def send_cycle(self, cycle_id: str | None = None) -> None:
        if self.backend is None:
            return
        summary = (self.backend.cycles.get_summary(cycle_id) if cycle_id
                   else self.current_cycle())
        if summary is None:
            self._tell(self.tr("Choose a cycle on the Cycles page first, then Send."))
            return
        exchange, cid = self.backend.exchange, summary.id
        day = summary.date.astimezone().date()
        kept = self.backend.co_observation.kept_back(cid)
        left_out = self.tr(
            "Left out until handed in on the Calibration tab: the visit of {names}, and the "
            "cycle's ratings and feedback until every observer's visit is in.").format(
            names=", ".join(kept)) if kept else ""
        self._open_send_dialog(
            self.tr("the cycle of {teacher} ({day})").format(
                teacher=summary.teacher_name, day=day.strftime("%d %b %Y")),
            ("cycle", summary.teacher_name), day,
            lambda out, sender, passphrase, names: exchange.send_cycle(
                cid, out, sender=sender, passphrase=passphrase, redactor=self._redactor(names)),
            left_out, ("cycle", [cid]))

    def send_teacher(self, teacher_id: str | None = None) -> None:
        if self.backend is None:
            return
        teacher = ((teacher_id, self.backend.people.get_person(teacher_id).name) if teacher_id
                   else self.current_teacher())
        if teacher is None:
            self._tell(self.tr("Choose a teacher on the Teachers page first, then Send."))
            return
        exchange, tid = self.backend.exchange, teacher[0]
        self._open_send_dialog(
            self.tr("everything about {teacher}").format(teacher=teacher[1]),
            ("teacher", teacher[1]), None,
            lambda out, sender, passphrase, names: exchange.send_teacher(
                tid, out, sender=sender, passphrase=passphrase, redactor=self._redactor(names)),
            chosen=("teacher", [tid]))

    def send_everything(self) -> None:
        if self.backend is None:
            return
        exchange = self.backend.exchange
        self._open_send_dialog(
            self.tr("everything in this data folder"), ("everything",), None,
            lambda out, sender, passphrase, names: exchange.send_everything(
                out, sender=sender, passphrase=passphrase, redactor=self._redactor(names)),
            chosen=("all", []))

    def _redactor(self, list_id: str | None) -> Redactor | None:
        """The class list's redactor for one package (on the worker that sends it)."""
        return None if self.backend is None else self.backend.redaction.redactor_for(list_id)

    def _preview_work(self, what: str, ids: list[str]
                      ) -> Callable[[str], Callable[[], list[Replacement]]]:
        backend = self.backend
        assert backend is not None

        def work(list_id: str) -> Callable[[], list[Replacement]]:
            def run() -> list[Replacement]:
                redactor = backend.redaction.redactor_for(list_id)
                return [] if redactor is None else backend.exchange.preview_redaction(
                    what, ids, redactor)
            return run

        return work

    def _open_send_dialog(self, title: str, name_words: tuple[str, ...], day: dt.date | None,
                          send: Any, left_out: str = "",
                          chosen: tuple[str, list[str]] = ("all", [])) -> None:
        from observe_app.gui.exchange_dialogs import SendDialog, package_file_name
        from observe_app.gui.settings import EXPORT_FOLDER, SENDER_NAME

        if self.send_dialog is not None:
            self.send_dialog.raise_()
            return
        settings = self._settings()
        folder = (settings.get(EXPORT_FOLDER) if settings else "") or str(Path.home())
        sender = settings.get(SENDER_NAME) if settings else ""
        assert self.backend is not None
        dialog = SendDialog(title, send, sender=sender,
                            suggested=Path(folder) / package_file_name(*name_words, day=day),
                            parent=self.window, left_out=left_out,
                            class_lists=self.backend.redaction.list_class_lists(),
                            preview=self._preview_work(*chosen))
        dialog.sent.connect(self._on_send_dialog_sent)
        dialog.finished.connect(self._on_send_dialog_finished)
        self.send_dialog = dialog
        dialog.open()

    def _on_send_dialog_sent(self, sent: SentPackage) -> None:
        from observe_app.gui.settings import EXPORT_FOLDER, SENDER_NAME

        dialog = self.send_dialog
        settings = self._settings()
        if settings is not None and dialog is not None:
            settings.set(SENDER_NAME, dialog.sender_edit.text().strip())
            settings.set(EXPORT_FOLDER, str(Path(sent.path).parent))
            settings.sync()
        self.window.messages.show(self.tr("Package saved: {path}").format(path=sent.path),
                                  Priority.IMPORTANT, 15_000)

    def _on_send_dialog_finished(self, _result: int) -> None:
        dialog, self.send_dialog = self.send_dialog, None
        if dialog is not None:
            dialog.deleteLater()

    # -- receiving -----------------------------------------------------------------------------

    def choose_package(self) -> str:
        """Ask which file to receive; '' when the person cancels."""
        from observe_app.gui.settings import RECEIVE_FOLDER

        settings = self._settings()
        folder = (settings.get(RECEIVE_FOLDER) if settings else "") or str(Path.home())
        path, _ = QFileDialog.getOpenFileName(
            self.window, self.tr("Receive a package"), folder,
            self.tr("Observation packages (*.observe);;All files (*)"))
        return path

    def receive(self) -> None:
        if self.backend is None or self.backend.read_only or self.working:
            return
        if self.window.live_view is not None:
            self._tell(self.tr("End the observation first, then receive the package."))
            return
        if self.preview_dialog is not None or self.passphrase_dialog is not None:
            return
        chosen = self.choose_package()
        if not chosen:
            return
        path = Path(chosen)
        settings = self._settings()
        if settings is not None:
            from observe_app.gui.settings import RECEIVE_FOLDER

            settings.set(RECEIVE_FOLDER, str(path.parent))
        self._working(self.tr("Opening {name}…").format(name=path.name))
        exchange = self.backend.exchange
        run_in_background(lambda: exchange.open_package(path), self._on_package_opened,
                          lambda exc: self._on_open_failed(exc, path), context=self.window)

    def _on_open_failed(self, exc: BaseException, path: Path) -> None:
        from observe_app.services.exchange import PassphraseNeeded

        self.working = False
        if isinstance(exc, PassphraseNeeded) and self.backend is not None:
            self._ask_passphrase(path)
            return
        self._refused(exc, path)

    def _refused(self, exc: BaseException, path: Path) -> None:
        from observe_app.gui.exchange_dialogs import failure_sentence

        sentence = failure_sentence(exc, self.tr("The file could not be read"))
        self.window.messages.show(self.tr("Not received: {file}").format(file=path.name),
                                  Priority.IMPORTANT, 10_000)
        self.warn(self.tr("Not received"), self.tr(
            "{file} was not received, and nothing was changed.\n\n{reason}").format(
            file=path.name, reason=sentence))

    def _ask_passphrase(self, path: Path) -> None:
        from observe_app.gui.exchange_dialogs import PassphraseDialog

        assert self.backend is not None
        exchange = self.backend.exchange
        dialog = PassphraseDialog(path.name, lambda passphrase: exchange.open_package(
            path, passphrase), self.window)
        dialog.finished.connect(self._on_passphrase_dialog_finished)
        self.passphrase_dialog = dialog
        self.window.messages.show(self.tr("{file} is protected: type its passphrase.").format(
            file=path.name))
        dialog.open()

    def _on_passphrase_dialog_finished(self, _result: int) -> None:
        dialog, self.passphrase_dialog = self.passphrase_dialog, None
        if dialog is None:
            return
        dialog.deleteLater()
        if dialog.package is not None:
            self._on_package_opened(dialog.package)
        else:
            self.window.messages.show(self.tr("Not received: nothing was changed."))

    def _on_package_opened(self, package: Package) -> None:
        assert self.backend is not None
        self._working(self.tr("Comparing the package with your data…"))
        exchange = self.backend.exchange
        run_in_background(lambda: exchange.preview_package(package),
                          lambda preview: self._show_preview(package, preview),
                          self._on_preview_failed, context=self.window)

    def _on_preview_failed(self, exc: BaseException) -> None:
        from observe_app.gui.exchange_dialogs import failure_sentence

        self.working = False
        self.warn(self.tr("Not received"), self.tr(
            "The package was not received, and nothing was changed.\n\n{reason}").format(
            reason=failure_sentence(exc, self.tr("The package could not be read"))))

    def _show_preview(self, package: Package, preview: Preview) -> None:
        from observe_app.gui.preview_dialog import PreviewDialog

        assert self.backend is not None
        self.working = False
        exchange = self.backend.exchange
        dialog = PreviewDialog(
            preview,
            repreview=lambda people: exchange.preview_package(package, merge_people=people),
            receive=lambda people: exchange.receive_package(package, merge_people=people),
            parent=self.window)
        dialog.received.connect(self._on_preview_dialog_received)
        dialog.finished.connect(self._on_preview_dialog_finished)
        self.preview_dialog = dialog
        if not preview.nothing_to_do:
            self.window.messages.show(self.tr("Nothing changes until you press Receive."))
        else:
            self.window.messages.show(self.tr("Nothing to receive: it is all here already."))
        dialog.open()

    def _on_preview_dialog_received(self, done: Preview) -> None:
        from observe_app.gui.preview_dialog import done_words

        self.window.messages.show(self.tr("Received from {sender}. {what}").format(
            sender=done.sender, what=done_words(done)), Priority.IMPORTANT, 15_000)

    def _on_preview_dialog_finished(self, _result: int) -> None:
        dialog, self.preview_dialog = self.preview_dialog, None
        if dialog is None:
            return
        dialog.deleteLater()
        if dialog.result_preview is None:
            self.window.messages.show(self.tr("Not received: nothing was changed."))

    # -- what packages replaced ----------------------------------------------------------------

    def show_history(self) -> None:
        """Every value a package replaced (or that lost to an edit here), to see and restore."""
        from observe_app.gui.history_dialog import HistoryDialog

        if self.backend is None:
            return
        if self.history_dialog is not None:
            self.history_dialog.raise_()
            return
        dialog = HistoryDialog(self.backend, parent=self.window)
        dialog.restored.connect(self._on_history_dialog_restored)
        dialog.finished.connect(self._on_history_dialog_finished)
        self.history_dialog = dialog
        dialog.open()

    def _on_history_dialog_restored(self) -> None:
        # A view open underneath (a cycle) refreshes only itself while shown: it is told.
        reload = getattr(self.window.review.current_view, "reload", None)
        if reload is not None:
            reload()

    def _on_history_dialog_finished(self, _result: int) -> None:
        dialog, self.history_dialog = self.history_dialog, None
        if dialog is not None:
            dialog.deleteLater()

    # -- saying things -------------------------------------------------------------------------

    def _working(self, text: str) -> None:
        self.working = True
        self.window.messages.show(text)

    def _tell(self, text: str) -> None:
        self.window.messages.show(text, Priority.IMPORTANT, 8000)

    def warn(self, title: str, text: str) -> None:
        """A refusal, in a message box (tests replace this)."""
        QMessageBox.warning(self.window, title, text)
