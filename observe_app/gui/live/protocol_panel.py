"""The protocol beside the notes: each item's live widget (gui/kinds) and what it records."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from observe_app.errors import ObserveError
from observe_app.gui import kinds
from observe_app.gui.kinds.timer import TimerRow
from observe_app.gui.live.interval_widget import IntervalScanWidget
from observe_app.gui.style import set_look
from observe_app.live.pending_writes import PendingWrites, Write

if TYPE_CHECKING:
    from observe_app.services.cycle_views import CycleSummary
    from observe_app.services.observations import ObservationView


class ProtocolPanel(QScrollArea):
    """Every item of the protocol, recorded as it is touched; keys are shown beside items."""

    problem_occurred = Signal(str)

    def __init__(self, backend: Any, observation_id: str, version: Any, results: Any,
                 elapsed_ms: Callable[[], int], keys: dict[str, str],
                 parent: QWidget | None = None, *, pending: PendingWrites | None = None,
                 cycle: CycleSummary | None = None, observation: ObservationView | None = None,
                 undo_stack: QUndoStack | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        # The visit (None in the builder's preview): a participation map finds its class's
        # saved seating chart by teacher, class and room.
        self.cycle = cycle
        self.observation = observation
        # The view's one undo stack, so Ctrl+Z undoes the newest change, note or contribution.
        self.undo_stack = undo_stack if undo_stack is not None else QUndoStack(self)
        # The visit's one queue: a tick made while a note waits is saved after it, in order.
        self.pending = pending if pending is not None else PendingWrites()
        self.observation_id = observation_id
        self.elapsed_ms = elapsed_ms
        self.setWidgetResizable(True)
        # A click anywhere in the panel must leave the cursor in the note box.
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.body = QWidget(self)
        self.body.setObjectName("protocolBody")
        self.setWidget(self.body)
        self._layout = QVBoxLayout(self.body)
        self._layout.setContentsMargins(4, 4, 12, 4)
        self._layout.setSpacing(6)
        self.tally_labels: dict[str, QLabel] = {}
        self.tally_buttons: dict[str, tuple[QPushButton, QPushButton]] = {}  # (−, +)
        self.counts: dict[str, int] = dict(results.counts)
        self.checkboxes: dict[str, QCheckBox] = {}
        self.timers: dict[str, TimerRow] = {}
        self.intervals: dict[str, IntervalScanWidget] = {}
        self.prompts: dict[str, QPlainTextEdit] = {}
        self.participation: dict[str, Any] = {}  # item id → its ParticipationWidget
        self.tag_hints: dict[str, QLabel] = {}
        self._note_tags: set[str] = set()  # the items the note being typed is tagged to
        self._prompt_timers: dict[str, QTimer] = {}
        self.unsaved_prompts: set[str] = set()  # prompt text a fault kept from disk
        for section, items in version.sections:
            heading = QLabel(section, self.body)
            heading.setObjectName("sectionHeading")
            self._layout.addWidget(heading)
            grid = QGridLayout()
            grid.setHorizontalSpacing(8)
            grid.setColumnStretch(0, 1)
            for item in items:
                self._add_item(grid, item, results, keys.get(item.id, ""))
            self._layout.addLayout(grid)
        self._layout.addStretch(1)
        # Wide enough that the splitter cannot push the key hints out of sight; capped so one
        # very long label cannot make the window wider than a small laptop's screen.
        self.setMinimumWidth(min(440, self.body.minimumSizeHint().width()
                                 + self.verticalScrollBar().sizeHint().width()))

    def save(self, what: str, function: Callable[..., Any], *args: Any,
             saved: Callable[[Any], None] | None = None, replaces: Hashable | None = None,
             about: Hashable | None = None, text: str = "", **kwargs: Any) -> bool | None:
        """Save through the visit's pending writes: True when saved now, False when a fault
        keeps it back (it is kept and saved in order once the fault clears, and the banner
        says so), None when it was refused (said in the banner)."""
        write = Write(what, lambda: function(*args, **kwargs), saved=saved, replaces=replaces,
                      refused=lambda exc: self.problem_occurred.emit(str(exc)), text=text,
                      about=about)
        try:
            return self.pending.submit(write)
        except ObserveError as exc:
            self.problem_occurred.emit(str(exc))
            return None

    def call(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> bool:
        """Save `function(*args)` as an entry of the visit: False only if it was refused."""
        return self.save("entry", function, *args, **kwargs) is not None

    def show_saved(self, widget: QWidget, item_id: str) -> None:
        """Show `widget` as not saved yet while a write about `item_id` waits in the queue."""
        unsaved = self.pending.waits_about(item_id)
        if bool(widget.property("unsaved")) == unsaved:
            return
        if unsaved:
            widget.setProperty("savedToolTip", widget.toolTip())
            widget.setToolTip(self.tr("Not saved yet: Observe saves it as soon as the "
                                      "database can be written."))
        else:
            widget.setToolTip(str(widget.property("savedToolTip") or ""))
        set_look(widget, "unsaved", unsaved)

    def _add_item(self, grid: QGridLayout, item: Any, results: Any, key: str) -> None:
        kinds.get(item.kind).live_widget(self, grid, grid.rowCount(), item, results, key)

    def _save_prompt(self, item_id: str) -> None:
        text = self.prompts[item_id].toPlainText()
        saved_now = self.save("prompt", self.backend.responses.set_text, self.observation_id,
                              item_id, text, replaces=("prompt", item_id), text=text,
                              saved=lambda _r: self.unsaved_prompts.discard(item_id))
        if saved_now is False:
            self.unsaved_prompts.add(item_id)  # kept in the queue: saved when the fault clears
        elif saved_now is None:
            self.unsaved_prompts.discard(item_id)  # refused: said in the banner

    def _on_lookfor_toggled(self, item_id: str, checked: bool) -> None:
        box = self.checkboxes[item_id]
        self.save("tick", self.backend.responses.set_checked, self.observation_id, item_id,
                  checked, replaces=("tick", item_id), about=item_id,
                  saved=lambda _r: self.show_saved(box, item_id))
        self.show_saved(box, item_id)

    def change_tally(self, item_id: str, delta: int) -> None:
        label = self.tally_labels[item_id]

        def saved(count: int) -> None:
            if not self.pending.waits_about(item_id):
                self.counts[item_id] = count  # the database's count, once all are saved
                label.setText(str(count))
                self.show_saved(label, item_id)

        shown = max(0, self.counts.get(item_id, 0) + delta)
        saved_now = self.save("tally", self.backend.responses.change_tally, self.observation_id,
                              item_id, delta, saved=saved, about=item_id)
        if saved_now is False:  # counted on screen, saved in order when the fault clears
            self.counts[item_id] = shown
            label.setText(str(shown))
            self.show_saved(label, item_id)

    def toggle_timer(self, item_id: str) -> None:
        self.timers[item_id].toggle()

    def tick(self, elapsed_ms: int) -> None:
        for scan in self.intervals.values():
            scan.tick(elapsed_ms)
        for timer in self.timers.values():
            if timer.started_ms is not None:
                timer.show_summary(elapsed_ms)

    def show_pending_tags(self, item_ids: set[str]) -> None:
        """Light the tag keys of the items the note being typed is tagged to."""
        self._note_tags = set(item_ids)
        self.light_tags()

    def light_tags(self) -> None:
        """Light the tag keys of the items the note being typed, or the next contribution on
        a participation map, is tagged to."""
        lit = self._note_tags | {m.next.lookfor_id for m in self.participation.values()
                                 if m.next.lookfor_id is not None}
        for item_id, hint in self.tag_hints.items():
            set_look(hint, "active", item_id in lit)

    def flush_prompts(self) -> None:
        """Save prompt text still waiting, or kept back by a fault."""
        for item_id, timer in self._prompt_timers.items():
            if timer.isActive() or item_id in self.unsaved_prompts:
                timer.stop()
                self._save_prompt(item_id)

    def flush(self) -> None:
        """Save what is waiting (prompt text, a running timer) before the visit ends."""
        self.flush_prompts()
        for timer_row in self.timers.values():
            if timer_row.started_ms is not None:
                timer_row.toggle()
