"""A cycle's visits: the list with class details, and the chosen visit's evidence and results
(each kind's figures as HTML, then the widgets a kind adds under them, such as a seating chart).

Notes can be corrected here after the visit (the end-of-visit dialog promises it): the text
only, through services.notes.edit_note, so the search index follows and the time stays as
recorded; Ctrl+Z and Ctrl+Shift+Z undo and redo with the live view's undo commands. A note
can be kept private here too (Ctrl+Shift+K), as during the visit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QPoint,
    QSize,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QResizeEvent, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QLabel,
    QMenu,
    QScrollArea,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from observe_app.domain.changes import Data
from observe_app.errors import ObserveError
from observe_app.gui import kinds, shortcuts
from observe_app.gui.current import KeptCurrent
from observe_app.gui.live.parts import NoteTextDelegate
from observe_app.gui.live.undo import ChangeNoteCommand, PrivateNoteCommand
from observe_app.gui.review.models import EvidenceTableModel, VisitsTableModel, escape
from observe_app.gui.settings import VISITS_SPLITTER, WindowSettings

if TYPE_CHECKING:
    from observe_app.gui.backend import Backend
    from observe_app.services.protocols import ProtocolVersionView
    from observe_app.services.responses import ObservationResults


def _table(parent: QWidget, model: QAbstractItemModel, name: str) -> QTableView:
    table = QTableView(parent)
    table.setModel(model)
    table.setAccessibleName(name)
    table.setTabKeyNavigation(False)  # Tab leaves the table for the next control
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def results_html(version: ProtocolVersionView, results: ObservationResults,
                 tr: Callable[..., str]) -> str:
    """What was recorded live in one visit, kind by kind (gui/kinds), as simple HTML."""
    parts: list[str] = []
    for view in kinds.all_views():
        items = [i for i in version.items if i.kind == view.name]
        if not items:
            continue
        for title, rows in view.results(items, results, tr):
            if rows:
                parts.append(f"<h4>{escape(title)}</h4><table cellspacing='0' cellpadding='2'>"
                             + "".join(f"<tr><td style='padding-right:14px'>{escape(label)}</td>"
                                       f"<td><b>{escape(value)}</b></td></tr>"
                                       for label, value in rows) + "</table>")
    return "".join(parts) or "<p>" + escape(tr("Nothing was recorded on the protocol.")) + "</p>"


class FittedTextBrowser(QTextBrowser):
    """Results text as tall as it is, with no scroll bar of its own: the results' scroll area
    scrolls it together with the widgets under it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        policy = self.sizePolicy()
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.document().documentLayout().documentSizeChanged.connect(self.updateGeometry)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        measure = self.document().clone(self)
        margins = self.contentsMargins()
        measure.setTextWidth(width - margins.left() - margins.right())
        height = measure.size().height()
        measure.deleteLater()
        return int(height + 0.99) + margins.top() + margins.bottom()

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), self.heightForWidth(self.width()))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.updateGeometry()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Its own view never scrolls: the keys that would scroll it go on to the scroll area.
        if event.key() in _SCROLL_KEYS and not event.modifiers():
            event.ignore()
            return
        super().keyPressEvent(event)


_SCROLL_KEYS = (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown)


