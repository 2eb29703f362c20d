"""Plan a round of peer observations: teachers, protocol and dates; the pairings Observe
proposes, adjusted row by row; then the cycles, a package for each observer, and the calendar.

`plan_round(parent, backend)` and `export_calendar(parent, backend)` are the ways in (the
School menu; later the School page). Every read and write runs on a worker.
"""

from __future__ import annotations

import datetime as dt
import getpass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from observe_app.domain import limits
from observe_app.errors import ObserveError
from observe_app.gui.dialogs import ERROR_STYLE
from observe_app.gui.queries import LatestOnly
from observe_app.gui.tasks import run_in_background

if TYPE_CHECKING:
    from observe_app.gui.backend import Backend
    from observe_app.services.calendar_export import CalendarSummary
    from observe_app.services.exchange import SentPackage
    from observe_app.services.people import PersonView
    from observe_app.services.protocols import ProtocolSummary
    from observe_app.services.rounds import Proposal

WARNING_STYLE = "color: #6b4e00; background: #fff6dd; border-radius: 4px; padding: 6px;"


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


def _sentence(exc: BaseException) -> str:
    if isinstance(exc, ObserveError):
        return exc.sentence()
    raise exc  # a bug: to the crash dialog


class CalendarExport(QObject):
    """Writes the calendar on a worker; `done(summary)` or `failed(sentence)` follows."""

    done = Signal(object)
    failed = Signal(str)

    def __init__(self, backend: Backend, parent: QObject) -> None:
        super().__init__(parent)
        self._backend = backend

    def ask_path(self, parent: QWidget) -> str:
        """The file to write ('' when the person cancels); tests replace this question."""
        suggested = Path.home() / f"observe-calendar-{dt.date.today().isoformat()}.ics"
        path, _ = QFileDialog.getSaveFileName(parent, self.tr("Export calendar"),
                                              str(suggested),
                                              self.tr("Calendar files (*.ics)"))
        if path and not path.lower().endswith(".ics"):
            path += ".ics"
        return path

    def start(self, path: str) -> None:
        calendar = self._backend.calendar
        run_in_background(lambda: calendar.export_calendar(Path(path)), self.done.emit,
                          lambda exc: self.failed.emit(_sentence(exc)), context=self)


def export_calendar(parent: QWidget, backend: Backend) -> CalendarExport | None:
    """Ask for a file and write the calendar there; a message box says how it went."""
    export = CalendarExport(backend, parent)
    path = export.ask_path(parent)
    if not path:
        export.deleteLater()
        return None

    def tell(title: str, text: str, icon: QMessageBox.Icon) -> None:
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()  # not exec(): the window goes on while it is shown
        export.deleteLater()

    export.done.connect(lambda summary: tell(
        export.tr("Calendar exported"), calendar_words(export, summary),
        QMessageBox.Icon.Information))
    export.failed.connect(lambda sentence: tell(
        export.tr("Calendar not exported"), sentence, QMessageBox.Icon.Warning))
    export.start(path)
    return export


def calendar_words(source: QObject, summary: CalendarSummary) -> str:
    return source.tr("{count} events written to {path} ({new} new, {changed} changed). "
                     "Import the file into a calendar: events exported before are updated, "
                     "not added twice.").format(count=summary.events, path=summary.path,
                                                new=summary.new, changed=summary.changed)


