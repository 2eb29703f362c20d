"""The protocol beside the notes: each item's live widget (gui/kinds) and what it records."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
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


class ProtocolPanel(QScrollArea):
    """Every item of the protocol, recorded as it is touched; keys are shown beside items."""

    problem_occurred = Signal(str)

    def __init__(self, backend: Any, observation_id: str, version: Any, results: Any,
                 elapsed_ms: Callable[[], int], keys: dict[str, str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
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
        self.tag_hints: dict[str, QLabel] = {}
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

    def call(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run a service call; a known problem is shown, and the caller learns it failed."""
        try:
            return function(*args, **kwargs) or True
        except ObserveError as exc:
            self.problem_occurred.emit(str(exc))
            return None

    def _add_item(self, grid: QGridLayout, item: Any, results: Any, key: str) -> None:
        kinds.get(item.kind).live_widget(self, grid, grid.rowCount(), item, results, key)

    def _save_prompt(self, item_id: str) -> None:
        saved = self.call(self.backend.responses.set_text, self.observation_id, item_id,
                          self.prompts[item_id].toPlainText())
        if saved is None:
            self.unsaved_prompts.add(item_id)  # a fault: saved again when it clears
        else:
            self.unsaved_prompts.discard(item_id)

    def _on_lookfor_toggled(self, item_id: str, checked: bool) -> None:
        self.call(self.backend.responses.set_checked, self.observation_id, item_id, checked)

    def change_tally(self, item_id: str, delta: int) -> None:
        count = self.call(self.backend.responses.change_tally, self.observation_id, item_id,
                          delta)
        if count is not None:
            self.counts[item_id] = count if count is not True else 0
            self.tally_labels[item_id].setText(str(self.counts[item_id]))

    def toggle_timer(self, item_id: str) -> None:
        self.timers[item_id].toggle()

    def tick(self, elapsed_ms: int) -> None:
        for scan in self.intervals.values():
            scan.tick(elapsed_ms)
        for timer in self.timers.values():
            if timer.started_ms is not None:
                timer.show_summary(elapsed_ms)

    def show_pending_tags(self, item_ids: set[str]) -> None:
        for item_id, hint in self.tag_hints.items():
            set_look(hint, "active", item_id in item_ids)

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
