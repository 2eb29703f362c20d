"""Opens the review views inside the main window: a cycle, a teacher's growth, and search.

Kept apart from main_window.py so the window module stays small: the window creates one
navigator and connects its pages' `cycle_opened` / `growth_opened` signals to it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QListWidgetItem, QWidget

from observe_app.gui import shortcuts
from observe_app.gui.status_messages import Priority

if TYPE_CHECKING:
    from observe_app.gui.main_window import MainWindow
    from observe_app.gui.review.cycle_view import CycleView
    from observe_app.gui.review.growth_view import GrowthView
    from observe_app.gui.review.search_dialog import SearchDialog
    from observe_app.services.search import SearchHit


class ReviewNavigator(QObject):
    """Shows cycle and growth views in place of the current page; Back returns to it."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.views: list[QWidget] = []  # the review views open, newest last
        self.search_dialog: SearchDialog | None = None
        shortcuts.bind(shortcuts.FIND, window, self.open_search,
                       context=Qt.ShortcutContext.WindowShortcut)
        window.navigation.itemClicked.connect(self._on_navigation_item_clicked)

    @property
    def current_view(self) -> QWidget | None:
        return self.views[-1] if self.views else None

    def _push(self, view: QWidget) -> None:
        stack = self.window.pages_stack
        if self.window.live_view is not None:
            self.window.messages.show(self.tr(
                "End the observation first; the cycle opens afterwards."),
                Priority.IMPORTANT, 8000)
            view.deleteLater()
            return
        self.views.append(view)
        stack.addWidget(view)
        stack.setCurrentWidget(view)
        view.setFocus()

    def open_cycle(self, cycle_id: str) -> CycleView:
        from observe_app.gui.review.cycle_view import CycleView

        assert self.window.backend is not None  # pages open cycles once they have the data
        view = CycleView(self.window.backend, cycle_id, self.window.pages_stack)
        view.setObjectName("cycleView")
        view.closed.connect(self.close_current)
        view.send_requested.connect(self.window.exchange.send_cycle)
        view.visits.visit_removed.connect(self.window.undo_offer.offer)
        view.visits.undo_delete_requested.connect(self.window.undo_offer.undo)
        self.window.undo_offer.restored.connect(view.visits.catch_up)
        self._push(view)
        self.window.setWindowTitle(self.tr("Cycle with {teacher} · Observe").format(
            teacher=view.detail.summary.teacher_name))
        return view

    def open_growth(self, teacher_id: str) -> GrowthView:
        from observe_app.gui.review.growth_view import GrowthView

        assert self.window.backend is not None
        view = GrowthView(self.window.backend, teacher_id, self.window.pages_stack)
        view.setObjectName("growthView")
        view.closed.connect(self.close_current)
        view.cycle_opened.connect(self.open_cycle)
        self._push(view)
        self.window.setWindowTitle(self.tr("Growth · Observe"))
        return view

    def close_current(self) -> None:
        if not self.views:
            return
        view = self.views[-1]
        flush = getattr(view, "flush", None)
        if flush is not None:
            flush()  # a refused save raises: the view stays open with what was typed
        self.views.pop()
        stack = self.window.pages_stack
        stack.removeWidget(view)
        view.deleteLater()
        if self.views:  # it catches up with what changed on top of it as it is shown
            stack.setCurrentWidget(self.views[-1])
            self.views[-1].setFocus()
        else:
            self.window.setWindowTitle(self.tr("Observe"))
            row = self.window.navigation.currentRow()
            stack.setCurrentWidget(self.window.page(row))
            self.window.show_page(row)

    def close_all(self) -> None:
        while self.views:
            self.close_current()

    def _on_navigation_item_clicked(self, _item: QListWidgetItem) -> None:
        try:
            self.close_all()
        except Exception:
            # The press already showed the page; a cycle whose text could not be saved yet
            # stays open, so it comes back on top (and the refusal is said as for any key).
            if self.views:
                self.window.pages_stack.setCurrentWidget(self.views[-1])
            raise

    # -- search ----------------------------------------------------------------------------

    def open_search(self) -> SearchDialog | None:
        if self.window.backend is None:
            return None
        if self.search_dialog is None:
            from observe_app.gui.review.search_dialog import SearchDialog

            self.search_dialog = SearchDialog(self.window.backend, self.window)
            self.search_dialog.hit_opened.connect(self._on_search_dialog_hit_opened)
        self.search_dialog.start()
        return self.search_dialog

    def _on_search_dialog_hit_opened(self, hit: SearchHit) -> None:
        if self.window.live_view is not None:
            self.window.messages.show(self.tr(
                "End the observation first; the search result opens afterwards."),
                Priority.IMPORTANT, 8000)
            return
        self.close_all()
        view = self.open_cycle(hit.cycle_id)
        if hit.observation_id:
            view.show_note(hit.observation_id, hit.ref_id)
        elif hit.kind == "feedback":
            view.tabs.setCurrentWidget(view.feedback)
        if self.search_dialog is not None:
            self.search_dialog.hide()
        self.window.activateWindow()
