"""Qt table models of calibration: who observes a lesson and how far each visit has come, two
observers' levels side by side, scan codes, counts, all observers at once, and drift."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt
from PySide6.QtGui import QFont

from observe_app.domain.formats import local_date
from observe_app.gui.table_models import Index, RowsTableModel

if TYPE_CHECKING:
    from observe_app.gui.service_calls import CalibrationCalls
    from observe_app.services.agreement import Figure
    from observe_app.services.calibration import (
        CodeAgreement,
        CountPair,
        DriftPoint,
        RatingPair,
        SeenPair,
    )


@dataclass(frozen=True)
class ObserverRow:
    """One observer of the lesson and where their visit stands, in words."""

    id: str  # the visit's id, or the person's while no visit of theirs is here
    name: str
    role: str
    visit: str  # when the visit began, or ""
    state: str


class FigureRowsModel(RowsTableModel):
    """Rows whose cells may carry a figure: the value is shown, its sentence (the words the
    command line prints, from `words`) is the tooltip."""

    def __init__(self, words: CalibrationCalls, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.words = words

    def tooltip(self, row: Any, column: enum.IntEnum) -> str:
        return self.display(row, column)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and index.isValid() \
                and 0 <= index.row() < self.rowCount():
            return self.tooltip(self.row_at(index.row()), self.Column(index.column()))
        return super().data(index, role)

    def figure_value(self, f: Figure, *, share: bool = False) -> str:
        return self.words.value(f, share=share)

    def figure_sentence(self, f: Figure, *, share: bool = False) -> str:
        return self.words.sentence(f, share=share)


class LessonObserversTableModel(RowsTableModel):
    """Each observer of the lesson: their visit on this laptop and what stage it is at."""

    class Column(enum.IntEnum):
        OBSERVER = 0
        ROLE = 1
        VISIT = 2
        STATE = 3

    def headers(self) -> list[str]:
        return [self.tr("Observer"), self.tr("Role"), self.tr("Visit"), self.tr("Where it is")]

    def display(self, row: ObserverRow, column: enum.IntEnum) -> str:
        C = self.Column
        return {C.OBSERVER: row.name, C.ROLE: row.role, C.VISIT: row.visit,
                C.STATE: row.state}[C(column)]


class RatingPairsTableModel(FigureRowsModel):
    """Two observers' levels per rubric item, and the notes each tagged to it."""

    class Column(enum.IntEnum):
        ITEM = 0
        A_LEVEL = 1
        B_LEVEL = 2
        APART = 3
        A_EVIDENCE = 4
        B_EVIDENCE = 5

    def __init__(self, words: CalibrationCalls, parent: QObject | None = None) -> None:
        super().__init__(words, parent)
        self.names = ("", "")
        self.level_names: dict[str, dict[int, str]] = {}  # item id -> level -> name

    def set_pair(self, names: tuple[str, str], rows: tuple[RatingPair, ...],
                 level_names: dict[str, dict[int, str]]) -> None:
        self.names, self.level_names = names, level_names
        self.set_rows(rows)
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.Column) - 1)

    def headers(self) -> list[str]:
        a, b = self.names
        return [self.tr("Rubric item"), a, b, self.tr("Apart"),
                self.tr("Evidence: {name}").format(name=a),
                self.tr("Evidence: {name}").format(name=b)]

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole:  # a narrow column cuts the name short
            role = Qt.ItemDataRole.DisplayRole
        return super().headerData(section, orientation, role)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.FontRole and index.isValid() \
                and index.column() == self.Column.APART and 0 <= index.row() < self.rowCount():
            row = self.row_at(index.row())
            if row.a is not None and row.b is not None and abs(row.a - row.b) >= 2:
                bold = QFont()
                bold.setBold(True)  # two levels or more apart: where to start talking
                return bold
        return super().data(index, role)

    def _level(self, row: RatingPair, level: int | None) -> str:
        if level is None:
            return "—"
        name = self.level_names.get(row.item_id, {}).get(level, "")
        return f"{level} · {name}" if name else str(level)

    def display(self, row: RatingPair, column: enum.IntEnum) -> str:
        C = self.Column
        if column == C.APART:
            if row.a is None or row.b is None:
                return ""
            apart = abs(row.a - row.b)
            return (self.tr("same") if apart == 0 else self.tr("1 level") if apart == 1
                    else self.tr("{n} levels").format(n=apart))
        return {C.ITEM: row.label, C.A_LEVEL: self._level(row, row.a),
                C.B_LEVEL: self._level(row, row.b),
                C.A_EVIDENCE: "\n".join(row.a_evidence) or "—",
                C.B_EVIDENCE: "\n".join(row.b_evidence) or "—"}[C(column)]

    def tooltip(self, row: RatingPair, column: enum.IntEnum) -> str:
        C = self.Column
        if column == C.ITEM:
            return f"{row.domain}: {row.label}" if row.domain else row.label
        if column in (C.A_LEVEL, C.B_LEVEL) and \
                (row.a if column == C.A_LEVEL else row.b) is None:
            return self.tr("Not rated, or not observed")
        return self.display(row, column)

    def sort_key(self, row: RatingPair, column: enum.IntEnum) -> Any:
        return self.display(row, column)


class SeenPairsTableModel(FigureRowsModel):
    """Two observers' look-fors: seen or not seen."""

    class Column(enum.IntEnum):
        ITEM = 0
        A = 1
        B = 2

    def __init__(self, words: CalibrationCalls, parent: QObject | None = None) -> None:
        super().__init__(words, parent)
        self.names = ("", "")

    def set_pair(self, names: tuple[str, str], rows: tuple[SeenPair, ...]) -> None:
        self.names = names
        self.set_rows(rows)
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.Column) - 1)

    def headers(self) -> list[str]:
        return [self.tr("Look-for"), *self.names]

    def display(self, row: SeenPair, column: enum.IntEnum) -> str:
        C = self.Column
        return {C.ITEM: row.label, C.A: self.words.seen_word(row.a),
                C.B: self.words.seen_word(row.b)}[C(column)]


