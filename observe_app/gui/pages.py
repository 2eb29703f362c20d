"""The main window's list pages: Observe (what to observe next), Cycles and Teachers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QPoint, QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from observe_app.domain.changes import Data
from observe_app.domain.enums import CycleStage
from observe_app.errors import ObserveError
from observe_app.gui import shortcuts
from observe_app.gui.current import KeptCurrent
from observe_app.gui.queries import LatestOnly
from observe_app.gui.table_models import (
    ROW_ROLE,
    CyclesTableModel,
    PeopleTableModel,
    RowsTableModel,
)

if TYPE_CHECKING:
    from observe_app.gui.backend import Backend
    from observe_app.gui.resume_dialog import ResumeDialog
    from observe_app.services.cycles import CycleSummary
    from observe_app.services.observations import UnfinishedVisit

_tr = QCoreApplication.translate
FILTER_PAUSE_MS = 150  # a database filter waits for this pause in typing
FIRST_SORT = {"text": "", "sort": "date", "descending": True}  # the cycle pages' on opening


class ListPage(QWidget):
    """A titled page holding one filterable, sortable table and a row of buttons."""

    observation_started = Signal(str)  # an observation id to open live
    observation_ended = Signal(str)  # a visit ended from a page (Resume → end at last note)
    cycle_opened = Signal(str)  # a cycle id to open in the cycle view
    growth_opened = Signal(str)  # a teacher id to open in the growth view
    removed = Signal(object)  # a RemovalView: a row deleted from the page (Undo is offered)
    status_said = Signal(str)  # an outcome for the status bar (archived, unarchived)

    SHOWS = Data.EVERYTHING  # what data the page shows: a change to it refreshes the page
    REMOVES = ""  # the table its rows are deleted and archived in ("people", "cycles")
    SHOW_ARCHIVED_BOX = False  # a "Show archived" check box beside the filter

    def __init__(self, title: str, intro: str, model: RowsTableModel,
                 parent: QWidget | None = None, *, in_memory: bool = True) -> None:
        """`in_memory`: the model holds the whole list, sorted and filtered by a proxy here;
        otherwise the model pages through the database, which sorts and filters."""
        super().__init__(parent)
        self.setObjectName("page")
        self.backend: Backend | None = None
        self.current = KeptCurrent(self, self.SHOWS, self._on_data_changed)
        self.model = model
        self.proxy: QSortFilterProxyModel | None = None
        if in_memory:
            self.proxy = QSortFilterProxyModel(self)
            self.proxy.setSourceModel(model)
            self.proxy.setSortRole(Qt.ItemDataRole.UserRole)
            self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            self.proxy.setFilterKeyColumn(-1)
        # Typing pauses briefly before a database filter runs, not at every keystroke.
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_PAUSE_MS)
        self._filter_timer.timeout.connect(self._on_filter_timer_timeout)
        self.column = layout = QVBoxLayout(self)  # subclasses insert rows into it
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(10)
        heading = QLabel(title, self)
        heading.setObjectName("pageTitle")
        layout.addWidget(heading)
        self._intro = intro
        self._rows_query: LatestOnly[list[Any]] | None = None  # set by read_rows
        self._select_when_listed: str | None = None  # a row just saved, once listed
        self.intro_label = QLabel(intro, self)
        self.intro_label.setObjectName("muted")
        self.intro_label.setWordWrap(True)
        layout.addWidget(self.intro_label)
        self.buttons = QHBoxLayout()
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText(self.tr("Filter"))
        self.filter_edit.setAccessibleName(self.tr("Filter {title}").format(title=title))
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setMaximumWidth(320)
        self.filter_edit.textChanged.connect(self._on_filter_edit_text_changed)
        self.buttons.addWidget(self.filter_edit)
        self.buttons.addStretch(1)
        layout.addLayout(self.buttons)
        self.table = QTableView(self)
        self.table.setModel(self.proxy if self.proxy is not None else self.model)
        self.table.setAccessibleName(title)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table for the next control
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.doubleClicked.connect(lambda _index: self.activate_current())
        enter = QShortcut(QKeySequence(Qt.Key.Key_Return), self.table)
        enter.setContext(Qt.ShortcutContext.WidgetShortcut)
        enter.activated.connect(self.activate_current)
        layout.addWidget(self.table, 1)
        self.archived_box: QCheckBox | None = None
        if self.REMOVES:
            self._add_removal_actions()

    # -- delete and archive -----------------------------------------------------------------

    def _add_removal_actions(self) -> None:
        if self.SHOW_ARCHIVED_BOX:
            self.archived_box = QCheckBox(self.tr("Show archived"), self)
            self.archived_box.setToolTip(self.tr("List archived rows too, marked (archived)"))
            self.archived_box.toggled.connect(self._on_archived_box_toggled)
            # Under the list: the row of buttons above is as wide as a small screen allows.
            self.column.addWidget(self.archived_box, 0, Qt.AlignmentFlag.AlignLeft)
        self.delete_action = QAction(self.tr("Delete…"), self)
        self.delete_action.triggered.connect(self.delete_current)
        self.archive_action = QAction(self.tr("Archive"), self)
        self.archive_action.triggered.connect(self.toggle_archived)
        key = shortcuts.DELETE_PERSON if self.REMOVES == "people" else shortcuts.DELETE_CYCLE
        shortcuts.bind(key, self.table, self.delete_current,
                       context=Qt.ShortcutContext.WidgetShortcut)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._on_table_context_menu_requested)

    @property
    def show_archived(self) -> bool:
        return self.archived_box is not None and self.archived_box.isChecked()

    def _on_archived_box_toggled(self, _checked: bool) -> None:
        if self.backend is not None:
            self.reload()

    def _on_table_context_menu_requested(self, pos: QPoint) -> None:
        row = self.current_row()
        if row is None or self.backend is None:
            return
        self.archive_action.setText(self.tr("Unarchive") if row.archived
                                    else self.tr("Archive"))
        menu = QMenu(self)
        # What other parts of the window put on the rows (Send… to a colleague) comes first.
        if self.table.actions():
            menu.addActions(self.table.actions())
            menu.addSeparator()
        menu.addAction(self.archive_action)
        menu.addAction(self.delete_action)
        menu.exec(self.table.viewport().mapToGlobal(pos))
        menu.deleteLater()

    def delete_current(self) -> None:
        """Ask, then delete the selected row (Delete key, context menu); Undo is offered."""
        row = self.current_row()
        if row is None or self.backend is None:
            return
        from observe_app.gui.removal import ask_delete

        view = ask_delete(self, self.backend, self.REMOVES, row.id)
        if view is not None:
            self.removed.emit(view)

    def toggle_archived(self) -> None:
        """Archive the selected row (hidden from lists), or unarchive an archived one."""
        row = self.current_row()
        if row is None or self.backend is None:
            return
        from observe_app.gui.removal import set_archived

        if set_archived(self, self.backend, self.REMOVES, row.id, not row.archived):
            self.status_said.emit(self.archived_message(row, not row.archived))

    def archived_message(self, row: Any, archived: bool) -> str:
        """What the status bar says after (un)archiving `row`."""
        return ""

    def add_button(self, text: str, slot: Callable[[], object], *, primary: bool = False,
                   key: shortcuts.Shortcut | None = None) -> QPushButton:
        button = QPushButton(f"{text}  {key.label()}" if key else text, self)
        if primary:
            button.setObjectName("primaryButton")
        button.clicked.connect(slot)
        if key:
            shortcuts.bind(key, self, slot)
        self.buttons.addWidget(button)
        return button

    def current_row(self) -> Any:
        index = self.table.currentIndex()
        return index.data(ROW_ROLE) if index.isValid() else None

    def select_id(self, row_id: str, *, focus: bool = True) -> None:
        row = self.model.find_row(row_id)
        if row < 0:
            row = self.load_row(row_id)
        if row < 0:
            return
        if self.proxy is not None:
            row = self.proxy.mapFromSource(self.model.index(row, 0)).row()
        self.table.selectRow(row)
        if focus:
            self.table.setFocus()

    def load_row(self, row_id: str) -> int:
        """The model row of `row_id` once loaded, for a model that pages; -1 if not listed."""
        return -1

    def _on_filter_edit_text_changed(self, text: str) -> None:
        if self.proxy is not None:
            self.proxy.setFilterFixedString(text)
        else:
            self._filter_timer.start()

    def _on_filter_timer_timeout(self) -> None:
        self.apply_filter(self.filter_edit.text())

    def apply_filter(self, text: str) -> None:
        """Filter a paging model's rows in the database (a proxy filters the others)."""

    def attach(self, backend: Backend) -> None:
        self.backend = backend
        self.current.follow(backend)
        self.reload()

    def reload(self) -> None:
        raise NotImplementedError

    def _on_data_changed(self) -> None:
        """Refresh, keeping the row the person was on."""
        if self._rows_query is not None:
            self.reload()  # read on a worker: the row is kept when the rows come (_show_rows)
            return
        row = self.current_row()
        self.reload()
        if row is not None:  # loaded again as far as it is, however far down the list
            self.select_id(row.id, focus=False)

    # -- a whole list read on a worker (Teachers, Protocols) --------------------------------

    def read_rows(self, read: Callable[[], list[Any]]) -> None:
        """Read the page's rows on a worker; only the newest answer is shown. The row the
        person was on, or one just saved (select_when_listed), is selected when they come."""
        if self._rows_query is None:
            self._rows_query = LatestOnly(self)
        self._rows_query.run(read, self._show_rows, self._on_rows_read_failed)

    def _on_rows_read_failed(self, error: ObserveError) -> None:
        self._select_when_listed = None  # a later read, for another reason, must not jump
        self.show_read_problem(error)

    def select_when_listed(self, row_id: str) -> None:
        """Select `row_id` once the list holds it (it is read again after a save)."""
        waiting = self._rows_query is not None and self._rows_query.running
        if waiting or self.model.find_row(row_id) < 0:
            self._select_when_listed = row_id
        else:
            self.select_id(row_id)

    def _show_rows(self, rows: list[Any]) -> None:
        self.intro_label.setText(self._intro)  # a read that failed before is over
        current = self.current_row()
        chosen, self._select_when_listed = self._select_when_listed, None
        keep = chosen or (current.id if current is not None else None)
        self.model.set_rows(rows)
        if keep is not None and self.model.find_row(keep) >= 0:
            # To the row just saved, unless the person has gone on to type in the filter.
            self.select_id(keep, focus=keep == chosen and not self.filter_edit.hasFocus())
        else:
            self.no_row_kept()

    def no_row_kept(self) -> None:
        """After a read, when no row was selected before (nor kept)."""

    def show_read_problem(self, error: ObserveError) -> None:
        """A read that failed: said in place of the page's introduction until one works."""
        self.intro_label.setText(self.tr("Not read: {problem}").format(problem=error.sentence()))

    def activate_current(self) -> None:
        """What Enter or a double-click does on a row."""

    def fit_columns(self, widths: dict[int, int]) -> None:
        for column, width in widths.items():
            self.table.setColumnWidth(column, width)

    def start_observation(self) -> None:
        cycle = self.current_row()
        if cycle is None or self.backend is None:
            return
        from observe_app.gui.dialogs import StartObservationDialog  # not needed for first paint

        dialog = StartObservationDialog(self.backend, cycle, self)
        if dialog.exec() and dialog.result_view is not None:
            self.observation_started.emit(dialog.result_view.id)

    def plan_cycle(self, teacher_id: str | None = None) -> None:
        if self.backend is None:
            return
        from observe_app.gui.dialogs import CycleDialog

        dialog = CycleDialog(self.backend, teacher_id, self)
        if dialog.exec() and dialog.result_view is not None:
            self.select_id(dialog.result_view.id)


