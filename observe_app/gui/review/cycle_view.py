"""One observation cycle, stage by stage: pre-conference, visits, ratings, post-conference,
reflection; the stage moves forward and back deliberately, and the PDF is exported from here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from observe_app.domain import limits
from observe_app.domain.changes import Data
from observe_app.domain.enums import CycleStage
from observe_app.domain.formats import local_date
from observe_app.errors import BadInputError, ObserveError
from observe_app.gui import shortcuts
from observe_app.gui.calibration_export import pdf_path_in_last_folder, why_not_written
from observe_app.gui.co_observers import CoObserverChoice
from observe_app.gui.current import KeptCurrent
from observe_app.gui.forms.ui_pre_conference_form import Ui_PreConferenceForm
from observe_app.gui.queries import LatestOnly
from observe_app.gui.review.autosave import FormAutoSaver
from observe_app.gui.review.calibration_panel import CalibrationPanel
from observe_app.gui.review.feedback_panel import AutoSavedText, FeedbackPanel
from observe_app.gui.review.rating_panel import RatingPanel
from observe_app.gui.review.visits_panel import VisitsPanel
from observe_app.gui.settings import WindowSettings
from observe_app.gui.style import set_look
from observe_app.gui.tasks import run_in_background
from observe_app.gui.text_limits import limit_plain_text

if TYPE_CHECKING:
    from observe_app.gui.backend import Backend
    from observe_app.gui.history_dialog import HistoryDialog
    from observe_app.gui.pdf_options_dialog import PdfChoice
    from observe_app.gui.tasks import Task
    from observe_app.reports.export import ExportResult
    from observe_app.reports.options import PdfOptions
    from observe_app.services.cycles import CycleDetail, CycleSummary
    from observe_app.services.redaction import Replacement

# The tab a cycle opens on in each stage.
_TAB_OF_STAGE = {CycleStage.PRE_CONFERENCE: 0, CycleStage.OBSERVATION: 1,
                 CycleStage.POST_CONFERENCE: 3, CycleStage.REFLECTION: 4, CycleStage.CLOSED: 3}


def stage_name(stage: CycleStage, tr: Callable[[str], str]) -> str:
    """The stage's name (named once, in CycleStage.label, as the PDF and the lists name it),
    translated."""
    return tr(stage.label)


class StageStrip(QWidget):
    """The five stages in a row, each with the date it was reached; the current one stands out."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        self.labels: dict[CycleStage, QLabel] = {}
        for stage in CycleStage:
            label = QLabel(self)
            label.setObjectName("stageStep")
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            row.addWidget(label, 1)
            self.labels[stage] = label

    def show_stages(self, current: CycleStage, dates: dict[CycleStage, dt.datetime | None]
                    ) -> None:
        order = list(CycleStage)
        for stage, label in self.labels.items():
            when = dates.get(stage)
            date = local_date(when) if when else "—"
            label.setText(f"{stage_name(stage, self.tr)}\n{date}")
            state = ("current" if stage == current
                     else "done" if order.index(stage) < order.index(current) else "todo")
            label.setAccessibleName(self.tr("{stage}: {date} ({state})").format(
                stage=stage_name(stage, self.tr), date=date, state=state))
            set_look(label, "state", state)