class CodeAgreementTableModel(FigureRowsModel):
    """An interval scan's codes: agreement and kappa on each code's presence per interval,
    exactly and within one interval."""

    class Column(enum.IntEnum):
        CODE = 0
        AGREEMENT = 1
        KAPPA = 2
        AGREEMENT_WITHIN_ONE = 3
        KAPPA_WITHIN_ONE = 4

    def headers(self) -> list[str]:
        return [self.tr("Code"), self.tr("Agreement"), self.tr("Kappa"),
                self.tr("Agreement ±1 interval"), self.tr("Kappa ±1 interval")]

    def _figure(self, row: CodeAgreement, column: enum.IntEnum) -> tuple[Figure, bool]:
        C = self.Column
        return {C.AGREEMENT: (row.exact.agreement, True), C.KAPPA: (row.exact.kappa, False),
                C.AGREEMENT_WITHIN_ONE: (row.within_one.agreement, True),
                C.KAPPA_WITHIN_ONE: (row.within_one.kappa, False)}[C(column)]

    def display(self, row: CodeAgreement, column: enum.IntEnum) -> str:
        if column == self.Column.CODE:
            return row.label
        figure, share = self._figure(row, column)
        return self.figure_value(figure, share=share)

    def tooltip(self, row: CodeAgreement, column: enum.IntEnum) -> str:
        if column == self.Column.CODE:
            return row.label
        figure, share = self._figure(row, column)
        return self.figure_sentence(figure, share=share)


class CountPairsTableModel(FigureRowsModel):
    """Tallies and timers: each observer's count or time, and how far apart they are."""

    class Column(enum.IntEnum):
        ITEM = 0
        A = 1
        B = 2
        APART = 3
        SHARE = 4

    def __init__(self, words: CalibrationCalls, parent: QObject | None = None) -> None:
        super().__init__(words, parent)
        self.names = ("", "")

    def set_pair(self, names: tuple[str, str], rows: tuple[CountPair, ...]) -> None:
        self.names = names
        self.set_rows(rows)
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.Column) - 1)

    def headers(self) -> list[str]:
        return [self.tr("Tally or timer"), *self.names, self.tr("Apart"),
                self.tr("Of the larger")]

    def display(self, row: CountPair, column: enum.IntEnum) -> str:
        C = self.Column
        d, number = row.difference, self.words.number
        unit = " s" if row.kind == "timer" else ""

        def amount(x: float | None) -> str:
            return "—" if x is None else f"{number(x)}{unit}"

        return {C.ITEM: row.label, C.A: amount(d.a), C.B: amount(d.b),
                C.APART: amount(d.absolute),
                C.SHARE: "—" if d.relative is None else f"{d.relative * 100:.0f} %"}[C(column)]

    def tooltip(self, row: CountPair, column: enum.IntEnum) -> str:
        return f"{row.label}: {self.words.count_words(row)}"


class GroupRatingsTableModel(QAbstractTableModel):
    """Three or more observers: each one's level per rubric item, a column each."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._names: tuple[str, ...] = ()
        self._rows: tuple[tuple[str, tuple[int | None, ...]], ...] = ()

    def set_rows(self, names: tuple[str, ...],
                 rows: tuple[tuple[str, tuple[int | None, ...]], ...]) -> None:
        self.beginResetModel()
        self._names, self._rows = names, rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 1 + len(self._names)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if section == 0:
            return self.tr("Rubric item")
        return self._names[section - 1] if 0 < section <= len(self._names) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows) \
                or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        label, levels = self._rows[index.row()]
        if index.column() == 0:
            return label
        if not 0 < index.column() <= len(levels):
            return None
        level = levels[index.column() - 1]
        return "—" if level is None else str(level)


class DriftTableModel(FigureRowsModel):
    """An observer's co-observed lessons, oldest first: how far they agreed each time."""

    class Column(enum.IntEnum):
        DATE = 0
        TEACHER = 1
        WITH = 2
        WITHIN_ONE = 3
        KAPPA = 4

    def headers(self) -> list[str]:
        return [self.tr("Lesson"), self.tr("Teacher observed"), self.tr("Observed with"),
                self.tr("Within one level"), self.tr("Weighted kappa")]

    def display(self, row: DriftPoint, column: enum.IntEnum) -> str:
        C = self.Column
        if column == C.WITHIN_ONE:
            return self.figure_value(row.within_one, share=True)
        if column == C.KAPPA:
            return self.figure_value(row.weighted_kappa)
        return {C.DATE: local_date(row.date), C.TEACHER: row.teacher_name,
                C.WITH: ", ".join(row.with_names)}[C(column)]

    def tooltip(self, row: DriftPoint, column: enum.IntEnum) -> str:
        if column == self.Column.WITHIN_ONE:
            return self.figure_sentence(row.within_one, share=True)
        if column == self.Column.KAPPA:
            return self.figure_sentence(row.weighted_kappa)
        return self.display(row, column)

    def sort_key(self, row: DriftPoint, column: enum.IntEnum) -> Any:
        if column == self.Column.DATE:
            return row.date.isoformat()
        if column == self.Column.WITHIN_ONE:
            return -1 if row.within_one.value is None else row.within_one.value
        if column == self.Column.KAPPA:
            return -2 if row.weighted_kappa.value is None else row.weighted_kappa.value
        return super().sort_key(row, column)