class CyclesPage(ListPage):
    """Every cycle, in any stage."""

    STAGES: tuple[CycleStage, ...] = tuple(CycleStage)
    model: CyclesTableModel
    SHOWS = Data.CYCLES | Data.VISITS | Data.PEOPLE | Data.PROTOCOLS
    REMOVES = "cycles"
    SHOW_ARCHIVED_BOX = True

    def __init__(self, parent: QWidget | None = None, *, title: str = "", intro: str = "") -> None:
        super().__init__(title or _tr("CyclesPage", "Cycles"), intro or _tr(
            "CyclesPage", "Every observation cycle: pre-conference, observation, "
            "post-conference, reflection, closed."), CyclesTableModel(), parent, in_memory=False)
        self.model.setParent(self)
        self.add_button(self.tr("Plan a cycle…"), lambda: self.plan_cycle(),
                        key=shortcuts.PLAN_CYCLE)
        self.open_button = self.add_button(self.tr("Open cycle"), self.open_cycle)
        self.open_button.setToolTip(self.tr("Review the cycle: ratings, feedback, goals (Enter)"))
        self.start_button = self.add_button(self.tr("Start observation…"), self.start_observation,
                                            primary=True, key=shortcuts.START_OBSERVATION)
        C = CyclesTableModel.Column
        self.fit_columns({C.DATE: 100, C.TEACHER: 160, C.OBSERVER: 160, C.PROTOCOL: 200,
                          C.STAGE: 120, C.VISITS: 60})
        self.table.sortByColumn(C.DATE, Qt.SortOrder.DescendingOrder)

    def reload(self) -> None:
        # A page at a time, sorted and filtered by the database: a school's years of cycles
        # (100,000 of them) open as fast as a term's.
        assert self.backend is not None  # pages load once attached
        self.model.set_source(self._cycles_page)

    def show_first_rows(self, read: Callable[..., Sequence[CycleSummary]]) -> None:
        """The first rows before the page is attached, when it shows its first sort (newest
        first, no filter): what `read(stages=, limit=)` gives (see MainWindow.show_first_rows)."""
        if self.backend is None and self.model.query() == FIRST_SORT:
            self.model.set_rows(read(stages=self.STAGES, limit=self.model.PAGE))

    def _cycles_page(self, **query: Any) -> list[CycleSummary]:
        assert self.backend is not None
        return self.backend.cycles.page_cycles(stages=self.STAGES,
                                               include_archived=self.show_archived, **query)

    def apply_filter(self, text: str) -> None:
        self.model.set_filter_text(text)
        self.show_empty()

    def show_empty(self) -> None:
        """Say what to do when nothing is listed (the Observe page does)."""

    def load_row(self, row_id: str) -> int:
        if self.backend is None:
            return -1
        position = self.backend.cycles.cycle_position(row_id, stages=self.STAGES,
                                                      include_archived=self.show_archived,
                                                      **self.model.query())
        if position is None:
            return -1
        self.model.load_through(position)
        return self.model.find_row(row_id)

    def activate_current(self) -> None:
        self.open_cycle()

    def archived_message(self, row: Any, archived: bool) -> str:
        if archived:
            return self.tr("Archived the cycle of {teacher}: it is kept in their growth, and "
                           "listed again with Show archived.").format(teacher=row.teacher_name)
        return self.tr("The cycle of {teacher} is listed again.").format(
            teacher=row.teacher_name)

    def open_cycle(self) -> None:
        cycle = self.current_row()
        if cycle is not None:
            self.cycle_opened.emit(cycle.id)


