"""Timers in the window: a start/stop button with a key; runs and their mean in the results."""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton

from observe_app.gui import shortcuts
from observe_app.gui.kinds.base import KindView, ResultBlock, key_label
from observe_app.gui.shortcuts import QT_TRANSLATE_NOOP
from observe_app.gui.style import set_look


class TimerRow:
    """A start/stop button whose every run is kept (wait time is many short durations)."""

    def __init__(self, panel: Any, item: Any, runs: list[Any], key: str) -> None:
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
            saved_now = self.panel.save(
                "timer run", self.panel.backend.responses.add_timer_run,
                self.panel.observation_id, self.item.id, started, duration, str(uuid.uuid4()),
                saved=lambda _run: self.panel.show_saved(self.summary, self.item.id),
                about=self.item.id)
            if saved_now is not None:  # saved, or kept to be saved when the fault clears
                self.durations.append(duration)
            self.panel.show_saved(self.summary, self.item.id)
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


def live_widget(panel: Any, grid: QGridLayout, row: int, item: Any, results: Any,
                key: str) -> None:
    timer = TimerRow(panel, item, results.timer_runs.get(item.id, []), key)
    panel.timers[item.id] = timer
    label = QLabel(item.label, panel.body)
    label.setWordWrap(True)
    grid.addWidget(label, row, 0)
    grid.addWidget(timer.button, row, 1, 1, 2)
    if key:
        grid.addWidget(key_label(key, panel.body), row, 3)
    grid.addWidget(timer.summary, row + 1, 0, 1, 4)


def start_or_stop(view: Any, item_id: str) -> None:
    view.panel.toggle_timer(item_id)


def results(items: list[Any], visit: Any, tr: Any) -> list[ResultBlock]:
    rows = []
    for i in items:
        runs = visit.timer_runs.get(i.id, [])
        if runs:
            mean = sum(r.duration_ms for r in runs) / len(runs) / 1000
            runs_text = (tr("%n run, mean {mean:.1f} s", None, len(runs)) if len(runs) == 1
                         else tr("%n runs, mean {mean:.1f} s", None, len(runs)))
            rows.append((i.label, runs_text.format(mean=mean)))
        else:
            rows.append((i.label, tr("not timed")))
    return [(tr("Timers"), rows)]


VIEW = KindView(name="timer", title=QT_TRANSLATE_NOOP("ProtocolsPage", "Timer"),
                live_widget=live_widget, key_range=shortcuts.TIMER, on_key=start_or_stop,
                results=results)
