"""The School page's top bar: the period, the scope (whole school, a subject, a grade, chosen
teachers) and the fewest visits a figure may stand on."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from observe_app.gui.school.choice import PeriodChoice, PeriodKind, ScopeChoice

if TYPE_CHECKING:
    from observe_app.services.school_choices import ScopeChoices

DATE_PAUSE_MS = 300  # typing a date pauses this long before the page reads again
MINIMUM_PAUSE_MS = 600  # the spin box's value is saved once the person stops changing it
# The Scope box's entries' data: what is chosen, and its value after _SEP.
_WHOLE, _SUBJECT, _GRADE, _MEMBERS, _SEP = "whole", "subject", "grade", "members", "\x1f"


class SchoolTopBar(QWidget):
    """`choice_changed` follows a new period or scope; `minimum_edited(n)` a new setting."""

    choice_changed = Signal()
    minimum_edited = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._choices: ScopeChoices | None = None
        self._members = ScopeChoice()  # the teachers last chosen, kept while another is shown
        self.dates_given = False  # the date boxes hold dates given (by the page or by hand)
        rows = QVBoxLayout(self)
        rows.setContentsMargins(0, 0, 0, 0)
        rows.setSpacing(6)
        first = QHBoxLayout()
        rows.addLayout(first)
        self.second = QHBoxLayout()  # the setting, and what the page can export
        rows.addLayout(self.second)

        period_label = QLabel(self.tr("Pe&riod:"), self)
        self.period_combo = QComboBox(self)
        self.period_combo.setAccessibleName(self.tr("Period"))
        for kind, text in ((PeriodKind.THIS_TERM, self.tr("This term")),
                           (PeriodKind.LAST_TERM, self.tr("Last term")),
                           (PeriodKind.THIS_YEAR, self.tr("This school year")),
                           (PeriodKind.LAST_YEAR, self.tr("Last school year")),
                           (PeriodKind.DATES, self.tr("Dates…"))):
            self.period_combo.addItem(text, int(kind))
        period_label.setBuddy(self.period_combo)
        self.start_edit = self._date_edit(self.tr("First day"))
        self.end_edit = self._date_edit(self.tr("Last day"))
        self.to_label = QLabel(self.tr("to"), self)
        first.addWidget(period_label)
        first.addWidget(self.period_combo)
        first.addWidget(self.start_edit)
        first.addWidget(self.to_label)
        first.addWidget(self.end_edit)
        first.addSpacing(16)
        scope_label = QLabel(self.tr("Scop&e:"), self)
        self.scope_combo = QComboBox(self)
        self.scope_combo.setAccessibleName(self.tr("Scope"))
        self.scope_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.scope_combo.addItem(self.tr("Whole school"), _WHOLE)
        scope_label.setBuddy(self.scope_combo)
        self.members_button = QPushButton(self.tr("Choose teachers…"), self)
        self.members_button.setToolTip(self.tr(
            "Look at chosen teachers' lessons only: a PLC, a department, a year team"))
        self.members_button.clicked.connect(self.choose_members)
        first.addWidget(scope_label)
        first.addWidget(self.scope_combo)
        first.addWidget(self.members_button)
        first.addStretch(1)

        minimum_label = QLabel(self.tr("Fe&west visits behind a figure:"), self)
        self.minimum_spin = QSpinBox(self)
        self.minimum_spin.setRange(2, 100)
        self.minimum_spin.setValue(5)
        self.minimum_spin.setAccessibleName(self.tr("Fewest visits behind a figure"))
        self.minimum_spin.setToolTip(self.tr(
            "A pattern or trend from fewer visits (or from fewer than three teachers) is "
            "withheld, so nobody in a small department can be picked out. Saved for this data "
            "folder."))
        minimum_label.setBuddy(self.minimum_spin)
        self.second.addWidget(minimum_label)
        self.second.addWidget(self.minimum_spin)
        self.second.addStretch(1)

        self._date_timer = QTimer(self)
        self._date_timer.setSingleShot(True)
        self._date_timer.setInterval(DATE_PAUSE_MS)
        self._date_timer.timeout.connect(self.choice_changed)
        self._minimum_timer = QTimer(self)
        self._minimum_timer.setSingleShot(True)
        self._minimum_timer.setInterval(MINIMUM_PAUSE_MS)
        self._minimum_timer.timeout.connect(self._on_minimum_timer_timeout)
        self.period_combo.currentIndexChanged.connect(self._on_period_combo_changed)
        self.scope_combo.currentIndexChanged.connect(self._on_scope_combo_changed)
        self.minimum_spin.valueChanged.connect(self._on_minimum_spin_value_changed)
        self.minimum_spin.editingFinished.connect(self.save_minimum_now)
        self._show_dates(False)

    def _date_edit(self, name: str) -> QDateEdit:
        edit = QDateEdit(self)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setDateRange(QDate(1900, 1, 1), QDate(2100, 12, 31))  # as the services allow
        edit.setAccessibleName(name)
        edit.dateChanged.connect(self._on_date_edit_date_changed)
        return edit

    # -- what is chosen --------------------------------------------------------------------

    def period_choice(self) -> PeriodChoice:
        kind = PeriodKind(self.period_combo.currentData())
        if kind != PeriodKind.DATES:
            return PeriodChoice(kind)
        start, end = (e.date().toPython() for e in (self.start_edit, self.end_edit))
        assert isinstance(start, dt.date) and isinstance(end, dt.date)
        return PeriodChoice(kind, start, end)

    def scope_choice(self) -> ScopeChoice:
        what, _sep, value = str(self.scope_combo.currentData()).partition(_SEP)
        if what == _SUBJECT:
            return ScopeChoice(subject=value)
        if what == _GRADE:
            return ScopeChoice(grade=value)
        if what == _MEMBERS:
            return self._members
        return ScopeChoice()

    def set_dates(self, start: dt.date, end: dt.date) -> None:
        """What the date boxes offer when Dates… is chosen (the period shown until then)."""
        self.dates_given = True
        for edit, day in ((self.start_edit, start), (self.end_edit, end)):
            edit.blockSignals(True)
            edit.setDate(QDate(day.year, day.month, day.day))
            edit.blockSignals(False)

    def set_choices(self, choices: ScopeChoices) -> None:
        """Subjects and grades to choose from; the one chosen stays chosen if still offered."""
        self._choices = choices
        chosen = self.scope_combo.currentData()
        self.scope_combo.blockSignals(True)
        self.scope_combo.clear()
        self.scope_combo.addItem(self.tr("Whole school"), _WHOLE)
        for subject in choices.subjects:
            self.scope_combo.addItem(self.tr("Subject: {subject}").format(subject=subject),
                                     f"{_SUBJECT}{_SEP}{subject}")
        for grade in choices.grades:
            self.scope_combo.addItem(self.tr("Grade {grade}").format(grade=grade),
                                     f"{_GRADE}{_SEP}{grade}")
        if self._members.teacher_ids:
            self.scope_combo.addItem(self._members_text(), _MEMBERS)
        found = self.scope_combo.findData(chosen)
        self.scope_combo.setCurrentIndex(max(found, 0))
        self.scope_combo.blockSignals(False)
        if found < 0 and chosen not in (None, _WHOLE):
            self.choice_changed.emit()  # the subject or grade chosen is gone: whole school

    def _members_text(self) -> str:
        count = len(self._members.teacher_ids)
        teachers = (self.tr("1 teacher") if count == 1
                    else self.tr("{n} teachers").format(n=count))
        if self._members.plc_name:
            return self.tr("{name} ({teachers})").format(name=self._members.plc_name,
                                                          teachers=teachers)
        return self.tr("Chosen teachers ({teachers})").format(teachers=teachers)

    def choose_members(self) -> None:
        """Tick the teachers of a PLC; the scope becomes them (Cancel changes nothing)."""
        if self._choices is None:
            return
        from observe_app.gui.school.members_dialog import MembersDialog

        dialog = MembersDialog(self._choices.teachers, self._members.teacher_ids,
                               self._members.plc_name, self)
        if dialog.exec():
            self.set_members(dialog.ticked_ids(), dialog.group_name())
        dialog.deleteLater()

    def set_members(self, teacher_ids: frozenset[str], name: str) -> None:
        self._members = ScopeChoice(teacher_ids=teacher_ids, plc_name=name)
        found = self.scope_combo.findData(_MEMBERS)
        if found < 0:
            self.scope_combo.addItem(self._members_text(), _MEMBERS)
            found = self.scope_combo.count() - 1
        else:
            self.scope_combo.setItemText(found, self._members_text())
        if self.scope_combo.currentIndex() == found:
            self.choice_changed.emit()  # the same entry, new members
        else:
            self.scope_combo.setCurrentIndex(found)

    # -- the setting -----------------------------------------------------------------------

    def set_minimum(self, visits: int, *, force: bool = False) -> None:
        """The setting as saved; a value being typed or waiting to be saved is kept unless
        `force` (a save that was refused)."""
        if not force and (self._minimum_timer.isActive() or self.minimum_spin.hasFocus()):
            return
        self.minimum_spin.blockSignals(True)
        self.minimum_spin.setValue(visits)
        self.minimum_spin.blockSignals(False)

    def save_minimum_now(self) -> None:
        if self._minimum_timer.isActive():
            self._minimum_timer.stop()
            self._on_minimum_timer_timeout()

    def _on_minimum_spin_value_changed(self, _value: int) -> None:
        self._minimum_timer.start()

    def _on_minimum_timer_timeout(self) -> None:
        self.minimum_edited.emit(self.minimum_spin.value())

    # -- changes ---------------------------------------------------------------------------

    def _show_dates(self, shown: bool) -> None:
        for widget in (self.start_edit, self.to_label, self.end_edit):
            widget.setVisible(shown)

    def _on_period_combo_changed(self, _index: int) -> None:
        self._show_dates(self.period_combo.currentData() == PeriodKind.DATES)
        self.choice_changed.emit()

    def _on_scope_combo_changed(self, _index: int) -> None:
        self.choice_changed.emit()

    def _on_date_edit_date_changed(self, _date: QDate) -> None:
        self.dates_given = True
        self._date_timer.start()

    def add_button(self, button: QPushButton) -> None:
        """A button of the page's (an export) at the end of the setting's row."""
        self.second.addWidget(button, 0, Qt.AlignmentFlag.AlignRight)