class ObservePage(CyclesPage):
    """Where a visit begins: the cycles waiting for an observation, and visits left open."""

    STAGES = (CycleStage.PRE_CONFERENCE, CycleStage.OBSERVATION)
    SHOW_ARCHIVED_BOX = False  # what waits to be observed: archived cycles never do

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, title=_tr("ObservePage", "Observe"), intro=_tr(
            "ObservePage", "Choose a planned cycle and start observing: the clock starts, and "
            "every note is saved the moment you press Enter."))
        self.resume_bar = QWidget(self)
        bar = QHBoxLayout(self.resume_bar)
        bar.setContentsMargins(0, 0, 0, 0)
        self.resume_label = QLabel(self.resume_bar)
        self.resume_label.setObjectName("notice")
        self.resume_label.setWordWrap(True)
        self.resume_list = QListWidget(self.resume_bar)
        self.resume_list.setAccessibleName(self.tr("Observations not ended"))
        self.resume_list.itemActivated.connect(lambda _item: self.resume_selected())
        self.resume_button = QPushButton(self.tr("Resume…  {key}").format(
            key=shortcuts.RESUME_VISIT.label()), self.resume_bar)
        self.resume_button.setObjectName("primaryButton")
        self.resume_button.clicked.connect(self._on_resume_button_clicked)
        shortcuts.bind(shortcuts.RESUME_VISIT, self, self.resume_selected)
        column = QVBoxLayout()
        column.addWidget(self.resume_label)
        column.addWidget(self.resume_list)
        bar.addLayout(column, 1)
        bar.addWidget(self.resume_button, 0, Qt.AlignmentFlag.AlignTop)
        self.resume_dialog: ResumeDialog | None = None
        self.column.insertWidget(2, self.resume_bar)
        self.resume_bar.hide()
        self.empty_label = QLabel(self.tr(
            "No cycle is waiting for an observation. Add colleagues on the Teachers page "
            "(Alt+T), then plan a cycle here with Ctrl+Shift+P."), self)
        self.empty_label.setObjectName("notice")
        self.empty_label.setWordWrap(True)
        self.empty_label.hide()
        self.column.insertWidget(4, self.empty_label)
        self._open: list[UnfinishedVisit] = []

    def activate_current(self) -> None:
        cycle = self.current_row()
        if cycle is not None and cycle.stage != CycleStage.CLOSED:
            self.start_observation()

    def start_observation(self) -> None:
        """A cycle whose visit was left open is resumed, never given a second visit."""
        cycle = self.current_row()
        open_rows = [n for n, v in enumerate(self._open) if cycle and v.cycle_id == cycle.id]
        if open_rows:
            self.resume_list.setCurrentRow(open_rows[0])
            self.resume_selected()
            return
        super().start_observation()

    def show_empty(self) -> None:
        # "Nothing waits" only when nothing does: not when the filter hides what waits.
        self.empty_label.setVisible(self.model.rowCount() == 0
                                    and not self.filter_edit.text().strip())

    def reload(self) -> None:
        super().reload()
        self.show_empty()
        from observe_app.gui.resume_dialog import how_long_ago, local_when

        assert self.backend is not None
        self._open = self.backend.observations.list_unfinished_visits()
        self.resume_list.clear()
        if not self._open or self.backend.read_only:  # read-only: nothing could be resumed
            self.resume_bar.hide()
            return
        now = self.backend.clock.now()
        for visit in self._open:
            what = " · ".join(p for p in (visit.teacher_name, visit.subject) if p)
            QListWidgetItem(self.tr("{what} · began {when} ({ago})").format(
                what=what, when=local_when(visit.started_at),
                ago=how_long_ago(visit.started_at, now)), self.resume_list)
        self.resume_list.setCurrentRow(0)
        rows = min(len(self._open), 4)
        self.resume_list.setFixedHeight(self.resume_list.sizeHintForRow(0) * rows
                                        + 2 * self.resume_list.frameWidth())
        self.resume_label.setText(self.tr(
            "These observations were not ended. Resume one to end it at its last note or go "
            "on observing; anything you were typing is kept.") if len(self._open) > 1
            else self.tr("This observation was not ended. Resume it to end it at its last note "
                         "or go on observing; anything you were typing is kept."))
        self.resume_bar.show()

    def _on_resume_button_clicked(self) -> None:
        self.resume_selected()

    def resume_selected(self) -> None:
        """Ask how to resume the visit chosen in the list (Ctrl+R, Enter on it, the button)."""
        row = self.resume_list.currentRow()
        if not self._open or self.backend is None or self.resume_dialog is not None:
            return
        from observe_app.gui.resume_dialog import ResumeDialog

        visit = self._open[max(row, 0)]
        self.resume_dialog = ResumeDialog(visit, self.backend.clock.now(), self)
        self.resume_dialog.finished.connect(lambda _r, v=visit: self._on_resume_dialog_finished(v))
        self.resume_dialog.open()

    def _on_resume_dialog_finished(self, visit: UnfinishedVisit) -> None:
        dialog, self.resume_dialog = self.resume_dialog, None
        assert dialog is not None and self.backend is not None  # the dialog just finished
        dialog.deleteLater()
        from observe_app.errors import ObserveError

        try:
            if dialog.choice == dialog.GO_ON:
                self.backend.observations.go_on_after_gap(visit.id, now=self.backend.clock.now())
            elif dialog.choice == dialog.END:
                self.backend.observations.end_at_last_note(visit.id)
        except ObserveError as exc:  # a locked or read-only database: the visit stays open
            QMessageBox.warning(self, self.tr("Resume observation"), exc.sentence())
            return
        if dialog.choice == dialog.GO_ON:
            self.observation_started.emit(visit.id)
        elif dialog.choice == dialog.END:
            self.observation_ended.emit(visit.id)  # the automatic backup, as after any visit
            self.cycle_opened.emit(visit.cycle_id)  # the visit is over: on to its review


