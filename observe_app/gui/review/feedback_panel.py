"""The post-conference: glows, grows and next steps with due dates, notes, and goals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from observe_app.domain import limits
from observe_app.domain.enums import FeedbackKind, GoalStatus
from observe_app.domain.formats import evidence_line, local_date
from observe_app.errors import ObserveError
from observe_app.gui.dialogs import FormDialog, add_confirm_keys
from observe_app.gui.forms.ui_feedback_dialog import Ui_FeedbackDialog
from observe_app.gui.scroll import FittingScrollArea
from observe_app.gui.text_limits import limit_plain_text

if TYPE_CHECKING:
    from PySide6.QtGui import QFocusEvent

    from observe_app.gui.backend import Backend
    from observe_app.services.cycles import CycleDetail, FeedbackView

ID_ROLE = Qt.ItemDataRole.UserRole


def kind_label(kind: FeedbackKind, tr: Callable[[str], str]) -> str:
    return {FeedbackKind.GLOW: tr("Glow"), FeedbackKind.GROW: tr("Grow"),
            FeedbackKind.NEXT_STEP: tr("Next step")}[kind]


class FeedbackDialog(FormDialog["FeedbackView"]):
    """Add a glow, grow or next step, or edit one (`item` given)."""

    def __init__(self, backend: Backend, cycle_id: str, kind: FeedbackKind,
                 item: FeedbackView | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._backend = backend
        self._cycle_id = cycle_id
        self._item = item
        self.ui = Ui_FeedbackDialog()
        self.ui.setupUi(self)
        limit_plain_text(self.ui.text_edit, limits.FEEDBACK)
        self.ui.owner_edit.setMaxLength(limits.NEXT_STEP_OWNER)
        limit_plain_text(self.ui.support_edit, limits.NEXT_STEP_DETAIL)
        limit_plain_text(self.ui.success_edit, limits.NEXT_STEP_DETAIL)
        self._setup_buttons(self.ui.buttons, self.ui.error_label)
        for k in FeedbackKind:
            self.ui.kind_combo.addItem(kind_label(k, self.tr), k)
        self.ui.kind_combo.setCurrentIndex(self.ui.kind_combo.findData(kind))
        self.ui.kind_combo.setEnabled(item is None)  # a saved item keeps its kind
        self.ui.due_check.toggled.connect(self.ui.due_edit.setEnabled)
        today = backend.clock.now().astimezone().date() + dt.timedelta(days=14)
        self.ui.due_edit.setDate(QDate(today.year, today.month, today.day))
        self.ui.due_check.setChecked(kind == FeedbackKind.NEXT_STEP)
        self.ui.kind_combo.currentIndexChanged.connect(self._show_next_step_rows)
        if item is not None:
            self.setWindowTitle(self.tr("Edit {kind}").format(kind=kind_label(kind, self.tr)))
            self.ui.text_edit.setPlainText(item.text)
            self.ui.owner_edit.setText(item.owner)
            self.ui.support_edit.setPlainText(item.support)
            self.ui.success_edit.setPlainText(item.success_measure)
            self.ui.due_check.setChecked(item.due_date is not None)
            if item.due_date:
                d = item.due_date
                self.ui.due_edit.setDate(QDate(d.year, d.month, d.day))
        else:
            self.setWindowTitle(self.tr("Add feedback"))
        self._show_next_step_rows()
        self._fill_evidence(set(item.evidence_note_ids) if item else set())

    def _show_next_step_rows(self) -> None:
        """Who, support and success belong to a next step; a glow or grow has none."""
        next_step = self.ui.kind_combo.currentData() == FeedbackKind.NEXT_STEP
        for field in (self.ui.owner_edit, self.ui.support_edit, self.ui.success_edit):
            self.ui.form_layout.setRowVisible(field, next_step)

    def _fill_evidence(self, linked: set[str]) -> None:
        """The cycle's notes, in lesson order, to tick the ones this feedback rests on."""
        visits = self._backend.observations.list_observations(self._cycle_id)
        listing = self.ui.evidence_list
        for visit in visits:
            for note in self._backend.notes.list_notes(visit.id):
                entry = QListWidgetItem(evidence_line(
                    note.wall_time, note.elapsed_ms, " ".join(note.text.split()),
                    several_visits=len(visits) > 1)
                    + (self.tr("  (private: not in the PDF)") if note.private else ""), listing)
                entry.setData(ID_ROLE, note.id)
                entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                entry.setCheckState(Qt.CheckState.Checked if note.id in linked
                                    else Qt.CheckState.Unchecked)
        if listing.count() == 0:
            QListWidgetItem(self.tr("No notes yet: evidence comes from a visit's notes."),
                            listing).setFlags(Qt.ItemFlag.NoItemFlags)

    def _ticked(self) -> list[str]:
        listing = self.ui.evidence_list
        return [entry.data(ID_ROLE) for entry in map(listing.item, range(listing.count()))
                if entry.checkState() == Qt.CheckState.Checked]

    def save(self) -> FeedbackView:
        ui = self.ui
        due = None
        if ui.due_check.isChecked():
            q = ui.due_edit.date()
            due = dt.date(q.year(), q.month(), q.day())
        text = ui.text_edit.toPlainText()
        next_step = ui.kind_combo.currentData() == FeedbackKind.NEXT_STEP
        details = {"owner": ui.owner_edit.text() if next_step else "",
                   "support": ui.support_edit.toPlainText() if next_step else "",
                   "success_measure": ui.success_edit.toPlainText() if next_step else ""}
        if self._item is None:
            return self._backend.cycles.add_feedback(self._cycle_id, ui.kind_combo.currentData(),
                                                     text, due, evidence_note_ids=self._ticked(),
                                                     **details)
        self._backend.cycles.update_feedback(self._item.id, text, due,
                                             evidence_note_ids=self._ticked(), **details)
        return self._item