class VisitsPanel(QWidget):
    """Visits on top; below, the chosen visit's evidence log (its notes' text can be
    corrected, with undo) beside its results."""

    notes_changed = Signal()  # a note's text was corrected, undone or redone
    visit_removed = Signal(object)  # a RemovalView: a visit deleted here (Undo is offered)
    undo_delete_requested = Signal()  # Ctrl+Z with no correction left to undo

    def __init__(self, backend: Backend, cycle_id: str, version: ProtocolVersionView,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        # what changes while it is on screen is its own doing; hidden, it catches up on show
        shows = Data.VISITS | Data.NOTES | Data.RESPONSES
        KeptCurrent(self, shows, self.reload, while_shown=False).follow(backend)
        self.cycle_id = cycle_id
        self.version = version
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        self.visits_model = VisitsTableModel(self)
        self.visits_table = _table(self, self.visits_model, self.tr("Visits"))
        self.visits_table.setMaximumHeight(120)
        for col, width in enumerate((100, 60, 220, 90, 80)):
            self.visits_table.setColumnWidth(col, width)
        self.visits_table.selectionModel().currentRowChanged.connect(
            self._on_visits_selection_current_row_changed)
        column.addWidget(self.visits_table)
        # Delete on the visits list (not in the evidence beside it), or its context menu.
        shortcuts.bind(shortcuts.DELETE_VISIT, self.visits_table, self.delete_visit,
                       context=Qt.ShortcutContext.WidgetShortcut)
        self.visits_table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.visits_table.customContextMenuRequested.connect(
            self._on_visits_table_context_menu_requested)
        self.empty_label = QLabel(self.tr("No visit yet. Start an observation from the Observe "
                                          "page (Alt+O) when the lesson begins."), self)
        self.empty_label.setObjectName("notice")
        self.empty_label.setWordWrap(True)
        column.addWidget(self.empty_label)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        self.evidence_model = EvidenceTableModel(self)
        self.evidence_model.set_item_labels({i.id: i.label for i in version.items})
        self.evidence_proxy = QSortFilterProxyModel(self)
        self.evidence_proxy.setSourceModel(self.evidence_model)
        self.evidence_proxy.setSortRole(Qt.ItemDataRole.UserRole)
        self.evidence_table = _table(split, self.evidence_proxy, self.tr("Evidence log"))
        self.evidence_table.setWordWrap(True)
        self.evidence_table.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.evidence_table.setSortingEnabled(True)
        self.evidence_table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        header = self.evidence_table.horizontalHeader()
        header.setSectionResizeMode(EvidenceTableModel.Column.NOTE, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        self.evidence_table.setColumnWidth(EvidenceTableModel.Column.ELAPSED, 60)
        self.evidence_table.setColumnWidth(EvidenceTableModel.Column.WALL, 60)
        self.evidence_table.setColumnWidth(EvidenceTableModel.Column.TAGS, 150)
        self.evidence_table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                            | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.evidence_table.setItemDelegateForColumn(EvidenceTableModel.Column.NOTE,
                                                     NoteTextDelegate(self.evidence_table))
        self.evidence_model.text_edit_requested.connect(
            self._on_evidence_model_text_edit_requested)
        self.evidence_model.problem_occurred.connect(self.show_problem)
        self.undo_stack = QUndoStack(self)
        shortcuts.bind(shortcuts.PRIVATE_NOTE_AFTER, self.evidence_table, self.toggle_private,
                       context=Qt.ShortcutContext.WidgetShortcut)
        shortcuts.bind(shortcuts.UNDO_CORRECTION, self, self.undo)
        shortcuts.bind(shortcuts.REDO_CORRECTION, self, self.redo)
        self.results_area = QScrollArea(split)
        self.results_area.setWidgetResizable(True)
        self.results_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results_area.setObjectName("visitResults")
        self.results_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the text takes focus for it
        box = QWidget(self.results_area)
        box.setObjectName("visitResultsBox")
        self.results_column = QVBoxLayout(box)
        self.results_column.setContentsMargins(0, 0, 0, 0)
        self.results_view = FittedTextBrowser(box)
        self.results_view.setAccessibleName(self.tr("Results of the visit"))
        self.results_column.addWidget(self.results_view)
        self.results_column.addStretch(1)
        self.results_area.setWidget(box)
        self.result_widgets: list[QWidget] = []  # the kinds' widgets under the text
        self.observation_id: str | None = None  # the visit shown
        split.setSizes([600, 420])  # room for a seating chart under the results
        if (settings := WindowSettings.of(backend)) is not None:
            settings.remember_splitter(split, VISITS_SPLITTER)
        self.splitter = split
        column.addWidget(split, 1)
        self.hint_label = QLabel(self)
        self.hint_label.setObjectName("muted")
        self.hint_label.setWordWrap(True)
        column.addWidget(self.hint_label)
        self.problem_label = QLabel(self)
        self.problem_label.setObjectName("notice")
        self.problem_label.setWordWrap(True)
        self.problem_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problem_label.hide()
        column.addWidget(self.problem_label)
        self.set_editable(True)
        self.reload()

    def set_editable(self, editable: bool) -> None:
        """A closed cycle's notes are read, not corrected."""
        self.evidence_model.editable = editable
        self.hint_label.setText((self.tr(
            "To correct a note, double-click it or press F2; Enter keeps the correction, "
            "Shift+Enter starts a new line, Ctrl+Z undoes it. The note keeps its time.")
            if editable else self.tr("This cycle is closed: its notes are read, not changed."))
            + " " + self.tr("Ctrl+Shift+K keeps the selected note private: never in a PDF or "
                            "a package."))

    def show_problem(self, text: str) -> None:
        self.problem_label.setText(text)
        self.problem_label.setVisible(bool(text))

    def reload(self) -> None:
        visits = self.backend.observations.list_observations(self.cycle_id)
        self.visits_model.set_rows(visits)
        self.empty_label.setVisible(not visits)
        if visits:
            self.visits_table.selectRow(len(visits) - 1)
        else:  # the last visit was deleted: nothing of it stays on screen
            self.observation_id = None
            self.evidence_model.set_rows([])
            self.results_view.clear()
            self._show_result_widgets(None)

    def catch_up(self, _restored: object = None) -> None:
        """A delete undone from the status bar while this is on screen (which otherwise only
        changes what it does itself)."""
        self.reload()

    def show_visit(self, observation_id: str, note_id: str | None = None) -> None:
        row = self.visits_model.find_row(observation_id)
        if row >= 0:
            self.visits_table.selectRow(row)
        if note_id is not None:
            source_row = self.evidence_model.find_row(note_id)
            if source_row >= 0:
                index = self.evidence_proxy.mapFromSource(self.evidence_model.index(source_row, 0))
                self.evidence_table.selectRow(index.row())
                self.evidence_table.scrollTo(index)

    def _on_visits_selection_current_row_changed(self, current: QModelIndex,
                                                  _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        visit = self.visits_model.row_at(current.row())
        self.undo_stack.clear()  # an undo changes what is on screen, never a hidden visit
        self.show_problem("")
        self.evidence_model.set_rows(self.backend.notes.list_notes(visit.id))
        self.observation_id = visit.id
        results = self.backend.responses.observation_results(visit.id)
        self.results_view.setHtml(results_html(self.version, results, self.tr))
        self._show_result_widgets(results)

    def _show_result_widgets(self, results: ObservationResults | None) -> None:
        """Under the text, what each kind adds to it for this visit (gui/kinds)."""
        for widget in self.result_widgets:
            self.results_column.removeWidget(widget)
            widget.deleteLater()
        self.result_widgets = []
        if results is None:
            return
        for view in kinds.all_views():
            items = [i for i in self.version.items if i.kind == view.name]
            if items and view.result_widgets is not None:
                self.result_widgets += view.result_widgets(items, results, self)
        for at, widget in enumerate(self.result_widgets, start=1):
            self.results_column.insertWidget(at, widget)

    def _on_evidence_model_text_edit_requested(self, note_id: str, text: str) -> None:
        model = self.evidence_model
        before = model.note_at(model.row_of(note_id))
        try:
            after = self.backend.notes.edit_note(note_id, text)  # tags and time stay
        except ObserveError as exc:
            # Said, never dropped: the correction is shown so it can be copied and tried again.
            self.show_problem(self.tr("Your correction was not saved: {error}. What you wrote: "
                                      "{text}").format(error=exc, text=text))
            return
        self.show_problem("")
        model.replace_note(after)
        self.undo_stack.push(ChangeNoteCommand(self.backend, model, before, after,
                                               self.tr("correct note")))
        self.notes_changed.emit()

    def toggle_private(self) -> None:
        """Keep the selected note private (never in a PDF or a package), or share it again."""
        index = self.evidence_proxy.mapToSource(self.evidence_table.currentIndex())
        if not index.isValid():
            return
        before = self.evidence_model.note_at(index.row())
        try:
            after = self.backend.notes.set_private(before.id, not before.private)
        except ObserveError as exc:
            self.show_problem(str(exc))
            return
        self.show_problem("")
        self.evidence_model.replace_note(after)
        self.undo_stack.push(PrivateNoteCommand(self.backend, self.evidence_model, after))
        self.notes_changed.emit()

    def undo(self) -> None:
        if self.undo_stack.canUndo():
            self.undo_stack.undo()
            self.notes_changed.emit()
        else:
            self.undo_delete_requested.emit()

    def _on_visits_table_context_menu_requested(self, pos: QPoint) -> None:
        if not self.visits_table.currentIndex().isValid():
            return
        menu = QMenu(self)
        menu.addAction(self.tr("Delete visit…"), self.delete_visit)
        menu.exec(self.visits_table.viewport().mapToGlobal(pos))
        menu.deleteLater()

    def delete_visit(self) -> None:
        """Ask, then delete the selected visit with its notes and results; Undo is offered."""
        index = self.visits_table.currentIndex()
        if not index.isValid():
            return
        from observe_app.gui.removal import ask_delete

        visit = self.visits_model.row_at(index.row())
        view = ask_delete(self, self.backend, "observations", visit.id)
        if view is not None:
            self.undo_stack.clear()  # its corrections went with it
            self.reload()  # now, not when shown again (it is on screen)
            self.visit_removed.emit(view)

    def redo(self) -> None:
        if self.undo_stack.canRedo():
            self.undo_stack.redo()
            self.notes_changed.emit()
