"""The School page's Impact tab: the share of goals met term by term, and the mean rubric level
per domain (everyone, or teachers in their first two years); what is withheld is said in words."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from observe_app.errors import as_sentence
from observe_app.gui.school.patterns_model import NOTHING
from observe_app.gui.school.term_chart import TermChartWidget, TermLine

if TYPE_CHECKING:
    from observe_app.services.school import Impact
    from observe_app.services.school_impact import Line

EVERYONE, NEW_TEACHERS = 0, 1


class ImpactView(QWidget):
    """Two charts side by side and, under them, every figure they leave out and why."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._impact: Impact | None = None
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 8, 0, 0)
        choose = QHBoxLayout()
        self.note_label = QLabel(self)
        self.note_label.setObjectName("muted")
        self.note_label.setWordWrap(True)
        choose.addWidget(self.note_label, 1)
        label = QLabel(self.tr("&Mean levels of:"), self)
        self.who_combo = QComboBox(self)
        self.who_combo.setAccessibleName(self.tr("Mean levels of"))
        self.who_combo.addItem(self.tr("Everyone"), EVERYONE)
        self.who_combo.addItem(self.tr("Teachers in their first two years"), NEW_TEACHERS)
        label.setBuddy(self.who_combo)
        self.who_combo.currentIndexChanged.connect(self._on_who_combo_changed)
        choose.addWidget(label)
        choose.addWidget(self.who_combo)
        column.addLayout(choose)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.setChildrenCollapsible(False)
        charts = QWidget(splitter)
        row = QHBoxLayout(charts)
        row.setContentsMargins(0, 0, 0, 0)
        self.goals_chart = TermChartWidget(self.tr("Goals met, of those reviewed each term"),
                                           charts)
        self.levels_chart = TermChartWidget(self.tr("Mean rubric level per domain"), charts)
        row.addWidget(self.goals_chart, 2)
        row.addWidget(self.levels_chart, 3)
        splitter.addWidget(charts)
        self.words = QTextBrowser(splitter)
        self.words.setAccessibleName(self.tr("Figures not shown, and why"))
        self.words.setMinimumHeight(self.words.fontMetrics().height() * 3 + 16)
        splitter.addWidget(self.words)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        column.addWidget(splitter, 1)

    def show_impact(self, impact: Impact) -> None:
        self._impact = impact
        names = [t.name for t in impact.terms]
        self.note_label.setText(self.tr(
            "{first} to {last}. A term whose figure is withheld leaves a gap in its line.").format(
            first=names[0], last=names[-1]) if names else "")
        goals = impact.goals_met
        self.goals_chart.set_lines(
            names, [TermLine(self.tr("Goals met"), tuple(f.value for _t, f in goals.points))],
            self._notes([goals], len(names)), y_range=(0.0, 1.0, 0.25),
            value_format=lambda v: f"{round(v * 100)} %")
        self._show_levels()

    def _levels(self) -> tuple[Line, ...]:
        assert self._impact is not None
        new = self.who_combo.currentData() == NEW_TEACHERS
        return self._impact.new_teachers if new else self._impact.school

    def _show_levels(self) -> None:
        if self._impact is None:
            return
        names = [t.name for t in self._impact.terms]
        levels = self._levels()
        values = [f.value for line in levels for _t, f in line.points if f.value is not None]
        top = max(4.0, float(math.ceil(max(values, default=1.0))))  # the usual four levels
        self.levels_chart.set_lines(
            names, [TermLine(line.label, tuple(f.value for _t, f in line.points))
                    for line in levels],
            self._notes(levels, len(names)), y_range=(1.0, top, 0.5 if top <= 4 else 1.0))
        self.words.setHtml(self._words())

    def _on_who_combo_changed(self, _index: int) -> None:
        self._show_levels()

    def _notes(self, lines: Sequence[Line], terms: int) -> list[tuple[str, bool]]:
        """Over each term where no line has a point: why, in a word or two."""
        notes = []
        for n in range(terms):
            figures = [line.points[n][1] for line in lines]
            if any(f.shown for f in figures):
                notes.append(("", False))
            elif all(f.withheld == NOTHING for f in figures):
                notes.append((self.tr("none recorded"), False))
            else:
                notes.append((self.tr("withheld"), True))
        return notes

    def _words(self) -> str:
        """Every withheld point of both charts, grouped where a term's reason is the same."""
        assert self._impact is not None
        who = self.who_combo.currentText().lower()
        items = self._withheld(self.tr("Goals met"), [self._impact.goals_met])
        items += self._withheld(self.tr("Mean levels ({who})").format(who=who), self._levels())
        if not items:
            return "<p>" + self.tr("Every figure with something recorded is in the charts.") \
                + "</p>"
        import html

        return ("<p><b>" + html.escape(self.tr("Not shown in the charts:")) + "</b></p><ul>"
                + "".join(f"<li>{html.escape(item)}</li>" for item in items) + "</ul>")

    def _withheld(self, what: str, lines: Sequence[Line]) -> list[str]:
        if not lines:
            return []
        out = []
        for n, term in enumerate(self._impact.terms if self._impact else ()):
            held = [(line.label, line.points[n][1].withheld) for line in lines
                    if not line.points[n][1].shown and line.points[n][1].withheld != NOTHING]
            if not held:
                continue
            reasons = {reason for _label, reason in held}
            if len(held) == len(lines) and len(reasons) == 1:
                where = (self.tr("every domain") if len(lines) > 1 else "")
                out.append(self.tr("{what}, {term}{where}: {why}").format(
                    what=what, term=term.name, where=f", {where}" if where else "",
                    why=as_sentence(reasons.pop())))
                continue
            for label, reason in held:
                out.append(self.tr("{what}, {term}, {label}: {why}").format(
                    what=what, term=term.name, label=label, why=as_sentence(reason)))
        return out
