"""The Calibration tab of a co-observed cycle: who observes the lesson and where each visit
stands; rating a visit recorded here and handing it in; and, once every observer's visit is
here and handed in, how far they agree. Until then nothing of another observer's visit is
shown: neither its notes nor its levels."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from observe_app.domain.changes import Data
from observe_app.domain.enums import ItemKind
from observe_app.domain.formats import format_elapsed, local_date, local_time
from observe_app.errors import ObserveError
from observe_app.gui.calibration_export import CalibrationExport
from observe_app.gui.current import KeptCurrent
from observe_app.gui.queries import LatestOnly
from observe_app.gui.review.calibration_figures import (
    AgreementWidget,
    WholeTable,
    heading_label,
    sentence_label,
)
from observe_app.gui.review.calibration_models import LessonObserversTableModel, ObserverRow
from observe_app.gui.scroll import FittingScrollArea

if TYPE_CHECKING:
    from observe_app.gui.backend import Backend
    from observe_app.services.calibration import LessonAgreement
    from observe_app.services.co_observation import Lesson, LessonVisit, VisitRatingView
    from observe_app.services.notes import NoteView
    from observe_app.services.protocols import ItemView, ProtocolVersionView

NOT_RATED = ""
NOT_OBSERVED = "not observed"
EVIDENCE_SHOWN = 3  # notes shown under an item; the rest are counted
FORM_WIDTH = 760


@dataclass(frozen=True)
class CalibrationScreen:
    """What the tab shows, read in one go on a worker."""

    lesson: Lesson
    own: tuple[LessonVisit, ...]  # visits recorded here and not handed in: rated here
    ratings: dict[str, dict[str, VisitRatingView]] = field(default_factory=dict)
    notes: dict[str, list[NoteView]] = field(default_factory=dict)
    agreement: LessonAgreement | None = None


def read_screen(backend: Backend, cycle_id: str) -> CalibrationScreen:
    """Off the GUI thread. The figures are read only once the lesson is open, so another
    observer's record never reaches the window before."""
    lesson = backend.co_observation.lesson(cycle_id)
    own = tuple(v for v in lesson.visits if v.recorded_here and v.handed_in_at is None)
    calls = backend.co_observation
    return CalibrationScreen(
        lesson, own, {v.observation_id: calls.visit_ratings(v.observation_id) for v in own},
        {v.observation_id: backend.notes.list_notes(v.observation_id) for v in own},
        backend.calibration.lesson_agreement(cycle_id)
        if lesson.open and len(lesson.observers) > 1 else None)