class GoalDialog(QDialog):
    """The text of a new goal: Tab moves on from the text, Ctrl+Enter saves it. `save` is
    called with the text; a refusal is shown here and the text stays to be corrected."""

    def __init__(self, save: Callable[[str], Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._save = save
        self.setWindowTitle(self.tr("Set a goal"))
        column = QVBoxLayout(self)
        intro = QLabel(self.tr("A goal the teacher works towards; it is carried into their "
                               "next cycle until it is met."), self)
        intro.setWordWrap(True)
        column.addWidget(intro)
        self.text_edit = QPlainTextEdit(self)
        self.text_edit.setAccessibleName(self.tr("Goal"))
        intro.setBuddy(self.text_edit)
        limit_plain_text(self.text_edit, limits.GOAL)
        column.addWidget(self.text_edit)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("problem")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        column.addWidget(self.error_label)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        column.addWidget(self.buttons)
        add_confirm_keys(self, self.buttons, self._on_buttons_accepted)
        self.text_edit.setFocus()

    def text(self) -> str:
        return self.text_edit.toPlainText()

    def _on_buttons_accepted(self) -> None:
        if not self.text().strip():
            self._refuse(self.tr("Write the goal first, or press Escape to leave without one."))
            return
        try:
            self._save(self.text())
        except ObserveError as exc:
            self._refuse(exc.sentence())
            return
        self.accept()

    def _refuse(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()
        self.text_edit.setFocus()


RETRY_MS = 3000


class AutoSavedText(QPlainTextEdit):
    """A text box that saves itself a moment after typing stops, and when it loses focus."""

    saved = Signal(str)

    def __init__(self, save: Callable[[str], object], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._save = save
        self._dirty = False
        self._failing = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(800)
        self._timer.timeout.connect(self.flush)
        self.setTabChangesFocus(True)
        self.textChanged.connect(self._on_text_changed)

    def set_saved_text(self, text: str) -> None:
        self.blockSignals(True)
        self.setPlainText(text)
        self.blockSignals(False)
        self._dirty = False

    def _on_text_changed(self) -> None:
        self._dirty = True
        self._timer.start()

    def flush(self) -> None:
        """Save now if anything changed. A refused save (say, the database is locked) keeps
        the text marked unsaved and tries again every few seconds; the first refusal is
        reported, the retries are quiet until one succeeds."""
        if not self._dirty:
            return
        self._timer.stop()
        text = self.toPlainText()
        try:
            self._save(text)
        except ObserveError:
            self._timer.start(RETRY_MS)
            if not self._failing:
                self._failing = True
                raise
            return
        self._dirty = self._failing = False
        self.saved.emit(text)

    @property
    def unsaved(self) -> bool:
        return self._dirty

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.flush()
        super().focusOutEvent(event)


class FeedbackPanel(QWidget):
    """Three lists side by side (glows, grows, next steps), the notes, and the goals."""

    changed = Signal()

    def __init__(self, backend: Backend, cycle_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.cycle_id = cycle_id
        self.detail: CycleDetail | None = None
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.lists: dict[FeedbackKind, QListWidget] = {}
        self.editable = True
        self.edit_buttons: list[QPushButton] = []
        self.add_buttons: dict[FeedbackKind, QPushButton] = {}
        titles = {FeedbackKind.GLOW: self.tr("Glows: what worked, with evidence"),
                  FeedbackKind.GROW: self.tr("Grows: what to try next"),
                  FeedbackKind.NEXT_STEP: self.tr("Next steps: who does what, by when")}
        for column, kind in enumerate(FeedbackKind):
            heading = QLabel(titles[kind], self)
            heading.setObjectName("sectionHeading")
            grid.addWidget(heading, 0, column)
            feedback_list = QListWidget(self)
            feedback_list.setAccessibleName(titles[kind])
            feedback_list.setWordWrap(True)
            feedback_list.setSpacing(3)
            feedback_list.setAlternatingRowColors(True)
            feedback_list.itemActivated.connect(lambda entry, k=kind: self.edit_feedback(k))
            remove = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), feedback_list)
            remove.setContext(Qt.ShortcutContext.WidgetShortcut)
            remove.activated.connect(lambda k=kind: self.remove_feedback(k))
            grid.addWidget(feedback_list, 1, column)
            self.lists[kind] = feedback_list
            buttons = QHBoxLayout()
            add = QPushButton(self.tr("Add {kind}…").format(kind=kind_label(kind, self.tr)
                                                            .lower()), self)
            add.clicked.connect(lambda _checked=False, k=kind: self.add_feedback(k))
            self.add_buttons[kind] = add
            edit = QPushButton(self.tr("Edit…"), self)
            edit.clicked.connect(lambda _checked=False, k=kind: self.edit_feedback(k))
            delete = QPushButton(self.tr("Remove"), self)
            delete.clicked.connect(lambda _checked=False, k=kind: self.remove_feedback(k))
            self.edit_buttons += [add, edit, delete]
            buttons.addWidget(add)
            buttons.addStretch(1)
            buttons.addWidget(edit)
            buttons.addWidget(delete)
            grid.addLayout(buttons, 2, column)
        notes_heading = QLabel(self.tr("Post-conference notes"), self)
        notes_heading.setObjectName("sectionHeading")
        grid.addWidget(notes_heading, 3, 0)
        self.notes_edit = AutoSavedText(
            lambda text: self.backend.cycles.set_post_conference_notes(self.cycle_id, text), self)
        self.notes_edit.setAccessibleName(self.tr("Post-conference notes"))
        limit_plain_text(self.notes_edit, limits.POST_CONFERENCE_NOTES)
        self.notes_edit.setPlaceholderText(self.tr("What was said; saved as you type"))
        grid.addWidget(self.notes_edit, 4, 0)
        # The follow-up visit agreed at the post-conference: saved when it changes.
        next_row = QHBoxLayout()
        self.next_visit_check = QCheckBox(self.tr("Ne&xt visit on"), self)
        self.next_visit_edit = QDateEdit(self)
        self.next_visit_edit.setCalendarPopup(True)
        self.next_visit_edit.setDisplayFormat("yyyy-MM-dd")
        self.next_visit_edit.setAccessibleName(self.tr("Date of the next visit"))
        self.next_visit_edit.setEnabled(False)
        next_row.addWidget(self.next_visit_check)
        next_row.addWidget(self.next_visit_edit)
        next_row.addStretch(1)
        grid.addLayout(next_row, 5, 0)
        self._showing_next_visit = False
        self._next_visit_saved: dt.date | None = None
        self.next_visit_check.toggled.connect(self._on_next_visit_changed)
        self.next_visit_edit.dateChanged.connect(self._on_next_visit_changed)
        goals_heading = QLabel(self.tr("Goals: set here, carried into the next cycle"), self)
        goals_heading.setObjectName("sectionHeading")
        grid.addWidget(goals_heading, 3, 1, 1, 2)
        # Goals carried over a year of cycles pile up: they scroll, and the button below stays.
        self.goals_scroll = FittingScrollArea(self)
        goals_box = QWidget(self.goals_scroll)
        goals_box.setObjectName("protocolBody")  # transparent
        self.goals_layout = QVBoxLayout(goals_box)
        self.goals_layout.setContentsMargins(0, 4, 0, 0)
        self.goals_scroll.setWidget(goals_box)
        grid.addWidget(self.goals_scroll, 4, 1, 1, 2)
        self.goal_button = QPushButton(self.tr("Set a goal…"), self)
        self.goal_button.clicked.connect(self._on_goal_button_clicked)
        grid.addWidget(self.goal_button, 5, 1, Qt.AlignmentFlag.AlignLeft)
        self.status_combos: dict[str, QComboBox] = {}
        grid.setRowStretch(1, 3)
        grid.setRowStretch(4, 2)

    def set_editable(self, editable: bool) -> None:
        """A closed cycle is read, not changed: buttons off, text read-only."""
        self.editable = editable
        for button in [*self.edit_buttons, self.goal_button]:
            button.setEnabled(editable)
        self.notes_edit.setReadOnly(not editable)
        self.next_visit_check.setEnabled(editable)
        self.next_visit_edit.setEnabled(editable and self.next_visit_check.isChecked())
        for combo in self.status_combos.values():
            combo.setEnabled(editable)

    def show_cycle(self, detail: CycleDetail) -> None:
        self.detail = detail
        for kind, feedback_list in self.lists.items():
            feedback_list.clear()
            for item in detail.feedback_of(kind):
                text = item.text
                if item.owner:
                    text += "\n" + self.tr("who: {owner}").format(owner=item.owner)
                if item.due_date is not None:
                    text += "\n" + self.tr("due {date}").format(date=local_date(item.due_date))
                if item.evidence_note_ids:
                    text += "\n" + self.tr("evidence: {count} notes").format(
                        count=len(item.evidence_note_ids))
                entry = QListWidgetItem(text, feedback_list)
                entry.setData(ID_ROLE, item)
        self.notes_edit.set_saved_text(detail.post_conference_notes)
        self._show_next_visit(detail.next_visit_date)
        self._show_goals()

    def _show_next_visit(self, day: dt.date | None) -> None:
        self._next_visit_saved = day  # what the database holds: the view may not reload
        self._showing_next_visit = True
        self.next_visit_check.setChecked(day is not None)
        shown = day or self.backend.clock.now().astimezone().date() + dt.timedelta(days=28)
        self.next_visit_edit.setDate(QDate(shown.year, shown.month, shown.day))
        self.next_visit_edit.setEnabled(self.editable and day is not None)
        self._showing_next_visit = False

    def _on_next_visit_changed(self, *_args: object) -> None:
        if self._showing_next_visit or self.detail is None:
            return
        checked = self.next_visit_check.isChecked()
        self.next_visit_edit.setEnabled(self.editable and checked)
        q = self.next_visit_edit.date()
        day = dt.date(q.year(), q.month(), q.day()) if checked else None
        if day != self._next_visit_saved:
            self.backend.cycles.set_next_visit_date(self.cycle_id, day)
            self._next_visit_saved = day

    def _show_goals(self) -> None:
        while (taken := self.goals_layout.takeAt(0)) is not None:
            widget = taken.widget()
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.status_combos = {}
        self.goals_layout.addStretch(1)
        goals = self.backend.goals.goals_for_cycle(self.cycle_id)
        if not goals:
            empty = QLabel(self.tr("No goal yet. Agree one or two with the teacher."), self)
            empty.setObjectName("muted")
            self.goals_layout.insertWidget(self.goals_layout.count() - 1, empty)
        assert self.detail is not None  # shown by show_cycle
        dates = {c.id: c.date for c in
                 self.backend.cycles.list_cycles(teacher_id=self.detail.summary.teacher_id)}
        for goal in goals:
            row = QWidget(self)
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            touched = " → ".join(local_date(dates.get(step.cycle_id)) for step in goal.history)
            here = next((s for s in goal.history if s.cycle_id == self.cycle_id), None)
            carried = goal.set_in_cycle_id != self.cycle_id
            origin = self.tr("carried from an earlier cycle") if carried else self.tr("set here")
            label = QLabel(f"<b>{goal.text}</b><br><span style='color:#5b6773'>{origin} · "
                           + self.tr("cycles: {dates}").format(dates=touched) + "</span>", row)
            label.setWordWrap(True)
            combo = QComboBox(row)
            combo.setAccessibleName(self.tr("Status of the goal {text}").format(text=goal.text))
            for status in GoalStatus:
                combo.addItem(self.tr(status.label), status)
            combo.setCurrentIndex(combo.findData(here.status if here else goal.status))
            combo.currentIndexChanged.connect(
                lambda _i, g=goal.id, c=combo: self._on_status_combo_changed(g, c))
            line.addWidget(label, 1)
            line.addWidget(combo)
            self.goals_layout.insertWidget(self.goals_layout.count() - 1, row)
            self.status_combos[goal.id] = combo
            combo.setEnabled(self.editable)

    # -- acting ----------------------------------------------------------------------------

    def add_feedback(self, kind: FeedbackKind) -> None:
        if not self.editable:
            return
        dialog = FeedbackDialog(self.backend, self.cycle_id, kind, None, self)
        if dialog.exec():
            self.changed.emit()

    def _selected(self, kind: FeedbackKind) -> FeedbackView | None:
        entry = self.lists[kind].currentItem()
        return entry.data(ID_ROLE) if entry is not None else None

    def edit_feedback(self, kind: FeedbackKind) -> None:
        if not self.editable:
            return
        item = self._selected(kind)
        if item is None:
            return
        dialog = FeedbackDialog(self.backend, self.cycle_id, kind, item, self)
        if dialog.exec():
            self.changed.emit()

    def remove_feedback(self, kind: FeedbackKind) -> None:
        if not self.editable:
            return
        item = self._selected(kind)
        if item is None:
            return
        answer = QMessageBox.question(self, self.tr("Remove feedback"), self.tr(
            "Remove this {kind}?\n\n{text}").format(kind=kind_label(kind, self.tr).lower(),
                                                    text=item.text))
        if answer == QMessageBox.StandardButton.Yes:
            self.backend.cycles.remove_feedback(item.id)
            self.changed.emit()

    def set_goal(self, text: str) -> None:
        try:
            self._save_goal(text)
        except ObserveError as exc:
            QMessageBox.warning(self, self.tr("Goal not saved"), exc.sentence())

    def _save_goal(self, text: str) -> None:
        assert self.detail is not None  # the button is on a cycle shown
        self.backend.goals.set_goal(self.detail.summary.teacher_id, text,
                                    cycle_id=self.cycle_id, now=self.backend.clock.now())
        self._show_goals()

    def _on_goal_button_clicked(self) -> None:
        GoalDialog(self._save_goal, self).exec()

    def _on_status_combo_changed(self, goal_id: str, combo: QComboBox) -> None:
        self.backend.goals.update_goal(goal_id, combo.currentData(), cycle_id=self.cycle_id)
        self.changed.emit()
