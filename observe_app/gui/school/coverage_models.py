"""Qt models of the School page's coverage: each teacher's visits made and received, who
observed whom (a matrix), and the post-conferences overdue."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt
from PySide6.QtGui import QBrush, QColor

from observe_app.domain.formats import local_date
from observe_app.gui.table_models import ROW_ROLE, Index, RowsTableModel

if TYPE_CHECKING:
    from observe_app.services.school import OverdueCycle, Pairing, TeacherCoverage

NOT_REACHED = QColor("#fff4d6")  # a teacher the programme has not reached yet (with words)


class CoverageTableModel(RowsTableModel):
    """One row per teacher of the scope: visits received and made, and what is missing."""

    class Column(enum.IntEnum):
        TEACHER = 0
        OBSERVED = 1
        OBSERVING = 2
        NOTE = 3
        SUBJECT = 4

    def headers(self) -> list[str]:
        return [self.tr("Teacher"), self.tr("Observed"), self.tr("Observing"),
                self.tr("Not yet"), self.tr("Subject")]

    def header_tips(self) -> list[str]:
        return [self.tr("Teachers who teach lessons (leaders who walk the school are left out)"),
                self.tr("Cycles with a visit to their lessons in the period"),
                self.tr("Visits they made to colleagues' lessons in the period"),
                self.tr("What the programme has not given them yet in the period"), ""]

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(self.Column)):
            return self.header_tips()[section] or None
        return super().headerData(section, orientation, role)

    def note(self, row: TeacherCoverage) -> str:
        missing = []
        if row.observed == 0:
            missing.append(self.tr("never observed"))
        if row.observing == 0:
            missing.append(self.tr("observed no one"))
        text = " · ".join(missing)
        return text[:1].upper() + text[1:]

    def display(self, row: TeacherCoverage, column: enum.IntEnum) -> str:
        C = self.Column
        return {
            C.TEACHER: row.name,
            C.SUBJECT: row.subject,
            C.OBSERVED: str(row.observed),
            C.OBSERVING: str(row.observing),
            C.NOTE: self.note(row),
        }[C(column)]

    def sort_key(self, row: TeacherCoverage, column: enum.IntEnum) -> Any:
        if column == self.Column.OBSERVED:
            return row.observed
        if column == self.Column.OBSERVING:
            return row.observing
        return super().sort_key(row, column)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.BackgroundRole and index.isValid()
                and 0 <= index.row() < self.rowCount()
                and self.row_at(index.row()).observed == 0):
            return QBrush(NOT_REACHED)
        if (role == Qt.ItemDataRole.TextAlignmentRole and index.isValid()
                and index.column() in (self.Column.OBSERVED, self.Column.OBSERVING)):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return super().data(index, role)


class OverdueTableModel(RowsTableModel):
    """Cycles whose post-conference has not been held two weeks after the visit."""

    class Column(enum.IntEnum):
        TEACHER = 0
        DAYS = 1
        OBSERVER = 2
        VISITED = 3

    def headers(self) -> list[str]:
        return [self.tr("Teacher"), self.tr("Days since the visit"), self.tr("Observer"),
                self.tr("Visit")]

    def find_row(self, row_id: str) -> int:
        return next((n for n in range(self.rowCount()) if self.row_at(n).cycle_id == row_id), -1)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.TextAlignmentRole and index.isValid()
                and index.column() == self.Column.DAYS):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return super().data(index, role)

    def display(self, row: OverdueCycle, column: enum.IntEnum) -> str:
        C = self.Column
        return {
            C.TEACHER: row.teacher,
            C.OBSERVER: row.observer,
            C.VISITED: local_date(row.visited),
            C.DAYS: str(row.days),
        }[C(column)]

    def sort_key(self, row: OverdueCycle, column: enum.IntEnum) -> Any:
        if column == self.Column.DAYS:
            return row.days
        if column == self.Column.VISITED:
            return row.visited.isoformat()
        return super().sort_key(row, column)


def _short_names(names: Sequence[str]) -> list[str]:
    """Each name's first word, or the whole name where two share a first word: a matrix of a
    school's staff stays narrow enough for a small screen (the tooltips say the whole name)."""
    first = [name.split(" ", 1)[0] for name in names]
    return [short if first.count(short) == 1 else name for short, name in zip(first, names,
                                                                                strict=True)]


class PairingTableModel(QAbstractTableModel):
    """Observers down the side, the teachers they observed across the top, visits in the cells.

    Only people with a visit in the period are listed: the teachers table names the others."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._observers: list[tuple[str, str]] = []  # (id, name)
        self._teachers: list[tuple[str, str]] = []
        self._visits: dict[tuple[str, str], int] = {}
        self._short: list[str] = []  # the columns' headings: first names where they are unique

    def set_rows(self, pairs: Iterable[Pairing], names: dict[str, str]) -> None:
        pairs = list(pairs)

        def people(ids: set[str]) -> list[tuple[str, str]]:
            return sorted(((pid, names.get(pid, "?")) for pid in ids),
                          key=lambda p: p[1].casefold())

        self.beginResetModel()
        self._observers = people({p.observer_id for p in pairs})
        self._teachers = people({p.teacher_id for p in pairs})
        self._visits = {(p.observer_id, p.teacher_id): p.visits for p in pairs}
        self._short = _short_names([name for _id, name in self._teachers])
        self.endResetModel()

    def observers(self) -> Sequence[tuple[str, str]]:
        return self._observers

    def teachers(self) -> Sequence[tuple[str, str]]:
        return self._teachers

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._observers)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._teachers)

    def visits(self, row: int, column: int) -> int:
        return self._visits.get((self._observers[row][0], self._teachers[column][0]), 0)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._observers)
                                       and 0 <= index.column() < len(self._teachers)):
            return None
        visits = self.visits(index.row(), index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return str(visits) if visits else ""
        if role == Qt.ItemDataRole.ToolTipRole:
            observer, teacher = self._observers[index.row()][1], self._teachers[index.column()][1]
            if visits == 1:
                return self.tr("{observer} visited {teacher}'s lessons once").format(
                    observer=observer, teacher=teacher)
            return self.tr("{observer} visited {teacher}'s lessons {n} times").format(
                observer=observer, teacher=teacher, n=visits)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.UserRole:
            return visits
        if role == ROW_ROLE:
            return (self._observers[index.row()][0], self._teachers[index.column()][0])
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        people = self._teachers if orientation == Qt.Orientation.Horizontal else self._observers
        if not 0 <= section < len(people):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if orientation == Qt.Orientation.Horizontal:
                return self._short[section]
            return people[section][1]
        if role == Qt.ItemDataRole.ToolTipRole:
            if orientation == Qt.Orientation.Horizontal:
                return self.tr("Observed: {name}").format(name=people[section][1])
            return self.tr("Observer: {name}").format(name=people[section][1])
        return None