class CalibrationPanel(QWidget):
    """Refreshes itself when visits, ratings, notes or co-observers change (a package
    received, a visit ended), except for the levels chosen here, which are already shown."""

    send_requested = Signal(str)  # the cycle's id: its package, after a hand-in
    shown_screen = Signal()  # a read has been shown (tests and screenshots wait for it)

    SHOWS = Data.CYCLES | Data.PEOPLE | Data.VISITS | Data.NOTES | Data.RESPONSES | Data.RATINGS

    def __init__(self, backend: Backend, cycle_id: str, version: ProtocolVersionView,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.cycle_id = cycle_id
        self.version = version
        self.rubric = [i for i in version.items if i.kind == ItemKind.RUBRIC]
        self.read_model: CalibrationScreen | None = None
        self._writing = False  # a change made here: already on screen
        self._query: LatestOnly[CalibrationScreen] = LatestOnly(self)
        KeptCurrent(self, self.SHOWS, self._on_data_changed).follow(backend)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        self.page_area = FittingScrollArea(self)
        column.addWidget(self.page_area)
        self.observers_model = LessonObserversTableModel(self)
        self.state_label = QLabel(self)
        self.level_combos: dict[tuple[str, str], QComboBox] = {}  # (visit, item) -> levels
        self.hand_in_buttons: dict[str, QPushButton] = {}  # visit id -> its button
        self.agreement_widget: AgreementWidget | None = None
        self.problem_label = QLabel(self)
        self._build(None, "")

    # -- reading ---------------------------------------------------------------------------

    def reload(self) -> None:
        backend, cycle_id = self.backend, self.cycle_id
        self._query.run(lambda: read_screen(backend, cycle_id), self._show,
                        self._on_read_failed)

    def opens_here(self) -> bool:
        """The cycle is co-observed and a co-observer's visit was recorded on this laptop:
        what matters here is calibration, not the teacher's record."""
        lesson = self.backend.co_observation.lesson(self.cycle_id)
        observer = lesson.observers[0][0] if lesson.observers else None
        return len(lesson.observers) > 1 and any(
            v.recorded_here and v.observer_id != observer for v in lesson.visits)

    def _on_data_changed(self) -> None:
        if not self._writing:
            self.reload()

    def _on_read_failed(self, exc: ObserveError) -> None:
        self._build(self.read_model, self.tr("Not read: {problem}").format(problem=exc.sentence()))

    def _show(self, screen: CalibrationScreen) -> None:
        self.read_model = screen
        self._build(screen, "")
        self.shown_screen.emit()

    # -- building ----------------------------------------------------------------------------

    def _build(self, screen: CalibrationScreen | None, problem: str) -> None:
        """A new page each time (the old one goes with its widgets); the scroll stays."""
        kept = self.page_area.verticalScrollBar().value()
        page = QWidget(self.page_area)
        page.setObjectName("protocolBody")
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 4, 12, 8)
        intro = sentence_label(self.tr(
            "Each observer records the lesson on their own laptop and rates it from their own "
            "visit. Nobody sees another's notes or levels until every visit is handed in; then "
            "this tab shows how far the records agree."), page)
        intro.setObjectName("muted")
        column.addWidget(intro)
        self.problem_label = QLabel(problem, page)
        self.problem_label.setObjectName("problem")
        self.problem_label.setWordWrap(True)
        self.problem_label.setVisible(bool(problem))
        column.addWidget(self.problem_label)
        self.level_combos, self.hand_in_buttons = {}, {}
        self.agreement_widget = None
        if screen is not None:
            self._build_observers(page, column, screen)
            for visit in screen.own:
                self._build_own_visit(page, column, screen, visit)
            if screen.agreement is not None:
                self._build_export(page, column, screen)
                self.agreement_widget = AgreementWidget(
                    self.backend.calibration, self.version, screen.agreement, page)
                column.addWidget(self.agreement_widget)
        column.addStretch(1)
        self.page_area.setWidget(page)  # the old page is deleted
        self.page_area.verticalScrollBar().setValue(kept)

    def _build_observers(self, page: QWidget, column: QVBoxLayout,
                         screen: CalibrationScreen) -> None:
        column.addWidget(heading_label(self.tr("Who observes the lesson"), page))
        self.observers_model = LessonObserversTableModel(page)
        self.observers_model.set_rows(self.observer_rows(screen.lesson))
        table = WholeTable(self.observers_model, self.tr("Observers and their visits"), page)
        table.stretch(LessonObserversTableModel.Column.STATE)
        column.addWidget(table)
        self.state_label = sentence_label(self.state_sentence(screen.lesson), page)
        self.state_label.setObjectName("notice")
        column.addWidget(self.state_label)

    def _build_own_visit(self, page: QWidget, column: QVBoxLayout, screen: CalibrationScreen,
                         visit: LessonVisit) -> None:
        column.addWidget(heading_label(self.tr("Rate {name}'s visit of {day}").format(
            name=visit.observer_name, day=self._day(visit.started_at)), page))
        hint = sentence_label(self.tr(
            "From what you saw and noted in this visit alone, the level of each rubric item, "
            "or \"not observed\". Saved as you choose; your notes tagged to an item are "
            "under it."), page)
        hint.setObjectName("muted")
        column.addWidget(hint)
        # Not wider than a reader follows a row with the eye: each level beside its item.
        form = QWidget(page)
        form.setMaximumWidth(FORM_WIDTH)
        grid = QGridLayout(form)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setColumnStretch(0, 1)
        ratings = screen.ratings.get(visit.observation_id, {})
        notes = screen.notes.get(visit.observation_id, [])
        row, section = 0, None
        for item in self.rubric:
            if item.section != section:
                section = item.section
                title = QLabel(section, form)
                title.setObjectName("codeGroup")
                title.setWordWrap(True)
                grid.addWidget(title, row, 0, 1, 2)
                row += 1
            combo = self._level_combo(form, visit, item, ratings.get(item.id))
            label = QLabel(item.label.replace("&", "&&"), form)  # an & is no mnemonic
            label.setWordWrap(True)
            label.setBuddy(combo)
            label.setContentsMargins(12, 0, 0, 0)
            grid.addWidget(label, row, 0)
            grid.addWidget(combo, row, 1)
            tagged = [n for n in notes if item.id in n.item_ids]
            if tagged:
                evidence = sentence_label(self._evidence(tagged), form)
                evidence.setObjectName("muted")
                evidence.setContentsMargins(28, 0, 0, 4)
                grid.addWidget(evidence, row + 1, 0, 1, 2)
            row += 2
        column.addWidget(form)
        if not self.rubric:
            column.addWidget(sentence_label(self.tr(
                "This protocol has no rubric items; the visit's look-fors, scans, tallies and "
                "timers are compared as they were recorded."), page))
        if not visit.ended:
            still_open = sentence_label(self.tr(
                "This visit is still open: end it first (Observe page, resume the visit, End), "
                "then hand it in."), page)
            still_open.setObjectName("notice")
            column.addWidget(still_open)
        buttons = QHBoxLayout()
        button = QPushButton(self.tr("Hand in and send…"), page)
        button.setObjectName("primaryButton")
        button.setToolTip(self.tr(
            "Hand in this visit for calibration, then save the cycle as a package for the other "
            "observers. A handed-in visit no longer changes."))
        button.setEnabled(visit.ended)
        button.clicked.connect(lambda _checked=False, v=visit: self.hand_in(v))
        buttons.addWidget(button)
        after = sentence_label(self.tr("Once handed in, the visit no longer changes; the "
                                       "package goes to the other observers."), page)
        after.setObjectName("muted")
        buttons.addWidget(after, 1)
        column.addLayout(buttons)
        self.hand_in_buttons[visit.observation_id] = button

    def _build_export(self, page: QWidget, column: QVBoxLayout,
                      screen: CalibrationScreen) -> None:
        """The calibration PDF, for the conversation the observers have about these figures."""
        row = QHBoxLayout()
        self.export_button = QPushButton(self.tr("Export calibration PDF…"), page)
        self.export_button.setToolTip(self.tr(
            "The figures, both observers' levels with their evidence, scans and counts, for "
            "the calibration conversation"))
        row.addWidget(self.export_button)
        self.export_label = sentence_label("", page)
        self.export_label.setObjectName("muted")
        row.addWidget(self.export_label, 1)
        column.addLayout(row)
        backend, cycle_id = self.backend, self.cycle_id
        found = screen.agreement
        assert found is not None
        name = (f"{found.date.astimezone():%Y-%m-%d} Calibration - {found.cycle.teacher_name}"
                ".pdf")
        self.export = CalibrationExport(
            backend, self.export_button, name,
            lambda path: backend.export_lesson_calibration(cycle_id, path),
            self.export_label.setText, page)

    def _level_combo(self, page: QWidget, visit: LessonVisit, item: ItemView,
                     rating: VisitRatingView | None) -> QComboBox:
        combo = QComboBox(page)
        combo.setAccessibleName(self.tr("Level of {item}").format(item=item.label))
        combo.addItem(self.tr("not rated yet"), NOT_RATED)
        for level in item.levels:
            combo.addItem(f"{level.level} · {level.name}", str(level.level))
            combo.setItemData(combo.count() - 1, level.descriptor, Qt.ItemDataRole.ToolTipRole)
        combo.addItem(self.tr("not observed"), NOT_OBSERVED)
        chosen = (NOT_OBSERVED if rating is not None and rating.not_observed
                  else str(rating.level) if rating is not None and rating.level is not None
                  else NOT_RATED)
        combo.setCurrentIndex(max(0, combo.findData(chosen)))
        combo.activated.connect(
            lambda _index, v=visit.observation_id, i=item.id: self._on_level_chosen(v, i))
        self.level_combos[(visit.observation_id, item.id)] = combo
        return combo

    # -- words -------------------------------------------------------------------------------

    def _day(self, when: dt.datetime) -> str:
        """'2 Mar', with the year when it is not this year's."""
        day = when.astimezone().date()
        this_year = self.backend.clock.now().astimezone().year
        return f"{day.day} {day:%b}" + ("" if day.year == this_year else f" {day.year}")

    def visit_state(self, visit: LessonVisit) -> str:
        if visit.handed_in_at is not None:
            return self.tr("handed in {day}").format(day=self._day(visit.handed_in_at))
        if visit.recorded_here and not visit.ended:
            return self.tr("recorded here, still open")
        if visit.recorded_here:
            return self.tr("recorded here, not handed in")
        return self.tr("not handed in")

    def observer_rows(self, lesson: Lesson) -> list[ObserverRow]:
        observer = lesson.observers[0][0] if lesson.observers else None
        rows = []
        for person_id, name in lesson.observers:
            role = self.tr("observer") if person_id == observer else self.tr("co-observer")
            visits = [v for v in lesson.visits if v.observer_id == person_id]
            if not visits:
                rows.append(ObserverRow(person_id or "", name, role, "", self.tr(
                    "waiting for {name}'s visit").format(name=name)))
            rows += [ObserverRow(v.observation_id, name, role,
                                 f"{local_date(v.started_at)} {local_time(v.started_at)}",
                                 self.visit_state(v)) for v in visits]
        return rows

    def state_sentence(self, lesson: Lesson) -> str:
        if lesson.open:
            return self.tr("Every observer's visit is here and handed in: below, how far "
                           "the records agree.")
        recorded_here = {v.observer_id for v in lesson.visits if v.recorded_here}
        ids = dict((name, pid) for pid, name in lesson.observers)
        waiting = [self.tr("{name}'s visit to be handed in").format(name=name)
                   if ids.get(name) in recorded_here
                   else self.tr("{name}'s visit").format(name=name)
                   for name in lesson.waiting_for]
        listed = (", ".join(waiting[:-1]) + self.tr(" and ") + waiting[-1]
                  if len(waiting) > 1 else "".join(waiting))
        return self.tr("The figures open once every observer's visit is here and handed in: "
                       "waiting for {whom}.").format(whom=listed)

    def _evidence(self, tagged: list[NoteView]) -> str:
        shown = [f"{format_elapsed(n.elapsed_ms)} {n.text}" for n in tagged[:EVIDENCE_SHOWN]]
        more = len(tagged) - EVIDENCE_SHOWN
        if more > 0:
            shown.append(self.tr("and {n} more").format(n=more))
        return "  ·  ".join(shown)

    # -- acting ------------------------------------------------------------------------------

    def _on_level_chosen(self, visit_id: str, item_id: str) -> None:
        combo = self.level_combos[(visit_id, item_id)]
        chosen = combo.currentData()
        self._writing = True
        try:
            self.backend.co_observation.rate_from_visit(
                visit_id, item_id, None if chosen in (NOT_RATED, NOT_OBSERVED) else int(chosen),
                not_observed=chosen == NOT_OBSERVED)
        except ObserveError as exc:
            self.problem_label.setText(self.tr("Not saved: {problem}").format(
                problem=exc.sentence()))
            self.problem_label.show()
            self.reload()  # back to what is saved
            return
        finally:
            self._writing = False
        self.problem_label.hide()

    def unrated(self, visit_id: str) -> int:
        return sum(1 for (v, _i), combo in self.level_combos.items()
                   if v == visit_id and combo.currentData() == NOT_RATED)

    def hand_in(self, visit: LessonVisit) -> None:
        """Ask, hand the visit in, then send the cycle's package (the Send dialog)."""
        unrated = self.unrated(visit.observation_id)
        warning = (self.tr("%n rubric item has no level yet. ", None, unrated) if unrated == 1
                   else self.tr("%n rubric items have no level yet. ", None, unrated)
                   if unrated else "")
        if not self.confirm(self.tr("Hand in the visit"), warning + self.tr(
                "Hand in {name}'s visit? Its notes, scans and levels are then fixed: they no "
                "longer change. Next, save the cycle as a package for the other observers; "
                "they see this visit once theirs is handed in too.").format(
                name=visit.observer_name)):
            return
        self._writing = True
        try:
            self.backend.co_observation.hand_in(visit.observation_id,
                                                now=self.backend.clock.now())
        except ObserveError as exc:
            self.problem_label.setText(self.tr("Not handed in: {problem}").format(
                problem=exc.sentence()))
            self.problem_label.show()
            return
        finally:
            self._writing = False
        self.reload()
        self.send_requested.emit(self.cycle_id)

    def confirm(self, title: str, text: str) -> bool:
        """Ask before a step that cannot be taken back (tests replace this)."""
        return QMessageBox.question(self, title, text) == QMessageBox.StandardButton.Yes
