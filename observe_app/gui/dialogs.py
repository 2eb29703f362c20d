"""The dialogs built on Designer forms: a person, a planned cycle, the start of a visit."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QWidget

from observe_app.domain import limits
from observe_app.domain.enums import CareerStage, Role
from observe_app.errors import BadInputError, FieldError, ObserveError
from observe_app.gui import shortcuts
from observe_app.gui.co_observers import CoObserverChoice
from observe_app.gui.forms.ui_cycle_dialog import Ui_CycleDialog
from observe_app.gui.forms.ui_person_dialog import Ui_PersonDialog
from observe_app.gui.forms.ui_start_observation_dialog import Ui_StartObservationDialog
from observe_app.gui.protocol_outline import outline, shortened
from observe_app.gui.queries import LatestOnly
from observe_app.gui.settings import LAST_PROTOCOL, WindowSettings
from observe_app.gui.text_limits import limit_plain_text

if TYPE_CHECKING:
    from observe_app.gui.backend import Backend
    from observe_app.services.co_observation import Lesson
    from observe_app.services.cycles import CycleSummary
    from observe_app.services.observations import ObservationView
    from observe_app.services.people import PersonView
    from observe_app.services.protocols import ProtocolSummary, ProtocolVersionView

V = TypeVar("V")  # the read model a dialog's save returns
L = TypeVar("L")  # what a dialog's lists are filled from

CHOOSE_OBSERVER = "choose"  # the observer list's first entry, until someone is chosen
ERROR_STYLE = "color: #9b1c1c; background: #fdecea; border-radius: 4px; padding: 6px;"


def add_confirm_keys(dialog: QDialog, buttons: QDialogButtonBox,
                     accept: Callable[[], Any]) -> None:
    """Ctrl+Enter saves the dialog from any field. Where a field takes several lines (Enter
    breaks the line there), Tab moves on from it and the save button names the key."""
    shortcuts.bind(shortcuts.CONFIRM, dialog, accept,
                   context=Qt.ShortcutContext.WindowShortcut)
    edits = dialog.findChildren(QPlainTextEdit)
    for edit in edits:
        edit.setTabChangesFocus(True)
    button = (buttons.button(QDialogButtonBox.StandardButton.Save)
              or buttons.button(QDialogButtonBox.StandardButton.Ok))
    if edits and button is not None:
        button.setText(f"{button.text()}  {shortcuts.CONFIRM.label()}")


class FormDialog(QDialog, Generic[V]):
    """A dialog that saves through a service on OK and, on a known error, says what went wrong
    while keeping everything typed."""

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.result_view: V | None = None
        self.ready = True  # the lists to choose from have arrived: saving may go ahead
        self._save_when_ready = False  # Save pressed before they came
        self._lists_query: LatestOnly[Any] = LatestOnly(self)
        self._reload_lists: Callable[[], None] = lambda: None

    def _setup_buttons(self, buttons: QDialogButtonBox, error_label: QLabel) -> None:
        self._error_label = error_label
        error_label.setStyleSheet(ERROR_STYLE)
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        add_confirm_keys(self, buttons, self._on_buttons_accepted)

    def _load_lists(self, read: Callable[[], L], fill: Callable[[L], None]) -> None:
        """Fill the dialog's lists from a read on a worker, so it opens at once; a save
        asked for meanwhile goes ahead when they have come (a choice it depends on, such as
        a person's mentor, is only then on screen). A read that fails is said, and Save
        reads again."""
        self.ready = False

        def arrived(lists: L) -> None:
            fill(lists)
            self.ready = True
            if self._save_when_ready and self.isVisible():  # not after Cancel
                self._save_when_ready = False
                self._on_buttons_accepted()

        def failed(exc: ObserveError) -> None:
            self._save_when_ready = False
            self._show_problem(exc)

        self._reload_lists = lambda: self._lists_query.run(read, arrived, failed)
        self._reload_lists()

    def done(self, result: int) -> None:
        self._save_when_ready = False  # a Save pressed before the lists came is dropped
        super().done(result)

    def _on_buttons_accepted(self) -> None:
        if not self.ready:
            self._save_when_ready = True
            if not self._lists_query.running:  # the read failed: try it again
                self._reload_lists()
            return
        try:
            self.result_view = self.save()
        except ObserveError as exc:
            self._show_problem(exc)
            return
        self.accept()

    def _show_problem(self, exc: ObserveError) -> None:
        self._error_label.setText(exc.sentence())
        self._error_label.setVisible(True)

    def save(self) -> V:
        raise NotImplementedError


def _qdate(value: dt.date) -> QDate:
    return QDate(value.year, value.month, value.day)


def _pydate(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


class PersonDialog(FormDialog["PersonView"]):
    """Add a person, or edit one (`person` given)."""

    def __init__(self, backend: Backend, person: PersonView | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._backend = backend
        self._person = person
        self.ui = Ui_PersonDialog()
        self.ui.setupUi(self)
        self.ui.name_edit.setMaxLength(limits.PERSON_NAME)
        self.ui.email_edit.setMaxLength(limits.PERSON_EMAIL)
        self.ui.subject_edit.setMaxLength(limits.PERSON_SUBJECT)
        self._setup_buttons(self.ui.buttons, self.ui.error_label)
        self.setWindowTitle(self.tr("Edit person") if person else self.tr("Add a person"))
        for role in Role:
            self.ui.role_combo.addItem(role.value.capitalize(), role)
        for stage in CareerStage:
            self.ui.stage_combo.addItem(stage.value.capitalize(), stage)
        self.ui.mentor_combo.addItem(self.tr("No mentor"), None)
        list_people = backend.people.list_people  # the archived too: one may be the mentor
        self._load_lists(lambda: list_people(include_archived=True), self._fill_mentors)
        self.ui.start_check.toggled.connect(self.ui.start_date.setEnabled)
        self.ui.start_date.setDateRange(_qdate(limits.FIRST_START), _qdate(limits.LAST_START))
        self.ui.start_date.setDate(_qdate(backend.clock.now().astimezone().date()))
        # A refused value is explained beside its field (the services' FieldError names it).
        self._field_problems = {"name": (self.ui.name_error, self.ui.name_edit),
                                "email": (self.ui.email_error, self.ui.email_edit),
                                "subject": (self.ui.subject_error, self.ui.subject_edit),
                                "start_date": (self.ui.start_error, self.ui.start_date)}
        for label, _field in self._field_problems.values():
            label.setStyleSheet(ERROR_STYLE)
        for label, edit in list(self._field_problems.values())[:3]:
            edit.textEdited.connect(label.hide)  # the explanation goes once the text changes
        if person is not None:
            self._fill(person)

    def _fill_mentors(self, everyone: list[PersonView]) -> None:
        combo, person = self.ui.mentor_combo, self._person
        mentor_id = person.mentor_id if person is not None else None
        for other in everyone:
            if (person is None or other.id != person.id) and (
                    not other.archived or other.id == mentor_id):  # an archived one is kept
                combo.addItem(other.name, other.id)
        if person is not None and combo.currentIndex() == 0:  # unless chosen meanwhile
            combo.setCurrentIndex(max(0, combo.findData(person.mentor_id)))

    def _show_problem(self, exc: ObserveError) -> None:
        for label, _field in self._field_problems.values():
            label.hide()
        self.ui.error_label.hide()
        if isinstance(exc, FieldError) and exc.field in self._field_problems:
            label, field = self._field_problems[exc.field]
            label.setText(exc.sentence())
            label.show()
            field.setFocus()
            return
        super()._show_problem(exc)

    def _fill(self, p: PersonView) -> None:
        ui = self.ui
        ui.name_edit.setText(p.name)
        ui.email_edit.setText(p.email or "")
        ui.role_combo.setCurrentIndex(ui.role_combo.findData(p.role))
        ui.subject_edit.setText(p.subject)
        ui.stage_combo.setCurrentIndex(ui.stage_combo.findData(p.career_stage))
        ui.start_check.setChecked(p.start_date is not None)
        if p.start_date:
            ui.start_date.setDate(_qdate(p.start_date))

    def save(self) -> PersonView:
        ui = self.ui
        values = dict(
            name=ui.name_edit.text(), email=ui.email_edit.text(),
            role=ui.role_combo.currentData(), subject=ui.subject_edit.text(),
            career_stage=ui.stage_combo.currentData(),
            start_date=_pydate(ui.start_date.date()) if ui.start_check.isChecked() else None,
            mentor_id=ui.mentor_combo.currentData())
        if self._person is None:
            return self._backend.people.add_person(values.pop("name"), **values)
        return self._backend.people.update_person(self._person.id, **values)


class CycleDialog(FormDialog["CycleSummary"]):
    """Plan a cycle with what the pre-conference agreed. Beside the protocol chosen: its
    description and what it records, section by section. Retired protocols are not offered;
    the protocol of the last cycle planned is chosen to begin with."""

    def __init__(self, backend: Backend, teacher_id: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._backend = backend
        self.ui = Ui_CycleDialog()
        self.ui.setupUi(self)
        self.ui.focus_edit.setMaxLength(limits.FOCUS)
        limit_plain_text(self.ui.evidence_edit, limits.EVIDENCE_TO_COLLECT)
        self._setup_buttons(self.ui.buttons, self.ui.error_label)
        self._teacher_id = teacher_id
        self._settings = WindowSettings.of(backend)
        self._protocols: list[ProtocolSummary] = []  # as offered, in the combo's order
        self._versions: dict[str, ProtocolVersionView] = {}  # read once, by version id
        self._outline_query: LatestOnly[ProtocolVersionView] = LatestOnly(self)
        self.ui.protocol_description_label.setObjectName("muted")
        self.ui.observer_combo.addItem(self.tr("Not decided yet"), None)
        self.co_observers = CoObserverChoice(self.ui.co_observer_list)
        # Neither the teacher nor the observer can co-observe: the list follows both choices.
        self.ui.teacher_combo.currentIndexChanged.connect(self._leave_out_of_co_observers)
        self.ui.observer_combo.currentIndexChanged.connect(self._leave_out_of_co_observers)
        self.ui.protocol_combo.currentIndexChanged.connect(self._on_protocol_combo_changed)
        list_people, list_protocols = backend.people.list_people, backend.protocols.list_protocols
        # The archived too, for a teacher chosen among them (Teachers page, Show archived).
        self._load_lists(lambda: (list_people(include_archived=True), list_protocols()),
                         self._fill_lists)
        self.ui.date_edit.setDate(_qdate(backend.clock.now().astimezone().date()))

    def _fill_lists(self, lists: tuple[list[PersonView], list[ProtocolSummary]]) -> None:
        everyone, protocols = lists
        for person in everyone:
            if person.archived and person.id != self._teacher_id:
                continue  # archived people are not offered
            self.ui.teacher_combo.addItem(person.name, person.id)
            self.ui.observer_combo.addItem(person.name, person.id)
        self.co_observers.offer((p.id, p.name) for p in everyone if not p.archived)
        if self._teacher_id:
            self.ui.teacher_combo.setCurrentIndex(
                self.ui.teacher_combo.findData(self._teacher_id))
        self._leave_out_of_co_observers()
        self._protocols = [p for p in protocols if not p.retired]
        last = self._settings.get(LAST_PROTOCOL) if self._settings is not None else ""
        chosen = next((n for n, p in enumerate(self._protocols) if p.id == last), 0)
        combo = self.ui.protocol_combo
        combo.blockSignals(True)  # one outline read, for the choice below
        for protocol in self._protocols:
            label = self.tr("{name} (version {number})").format(
                name=protocol.name, number=protocol.latest_version)
            combo.addItem(label, protocol.latest_version_id)
        combo.setCurrentIndex(chosen if self._protocols else -1)
        combo.blockSignals(False)
        self._on_protocol_combo_changed(combo.currentIndex())

    def _leave_out_of_co_observers(self, _index: int = 0) -> None:
        self.co_observers.leave_out({self.ui.teacher_combo.currentData(),
                                     self.ui.observer_combo.currentData()})

    def _on_protocol_combo_changed(self, index: int) -> None:
        """Say what the chosen protocol is for at once; what it records once its items are
        read (off the GUI thread, and each version only once)."""
        ui = self.ui
        if not 0 <= index < len(self._protocols):
            ui.protocol_description_label.clear()
            ui.protocol_outline_label.clear()
            return
        protocol = self._protocols[index]
        shown = shortened(protocol.description)
        ui.protocol_description_label.setText(shown)
        # The whole of a long description on hover, as a paragraph (rich text wraps).
        ui.protocol_description_label.setToolTip(
            "" if shown == protocol.description else f"<p>{html.escape(protocol.description)}</p>")
        ui.protocol_description_label.setVisible(bool(protocol.description))
        version_id = protocol.latest_version_id
        if (known := self._versions.get(version_id)) is not None:
            # Through the query all the same: an older read still on its way is then dropped.
            self._outline_query.run(lambda: known, self._show_outline)
            return
        ui.protocol_outline_label.setText(self.tr("Reading what it records…"))
        get_version = self._backend.protocols.get_version
        self._outline_query.run(lambda: get_version(version_id), self._show_outline,
                                self._show_problem)

    def _show_outline(self, version: ProtocolVersionView) -> None:
        self._versions[version.id] = version
        self.ui.protocol_outline_label.setText(
            self.tr("Records: {outline}").format(outline=outline(version)))

    def save(self) -> CycleSummary:
        ui = self.ui
        if ui.teacher_combo.currentData() is None:
            raise_no_teacher = self.tr("add the teacher on the Teachers page first")
            raise ObserveError(raise_no_teacher)
        planned = self._backend.cycles.plan_cycle(
            teacher_id=ui.teacher_combo.currentData(),
            observer_id=ui.observer_combo.currentData(),
            protocol_version_id=ui.protocol_combo.currentData(),
            focus=ui.focus_edit.text(), evidence_to_collect=ui.evidence_edit.toPlainText(),
            planned_date=_pydate(ui.date_edit.date()), now=self._backend.clock.now(),
            co_observer_ids=self.co_observers.ticked_ids())
        index = ui.protocol_combo.currentIndex()
        if self._settings is not None and 0 <= index < len(self._protocols):
            self._settings.set(LAST_PROTOCOL, self._protocols[index].id)
        return planned


class StartObservationDialog(FormDialog["ObservationView"]):
    """The class details of a visit; OK opens the observation and its clock starts."""

    def __init__(self, backend: Backend, cycle: CycleSummary,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._backend = backend
        self._cycle = cycle
        self.ui = Ui_StartObservationDialog()
        self.ui.setupUi(self)
        self.ui.subject_edit.setMaxLength(limits.CLASS_SUBJECT)
        self.ui.grade_edit.setMaxLength(limits.CLASS_GRADE)
        self.ui.room_edit.setMaxLength(limits.CLASS_ROOM)
        self._setup_buttons(self.ui.buttons, self.ui.error_label)
        ok = self.ui.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Start observing"))
        focus = cycle.focus or self.tr("no focus recorded")
        self.ui.cycle_label.setText(self.tr("{teacher} · {protocol}\nFocus: {focus}").format(
            teacher=cycle.teacher_name, protocol=cycle.protocol_name, focus=focus))
        teacher = backend.people.get_person(cycle.teacher_id)
        self.ui.subject_edit.setText(teacher.subject)
        # Asked only of a co-observed lesson: who records this visit.
        self.ui.form_layout.setRowVisible(self.ui.observer_combo, False)
        self._load_lists(lambda: backend.co_observation.lesson(cycle.id), self._fill_observers)

    def _fill_observers(self, lesson: Lesson) -> None:
        if len(lesson.observers) < 2:
            return
        combo = self.ui.observer_combo
        # No default: a co-observer who pressed Start at once would record as the observer,
        # and who recorded a visit cannot be changed afterwards.
        combo.addItem(self.tr("Choose who is observing"), CHOOSE_OBSERVER)
        for person_id, name in lesson.observers:
            role = (self.tr("observer") if person_id == self._cycle.observer_id
                    else self.tr("co-observer"))
            combo.addItem(self.tr("{name} ({role})").format(name=name, role=role), person_id)
        self.ui.form_layout.setRowVisible(combo, True)

    def save(self) -> ObservationView:
        ui = self.ui
        if ui.observer_combo.count() and ui.observer_combo.currentData() == CHOOSE_OBSERVER:
            ui.observer_combo.setFocus()
            raise BadInputError(self.tr(
                "Choose who is observing: each observer of this lesson records their own "
                "visit, and it stays theirs."))
        students = ui.students_spin.value() or None
        return self._backend.observations.start_observation(
            self._cycle.id, subject=ui.subject_edit.text(), grade=ui.grade_edit.text(),
            room=ui.room_edit.text(), students=students, now=self._backend.clock.now(),
            observer_id=ui.observer_combo.currentData() if ui.observer_combo.count() else None)
