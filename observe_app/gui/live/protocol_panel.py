"""The protocol beside the notes: look-fors to tick, tallies, timers, interval scans, prompts."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

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

from observe_app.domain import limits
from observe_app.domain.enums import ItemKind
from observe_app.errors import ObserveError
from observe_app.gui.live.interval_widget import IntervalScanWidget
from observe_app.gui.style import set_look
from observe_app.gui.text_limits import limit_plain_text

if TYPE_CHECKING:
    from observe_app.gui.backend import Backend
    from observe_app.services.protocols import ItemView, ProtocolVersionView
    from observe_app.services.responses import ObservationResults, TimerRunView

PROMPT_SAVE_DELAY_MS = 700


def _key_label(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName("keyHint")
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return label


class TimerRow:
    """A start/stop button whose every run is kept (wait time is many short durations)."""

    def __init__(self, panel: ProtocolPanel, item: ItemView, runs: list[TimerRunView],
                 key: str) -> None:
        self.panel = panel
        self.item = item
        self.durations = [r.duration_ms for r in runs]
        self.started_ms: int | None = None
        self.button = QPushButton(panel.tr("Start"), panel.body)
        self.button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.button.setAccessibleName(panel.tr("Start or stop {label}").format(label=item.label))
        self.button.setToolTip(key)
        self.button.clicked.connect(self.toggle)
        self.summary = QLabel(panel.body)
        self.summary.setObjectName("muted")
        self.show_summary()

    def toggle(self) -> None:
        now = self.panel.elapsed_ms()
        if self.started_ms is None:
            self.started_ms = now
            self.button.setText(self.panel.tr("Stop"))
        else:
            started, self.started_ms = self.started_ms, None
            duration = max(0, now - started)
            if self.panel.call(self.panel.backend.responses.add_timer_run,
                               self.panel.observation_id, self.item.id, started, duration):
                self.durations.append(duration)
            self.button.setText(self.panel.tr("Start"))
        set_look(self.button, "running", self.started_ms is not None)
        self.show_summary()

    def show_summary(self, now_ms: int | None = None) -> None:
        if self.started_ms is not None and now_ms is not None:
            self.summary.setText(self.panel.tr("running {s:.1f} s").format(
                s=(now_ms - self.started_ms) / 1000))
            return
        if not self.durations:
            self.summary.setText(self.panel.tr("no runs yet"))
            return
        last = self.durations[-1] / 1000
        mean = sum(self.durations) / len(self.durations) / 1000
        n = len(self.durations)
        runs = (self.panel.tr("%n run", None, n) if n == 1
                else self.panel.tr("%n runs", None, n))
        self.summary.setText(self.panel.tr("{runs} · last {last:.1f} s · mean {mean:.1f} s")
                             .format(runs=runs, last=last, mean=mean))


class ProtocolPanel(QScrollArea):
    """Every item of the protocol, recorded as it is touched; keys are shown beside items."""

    problem_occurred = Signal(str)

    def __init__(self, backend: Backend, observation_id: str, version: ProtocolVersionView,
                 results: ObservationResults,
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

    def _add_item(self, grid: QGridLayout, item: ItemView, results: ObservationResults,
                  key: str) -> None:
        row = grid.rowCount()
        if item.kind in (ItemKind.LOOKFOR, ItemKind.RUBRIC):
            if item.kind == ItemKind.LOOKFOR:
                box = QCheckBox(item.label, self.body)
                box.setFocusPolicy(Qt.FocusPolicy.TabFocus)
                box.setChecked(results.checked.get(item.id, False))
                box.toggled.connect(lambda on, i=item.id: self._on_lookfor_toggled(i, on))
                self.checkboxes[item.id] = box
                widget: QWidget = box
            else:
                widget = QLabel(item.label, self.body)
            widget.setToolTip(item.description or item.label)
            widget.setAccessibleName(item.label)
            grid.addWidget(widget, row, 0)
            if key:
                hint = _key_label(key, self.body)
                hint.setToolTip(self.tr("Tag the note with this item"))
                self.tag_hints[item.id] = hint
                grid.addWidget(hint, row, 1, 1, 3)
        elif item.kind == ItemKind.TALLY:
            self._add_tally(grid, row, item, key)
        elif item.kind == ItemKind.TIMER:
            timer = TimerRow(self, item, results.timer_runs.get(item.id, []), key)
            self.timers[item.id] = timer
            label = QLabel(item.label, self.body)
            label.setWordWrap(True)
            grid.addWidget(label, row, 0)
            grid.addWidget(timer.button, row, 1, 1, 2)
            if key:
                grid.addWidget(_key_label(key, self.body), row, 3)
            grid.addWidget(timer.summary, row + 1, 0, 1, 4)
        elif item.kind == ItemKind.INTERVAL:
            scan = IntervalScanWidget(self.backend, self.observation_id, item,
                                      results.intervals.get(item.id, []),
                                      lambda exc: self.problem_occurred.emit(str(exc)), self.body)
            self.intervals[item.id] = scan
            label = QLabel(item.label, self.body)
            label.setWordWrap(True)
            grid.addWidget(label, row, 0, 1, 4)
            grid.addWidget(scan, row + 1, 0, 1, 4)
        elif item.kind == ItemKind.PROMPT:
            self._add_prompt(grid, row, item, results.texts.get(item.id, ""))

    def _add_tally(self, grid: QGridLayout, row: int, item: ItemView, key: str) -> None:
        label = QLabel(item.label, self.body)
        label.setWordWrap(True)
        grid.addWidget(label, row, 0)
        count = QLabel(str(self.counts.get(item.id, 0)), self.body)
        count.setObjectName("tallyCount")
        count.setAccessibleName(self.tr("Count of {label}").format(label=item.label))
        self.tally_labels[item.id] = count
        minus = QPushButton("−", self.body)
        plus = QPushButton("+", self.body)
        for button, delta, word in ((minus, -1, self.tr("Take one from")),
                                    (plus, 1, self.tr("Add one to"))):
            button.setObjectName("tallyButton")
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            button.setAccessibleName(f"{word} {item.label}")
            button.clicked.connect(lambda _=False, i=item.id, d=delta: self.change_tally(i, d))
        self.tally_buttons[item.id] = (minus, plus)
        minus.setToolTip(self.tr("Take one away"))
        plus.setToolTip(self.tr("Add one ({key})").format(key=key) if key else "")
        grid.addWidget(minus, row, 1)
        grid.addWidget(count, row, 2)
        grid.addWidget(plus, row, 3)
        if key:
            grid.addWidget(_key_label(key, self.body), row, 4)

    def _add_prompt(self, grid: QGridLayout, row: int, item: ItemView, text: str) -> None:
        label = QLabel(item.label, self.body)
        label.setWordWrap(True)
        edit = QPlainTextEdit(self.body)
        edit.setTabChangesFocus(True)
        limit_plain_text(edit, limits.PROMPT_TEXT)
        edit.setPlainText(text)
        edit.setAccessibleName(item.label)
        edit.setFixedHeight(edit.fontMetrics().lineSpacing() * 3 + 14)
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(PROMPT_SAVE_DELAY_MS)
        timer.timeout.connect(lambda i=item.id: self._save_prompt(i))
        edit.textChanged.connect(timer.start)
        self.prompts[item.id] = edit
        self._prompt_timers[item.id] = timer
        grid.addWidget(label, row, 0, 1, 5)
        grid.addWidget(edit, row + 1, 0, 1, 5)

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
