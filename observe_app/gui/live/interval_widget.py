"""An interval scan: every N seconds a quiet prompt to tick what most students are doing."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QVBoxLayout, QWidget

from observe_app.domain.formats import format_elapsed
from observe_app.gui.style import set_look

if TYPE_CHECKING:
    from observe_app.gui.backend import Backend
    from observe_app.services.protocols import Code, ItemView
    from observe_app.services.responses import IntervalView


class IntervalScanWidget(QWidget):
    """Codes for the current scan; a scan that ends with nothing ticked is recorded as missed.

    The prompt only changes colour and text: it never takes focus from the note box.
    """

    scan_started = Signal(int)  # the 0-based scan that has just begun
    scan_missed = Signal(int)

    def __init__(self, backend: Backend, observation_id: str, item: ItemView,
                 recorded: list[IntervalView],
                 save: Callable[..., bool | None], waits: Callable[[str], bool],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._backend = backend
        self._observation_id = observation_id
        self._item = item
        self._save = save  # through the visit's pending writes (ProtocolPanel.save)
        self._waits = waits  # whether a write about this item still waits for a fault to clear
        self._period_ms = max(1, item.period_seconds or 120) * 1000
        self._filled = {r.index for r in recorded if not r.missed and r.codes}
        self._missed = {r.index for r in recorded if r.missed}
        self._codes_by_index = {r.index: set(r.codes) for r in recorded}
        self._index = -1
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.prompt_label = QLabel(self)
        self.prompt_label.setObjectName("scanPrompt")
        self.prompt_label.setWordWrap(True)
        self.prompt_label.setAccessibleName(self.tr("Interval scan prompt"))
        layout.addWidget(self.prompt_label)
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        self.code_boxes: dict[str, QCheckBox] = {}
        groups: dict[str, list[Code]] = {}
        for code in item.codes:
            groups.setdefault(code.group or "", []).append(code)
        for column, (group, codes) in enumerate(groups.items()):
            if group:
                heading = QLabel(group, self)
                heading.setObjectName("codeGroup")
                grid.addWidget(heading, 0, column)
            for row, code in enumerate(codes, start=1):
                box = QCheckBox(code.label, self)
                # Clicking a code must not pull the cursor out of the note box.
                box.setFocusPolicy(Qt.FocusPolicy.TabFocus)
                box.setAccessibleName(self.tr("Code {label}").format(label=code.label))
                box.toggled.connect(self._on_code_toggled)
                self.code_boxes[code.key] = box
                grid.addWidget(box, row, column)
        layout.addLayout(grid)
        self.missed_label = QLabel(self)
        self.missed_label.setObjectName("missedLabel")
        self.missed_label.setWordWrap(True)
        layout.addWidget(self.missed_label)

    @property
    def current_index(self) -> int:
        return self._index

    @property
    def missed(self) -> list[int]:
        return sorted(self._missed)

    def tick(self, elapsed_ms: int) -> None:
        """Follow the lesson clock: close scans that ended, prompt for the one that began."""
        index = elapsed_ms // self._period_ms
        if index == self._index:
            return
        for ended in range(max(self._index, 0), index):
            if ended not in self._filled and ended not in self._missed and self._index >= 0:
                self._record(ended, [], missed=True)
                self._missed.add(ended)
                self.scan_missed.emit(ended)
        first = self._index < 0
        self._index = index
        self._show_codes(self._codes_by_index.get(index, set()))
        start = format_elapsed(index * self._period_ms)
        end = format_elapsed((index + 1) * self._period_ms)
        self.prompt_label.setText(self.tr(
            "Scan {n} ({start}–{end}): look up and tick what most students are doing."
        ).format(n=index + 1, start=start, end=end))
        self._set_due(index not in self._filled)
        self._show_missed()
        if not first:
            self.scan_started.emit(index)

    def _show_codes(self, codes: set[str]) -> None:
        for key, box in self.code_boxes.items():
            box.blockSignals(True)
            box.setChecked(key in codes)
            box.blockSignals(False)

    def _set_due(self, due: bool) -> None:
        set_look(self.prompt_label, "due", due)

    def _show_missed(self) -> None:
        if not self._missed:
            n = len(self._filled)
            self.missed_label.setText(self.tr("%n scan recorded, none missed.", None, n)
                                      if n == 1 else
                                      self.tr("%n scans recorded, none missed.", None, n))
            return
        numbers = ", ".join(str(i + 1) for i in sorted(self._missed))
        missed = (self.tr("missed: scan {numbers}") if len(self._missed) == 1
                  else self.tr("missed: scans {numbers}")).format(numbers=numbers)
        self.missed_label.setText(self.tr("%n recorded · {missed}", None, len(self._filled))
                                  .format(missed=missed))

    def _on_code_toggled(self, _checked: bool) -> None:
        if self._index < 0:
            return
        codes = [key for key, box in self.code_boxes.items() if box.isChecked()]
        self._codes_by_index[self._index] = set(codes)
        if codes:
            self._record(self._index, codes)
            self._filled.add(self._index)
            self._missed.discard(self._index)
        else:
            self._keep(self._save("scan", self._backend.responses.clear_interval,
                                  self._observation_id, self._item.id, self._index,
                                  replaces=(self._item.id, self._index), about=self._item.id,
                                  saved=self._on_saved))
            self._filled.discard(self._index)
        self._set_due(not codes)
        self._show_missed()

    def _record(self, index: int, codes: list[str], *, missed: bool = False) -> None:
        # A newer record of the same scan replaces one that still waits for a fault to clear.
        self._keep(self._save("scan", self._backend.responses.record_interval,
                              self._observation_id, self._item.id, index, codes, missed=missed,
                              now=self._backend.clock.now(), replaces=(self._item.id, index),
                              about=self._item.id, saved=self._on_saved))

    def _keep(self, saved_now: bool | None) -> None:
        """Kept back by a fault: the prompt says the scan is not saved yet."""
        if saved_now is False:
            set_look(self.prompt_label, "unsaved", True)

    def _on_saved(self, _result: object) -> None:
        if not self._waits(self._item.id):
            set_look(self.prompt_label, "unsaved", False)
