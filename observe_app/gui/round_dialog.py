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

from PySide6.QtCore import QDate, Qt, Signal
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
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from observe_app.domain import limits
from observe_app.gui.calendar_actions import (
    CalendarExport,
    calendar_words,
    export_calendar,
    problem_sentence,
)
from observe_app.gui.dialogs import ERROR_STYLE
from observe_app.gui.queries import LatestOnly
from observe_app.gui.round_pairings import PairingsView
from observe_app.gui.tasks import run_in_background

if TYPE_CHECKING:
    from observe_app.gui.backend import Backend
    from observe_app.services.exchange import SentPackage
    from observe_app.services.people import PersonView
    from observe_app.services.protocols import ProtocolSummary
    from observe_app.services.rounds import Proposal

__all__ = ["RoundDialog", "export_calendar", "plan_round"]

WARNING_STYLE = "color: #6b4e00; background: #fff6dd; border-radius: 4px; padding: 6px;"


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


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
        self.pairings = PairingsView(self)
        self.pairings.changed.connect(self._on_pairings_changed)
        right.addWidget(self.pairings, 1)
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
        if self.pairs() and not self.cycle_ids:
            outdated = self._outdated()
            self.create_button.setEnabled(not outdated)
            if outdated:
                self.warnings_label.setText(self.tr(
                    "The teachers chosen have changed since the pairings were proposed: "
                    "propose pairings again before creating the cycles."))
                self.warnings_label.show()

    def _outdated(self) -> bool:
        """The pairings shown are not of the teachers ticked now."""
        return {observer for observer, _teacher in self.pairs()} != set(self.chosen_ids())

    def propose(self) -> None:
        if not self.ready or self.cycle_ids:
            return
        ids, across = self.chosen_ids(), self.across_check.isChecked()
        rounds = self._backend.rounds
        self.error_label.hide()
        self._proposal.run(lambda: rounds.propose_pairings(ids, across_subjects=across),
                           self._show_proposal, self._show_problem)

    def _show_proposal(self, proposal: Proposal) -> None:
        self.pairings.show_pairings(proposal.pairings, self._shown, self.propose_button,
                                    self.create_button)
        self._show_warnings(proposal.warnings)
        self.create_button.setEnabled(True)
        self.create_button.setDefault(True)

    def _shown(self, pid: str) -> str:
        person = self._people.get(pid)
        if person is None:
            return pid
        return f"{person.name} ({person.subject})" if person.subject else person.name

    def pairing_combos(self) -> list[QComboBox]:
        """Each observer's choice of whom they observe, in the rows' order."""
        return self.pairings.combos()

    def pairs(self) -> list[tuple[str, str]]:
        return self.pairings.pairs()

    def _on_pairings_changed(self) -> None:
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
        if not self.pairs() or self.cycle_ids or not self.create_button.isEnabled() \
                or self._outdated():
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
                       self.last_edit, self.focus_edit, *self.pairing_combos()):
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
        self.error_label.setText(exc if isinstance(exc, str) else problem_sentence(exc))
        self.error_label.show()
