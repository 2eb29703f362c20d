"""Ctrl+F: full-text search over every note, feedback item and cycle text, in any script."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QKeySequence,
    QPainter,
    QPalette,
    QShortcut,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from observe_app.errors import ObserveError
from observe_app.gui.queries import LatestOnly
from observe_app.gui.review.models import SNIPPET_ROLE, SearchResultsTableModel
from observe_app.gui.table_models import ROW_ROLE

if TYPE_CHECKING:
    from observe_app.gui.backend import Backend
    from observe_app.services.search import SearchHit


class SnippetDelegate(QStyledItemDelegate):
    """Paints a snippet with its matching words in bold (HTML from SNIPPET_ROLE)."""

    def _document(self, option: QStyleOptionViewItem,
                  index: QModelIndex | QPersistentModelIndex) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setHtml(index.data(SNIPPET_ROLE) or "")
        doc.setTextWidth(max(option.rect.width(), 200))
        return doc

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        self.initStyleOption(option, index)
        style = option.widget.style() if option.widget else None
        text_option = QStyleOptionViewItem(option)
        text_option.text = ""
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, text_option, painter,
                              option.widget)
        doc = self._document(option, index)
        painter.save()
        painter.translate(option.rect.left(),
                          option.rect.top() + max(0.0, (option.rect.height()
                                                        - doc.size().height()) / 2))
        painter.setClipRect(QRectF(0, 0, option.rect.width(), option.rect.height()))
        context = QAbstractTextDocumentLayout.PaintContext()
        context.palette.setColor(QPalette.ColorRole.Text, option.palette.color(
            QPalette.ColorRole.Text))
        doc.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        self.initStyleOption(option, index)
        doc = self._document(option, index)
        return QSize(int(doc.idealWidth()), int(doc.size().height()))


class SearchDialog(QDialog):
    """Type words; every note and feedback containing them is listed, newest first."""

    hit_opened = Signal(object)  # a SearchHit

    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.setWindowTitle(self.tr("Search notes and feedback"))
        self.resize(900, 520)
        column = QVBoxLayout(self)
        self.search_edit = QLineEdit(self)
        self.search_edit.setPlaceholderText(self.tr(
            "Words from a note, a glow or grow, a focus… in any language"))
        self.search_edit.setAccessibleName(self.tr("Search"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(self._on_search_edit_text_changed)
        self.search_edit.returnPressed.connect(self._on_search_edit_return_pressed)
        column.addWidget(self.search_edit)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("muted")
        column.addWidget(self.count_label)
        self.model = SearchResultsTableModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Search results"))
        self.table.setTabKeyNavigation(False)  # Tab leaves the table for the next control
        self.table.setItemDelegateForColumn(SearchResultsTableModel.Column.SNIPPET,
                                            SnippetDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        C = SearchResultsTableModel.Column
        for col, width in ((C.TEACHER, 160), (C.DATE, 90), (C.TIME, 56), (C.KIND, 80)):
            self.table.setColumnWidth(col, width)
        self.table.doubleClicked.connect(lambda _index: self.open_current())
        enter = QShortcut(QKeySequence(Qt.Key.Key_Return), self.table)
        enter.setContext(Qt.ShortcutContext.WidgetShortcut)
        enter.activated.connect(self.open_current)
        column.addWidget(self.table, 1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self.run_search)
        # Searching also brings the index up to date: a write, so it runs on a worker.
        self._query: LatestOnly[list[SearchHit]] = LatestOnly(self)
        self._open_when_found = False  # Enter pressed before the answer came

    def start(self) -> None:
        """Show, raise and put the cursor in the box with its text selected."""
        self.show()
        self.raise_()
        self.activateWindow()
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    def run_search(self) -> None:
        """Search on a worker; the answer to the newest text is shown when it comes."""
        self._timer.stop()
        text = self.search_edit.text()
        if not text.strip():
            self._query.run(list, lambda hits: self._show_hits(text, hits))
            return
        search = self.backend.search.search
        self._query.run(lambda: search(text), lambda hits: self._show_hits(text, hits),
                        self._on_search_failed)

    def _on_search_failed(self, error: ObserveError) -> None:
        self._open_when_found = False
        self.count_label.setText(self.tr("Not searched: {problem}").format(
            problem=error.sentence()))

    def _show_hits(self, text: str, hits: list[SearchHit]) -> None:
        # Newest lesson first, whoever it was; at equal dates, the later moment in the lesson.
        hits.sort(key=lambda h: (h.when.timestamp() if h.when else 0.0, h.elapsed_ms or 0),
                  reverse=True)
        self.model.set_rows(hits)
        if text.strip():
            self.count_label.setText(self.tr("{n} found").format(n=len(hits)) if hits
                                     else self.tr("Nothing found for “{text}”").format(text=text))
        else:
            self.count_label.setText("")
        if hits:
            self.table.selectRow(0)
        if self._open_when_found:
            self._open_when_found = False
            self.open_current()

    def open_current(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self.hit_opened.emit(index.data(ROW_ROLE))

    def _on_search_edit_text_changed(self, _text: str) -> None:
        self._timer.start()

    def _on_search_edit_return_pressed(self) -> None:
        if self._timer.isActive() or self._query.running or self.model.rowCount() == 0:
            self._open_when_found = True  # the first hit opens when the answer comes
            if not self._query.running or self._timer.isActive():
                self.run_search()
            return
        self.open_current()
