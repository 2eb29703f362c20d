"""The Qt model of the School page's practice patterns: one flat table, grouped by protocol and
then by what is measured, with heading rows; a withheld figure says why in words."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt
from PySide6.QtGui import QColor, QFont

from observe_app.errors import as_sentence
from observe_app.gui.table_models import ROW_ROLE, Index

if TYPE_CHECKING:
    from observe_app.services.school_figures import Figure, Pattern

SHARE_ROLE = Qt.ItemDataRole.UserRole + 2  # a share (0 to 1) the cell draws as a bar
NOTHING = "nothing was recorded"  # services.school_figures.withheld_because, when empty
MUTED = QColor("#5b6773")


@dataclass(frozen=True)
class Heading:
    """A row naming what the rows under it are: a protocol, or a group and its measure."""

    text: str
    level: int  # 0: a protocol; 1: a group within it


# As services.school_json.is_share (the PDF, the CSV and the command line read figures so).
PERCENT_KINDS = frozenset({"lookfor", "interval", "rubric", "participation"})


def is_share(kind: str, measure: str) -> bool:
    """Whether a figure is a share (0 to 1): the built-in kinds are known; another kind's
    measure says so."""
    return kind in PERCENT_KINDS or "share" in measure


class PatternsTableModel(QAbstractTableModel):
    """Rows of Heading and Pattern; `set_rows(patterns)` groups and resets."""

    class Column(enum.IntEnum):
        LABEL = 0
        NOW = 1
        BEFORE = 2
        CHANGE = 3
        BASIS = 4

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Heading | Pattern] = []

    def set_rows(self, patterns: Sequence[Pattern]) -> None:
        """Grouped by protocol (A to Z), then by kind and group in the order given."""
        rows: list[Heading | Pattern] = []
        for protocol in sorted({p.protocol for p in patterns}, key=str.casefold):
            rows.append(Heading(protocol, 0))
            last: tuple[str, str] | None = None
            for pattern in (p for p in patterns if p.protocol == protocol):
                if (pattern.kind, pattern.group) != last:
                    last = (pattern.kind, pattern.group)
                    rows.append(Heading(self.tr("{group} · {measure}").format(
                        group=pattern.group or self.tr("Look-fors"), measure=pattern.measure), 1))
                rows.append(pattern)
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def row_at(self, row: int) -> Heading | Pattern:
        return self._rows[row]

    def heading_rows(self) -> list[int]:
        return [n for n, row in enumerate(self._rows) if isinstance(row, Heading)]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.Column)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.Column):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return [self.tr("What was seen"), self.tr("This period"), self.tr("Period before"),
                    self.tr("Change"), self.tr("Stands on")][section]
        if role == Qt.ItemDataRole.ToolTipRole and section == self.Column.BASIS:
            return self.tr("How many visits and teachers a figure comes from, or why it is "
                           "withheld")
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if index.isValid() and isinstance(self._rows[index.row()], Heading):
            return Qt.ItemFlag.ItemIsEnabled
        return super().flags(index)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = self.Column(index.column())
        if role == ROW_ROLE:
            return row
        if isinstance(row, Heading):
            return self._heading_data(row, column, role)
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(row, column)
        if role == SHARE_ROLE and is_share(row.kind, row.measure):
            figure = {self.Column.NOW: row.now, self.Column.BEFORE: row.before}.get(column)
            return figure.value if figure is not None and figure.value is not None else None
        if role == Qt.ItemDataRole.ForegroundRole and (
                column in (self.Column.BASIS, self.Column.NOW) and not row.now.shown
                or column == self.Column.BEFORE):
            return MUTED
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (
                self.Column.NOW, self.Column.BEFORE, self.Column.CHANGE):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _heading_data(self, row: Heading, column: enum.IntEnum, role: int) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return row.text if column == self.Column.LABEL else ""
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            if row.level == 0 and font.pointSizeF() > 0:
                font.setPointSizeF(font.pointSizeF() * 1.1)
            elif row.level == 0:  # an application font given in pixels has no point size
                font.setPixelSize(round(font.pixelSize() * 1.1))
            return font
        if role == Qt.ItemDataRole.ForegroundRole:
            return QColor("#2f6f8f") if row.level == 0 else QColor("#33414e")
        return None

    # -- words -----------------------------------------------------------------------------

    def value_text(self, pattern: Pattern, figure: Figure) -> str:
        if figure.value is None:
            return "—" if figure.withheld == NOTHING else self.tr("withheld")
        if is_share(pattern.kind, pattern.measure):
            return self.tr("{n} %").format(n=round(figure.value * 100))
        if pattern.kind == "timer":
            return self.tr("{n} s").format(n=f"{figure.value:.1f}")
        return f"{figure.value:.1f}"

    def change_text(self, pattern: Pattern) -> str:
        change = pattern.change
        if change is None:
            return ""
        if is_share(pattern.kind, pattern.measure):
            points = round(change * 100)
            return self.tr("{sign}{n} points").format(sign="+" if points > 0 else "", n=points)
        shown = f"{change:+.1f}" if round(change, 1) else "0"
        return self.tr("{n} s").format(n=shown) if pattern.kind == "timer" else shown

    def basis_text(self, pattern: Pattern) -> str:
        now = pattern.now
        if not now.shown:
            if now.withheld == NOTHING:
                return self.tr("Nothing was recorded in this period.")
            return as_sentence(now.withheld)
        what = (self.tr("{n} cycles") if pattern.kind == "rubric"
                else self.tr("{n} visits")).format(n=now.visits)
        return self.tr("From {what}, {teachers} teachers").format(what=what,
                                                                   teachers=now.teachers)

    def display(self, pattern: Pattern, column: enum.IntEnum) -> str:
        C = self.Column
        if column == C.LABEL:
            return pattern.label
        if column == C.NOW:
            return self.value_text(pattern, pattern.now)
        if column == C.BEFORE:
            return self.value_text(pattern, pattern.before)
        if column == C.CHANGE:
            return self.change_text(pattern)
        return self.basis_text(pattern)

    def tooltip(self, pattern: Pattern, column: enum.IntEnum) -> str:
        if column == self.Column.BEFORE and not pattern.before.shown:
            return self.tr("Period before: {why}").format(why=as_sentence(pattern.before.withheld))
        if column == self.Column.LABEL:
            return f"{pattern.label} ({pattern.measure})"
        return self.display(pattern, column)
