"""Qt table models for the main window's lists: people, cycles and protocols."""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from observe_app.domain.formats import local_date

if TYPE_CHECKING:
    from observe_app.services.cycles import CycleSummary
    from observe_app.services.people import PersonView
    from observe_app.services.protocols import ProtocolSummary

Index = QModelIndex | QPersistentModelIndex
ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the read model behind a row
BATCH = 200


class RowsTableModel(QAbstractTableModel):
    """Rows of read models shown in columns; large lists are handed to the view in batches."""

    Column: type[enum.IntEnum]

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []
        self._shown = 0

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._shown = min(len(self._rows), BATCH)
        self.endResetModel()

    def row_at(self, row: int) -> Any:
        return self._rows[row]

    def find_row(self, row_id: str) -> int:
        for number, row in enumerate(self._rows[: self._shown]):
            if row.id == row_id:
                return number
        return -1

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._shown

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.Column)

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and self._shown < len(self._rows)

    def fetchMore(self, parent: Index) -> None:
        if parent.isValid():
            return
        more = min(BATCH, len(self._rows) - self._shown)
        if more <= 0:
            return
        self.beginInsertRows(QModelIndex(), self._shown, self._shown + more - 1)
        self._shown += more
        self.endInsertRows()

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(self.Column)):
            return self.headers()[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self._shown:
            return None
        row = self._rows[index.row()]
        column = self.Column(index.column())
        if role == ROW_ROLE:
            return row
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.display(row, column)
        if role == Qt.ItemDataRole.UserRole:  # sort key
            return self.sort_key(row, column)
        return None

    def headers(self) -> list[str]:
        raise NotImplementedError

    def display(self, row: Any, column: enum.IntEnum) -> str:
        raise NotImplementedError

    def sort_key(self, row: Any, column: enum.IntEnum) -> Any:
        return self.display(row, column).lower()


class PeopleTableModel(RowsTableModel):
    class Column(enum.IntEnum):
        NAME = 0
        ROLE = 1
        SUBJECT = 2
        CAREER_STAGE = 3
        MENTOR = 4
        CYCLES = 5

    def headers(self) -> list[str]:
        return [self.tr("Name"), self.tr("Role"), self.tr("Subject"), self.tr("Career stage"),
                self.tr("Mentor"), self.tr("Cycles")]

    def display(self, row: PersonView, column: enum.IntEnum) -> str:
        C = self.Column
        return {
            C.NAME: self.tr("{name} (archived)").format(name=row.name) if row.archived
            else row.name,
            C.ROLE: row.role.value.capitalize(),
            C.SUBJECT: row.subject,
            C.CAREER_STAGE: row.career_stage.value.capitalize(),
            C.MENTOR: row.mentor_name or "",
            C.CYCLES: str(row.cycle_count),
        }[C(column)]

    def sort_key(self, row: PersonView, column: enum.IntEnum) -> Any:
        if column == self.Column.CYCLES:
            return row.cycle_count
        return super().sort_key(row, column)


class CyclesTableModel(RowsTableModel):
    """Cycles a page at a time: with a `fetch_page` (see `set_source`) the list is sorted and
    filtered by the database, and the next page is asked for as the view scrolls to the end."""

    class Column(enum.IntEnum):
        DATE = 0
        TEACHER = 1
        OBSERVER = 2
        PROTOCOL = 3
        STAGE = 4
        VISITS = 5
        FOCUS = 6

    # services.cycle_pages.SORTS, by column
    SORT_KEYS = ("date", "teacher", "observer", "protocol", "stage", "visits", "focus")
    PAGE = BATCH

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._fetch_page: Callable[..., Sequence[Any]] | None = None
        self._sort = "date"
        self._descending = False
        self._text = ""
        self._complete = True
        self._busy = False

    def set_source(self, fetch_page: Callable[..., Sequence[Any]]) -> None:
        """Load from `fetch_page(text=, sort=, descending=, offset=, limit=)` from now on."""
        self._fetch_page = fetch_page
        self.reload()

    def query(self) -> dict[str, Any]:
        """What the rows are asked for by: the filter text and the sort (no page)."""
        return {"text": self._text, "sort": self._sort, "descending": self._descending}

    def reload(self) -> None:
        """The first page again, as the database has it now."""
        if self._fetch_page is None:
            return
        rows = list(self._fetch_page(offset=0, limit=self.PAGE, **self.query()))
        self.beginResetModel()
        self._rows = rows
        self._shown = len(rows)
        self._complete = len(rows) < self.PAGE
        self._busy = True  # a view (or a tester) asking for more meanwhile waits
        try:
            self.endResetModel()
        finally:
            self._busy = False

    def set_rows(self, rows: Sequence[Any]) -> None:
        self._fetch_page = None  # rows handed over whole (tests, small lists)
        self._complete = True
        super().set_rows(rows)

    def set_filter_text(self, text: str) -> None:
        if text != self._text:
            self._text = text
            self.reload()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.SORT_KEYS):
            return
        self._sort = self.SORT_KEYS[column]
        self._descending = order == Qt.SortOrder.DescendingOrder
        self.reload()

    def canFetchMore(self, parent: Index) -> bool:
        if self._fetch_page is None:
            return super().canFetchMore(parent)
        return not parent.isValid() and not self._complete

    def fetchMore(self, parent: Index) -> None:
        if self._fetch_page is None:
            super().fetchMore(parent)
            return
        if parent.isValid() or self._complete or self._busy:
            return
        rows = list(self._fetch_page(offset=len(self._rows), limit=self.PAGE, **self.query()))
        self._complete = len(rows) < self.PAGE
        if not rows:
            return
        self._busy = True  # a slot of rowsInserted asking for more asks after this page
        try:
            self.beginInsertRows(QModelIndex(), len(self._rows),
                                 len(self._rows) + len(rows) - 1)
            self._rows.extend(rows)
            self._shown = len(self._rows)
            self.endInsertRows()
        finally:
            self._busy = False

    def load_through(self, row: int) -> None:
        """Fetch pages until row number `row` is loaded (or the list ends)."""
        while self._shown <= row and self.canFetchMore(QModelIndex()):
            self.fetchMore(QModelIndex())

    def headers(self) -> list[str]:
        return [self.tr("Date"), self.tr("Teacher"), self.tr("Observer"), self.tr("Protocol"),
                self.tr("Stage"), self.tr("Visits"), self.tr("Focus")]

    def display(self, row: CycleSummary, column: enum.IntEnum) -> str:
        C = self.Column
        return {
            C.DATE: local_date(row.date),
            C.TEACHER: row.teacher_name,
            C.OBSERVER: row.observer_name or "",
            C.PROTOCOL: row.protocol_name,
            C.STAGE: self.tr("{stage} (archived)").format(stage=row.stage.label)
            if row.archived else row.stage.label,
            C.FOCUS: row.focus,
            C.VISITS: str(row.observation_count),
        }[C(column)]

    def sort_key(self, row: CycleSummary, column: enum.IntEnum) -> Any:
        if column == self.Column.DATE:
            return row.date.isoformat()
        if column == self.Column.VISITS:
            return row.observation_count
        if column == self.Column.STAGE:
            return list(type(row.stage)).index(row.stage)
        return super().sort_key(row, column)


class ProtocolsTableModel(RowsTableModel):
    class Column(enum.IntEnum):
        NAME = 0
        VERSION = 1
        ITEMS = 2
        SOURCE = 3

    def headers(self) -> list[str]:
        return [self.tr("Protocol"), self.tr("Version"), self.tr("Items"), self.tr("Source")]

    def display(self, row: ProtocolSummary, column: enum.IntEnum) -> str:
        C = self.Column
        return {
            C.NAME: row.name,
            C.VERSION: str(row.latest_version),
            C.ITEMS: str(row.item_count),
            C.SOURCE: (self.tr("Built-in, retired") if row.builtin else self.tr("Yours, retired"))
            if row.retired else self.tr("Built-in") if row.builtin else self.tr("Yours"),
        }[C(column)]
