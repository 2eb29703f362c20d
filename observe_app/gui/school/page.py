"""The School page of the main window: a period and a scope on top, and three tabs — Coverage
(the programme, with names), Patterns (anonymised) and Impact (term by term).

Everything is read on a worker through the backend; a newer choice makes an older answer stale,
and it is dropped. The page refreshes itself when data it shows changes (KeptCurrent)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QTabWidget, QVBoxLayout, QWidget

from observe_app.domain.changes import Data
from observe_app.domain.formats import local_date
from observe_app.errors import ObserveError
from observe_app.gui.current import KeptCurrent
from observe_app.gui.queries import LatestOnly
from observe_app.gui.school.choice import PeriodKind, to_period, to_scope
from observe_app.gui.school.coverage_view import CoverageView
from observe_app.gui.school.exports import SchoolExports
from observe_app.gui.school.impact_view import ImpactView
from observe_app.gui.school.patterns_view import PatternsView
from observe_app.gui.school.top_bar import SchoolTopBar
from observe_app.gui.tasks import run_in_background

if TYPE_CHECKING:
    from observe_app.gui.backend import Backend
    from observe_app.services.school import SchoolPicture
    from observe_app.services.school_choices import ScopeChoices

_tr = QCoreApplication.translate


@dataclass(frozen=True)
class SchoolRead:
    """One answer of the page's query: the picture, and what the scope can be chosen from."""

    picture: SchoolPicture
    choices: ScopeChoices


