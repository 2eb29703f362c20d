"""The main window: navigation between Observe, Cycles, Teachers and Protocols, and live visits.

It is built and shown before any data is read; `attach()` hands it the backend afterwards.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from observe_app.errors import ObserveError
from observe_app.gui import shortcuts
from observe_app.gui.data_menu import DataMenu
from observe_app.gui.exchange_actions import ExchangeActions
from observe_app.gui.help_menu import HelpMenu
from observe_app.gui.pages import CyclesPage, ListPage, ObservePage, TeachersPage
from observe_app.gui.protocols_page import ProtocolsPage
from observe_app.gui.removal import UndoOffer
from observe_app.gui.review.navigator import ReviewNavigator
from observe_app.gui.school_menu import SchoolMenu
from observe_app.gui.settings import GEOMETRY, PAGE, STATE, WindowSettings
from observe_app.gui.status_messages import Priority, StatusMessages

if TYPE_CHECKING:
    from observe_app.gui.backend import Backend
    from observe_app.gui.live.live_view import LiveObservationView
    from observe_app.gui.school.page import SchoolPage
    from observe_app.services.cycles import CycleSummary

DEFAULT_SIZE = QSize(1280, 720)
TITLE_BAR = 40  # room left for the window manager's frame before it has drawn one


def _school_page(parent: QWidget) -> SchoolPage:
    from observe_app.gui.school.page import SchoolPage  # built when first shown

    return SchoolPage(parent)


class MainWindow(QMainWindow):
    """Pages on the left-hand navigation; a live observation takes the whole window."""

    first_painted = Signal()  # the moment to start loading data
    observation_finished = Signal(str)  # a visit ended (an automatic backup follows)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Observe"))
        self.setMinimumSize(800, 480)  # a small school laptop (1024×600) holds it with room
        self.backend: Backend | None = None
        self.settings: WindowSettings | None = None
        self.live_view: LiveObservationView | None = None
        self._painted = False
        self.installEventFilter(self)  # the first paint: see eventFilter
        # Before any page is built: each gets Send… in its context menu as it is.
        self.exchange = ExchangeActions(self)  # Send… and Receive… (observation packages)
        self.stack = QStackedWidget(self)
        self.setCentralWidget(self.stack)
        self.home = QWidget(self)
        row = QHBoxLayout(self.home)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        self.navigation = QListWidget(self.home)
        self.navigation.setObjectName("navigation")
        self.navigation.setAccessibleName(self.tr("Sections"))
        self.pages_stack = QStackedWidget(self.home)
        self.review = ReviewNavigator(self)  # cycle and growth views, Ctrl+F search
        # Pages are built when first shown: the window paints sooner, and loads less at once.
        self._page_classes: list[Callable[[QWidget], ListPage | SchoolPage]] = [
            ObservePage, CyclesPage, TeachersPage, ProtocolsPage, _school_page]
        self._pages: list[ListPage | SchoolPage | None] = [None] * len(self._page_classes)
        names = [self.tr("Observe"), self.tr("Cycles"), self.tr("Teachers"),
                 self.tr("Protocols"), self.tr("School")]
        for number, (name, key) in enumerate(zip(names, shortcuts.PAGES, strict=True)):
            item = QListWidgetItem(name, self.navigation)
            item.setToolTip(key.label())
            item.setSizeHint(QSize(0, self.fontMetrics().height() * 2 + 8))
            self.pages_stack.addWidget(QWidget(self.pages_stack))  # until the page is built
            shortcuts.bind(key, self.home, functools.partial(self._on_page_key, number))
        self.navigation.currentRowChanged.connect(self._on_navigation_current_row_changed)
        self.messages = StatusMessages(self.statusBar())  # every status message goes here
        self.undo_offer = UndoOffer(self.messages, self.statusBar())  # after a delete (pages)
        side = QWidget(self.home)
        side.setObjectName("navigationSide")
        side.setFixedWidth(164)  # narrow enough that a 1024-pixel screen holds every view
        column = QVBoxLayout(side)
        column.setContentsMargins(0, 0, 0, 12)
        column.addWidget(self.navigation, 1)
        hint = QLabel(self.tr("Alt+O, C, T, P, S switch sections\nF1 all shortcuts"), side)
        hint.setWordWrap(True)
        hint.setObjectName("muted")
        hint.setContentsMargins(22, 0, 8, 0)
        column.addWidget(hint)
        row.addWidget(side)
        row.addWidget(self.pages_stack, 1)
        self.stack.addWidget(self.home)
        self.navigation.setCurrentRow(0)
        self.messages.show(self.tr("Opening the database…"))
        self.data_menu = DataMenu(self)
        self.exchange.add_to(self.data_menu.menu)
        self.school_menu = SchoolMenu(self)  # a round of peer observations, the calendar
        self.help_menu = HelpMenu(self)

    def page(self, number: int) -> ListPage | SchoolPage:
        """The page at `number`, built (and given the data) the first time it is asked for."""
        page = self._pages[number]
        if page is None:
            page = self._page_classes[number](self)
            page.cycle_opened.connect(self.review.open_cycle)
            page.status_said.connect(self._on_page_status_said)
            if isinstance(page, ListPage):
                page.observation_started.connect(self.open_observation)
                page.observation_ended.connect(self.observation_finished)
                page.growth_opened.connect(self.review.open_growth)
                page.removed.connect(self.undo_offer.offer)
            if isinstance(page, CyclesPage | TeachersPage):
                undo = (shortcuts.UNDO_DELETE_PERSON if isinstance(page, TeachersPage)
                        else shortcuts.UNDO_DELETE_CYCLE)
                shortcuts.bind(undo, page, self.undo_offer.undo)
            placeholder = self.pages_stack.widget(number)
            assert placeholder is not None  # built in __init__
            self.pages_stack.insertWidget(number, page)
            self.pages_stack.removeWidget(placeholder)
            placeholder.deleteLater()
            self._pages[number] = page
            self.exchange.page_built(page)
            if self.backend is not None:
                page.attach(self.backend)
        return page

    def _on_page_status_said(self, text: str) -> None:
        self.messages.show(text, Priority.IMPORTANT, 8000)

    @property
    def pages(self) -> list[ListPage | SchoolPage]:
        return [p for p in self._pages if p is not None]

    @property
    def observe_page(self) -> ObservePage:
        return self.page(0)  # type: ignore[return-value]

    @property
    def cycles_page(self) -> CyclesPage:
        return self.page(1)  # type: ignore[return-value]

    @property
    def teachers_page(self) -> TeachersPage:
        return self.page(2)  # type: ignore[return-value]

    @property
    def protocols_page(self) -> ProtocolsPage:
        return self.page(3)  # type: ignore[return-value]

    @property
    def school_page(self) -> SchoolPage:
        return self.page(4)  # type: ignore[return-value]

    @staticmethod
    def _focus(page: ListPage | SchoolPage) -> None:
        (page.table if isinstance(page, ListPage) else page).setFocus()

    def show_first_rows(self, read: Callable[..., Sequence[CycleSummary]]) -> None:
        """Rows for the page on screen before the data layer has loaded: `read(stages=,
        limit=)` gives a cycle page's first rows newest first (app.py reads them with plain
        sqlite3). attach() follows and the page takes over from the backend as always."""
        if self.backend is not None:
            return
        page = self.page(self.pages_stack.currentIndex())
        if isinstance(page, CyclesPage):  # the Observe and Cycles pages
            page.show_first_rows(read)

    def attach(self, backend: Backend) -> None:
        """Give the window its data (after the first paint); built pages load now."""
        self.backend = backend
        self.undo_offer.backend = backend
        for page in self.pages:
            page.attach(backend)
        self.exchange.attach(backend)
        self.messages.show(self.tr("Data in {folder} · nothing leaves this computer")
                           .format(folder=backend.database.path.parent))
        if self.pages_stack.currentIndex() != 0 and backend.observations.has_unfinished_visits():
            self.show_page(0)  # a visit left open waits there, whatever page was last
        self._focus(self.page(self.pages_stack.currentIndex()))

    def show_page(self, number: int) -> None:
        self.navigation.setCurrentRow(number)
        self._focus(self.page(number))

    def _on_page_key(self, number: int) -> None:
        self.review.close_all()  # a cycle or growth view open on top is left, as by a click
        self.show_page(number)

    def _on_navigation_current_row_changed(self, row: int) -> None:
        if row >= 0:
            self.page(row)
            self.pages_stack.setCurrentIndex(row)
            if self.settings is not None:
                self.settings.set(PAGE, row)

    def restore_layout(self, settings: WindowSettings) -> None:
        """Size, place and page as the window was left; on a first start, a size that fits
        the screen (maximized where the default would not fit). Call before show()."""
        self.settings = settings
        if not self.restoreGeometry(settings.get(GEOMETRY)):
            self._fit_to_screen()
        self.restoreState(settings.get(STATE))
        page = settings.get(PAGE)
        self.navigation.setCurrentRow(page if 0 <= page < self.navigation.count() else 0)

    def _fit_to_screen(self) -> None:
        screen = self.screen() or QGuiApplication.primaryScreen()
        available = screen.availableGeometry()
        size = DEFAULT_SIZE.boundedTo(QSize(available.width(), available.height() - TITLE_BAR))
        self.resize(size)
        self.move(available.x() + (available.width() - size.width()) // 2,
                  available.y() + (available.height() - size.height() - TITLE_BAR) // 2)
        if size != DEFAULT_SIZE:
            self.setWindowState(Qt.WindowState.WindowMaximized)

    def save_layout(self) -> None:
        if self.settings is None:
            return
        self.settings.set(GEOMETRY, self.saveGeometry())
        self.settings.set(STATE, self.saveState())
        self.settings.set(PAGE, max(0, self.navigation.currentRow()))
        self.settings.sync()

    def open_observation(self, observation_id: str) -> None:
        from observe_app.gui.live.live_view import LiveObservationView

        assert self.backend is not None  # pages start visits only once they have the data
        self.live_view = LiveObservationView(self.backend, observation_id, self)
        self.live_view.setObjectName("liveView")
        self.live_view.observation_ended.connect(self._on_live_view_observation_ended)
        self.stack.addWidget(self.live_view)
        self.stack.setCurrentWidget(self.live_view)
        self.setWindowTitle(self.tr("Observing {teacher} · Observe").format(
            teacher=self.live_view.cycle.teacher_name))
        self.live_view.note_edit.setFocus()

    def _on_live_view_observation_ended(self, _observation_id: str) -> None:
        view, self.live_view = self.live_view, None
        assert view is not None  # the signal comes from the view shown
        self.stack.setCurrentWidget(self.home)
        self.stack.removeWidget(view)
        view.deleteLater()
        self.setWindowTitle(self.tr("Observe"))
        self.show_page(1)  # each page shown catches up with the visit by itself
        self.cycles_page.select_id(view.cycle.id)  # the cycle just observed, ready to open
        self.messages.show(self.tr(
            "Observation ended. Rate the lesson from your visit and hand it in on the cycle's "
            "Calibration tab.") if view.by_co_observer else self.tr(
            "Observation ended. The cycle is ready for the post-conference."),
            Priority.IMPORTANT, 10_000)
        self.observation_finished.emit(_observation_id)

    def show_instead(self, widget: QWidget | None) -> None:
        """Show `widget` in place of the pages (a damaged-database page); None goes back."""
        if widget is None:
            self.stack.setCurrentWidget(self.home)
            return
        if self.stack.indexOf(widget) < 0:
            self.stack.addWidget(widget)
        self.stack.setCurrentWidget(widget)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Until the first paint only: then the filter goes, and no event of the window's
        passes through Python any more (an `event` override saw every one, the last ones
        while the window was being destroyed, which crashed a test process)."""
        if watched is self and event.type() == QEvent.Type.Paint and not self._painted:
            self._painted = True
            self.removeEventFilter(self)
            self.first_painted.emit()
        return False

    def closeEvent(self, event: QCloseEvent) -> None:
        from observe_app.gui.review.autosave import FormAutoSaver
        from observe_app.gui.review.feedback_panel import AutoSavedText

        # reflections, post-conference notes, pre-conference forms
        boxes: list[AutoSavedText | FormAutoSaver] = [*self.findChildren(AutoSavedText),
                                                      *self.findChildren(FormAutoSaver)]
        for box in boxes:
            with contextlib.suppress(ObserveError):  # still marked unsaved: asked below
                box.flush()
        if any(box.unsaved for box in boxes) and QMessageBox.question(
                self, self.tr("Text not saved"),
                self.tr("Some text you wrote in a cycle could not be saved yet (the database "
                        "is not writable just now). Close anyway and lose it?"),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No) != QMessageBox.StandardButton.Yes:
            event.ignore()
            return
        if self.live_view is not None:
            self.live_view.flush()  # the draft and prompt text are on disk before we go
            if self.live_view.has_unsaved() and not self.live_view.confirm_close_unsaved():
                event.ignore()  # a fault kept the note from disk: it lives only in the box
                return
        self.save_layout()
        super().closeEvent(event)