class TeachersPage(ListPage):
    """The people of the school: add, edit, plan a cycle for one of them."""

    SHOWS = Data.PEOPLE | Data.CYCLES  # each person's count of cycles
    REMOVES = "people"
    SHOW_ARCHIVED_BOX = True

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_tr("TeachersPage", "Teachers"), _tr(
            "TeachersPage", "Teachers, mentors and coaches. Double-click a person to edit them."),
            PeopleTableModel(), parent)
        self.model.setParent(self)
        self.add_button(self.tr("Add a person…"), self.add_person, key=shortcuts.ADD_PERSON)
        self.add_button(self.tr("Edit…"), self.activate_current)
        self.add_button(self.tr("Growth and cycles…"), self._on_growth_button_clicked,
                        key=shortcuts.GROWTH)
        # In the rows' context menu: the row of buttons is as wide as a small screen allows.
        self.calibration_action = QAction(self.tr("Calibration as an observer…"), self.table)
        self.calibration_action.setToolTip(self.tr(
            "How far this person's levels agreed with their co-observers', lesson by lesson"))
        self.calibration_action.triggered.connect(self.show_calibration)
        self.table.addAction(self.calibration_action)
        self.calibration_dialog: QDialog | None = None
        self.seating_action = QAction(self.tr("Seating charts…"), self.table)
        self.seating_action.setToolTip(self.tr(
            "This person's classes as they sit, kept for each class and room on this laptop"))
        self.seating_action.triggered.connect(self.show_seating_charts)
        self.table.addAction(self.seating_action)
        self.seating_dialog: QDialog | None = None
        self.add_button(self.tr("Plan a cycle…"), self._on_plan_button_clicked,
                        primary=True, key=shortcuts.PLAN_FOR_TEACHER)
        C = PeopleTableModel.Column
        self.fit_columns({C.NAME: 200, C.ROLE: 90, C.SUBJECT: 150, C.CAREER_STAGE: 120,
                          C.MENTOR: 180})
        self.table.sortByColumn(C.NAME, Qt.SortOrder.AscendingOrder)

    def reload(self) -> None:
        assert self.backend is not None
        # The whole staff, with each person's count of cycles: read on a worker.
        list_people, archived = self.backend.people.list_people, self.show_archived
        self.read_rows(lambda: list_people(include_archived=archived))

    def archived_message(self, row: Any, archived: bool) -> str:
        if archived:
            return self.tr("Archived {name}: their cycles and growth are kept; Show archived "
                           "lists them again.").format(name=row.name)
        return self.tr("{name} is listed again.").format(name=row.name)

    def add_person(self) -> None:
        if self.backend is None:  # the key pressed before the data has loaded
            return
        from observe_app.gui.dialogs import PersonDialog

        dialog = PersonDialog(self.backend, None, self)
        if dialog.exec() and dialog.result_view is not None:
            self.select_when_listed(dialog.result_view.id)

    def activate_current(self) -> None:
        person = self.current_row()
        if person is None or self.backend is None:
            return
        from observe_app.gui.dialogs import PersonDialog

        dialog = PersonDialog(self.backend, self.backend.people.get_person(person.id), self)
        if dialog.exec():
            self.select_when_listed(person.id)

    def _on_plan_button_clicked(self) -> None:
        person = self.current_row()
        self.plan_cycle(person.id if person else None)

    def show_calibration(self) -> None:
        """The selected person's agreement with their co-observers, lesson by lesson."""
        person = self.current_row()
        if person is None or self.backend is None:
            return
        from observe_app.gui.calibration_dialog import ObserverCalibrationDialog

        if self.calibration_dialog is not None:
            self.calibration_dialog.close()
        dialog = ObserverCalibrationDialog(self.backend, person.id, person.name, self)
        dialog.finished.connect(dialog.deleteLater)
        dialog.finished.connect(self._on_calibration_dialog_finished)
        self.calibration_dialog = dialog
        dialog.open()

    def _on_calibration_dialog_finished(self, _result: int) -> None:
        self.calibration_dialog = None

    def show_seating_charts(self) -> None:
        """The selected person's seating charts: open one, or start one for a class."""
        person = self.current_row()
        if person is None or self.backend is None:
            return
        from observe_app.gui.seating_charts_dialog import SeatingChartsDialog

        if self.seating_dialog is not None:
            self.seating_dialog.close()
        dialog = SeatingChartsDialog(self.backend, person.id, person.name, self)
        dialog.finished.connect(dialog.deleteLater)
        dialog.finished.connect(self._on_seating_dialog_finished)
        self.seating_dialog = dialog
        dialog.open()

    def _on_seating_dialog_finished(self, _result: int) -> None:
        self.seating_dialog = None

    def _on_growth_button_clicked(self) -> None:
        person = self.current_row()
        if person is not None:
            self.growth_opened.emit(person.id)