class SchoolPage(QWidget):
    """`cycle_opened(id)`: an overdue cycle opened from Coverage; `status_said(text)`: an
    outcome for the status bar."""

    cycle_opened = Signal(str)
    status_said = Signal(str)
    read_done = Signal()  # a picture is on screen (tests wait on it)

    SHOWS = Data.EVERYTHING & ~Data.DRAFTS

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self.backend: Backend | None = None
        self.current = KeptCurrent(self, self.SHOWS, self.reload)
        self.shown: SchoolRead | None = None
        self._query: LatestOnly[SchoolRead] = LatestOnly(self)
        self._saving_minimum = 0  # writes of the setting under way
        column = QVBoxLayout(self)
        column.setContentsMargins(24, 16, 24, 12)
        column.setSpacing(8)
        title_row = QHBoxLayout()
        title_row.setSpacing(16)
        heading = QLabel(_tr("SchoolPage", "School"), self)
        heading.setObjectName("pageTitle")
        title_row.addWidget(heading, 0, Qt.AlignmentFlag.AlignBottom)
        self.subtitle_label = QLabel(self.tr("Reading the school's picture…"), self)
        self.subtitle_label.setObjectName("muted")
        self.subtitle_label.setWordWrap(True)
        title_row.addWidget(self.subtitle_label, 1, Qt.AlignmentFlag.AlignBottom)
        column.addLayout(title_row)
        self.top_bar = SchoolTopBar(self)
        self.top_bar.choice_changed.connect(self._on_top_bar_choice_changed)
        self.top_bar.minimum_edited.connect(self._on_top_bar_minimum_edited)
        column.addWidget(self.top_bar)
        self.exports = SchoolExports(self, self._picture_shown)
        self.exports.said.connect(self.status_said)
        self.top_bar.add_button(self.exports.pdf_button)
        self.top_bar.add_button(self.exports.csv_button)
        self.problem_label = QLabel(self)
        self.problem_label.setObjectName("problem")
        self.problem_label.setWordWrap(True)
        self.problem_label.hide()
        column.addWidget(self.problem_label)
        self.tabs = QTabWidget(self)
        self.coverage = CoverageView(self.tabs)
        self.coverage.cycle_opened.connect(self.cycle_opened)
        self.coverage.round_asked.connect(self.plan_round)
        self.coverage.calendar_asked.connect(self.export_calendar)
        self.patterns = PatternsView(self.tabs)
        self.impact = ImpactView(self.tabs)
        # Mnemonics clear of the section keys (Alt+O, C, T, P, S).
        self.tabs.addTab(self.coverage, self.tr("Co&verage"))
        self.tabs.addTab(self.patterns, self.tr("Patter&ns"))
        self.tabs.addTab(self.impact, self.tr("&Impact"))
        column.addWidget(self.tabs, 1)
        self.setFocusProxy(self.top_bar.period_combo)

    @property
    def loading(self) -> bool:
        return self._query.running

    def _picture_shown(self) -> SchoolPicture | None:
        return self.shown.picture if self.shown is not None else None

    def attach(self, backend: Backend) -> None:
        self.backend = backend
        self.exports.backend = backend
        self.current.follow(backend)
        for control in (self.top_bar.minimum_spin, self.coverage.round_button,
                        self.coverage.calendar_button):
            control.setEnabled(not backend.read_only)  # each writes to the data folder
        today = self.today()
        self.top_bar.set_dates(today.replace(day=1), today)  # until a period is shown
        self.top_bar.dates_given = False
        self.reload()

    def today(self) -> dt.date:
        assert self.backend is not None
        return self.backend.clock.now().astimezone().date()

    # -- reading ---------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the picture for the period and scope chosen, on a worker."""
        if self.backend is None:
            return
        school, today = self.backend.school, self.today()
        period, scope = self.top_bar.period_choice(), self.top_bar.scope_choice()

        def read() -> SchoolRead:
            return SchoolRead(school.school_picture(to_period(period, today), to_scope(scope),
                                                    today=today), school.scope_choices())

        self._query.run(read, self._show, self._on_read_failed)

    def _show(self, answer: SchoolRead) -> None:
        self.shown = answer
        picture = answer.picture
        self.problem_label.hide()
        self.top_bar.set_choices(answer.choices)
        self.top_bar.set_minimum(picture.minimum_visits)
        period = picture.period
        self.subtitle_label.setText(self.tr(
            "{period} ({start} to {end}) · {scope} · compared with {before}").format(
            period=period.name, start=local_date(period.start), end=local_date(period.end),
            scope=picture.scope.name, before=picture.before.name))
        self.coverage.show_coverage(picture.coverage, answer.choices.names, period.name,
                                    picture.scope)
        self.patterns.show_picture(picture)
        self.impact.show_impact(picture.impact)
        self.exports.set_ready(True)
        self.read_done.emit()

    def _on_read_failed(self, error: ObserveError) -> None:
        # Dates that end before they start, a locked database: said, the figures kept.
        self.problem_label.setText(error.sentence())
        self.problem_label.show()

    def _on_top_bar_choice_changed(self) -> None:
        if (self.top_bar.period_combo.currentData() == PeriodKind.DATES
                and not self.top_bar.dates_given and self.shown is not None):
            shown = self.shown.picture.period  # the dates of the period shown until now
            self.top_bar.set_dates(shown.start, shown.end)
        self.reload()

    # -- a round of peer observations -------------------------------------------------------

    def plan_round(self) -> None:
        """Plan a round of peer observations (the School menu's dialog); its cycles are
        announced when created, and this page reads again."""
        if self.backend is not None and not self.backend.read_only:
            from observe_app.gui.round_dialog import plan_round

            plan_round(self.window(), self.backend)

    def export_calendar(self) -> None:
        if self.backend is not None and not self.backend.read_only:
            from observe_app.gui.calendar_actions import export_calendar

            export_calendar(self.window(), self.backend)

    # -- the setting -----------------------------------------------------------------------

    def _on_top_bar_minimum_edited(self, visits: int) -> None:
        """Save the fewest visits behind a figure (a command, on a worker); the page reads
        again when the change is announced."""
        if self.backend is None or (self.shown is not None
                                    and self.shown.picture.minimum_visits == visits):
            return
        save = self.backend.school.set_minimum_visits
        self._saving_minimum += 1
        run_in_background(lambda: save(visits), self._on_minimum_saved,
                          self._on_minimum_failed, context=self)

    def _on_minimum_saved(self, _result: object) -> None:
        self._saving_minimum -= 1

    def _on_minimum_failed(self, exc: BaseException) -> None:
        self._saving_minimum -= 1
        if not isinstance(exc, ObserveError):
            raise exc  # a bug: the crash dialog, as everywhere
        self.problem_label.setText(self.tr("The setting was not saved. {problem}").format(
            problem=exc.sentence()))
        self.problem_label.show()
        if self.shown is not None:
            self.top_bar.set_minimum(self.shown.picture.minimum_visits, force=True)

    @property
    def saving(self) -> bool:
        return self._saving_minimum > 0