def plan_round(parent: QWidget, backend: Backend) -> RoundDialog:
    """Open the dialog (window-modal, not blocking) and return it."""
    dialog = RoundDialog(backend, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


class RoundDialog(QDialog):
    """Choose, propose, adjust, create; then send and export."""

    created = Signal(list)  # the new cycles' ids

    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._backend = backend
        self.setWindowTitle(self.tr("Plan a round of peer observations"))
        self.ready = False  # the teachers and protocols have arrived
        self.cycle_ids: list[str] = []
        self._people: dict[str, PersonView] = {}
        self._protocols: list[ProtocolSummary] = []
        self._rows: list[tuple[str, QComboBox]] = []  # observer id, who they observe
        self._lists: LatestOnly[Any] = LatestOnly(self)
        self._proposal: LatestOnly[Proposal] = LatestOnly(self)
        self._check: LatestOnly[tuple[str, ...]] = LatestOnly(self)
        self.calendar = CalendarExport(backend, self)
        self.calendar.done.connect(lambda s: self._say(calendar_words(self, s)))
        self.calendar.failed.connect(self._show_problem)
        self._build()
        today = backend.clock.now().astimezone().date()
        monday = today + dt.timedelta(days=7 - today.weekday())
        self.first_edit.setDate(_qdate(monday))
        self.last_edit.setDate(_qdate(monday + dt.timedelta(days=11)))
        people, protocols = backend.people.list_people, backend.protocols.list_protocols
        self._lists.run(lambda: (people(), protocols()), self._fill, self._show_problem)
        screen = (parent.screen() if parent is not None else self.screen()).availableGeometry()
        self.resize(min(880, screen.width() - 40), min(560, screen.height() - 60))

    # -- building --------------------------------------------------------------------------

    def _build(self) -> None:
        top = QHBoxLayout()
        left = QVBoxLayout()
        self.teacher_list = QListWidget(self)
        self.teacher_list.setAccessibleName(self.tr("Teachers in the round"))
        self.teacher_list.setMinimumWidth(220)
        self.teacher_list.itemChanged.connect(self._on_teacher_list_item_changed)
        left.addWidget(self._buddy(self.tr("&Teachers in the round"), self.teacher_list))
        left.addWidget(self.teacher_list, 1)
        row = QHBoxLayout()
        self.select_all_button = QPushButton(self.tr("Select &all"), self)
        self.select_all_button.clicked.connect(self._on_select_all_button_clicked)
        self.chosen_label = QLabel(self)
        self.chosen_label.setObjectName("muted")
        row.addWidget(self.select_all_button)
        row.addWidget(self.chosen_label, 1)
        left.addLayout(row)
        top.addLayout(left)

        right = QVBoxLayout()
        form = QGridLayout()
        self.protocol_combo = QComboBox(self)
        self.first_edit, self.last_edit = QDateEdit(self), QDateEdit(self)
        for edit in (self.first_edit, self.last_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("ddd d MMM yyyy")
        self.focus_edit = QLineEdit(self)
        self.focus_edit.setMaxLength(limits.FOCUS)
        self.focus_edit.setPlaceholderText(self.tr("Agreed for the whole round (optional)"))
        self.across_check = QCheckBox(self.tr("Across &subjects"), self)
        self.across_check.setToolTip(self.tr("Pair colleagues who teach different subjects "
                                             "wherever the group allows"))
        self.propose_button = QPushButton(self.tr("P&ropose pairings"), self)
        self.propose_button.clicked.connect(self.propose)
        form.addWidget(self._buddy(self.tr("&Protocol"), self.protocol_combo), 0, 0)
        form.addWidget(self.protocol_combo, 0, 1, 1, 3)
        form.addWidget(self._buddy(self.tr("&First visit"), self.first_edit), 1, 0)
        form.addWidget(self.first_edit, 1, 1)
        form.addWidget(self._buddy(self.tr("&Last visit"), self.last_edit), 1, 2)
        form.addWidget(self.last_edit, 1, 3)
        form.addWidget(self._buddy(self.tr("F&ocus"), self.focus_edit), 2, 0)
        form.addWidget(self.focus_edit, 2, 1, 1, 3)
        form.addWidget(self.across_check, 3, 1, 1, 2)
        form.addWidget(self.propose_button, 3, 3)
        form.setColumnStretch(1, 1)
        form.setColumnStretch(3, 1)
        right.addLayout(form)
        self.pairings_area = QScrollArea(self)
        self.pairings_area.setWidgetResizable(True)
        # The rows fit the width (long names are cut in the combo): never a sideways scroll.
        self.pairings_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.pairings_area.setAccessibleName(self.tr("Pairings"))
        self.pairings_widget = QWidget(self.pairings_area)
        self.pairings_grid = QGridLayout(self.pairings_widget)
        self.pairings_grid.setColumnStretch(1, 1)
        self.pairings_area.setWidget(self.pairings_widget)
        right.addWidget(self.pairings_area, 1)
        self.warnings_label = self._note(WARNING_STYLE)
        self.error_label = self._note(ERROR_STYLE)
        self.done_label = self._note("")
        for label in (self.warnings_label, self.error_label, self.done_label):
            right.addWidget(label)
        top.addLayout(right, 1)

        buttons = QHBoxLayout()
        self.send_button = QPushButton(self.tr("Se&nd packages to observers…"), self)
        self.send_button.setEnabled(False)
        self.send_button.clicked.connect(self.send_packages)
        self.calendar_button = QPushButton(self.tr("Export calen&dar…"), self)
        self.calendar_button.clicked.connect(self._on_calendar_button_clicked)
        self.create_button = QPushButton(self.tr("&Create cycles"), self)
        self.create_button.setObjectName("primaryButton")
        # The primary look says "press me": not while there is nothing to create.
        self.create_button.setStyleSheet("QPushButton:disabled { background: #c9d3db; "
                                         "border-color: #c9d3db; color: #f5f6f8; }")
        self.create_button.setEnabled(False)
        self.create_button.clicked.connect(self.create_cycles)
        close = QPushButton(self.tr("Close"), self)
        close.clicked.connect(self.reject)
        for button in (self.send_button, self.calendar_button):
            buttons.addWidget(button)
            button.setAutoDefault(False)
        buttons.addStretch(1)
        buttons.addWidget(self.create_button)
        buttons.addWidget(close)
        close.setAutoDefault(False)
        self.propose_button.setAutoDefault(False)
        self.select_all_button.setAutoDefault(False)
        column = QVBoxLayout(self)
        column.addLayout(top, 1)
        column.addLayout(buttons)
        self._show_pairings_hint()

    def _buddy(self, text: str, widget: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setBuddy(widget)
        return label

    def _note(self, style: str) -> QLabel:
        label = QLabel(self)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        if style:
            label.setStyleSheet(style)
        label.hide()
        return label

    def _fill(self, lists: tuple[list[PersonView], list[ProtocolSummary]]) -> None:
        from observe_app.domain.enums import Role

        everyone, protocols = lists
        self.teacher_list.blockSignals(True)
        for person in everyone:
            if person.role == Role.LEADER:
                continue  # leaders walk the school; they are not on its timetable here
            self._people[person.id] = person
            shown = f"{person.name} · {person.subject}" if person.subject else person.name
            item = QListWidgetItem(shown, self.teacher_list)
            item.setData(Qt.ItemDataRole.UserRole, person.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.teacher_list.blockSignals(False)
        self.teacher_list.setCurrentRow(0)
        self._protocols = [p for p in protocols if not p.retired]
        for protocol in self._protocols:
            self.protocol_combo.addItem(protocol.name, protocol.id)
        peer = self.protocol_combo.findData(
            next((p.id for p in self._protocols if p.slug == "peer-observation"), None))
        self.protocol_combo.setCurrentIndex(max(peer, 0))
        self._count_chosen()
        self.ready = True

    # -- choosing and proposing ------------------------------------------------------------

    def chosen_ids(self) -> list[str]:
        items = (self.teacher_list.item(n) for n in range(self.teacher_list.count()))
        return [item.data(Qt.ItemDataRole.UserRole) for item in items
                if item is not None and item.checkState() == Qt.CheckState.Checked]

    def _on_select_all_button_clicked(self) -> None:
        every = len(self.chosen_ids()) < self.teacher_list.count()
        state = Qt.CheckState.Checked if every else Qt.CheckState.Unchecked
        self.teacher_list.blockSignals(True)
        for n in range(self.teacher_list.count()):
            item = self.teacher_list.item(n)
            if item is not None:
                item.setCheckState(state)
        self.teacher_list.blockSignals(False)
        self._count_chosen()

    def _on_teacher_list_item_changed(self, _item: QListWidgetItem) -> None:
        self._count_chosen()

    def _count_chosen(self) -> None:
        chosen, total = len(self.chosen_ids()), self.teacher_list.count()
        self.chosen_label.setText(self.tr("{chosen} of {total} chosen").format(
            chosen=chosen, total=total))
        self.select_all_button.setText(self.tr("Select &none") if total and chosen == total
                                       else self.tr("Select &all"))

    def propose(self) -> None:
        if not self.ready or self.cycle_ids:
            return
        ids, across = self.chosen_ids(), self.across_check.isChecked()
        rounds = self._backend.rounds
        self.error_label.hide()
        self._proposal.run(lambda: rounds.propose_pairings(ids, across_subjects=across),
                           self._show_proposal, self._show_problem)

    def _show_proposal(self, proposal: Proposal) -> None:
        self._clear_rows()
        grid = self.pairings_grid
        for column, text in enumerate((self.tr("Observer"), self.tr("Observes"))):
            head = QLabel(f"<b>{text}</b>", self.pairings_widget)
            grid.addWidget(head, 0, column)
        chosen = [p.observer_id for p in proposal.pairings]
        previous: QWidget = self.propose_button
        for n, pairing in enumerate(proposal.pairings, start=1):
            observer = QLabel(self._shown(pairing.observer_id), self.pairings_widget)
            combo = QComboBox(self.pairings_widget)
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(16)
            combo.setAccessibleName(self.tr("Who {observer} observes").format(
                observer=pairing.observer_name))
            for pid in chosen:
                if pid != pairing.observer_id:
                    combo.addItem(self._shown(pid), pid)
            combo.setCurrentIndex(combo.findData(pairing.teacher_id))
            combo.currentIndexChanged.connect(self._on_pairing_combo_changed)
            observer.setBuddy(combo)
            grid.addWidget(observer, n, 0)
            grid.addWidget(combo, n, 1)
            QWidget.setTabOrder(previous, combo)
            previous = combo
            self._rows.append((pairing.observer_id, combo))
        grid.setRowStretch(len(self._rows) + 1, 1)
        QWidget.setTabOrder(previous, self.create_button)
        self._show_warnings(proposal.warnings)
        self.create_button.setEnabled(True)
        self.create_button.setDefault(True)
        if self._rows:
            self._rows[0][1].setFocus()  # the coordinator goes down the pairings from here

    def _shown(self, pid: str) -> str:
        person = self._people.get(pid)
        if person is None:
            return pid
        return f"{person.name} ({person.subject})" if person.subject else person.name

    def _clear_rows(self) -> None:
        while self.pairings_grid.count():
            taken = self.pairings_grid.takeAt(0)
            widget = taken.widget() if taken is not None else None
            if widget is not None:
                widget.deleteLater()
        self._rows = []

    def _show_pairings_hint(self) -> None:
        hint = QLabel(self.tr("Tick the teachers in the round, then Propose pairings: each "
                              "observes one colleague and is observed by one. You can "
                              "change who each observer visits before the cycles are "
                              "created."), self.pairings_widget)
        hint.setWordWrap(True)
        hint.setObjectName("muted")
        self.pairings_grid.addWidget(hint, 0, 0, 1, 2, Qt.AlignmentFlag.AlignTop)

    def pairing_combos(self) -> list[QComboBox]:
        """Each observer's choice of whom they observe, in the rows' order."""
        return [combo for _observer, combo in self._rows]

    def pairs(self) -> list[tuple[str, str]]:
        return [(observer_id, combo.currentData()) for observer_id, combo in self._rows]

    def _on_pairing_combo_changed(self, _index: int) -> None:
        pairs, across = self.pairs(), self.across_check.isChecked()
        rounds = self._backend.rounds
        self._check.run(lambda: rounds.check_pairings(pairs, across_subjects=across),
                        self._show_warnings, self._show_problem)

    def _show_warnings(self, warnings: tuple[str, ...]) -> None:
        from observe_app.errors import as_sentence

        self.warnings_label.setText("\n".join(as_sentence(w) for w in warnings))
        self.warnings_label.setVisible(bool(warnings))

    # -- creating, sending, the calendar ---------------------------------------------------

    def create_cycles(self) -> None:
        if not self._rows or self.cycle_ids or not self.create_button.isEnabled():
            return
        pairs = self.pairs()
        protocol_id = self.protocol_combo.currentData()
        first, last = _pydate(self.first_edit.date()), _pydate(self.last_edit.date())
        focus = self.focus_edit.text()
        rounds = self._backend.rounds
        self.error_label.hide()
        self.create_button.setEnabled(False)
        self.create_button.setText(self.tr("Creating…"))
        run_in_background(lambda: rounds.create_round(pairs, protocol_id, first, last, focus),
                          self._on_created, self._on_create_failed, context=self)

    def _on_created(self, ids: list[str]) -> None:
        self.cycle_ids = ids
        self.create_button.setText(self.tr("Cycles created"))
        for widget in (self.teacher_list, self.select_all_button, self.propose_button,
                       self.across_check, self.protocol_combo, self.first_edit,
                       self.last_edit, self.focus_edit, *(c for _o, c in self._rows)):
            widget.setEnabled(False)  # the round is made: change a cycle on its own page
        self.send_button.setEnabled(True)
        self.send_button.setFocus()
        self._say(self.tr("{count} cycles planned at their pre-conference, visits from {first} "
                          "to {last}. Send each observer their package, and export the "
                          "calendar.").format(count=len(ids),
                                              first=self.first_edit.text(),
                                              last=self.last_edit.text()))
        self.created.emit(ids)

    def _on_create_failed(self, exc: BaseException) -> None:
        self.create_button.setText(self.tr("&Create cycles"))
        self.create_button.setEnabled(True)
        self._show_problem(exc)

    def ask_folder(self) -> str:
        """The folder for the packages ('' when the person cancels); tests replace this."""
        return QFileDialog.getExistingDirectory(
            self, self.tr("Send packages to observers: choose a folder"), str(Path.home()))

    def send_packages(self) -> None:
        if not self.cycle_ids:
            return
        folder = self.ask_folder()
        if not folder:
            return
        from observe_app.gui.exchange_dialogs import package_file_name
        from observe_app.gui.settings import SENDER_NAME, WindowSettings

        settings = WindowSettings.of(self._backend)
        sender = (settings.get(SENDER_NAME) if settings else "") or getpass.getuser()
        day = _pydate(self.first_edit.date())
        by_observer: dict[str, list[str]] = {}
        for (observer_id, _teacher), cycle_id in zip(self.pairs(), self.cycle_ids, strict=True):
            by_observer.setdefault(observer_id, []).append(cycle_id)
        jobs = [(Path(folder) / package_file_name("round", self._people[o].name, day=day),
                 ids, self.tr("the round's cycles {name} observes").format(
                     name=self._people[o].name)) for o, ids in by_observer.items()]
        exchange = self._backend.exchange

        def send() -> list[SentPackage]:  # on the worker
            return [exchange.send_cycles(ids, path, sender=sender, title=title)
                    for path, ids, title in jobs]

        self.send_button.setEnabled(False)
        run_in_background(send, self._on_sent, self._on_send_failed, context=self)

    def _on_sent(self, sent: list[SentPackage]) -> None:
        self.send_button.setEnabled(True)
        folder = sent[0].path.parent if sent else ""
        self._say(self.tr("{count} packages saved in {folder}, one for each observer: give "
                          "each their own file.").format(count=len(sent), folder=folder))

    def _on_send_failed(self, exc: BaseException) -> None:
        self.send_button.setEnabled(True)
        self._show_problem(exc)

    def _on_calendar_button_clicked(self) -> None:
        path = self.calendar.ask_path(self)
        if path:
            self.calendar.start(path)

    # -- saying what happened --------------------------------------------------------------

    def _say(self, text: str) -> None:
        self.error_label.hide()
        self.done_label.setText(text)
        self.done_label.show()

    def _show_problem(self, exc: BaseException | str) -> None:
        self.error_label.setText(exc if isinstance(exc, str) else _sentence(exc))
        self.error_label.show()
