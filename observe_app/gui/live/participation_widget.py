"""A participation map in the live view: each time a student speaks, a tap on their seat (or
its number typed in the seat box), with the kind of talk; held, the seat or Enter times how
long they talked; a look-for's tag key in the seat box tags the next contribution to it; undo;
the seats laid out from the class's saved chart, or in the seating editor.

Every contribution is shown at once and saved through the panel's pending writes, with an id
made here, so a locked database loses nothing and a retried save cannot log it twice.
"""

from __future__ import annotations

import bisect
import datetime as dt
import uuid
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from observe_app.domain.formats import format_elapsed
from observe_app.errors import BadInputError, ObserveError
from observe_app.gui.kinds.base import key_label
from observe_app.gui.live.next_contribution import NextContributionLabel
from observe_app.gui.live.seat_chart import SeatChart
from observe_app.gui.live.seat_entry import SeatEntry, read_entry
from observe_app.gui.live.talk_types import TalkTypeBar
from observe_app.gui.live.undo import AddContributionCommand, RemoveContributionCommand
from observe_app.gui.style import set_look
from observe_app.live.contribution_box import LetGo
from observe_app.services.participation import ContributionView

if TYPE_CHECKING:
    from observe_app.services.participation import Seat
    from observe_app.services.protocols import ItemView


def add_participation(panel: Any, grid: QGridLayout, row: int, item: ItemView, results: Any,
                      key: str) -> None:
    """The item's label, then its map, across the panel."""
    label = QLabel(item.label, panel.body)
    label.setWordWrap(True)
    label.setToolTip(item.description or item.label)
    grid.addWidget(label, row, 0, 1, -1)
    widget = ParticipationWidget(panel, item, results.seats.get(item.id, ()),
                                 results.contributions.get(item.id, []), key, panel.body)
    panel.participation[item.id] = widget
    grid.addWidget(widget, row + 1, 0, 1, -1)