class CycleView(QWidget):
    """Everything about one cycle; `closed` asks the window to go back where it came from."""

    closed = Signal()
    send_requested = Signal(str)  # this cycle's id: Send… to a colleague
    stage_changed = Signal(str)  # the new stage's value

    def __init__(self, backend: Backend, cycle_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self.backend = backend
        # what changes while it is on screen is its own doing; hidden, it catches up on show
        shows = Data.CYCLES | Data.FEEDBACK | Data.GOALS | Data.PEOPLE
        KeptCurrent(self, shows, self.reload, while_shown=False).follow(backend)
        self.cycle_id = cycle_id
        self.detail = backend.cycles.get_cycle(cycle_id)
        summary = self.detail.summary
        self.version = backend.protocols.get_version(summary.protocol_version_id)
        self.export_task: Task | None = None
        self.history_dialog: HistoryDialog | None = None
        self._history_query: LatestOnly[bool] = LatestOnly(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        top = QHBoxLayout()
        self.back_button = QPushButton(self.tr("← Back"), self)
        self.back_button.setObjectName("flatButton")
        self.back_button.setToolTip(self.tr("Back to the list (Esc)"))
        self.back_button.clicked.connect(self.closed)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        escape.activated.connect(self.closed)
        top.addWidget(self.back_button)
        self.title_label = QLabel(self)
        self.title_label.setObjectName("pageTitle")
        top.addWidget(self.title_label, 1)
        # Shown only when a package replaced something in this cycle (or lost to an edit here).
        self.history_button = QPushButton(self.tr("Changes from other laptops…"), self)
        self.history_button.setToolTip(self.tr(
            "Values a colleague's package replaced in this cycle, to see and put back"))
        self.history_button.clicked.connect(self.open_history)
        self.history_button.hide()
        top.addWidget(self.history_button)
        self.send_button = QPushButton(self.tr("Send…"), self)
        self.send_button.setToolTip(self.tr("Send this cycle to a colleague as a file"))
        self.send_button.clicked.connect(lambda: self.send_requested.emit(self.cycle_id))
        top.addWidget(self.send_button)
        self.export_button = QPushButton(self.tr("Export PDF…"), self)
        self.export_button.setObjectName("primaryButton")
        self.export_button.setToolTip(shortcuts.EXPORT_PDF.label())
        self.export_button.clicked.connect(self.export_pdf)
        shortcuts.bind(shortcuts.EXPORT_PDF, self, self.export_pdf)
        top.addWidget(self.export_button)
        layout.addLayout(top)
        self.subtitle_label = QLabel(self)
        self.subtitle_label.setObjectName("muted")
        self.subtitle_label.setWordWrap(True)
        layout.addWidget(self.subtitle_label)
        stages = QHBoxLayout()
        self.previous_button = QPushButton(self)
        self.previous_button.clicked.connect(self._on_previous_button_clicked)
        self.strip = StageStrip(self)
        self.next_button = QPushButton(self)
        self.next_button.setObjectName("primaryButton")
        self.next_button.clicked.connect(self._on_next_button_clicked)
        stages.addWidget(self.previous_button)
        stages.addWidget(self.strip, 1)
        stages.addWidget(self.next_button)
        layout.addLayout(stages)
        self.message_label = QLabel(self)
        self.message_label.setObjectName("notice")
        self.message_label.setWordWrap(True)
        self.message_label.hide()
        layout.addWidget(self.message_label)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        layout.addWidget(self.tabs, 1)
        self._build_pre_conference()
        self.visits = VisitsPanel(backend, cycle_id, self.version, self)
        self.tabs.addTab(self.visits, self.tr("Visits and evidence"))
        self.rating = RatingPanel(backend, cycle_id, self.version, self)
        self.tabs.addTab(self.rating, self.tr("Ratings"))
        self.feedback = FeedbackPanel(backend, cycle_id, self)
        self.feedback.changed.connect(self.reload)
        self.tabs.addTab(self.feedback, self.tr("Post-conference"))
        self._build_reflection()
        # A tab of its own on a co-observed cycle (added and taken away by reload).
        self.calibration = CalibrationPanel(backend, cycle_id, self.version, self)
        self.calibration.hide()
        self.calibration.send_requested.connect(self.send_requested)
        self.reload()
        self.tabs.setCurrentIndex(_TAB_OF_STAGE[summary.stage])
        if self.tabs.indexOf(self.calibration) >= 0 and self.calibration.opens_here():
            self.tabs.setCurrentWidget(self.calibration)

    # -- building --------------------------------------------------------------------------

    def _build_pre_conference(self) -> None:
        page = QWidget(self)
        self.pre = Ui_PreConferenceForm()
        self.pre.setupUi(page)
        self.pre.focus_edit.setMaxLength(limits.FOCUS)
        limit_plain_text(self.pre.evidence_edit, limits.EVIDENCE_TO_COLLECT)
        self.pre.intro_label.setObjectName("muted")
        self.pre.observer_combo.addItem(self.tr("Not decided yet"), "")
        summary = self.detail.summary
        everyone = self.backend.people.list_people(include_archived=True)
        for person in everyone:
            # An archived person is not offered, unless already the observer (kept).
            if person.id != summary.teacher_id and (not person.archived
                                                     or person.id == summary.observer_id):
                self.pre.observer_combo.addItem(person.name, person.id)
        # Ticked or unticked, a co-observer is saved at once (refused once they have a visit).
        co_observers = set(self.backend.co_observation.co_observer_ids(self.cycle_id))
        self.co_observers = CoObserverChoice(self.pre.co_observer_list)
        self.co_observers.offer(((p.id, p.name) for p in everyone
                                 if not p.archived or p.id in co_observers), co_observers)
        self.co_observers.toggled.connect(self._on_co_observers_toggled)
        self.pre.save_button.clicked.connect(self._on_pre_save_button_clicked)
        # Saved as you type, like every other tab: a pause, leaving the field, leaving the view.
        self.pre_saver = FormAutoSaver(self._save_pre_conference, self)
        self.pre_saver.saved.connect(self._on_pre_saver_saved)
        self.pre_saver.failed.connect(self._on_pre_saver_failed)
        self.pre.focus_edit.textEdited.connect(self.pre_saver.touch)
        self.pre.focus_edit.editingFinished.connect(self.pre_saver.flush)
        self.pre.evidence_edit.textChanged.connect(self.pre_saver.touch)
        self.pre.observer_combo.activated.connect(self.pre_saver.touch)
        self.pre.date_edit.dateChanged.connect(self.pre_saver.touch)
        self.pre.save_button.setToolTip(shortcuts.SAVE_PRE_CONFERENCE.label())
        shortcuts.bind(shortcuts.SAVE_PRE_CONFERENCE, page, self.pre.save_button.click)
        self.tabs.addTab(page, self.tr("Pre-conference"))

    def _build_reflection(self) -> None:
        page = QWidget(self)
        column = QVBoxLayout(page)
        intro = QLabel(self.tr("The observed teacher's own reflection on the lesson and the "
                               "feedback, in their words. Saved as you type."), page)
        intro.setObjectName("muted")
        intro.setWordWrap(True)
        column.addWidget(intro)
        self.reflection_edit = AutoSavedText(
            lambda text: self.backend.cycles.set_reflection(self.cycle_id, text), page)
        self.reflection_edit.setAccessibleName(self.tr("Reflection"))
        limit_plain_text(self.reflection_edit, limits.REFLECTION)
        column.addWidget(self.reflection_edit, 1)
        self.acknowledge_check = QCheckBox(
            self.tr("The teacher has read the feedback and acknowledges it"), page)
        self.acknowledge_check.toggled.connect(self._on_acknowledge_check_toggled)
        column.addWidget(self.acknowledge_check)
        self.tabs.addTab(page, self.tr("Reflection"))

    # -- showing ---------------------------------------------------------------------------

    def reload(self) -> None:
        if hasattr(self, "reflection_edit"):
            self.flush()  # text still being typed is saved before it is read back
        self.detail = detail = self.backend.cycles.get_cycle(self.cycle_id)
        s = detail.summary
        self.title_label.setText(self.tr("Cycle with {teacher}").format(teacher=s.teacher_name))
        self._show_subtitle(s)
        self.strip.show_stages(s.stage, detail.stage_dates)
        history, cycle_id = self.backend.history, self.cycle_id
        self._history_query.run(lambda: history.has_history(cycle_id),
                                self.history_button.setVisible)
        previous, following = s.stage.previous(), s.stage.next()
        self.previous_button.setVisible(previous is not None)
        self.next_button.setVisible(following is not None)
        if previous is not None:
            self.previous_button.setText(self.tr("← Back to {stage}").format(
                stage=stage_name(previous, self.tr)))
        if following is not None:
            verb = self.tr("Close the cycle") if following == CycleStage.CLOSED else self.tr(
                "On to {stage} →").format(stage=stage_name(following, self.tr))
            self.next_button.setText(verb)
        self._fill_pre_conference(detail)
        self._show_co_observers(s)
        self.feedback.show_cycle(detail)
        self.reflection_edit.set_saved_text(detail.reflection)
        self.acknowledge_check.blockSignals(True)
        self.acknowledge_check.setChecked(detail.acknowledged_at is not None)
        if detail.acknowledged_at is not None:
            self.acknowledge_check.setText(self.tr("The teacher acknowledged the feedback on "
                                                   "{date}").format(
                date=local_date(detail.acknowledged_at)))
        self.acknowledge_check.blockSignals(False)
        closed = s.stage == CycleStage.CLOSED
        # On a co-observer's laptop the teacher's ratings, feedback and reflection are the
        # observer's to write: changed here, they would travel back over the observer's own.
        co_observer_here = (self.tabs.indexOf(self.calibration) >= 0
                            and self.calibration.opens_here())
        self._set_editable(not closed and not co_observer_here)
        if closed:
            self.show_message(self.tr("This cycle is closed. Go back a stage to change it."))
        elif co_observer_here:
            self.previous_button.setVisible(False)  # the stage is the observer's to move
            self.next_button.setVisible(False)
            self.show_message(self.tr(
                "You co-observe this lesson: rate it from your own visit on the Calibration "
                "tab. The teacher's ratings and feedback are {observer}'s to write.").format(
                observer=s.observer_name or self.tr("the observer")))

    def _show_subtitle(self, s: CycleSummary) -> None:
        observer = s.observer_name or self.tr("no observer yet")
        self.subtitle_label.setText(self.tr(
            "Observed by {observer} · {protocol} (version {version}) · focus: {focus}").format(
            observer=observer, protocol=s.protocol_name, version=s.protocol_version,
            focus=s.focus or self.tr("none recorded")))

    def _fill_pre_conference(self, detail: CycleDetail) -> None:
        if self.pre_saver.unsaved:
            return  # what was typed and not yet saved stays on screen, never overwritten
        s, ui = detail.summary, self.pre
        ui.focus_edit.setText(s.focus)
        ui.evidence_edit.setPlainText(detail.evidence_to_collect)
        ui.observer_combo.setCurrentIndex(max(0, ui.observer_combo.findData(s.observer_id or "")))
        day = s.planned_date or s.created_at.astimezone().date()
        ui.date_edit.setDate(QDate(day.year, day.month, day.day))
        ui.status_label.setText("")
        self.pre_saver.mark_saved()  # filled from the database, not typed

    def _show_co_observers(self, s: CycleSummary) -> None:
        """Who co-observes, ticked; the Calibration tab is there while anyone does."""
        co_observers = self.backend.co_observation.co_observer_ids(self.cycle_id)
        self.co_observers.set_ticked(co_observers)
        self.co_observers.leave_out({s.teacher_id, s.observer_id})
        shown = self.tabs.indexOf(self.calibration) >= 0
        if co_observers and not shown:
            self.tabs.addTab(self.calibration, self.tr("Calibration"))
            self.calibration.reload()
        elif not co_observers and shown:
            self.tabs.removeTab(self.tabs.indexOf(self.calibration))

    def _on_co_observers_toggled(self, person_id: str, ticked: bool) -> None:
        calls = self.backend.co_observation
        try:
            if ticked:
                calls.add_co_observer(self.cycle_id, person_id)
            else:
                calls.remove_co_observer(self.cycle_id, person_id)
        except ObserveError as exc:
            self.pre.status_label.setText(self.tr("Not saved: {error}").format(
                error=exc.sentence()))
        else:
            self.pre.status_label.setText(self.tr("Saved."))
        self._show_co_observers(self.detail.summary)  # as saved, whichever way it went

    def _set_editable(self, editable: bool) -> None:
        ui = self.pre
        ui.focus_edit.setReadOnly(not editable)
        ui.evidence_edit.setReadOnly(not editable)
        for widget in (ui.observer_combo, ui.co_observer_list, ui.date_edit, ui.save_button,
                       self.acknowledge_check):
            widget.setEnabled(editable)
        self.reflection_edit.setReadOnly(not editable)
        self.feedback.set_editable(editable)
        self.visits.set_editable(editable)
        if self.rating.editable != editable:
            self.rating.set_editable(editable)

    def show_message(self, text: str) -> None:
        self.message_label.setText(text)
        self.message_label.setVisible(bool(text))

    def show_note(self, observation_id: str, note_id: str | None = None) -> None:
        """Open the visits tab at a visit (and a note of it)."""
        self.tabs.setCurrentWidget(self.visits)
        self.visits.show_visit(observation_id, note_id)

    def open_history(self) -> None:
        """The values other laptops' packages replaced in this cycle, to see and restore."""
        from observe_app.gui.history_dialog import HistoryDialog

        if self.history_dialog is not None:
            self.history_dialog.raise_()
            return
        self.flush()  # a restore must not be overwritten by text still waiting to be saved
        dialog = HistoryDialog(self.backend, cycle_id=self.cycle_id, about=self.tr(
            "the cycle of {teacher}").format(teacher=self.detail.summary.teacher_name),
            parent=self)
        dialog.restored.connect(self.reload)  # on screen, this view refreshes only itself
        dialog.finished.connect(self._on_history_dialog_finished)
        self.history_dialog = dialog
        dialog.open()

    def _on_history_dialog_finished(self, _result: int) -> None:
        dialog, self.history_dialog = self.history_dialog, None
        if dialog is not None:
            dialog.deleteLater()

    # -- stages ----------------------------------------------------------------------------

    def confirm(self, title: str, text: str) -> bool:
        """Ask before a move that matters (tests replace this)."""
        return QMessageBox.question(self, title, text) == QMessageBox.StandardButton.Yes

    def move_to(self, stage: CycleStage) -> None:
        self.flush()
        self.backend.cycles.move_to_stage(self.cycle_id, stage, now=self.backend.clock.now())
        self.reload()
        if stage != CycleStage.CLOSED:
            self.show_message("")
        self.tabs.setCurrentIndex(_TAB_OF_STAGE[stage])
        self.stage_changed.emit(stage.value)

    def _on_next_button_clicked(self) -> None:
        s = self.detail.summary
        following = s.stage.next()
        if following is None:
            return
        if following == CycleStage.CLOSED and not self.confirm(
                self.tr("Close the cycle"),
                self.tr("Close this cycle with {teacher}? Its feedback and ratings stay as they "
                        "are; you can reopen it later.").format(teacher=s.teacher_name)):
            return
        if (following == CycleStage.POST_CONFERENCE and s.observation_count == 0
                and not self.confirm(self.tr("No visit yet"), self.tr(
                    "No observation has been recorded in this cycle. Move on to the "
                    "post-conference anyway?"))):
            return
        self.move_to(following)

    def _on_previous_button_clicked(self) -> None:
        previous = self.detail.summary.stage.previous()
        if previous is None:
            return
        if self.confirm(self.tr("Go back a stage"), self.tr(
                "Move this cycle back to {stage}? The date each stage was first reached is "
                "kept.").format(stage=stage_name(previous, self.tr))):
            self.move_to(previous)

    # -- saving ----------------------------------------------------------------------------

    def flush(self) -> None:
        """Save text still being typed (before leaving the view or moving the stage).
        Pre-conference fields a fault keeps from disk stop the view from closing."""
        self.feedback.notes_edit.flush()
        self.reflection_edit.flush()
        self.pre_saver.flush()
        if self.pre_saver.unsaved and self.pre_saver.error is not None:
            raise self.pre_saver.error

    def _save_pre_conference(self) -> None:
        ui = self.pre
        q = ui.date_edit.date()
        self.backend.cycles.update_pre_conference(
            self.cycle_id, focus=ui.focus_edit.text(),
            evidence_to_collect=ui.evidence_edit.toPlainText(),
            planned_date=dt.date(q.year(), q.month(), q.day()),
            observer_id=ui.observer_combo.currentData())

    def _on_pre_save_button_clicked(self) -> None:
        self.pre_saver.touch()
        self.pre_saver.flush()

    def _on_pre_saver_saved(self) -> None:
        # Only the subtitle shows the focus elsewhere: no whole reload while typing.
        self.detail = self.backend.cycles.get_cycle(self.cycle_id)
        self._show_subtitle(self.detail.summary)
        self.pre.status_label.setText(self.tr("Saved."))

    def _on_pre_saver_failed(self, error: str) -> None:
        if isinstance(self.pre_saver.error, BadInputError):  # only a change can help
            self.pre.status_label.setText(self.tr("Not saved: {error}.").format(error=error))
            return
        self.pre.status_label.setText(self.tr(
            "Not saved yet: {error}. What you wrote stays here and is saved as soon as it "
            "can be.").format(error=error))

    def _on_acknowledge_check_toggled(self, checked: bool) -> None:
        self.backend.cycles.acknowledge(self.cycle_id,
                                        self.backend.clock.now() if checked else None)
        self.reload()

    # -- export ----------------------------------------------------------------------------

    def _settings(self) -> WindowSettings:
        return WindowSettings(Path(self.backend.database.path).parent)

    def choose_pdf_path(self, suggested: str) -> str:
        """Ask where to save (tests replace this); '' when the person cancels."""
        path, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Export the feedback summary"), suggested, self.tr("PDF (*.pdf)"))
        return path

    def choose_pdf_options(self, settings: WindowSettings) -> PdfChoice | None:
        """Ask for the paper, the evidence log and a password, starting from the last export's
        choices, which are remembered (never the password); None when the person cancels."""
        from observe_app.gui.pdf_options_dialog import PdfOptionsDialog, remember, remembered

        backend, cycle_id = self.backend, self.cycle_id

        def preview(list_id: str, options: PdfOptions) -> list[Replacement]:
            redactor = backend.redaction.redactor_for(list_id)
            return [] if redactor is None else backend.preview_pdf_redaction(
                cycle_id, redactor, options=options)

        dialog = PdfOptionsDialog(remembered(settings), self,
                                  class_lists=backend.redaction.list_class_lists(),
                                  preview=preview)
        try:
            if dialog.exec() != PdfOptionsDialog.DialogCode.Accepted:
                return None
            choice = dialog.choice()
        finally:
            dialog.deleteLater()  # the typed password goes with it
        remember(settings, choice.options)
        return choice

    def export_pdf(self) -> None:
        if self.export_task is not None:
            return
        settings = self._settings()
        choice = self.choose_pdf_options(settings)
        if choice is None:
            return
        path = pdf_path_in_last_folder(settings, self.choose_pdf_path,
                                       self.backend.pdf_file_name(self.cycle_id))
        if not path:
            return
        self.export_button.setEnabled(False)
        self.show_message(self.tr("Writing the PDF…"))
        cycle_id, backend = self.cycle_id, self.backend
        self.export_task = run_in_background(
            lambda: backend.export_cycle(cycle_id, path, options=choice.options,
                                         password=choice.password,
                                         redactor=backend.redaction.redactor_for(
                                             choice.names_list)),
            on_done=self._on_export_succeeded, on_failed=self._on_export_failed, context=self)

    def _on_export_succeeded(self, result: ExportResult) -> None:
        self.export_task = None
        self.export_button.setEnabled(True)
        self.show_message(self.tr("Saved {path} ({pages} pages).").format(
            path=result.path, pages=result.pages))

    def _on_export_failed(self, exc: BaseException) -> None:
        self.export_task = None
        self.export_button.setEnabled(True)
        self.show_message("")
        self.warn(self.tr("The PDF was not saved"), why_not_written(self, exc))

    def warn(self, title: str, text: str) -> None:
        """Tell the person what went wrong (tests replace this)."""
        QMessageBox.warning(self, title, text)