class ParticipationWidget(QWidget):
    """The chart to tap, the talk types, the seat box, Undo and Seats…, and what was heard."""

    def __init__(self, panel: Any, item: ItemView, seats: Sequence[Seat],
                 heard: Sequence[ContributionView], key: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.panel = panel
        self.item = item
        self.seats: tuple[Seat, ...] = tuple(seats)
        self.labels: dict[int, str] = {}  # this laptop's seat labels (initials), if any
        self.heard: list[ContributionView] = sorted(heard, key=lambda c: c.elapsed_ms)
        self._types = {t.key: t.label for t in item.talk_types}
        self.talk_type = item.talk_types[0].key if item.talk_types else ""
        self._counts: Counter[int] = Counter(c.seat for c in self.heard)
        self._by_type: Counter[tuple[int, str]] = Counter((c.seat, c.talk_type)
                                                          for c in self.heard)
        self._build(key)
        if not self.seats:
            self._seat_from_saved_chart()
        elif panel.backend is not None:
            self._read_labels()
        if self.seats and not self.message.text():
            self._say(self.tr("Click a seat when a student speaks (they volunteered); "
                              "right-click or Shift+click: the teacher called on them."))
        self._show_seats()
        self._show_heard()

    # -- building --------------------------------------------------------------------------------

    def _build(self, key: str) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.setSpacing(6)
        self.empty_box = QWidget(self)
        empty = QHBoxLayout(self.empty_box)
        empty.setContentsMargins(0, 0, 0, 0)
        self.empty_label = QLabel(self.tr("No seats yet for this lesson: lay out the room "
                                          "(rows, tables, or seat by seat) to tap who speaks."),
                                  self.empty_box)
        self.empty_label.setWordWrap(True)
        self.lay_out_button = QPushButton(self.tr("Lay out the seats…"), self.empty_box)
        self.lay_out_button.setObjectName("primaryButton")
        empty.addWidget(self.empty_label, 1)
        empty.addWidget(self.lay_out_button)
        layout.addWidget(self.empty_box)
        self.chart = SeatChart(self)
        self.chart.setAccessibleName(self.tr("Seating chart: {label}").format(
            label=self.item.label))
        self.chart.describe = self._describe_seat
        self.chart.seat_clicked.connect(self._on_chart_seat_clicked)
        layout.addWidget(self.chart)
        layout.addWidget(self._build_talk_types())
        layout.addLayout(self._build_entry_row(key))
        self.next = NextContributionLabel(self._now, self)  # its tag, its seat held down
        layout.addWidget(self.next)
        self.message = QLabel(self)
        self.message.setObjectName("captureMessage")
        self.message.setWordWrap(True)
        self.message.setAccessibleName(self.tr("What the last entry did"))
        layout.addWidget(self.message)
        self.summary = QLabel(self)
        self.summary.setObjectName("muted")
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName(self.tr("Contributions so far"))
        layout.addWidget(self.summary)
        for button in (self.lay_out_button, self.undo_button, self.seats_button):
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # a click keeps the note box
        self.lay_out_button.clicked.connect(self._on_seats_button_clicked)
        self.seats_button.clicked.connect(self._on_seats_button_clicked)
        self.undo_button.clicked.connect(self.undo_last)
        self.entry.entered.connect(self._on_entry_entered)
        self.chart.seat_pressed.connect(self.next.press)
        self.entry.pressed.connect(self.next.press)
        self.next.said.connect(self._on_next_said)

    def _build_talk_types(self) -> TalkTypeBar:
        self.talk_bar = TalkTypeBar(self.item.talk_types, self)
        self.type_buttons = self.talk_bar.buttons
        self.talk_bar.chosen.connect(self.set_talk_type)
        if self.talk_type:
            self.set_talk_type(self.talk_type)
        return self.talk_bar

    def _build_entry_row(self, key: str) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(6)
        self.entry = SeatEntry(self)
        self.entry.setPlaceholderText(self.tr("Seat, e.g. 12 or 12e"))
        self.entry.setAccessibleName(self.tr("Seat number for {label}").format(
            label=self.item.label))
        self.entry.setToolTip(self.tr("Type a seat number and a talk type's letter if it is "
                                      "not the one marked, then Enter: volunteered, "
                                      "Shift+Enter: called on; hold Enter while the student "
                                      "talks to time it. A look-for's tag key tags the next "
                                      "contribution. Ctrl+N: back to the note box."))
        row.addWidget(self.entry, 1)
        if key:
            hint = key_label(key, self)
            hint.setToolTip(self.tr("Go to the seat box"))
            row.addWidget(hint)
        self.undo_button = QPushButton(self.tr("Undo"), self)
        self.undo_button.setAccessibleName(self.tr("Take back the last contribution"))
        self.undo_button.setToolTip(self.tr("Take back the last contribution (Ctrl+Z undoes "
                                            "the newest change, note or contribution)"))
        self.seats_button = QPushButton(self.tr("Seats…"), self)
        self.seats_button.setAccessibleName(self.tr("Change the seats of this lesson"))
        self.seats_button.setToolTip(self.tr("Move, add or number seats during the lesson"))
        row.addWidget(self.undo_button)
        row.addWidget(self.seats_button)
        return row

    # -- the seats -------------------------------------------------------------------------------

    def _seat_from_saved_chart(self) -> None:
        """A visit with no seats takes its class's saved chart (this teacher, class and room)
        at once: the observer only lays out a room the first time."""
        backend, cycle, visit = self.panel.backend, self.panel.cycle, self.panel.observation
        if backend is None or cycle is None or visit is None:
            return
        from observe_app.services.participation import check_seats, class_name_of

        class_name = class_name_of(visit.subject, visit.grade)
        try:
            chart = backend.participation.find_chart(cycle.teacher_id, class_name, visit.room)
        except ObserveError:
            return  # the editor is still there to lay the seats out
        if chart is None:
            return
        try:
            check_seats(chart.seats, self.item.groups)
        except BadInputError as exc:
            self._say(self.tr("The saved chart of {name} does not fit this protocol ({why}); "
                              "lay out the seats for this lesson.").format(
                name=class_name, why=str(exc).rstrip(".")), problem=True)
            return
        saved = self.panel.save("seats", backend.participation.seat_visit,
                                self.panel.observation_id, self.item.id, chart.seats, chart.id,
                                replaces=("seats", self.item.id), about=self.item.id)
        if saved is None:
            return
        self.seats, self.labels = chart.seats, dict(chart.labels)
        self._say(self.tr("Seats laid out from the saved chart of {name}{room}; Seats… "
                          "changes them.").format(
            name=class_name, room=self.tr(", room {room}").format(room=visit.room)
            if visit.room else ""))

    def _read_labels(self) -> None:
        try:
            self.labels = self.panel.backend.participation.visit_labels(
                self.panel.observation_id, self.item.id)
        except ObserveError:
            self.labels = {}  # seats still show their numbers

    def _show_seats(self) -> None:
        self.empty_box.setVisible(not self.seats)
        for part in (self.chart, self.summary, self.undo_button, self.seats_button):
            part.setVisible(bool(self.seats))
        self.chart.set_seats(self.seats, self.labels)
        self.chart.setAccessibleDescription(self.tr(
            "Seats: {n}. Click a seat to log a contribution from it; right-click or "
            "Shift+click: called on. From the keyboard, type the seat number in the seat box."
        ).format(n=len(self.seats)))

    def _on_seats_button_clicked(self) -> None:
        if self.panel.backend is None:
            return
        # The editor (and all it imports) loads only when the observer asks for it.
        from observe_app.gui.seating_editor import SeatingEditorDialog

        dialog = SeatingEditorDialog(self.panel.backend, self.panel.observation_id, self.item,
                                     self)
        if dialog.exec():
            self.reload_seats()

    def reload_seats(self) -> None:
        """The visit's seats as saved (after the seating editor changed them)."""
        calls = self.panel.backend.participation
        try:
            seats = calls.visit_seats(self.panel.observation_id, self.item.id)
            labels = calls.visit_labels(self.panel.observation_id, self.item.id)
        except ObserveError as exc:
            self.report(str(exc))
            return
        self.seats, self.labels = seats, labels
        self._show_seats()
        self._show_heard()
        n = len(seats)
        self._say(self.tr("%n seat on the chart.", None, n) if n == 1
                  else self.tr("%n seats on the chart.", None, n))

    # -- logging a contribution ------------------------------------------------------------------

    def set_talk_type(self, key: str) -> None:
        """The talk type a click (or a seat number without a letter) logs from now on."""
        self.talk_type = key
        self.talk_bar.mark(key)

    def focus_entry(self) -> None:
        """The seat entry's key: the cursor to the seat box, in view."""
        self.entry.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.entry.selectAll()
        self.panel.ensureWidgetVisible(self.entry, 0, 0)

    def _now(self) -> tuple[dt.datetime, int]:
        clock = self.panel.backend.clock if self.panel.backend is not None else None
        return (clock.now() if clock is not None else dt.datetime.now(dt.UTC),
                self.panel.elapsed_ms())

    def _on_chart_seat_clicked(self, seat: int, called_on: bool) -> None:
        self.capture(seat, called_on, at=self.next.let_go())

    def _on_entry_entered(self, text: str, called_on: bool) -> None:
        at = self.next.let_go()
        entry = read_entry(text)
        problem = self.entry.problem_with(text, entry, [s.number for s in self.seats],
                                          self._types)
        if problem:
            self._say(problem, problem=True)  # the text stays in the box, to be changed
        elif entry is not None and entry.seat is None and entry.talk_type is not None:
            self.set_talk_type(entry.talk_type)
            self.entry.take()
            self._say(self.tr("From now on a seat logs: {label}.").format(
                label=self._types[entry.talk_type]))
        elif entry is not None and entry.seat is not None and self.capture(
                entry.seat, called_on, entry.talk_type, at=at):
            self.entry.take()

    def capture(self, seat: int, called_on: bool, talk_type: str | None = None, *,
                at: LetGo | None = None) -> bool:
        """Log one contribution from `seat` (at the moment its seat or Enter went down, timed
        if held; now, without `at`), tagged to the look-for chosen for it: shown at once,
        saved through the panel's pending writes. False when it was refused (the banner says
        why)."""
        backend = self.panel.backend
        if backend is None:  # the builder's preview records nothing
            return False
        kind = talk_type or self.talk_type
        if at is None:
            at = LetGo(self._now(), None)
        (wall, elapsed), duration = at.moment, at.duration_ms
        lookfor = self.next.lookfor_id
        made = ContributionView(str(uuid.uuid4()), self.item.id, seat, kind, called_on,
                                elapsed, duration, lookfor, wall)
        saved_now = self.panel.save(
            "contribution", backend.participation.record_contribution,
            self.panel.observation_id, self.item.id, seat, kind, elapsed_ms=elapsed,
            wall_time=wall, called_on=called_on, duration_ms=duration, lookfor_id=lookfor,
            contribution_id=made.id, saved=lambda _view: self._on_logged(made),
            about=self.item.id)
        if saved_now is None:
            self._say(self.tr("Seat {seat} was not logged: the message above the note box "
                              "says why.").format(seat=seat), problem=True)
            return False
        self._hear(made)
        self.panel.show_saved(self.summary, self.item.id)  # kept back by a fault: said so
        if lookfor is not None:
            self.next.logged()
            self.panel.light_tags()
        how = self.tr("called on") if called_on else self.tr("volunteered")
        self._say(self.tr("Seat {seat}: {talk}, {how} ({at}){extras}.").format(
            seat=seat, talk=self._types.get(kind, kind), how=how, at=format_elapsed(elapsed),
            extras=self.next.extras(made)))
        return True

    def toggle_tag(self, item: ItemView) -> None:
        """A tag key pressed in the seat box tags the next contribution (see `next`)."""
        self.next.toggle_tag(item)
        self.panel.light_tags()

    def _on_next_said(self, text: str, problem: bool) -> None:
        self._say(text, problem=problem)

    def _on_logged(self, made: ContributionView) -> None:
        self.panel.undo_stack.push(AddContributionCommand(self, made))
        self.panel.show_saved(self.summary, self.item.id)

    # -- undo ------------------------------------------------------------------------------------

    def undo_last(self) -> None:
        """Take back the newest contribution (Ctrl+Z then puts it back)."""
        if self.panel.backend is None:
            return
        if self.panel.pending.waiting:
            self._say(self.tr("Undo comes back once what waits is saved."), problem=True)
            return
        if not self.heard:
            self._say(self.tr("There is no contribution to take back yet."))
            return
        last = self.heard[-1]
        saved_now = self.panel.save(
            "contribution", self.panel.backend.participation.remove_contribution, last.id,
            saved=lambda _none: self._on_taken_back(last), about=self.item.id)
        if saved_now is None:
            return
        self._forget(last)
        self.panel.show_saved(self.summary, self.item.id)
        self._say(self.tr("Took back seat {seat} ({talk}); Ctrl+Z puts it back.").format(
            seat=last.seat, talk=self._types.get(last.talk_type, last.talk_type)))

    def _on_taken_back(self, last: ContributionView) -> None:
        self.panel.undo_stack.push(RemoveContributionCommand(self, last))
        self.panel.show_saved(self.summary, self.item.id)

    def put_back(self, contribution: ContributionView) -> None:
        """Log `contribution` again, with its own id (undo of a take-back, redo of a log)."""
        c, backend = contribution, self.panel.backend
        backend.participation.record_contribution(
            self.panel.observation_id, self.item.id, c.seat, c.talk_type,
            elapsed_ms=c.elapsed_ms, wall_time=c.wall_time,
            called_on=c.called_on,
            duration_ms=c.duration_ms, lookfor_id=c.lookfor_id, contribution_id=c.id)
        self._hear(c)
        self._say(self.tr("Seat {seat} is back.").format(seat=c.seat))

    def take_out(self, contribution: ContributionView) -> None:
        """Remove `contribution` (undo of a log, redo of a take-back)."""
        self.panel.backend.participation.remove_contribution(contribution.id)
        self._forget(contribution)
        self._say(self.tr("Took back seat {seat}.").format(seat=contribution.seat))

    def report(self, problem: str) -> None:
        self.panel.problem_occurred.emit(problem)

    # -- what is shown ---------------------------------------------------------------------------

    def _hear(self, c: ContributionView) -> None:
        self.heard.insert(bisect.bisect_right(self.heard, c.elapsed_ms,
                                              key=lambda h: h.elapsed_ms), c)
        self._counts[c.seat] += 1
        self._by_type[(c.seat, c.talk_type)] += 1
        self._show_heard(latest=c.seat)

    def _forget(self, c: ContributionView) -> None:
        self.heard = [h for h in self.heard if h.id != c.id]
        self._counts[c.seat] -= 1
        self._by_type[(c.seat, c.talk_type)] -= 1
        self._show_heard(latest=self.heard[-1].seat if self.heard else None)

    def _show_heard(self, latest: int | None = None) -> None:
        self.chart.set_counts(self._counts, latest)
        n = len(self.heard)
        called = sum(1 for c in self.heard if c.called_on)
        heard = (self.tr("%n contribution", None, n) if n == 1
                 else self.tr("%n contributions", None, n))
        spoke = sum(1 for s in self.seats if self._counts[s.number])
        self.summary.setText(self.tr(
            "{heard} · {spoke} of {seats} seats heard · called on {called}, volunteered "
            "{volunteered}").format(heard=heard, spoke=spoke, seats=len(self.seats),
                                    called=called, volunteered=n - called))

    def _describe_seat(self, number: int) -> str:
        parts = [f"{self._types[k]}: {self._by_type[(number, k)]}" for k in self._types
                 if self._by_type[(number, k)]]
        label = self.labels.get(number)
        name = (self.tr("Seat {n} ({label})").format(n=number, label=label) if label
                else self.tr("Seat {n}").format(n=number))
        if not parts:
            return self.tr("{seat}: not heard yet").format(seat=name)
        return f"{name}: " + "; ".join(parts)

    def _say(self, text: str, *, problem: bool = False) -> None:
        self.message.setText(text)
        set_look(self.message, "problem", problem)
