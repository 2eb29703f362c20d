"""Prompts in the window: a text box saved as it is typed; the answers in the results."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QGridLayout, QLabel, QPlainTextEdit

from observe_app.domain import limits
from observe_app.gui.kinds.base import KindView, ResultBlock
from observe_app.gui.shortcuts import QT_TRANSLATE_NOOP
from observe_app.gui.text_limits import limit_plain_text

SAVE_DELAY_MS = 700  # saved once typing pauses (the panel saves, and keeps what a fault held)


def live_widget(panel: Any, grid: QGridLayout, row: int, item: Any, results: Any,
                key: str) -> None:
    label = QLabel(item.label, panel.body)
    label.setWordWrap(True)
    edit = QPlainTextEdit(panel.body)
    edit.setTabChangesFocus(True)
    limit_plain_text(edit, limits.PROMPT_TEXT)
    edit.setPlainText(results.texts.get(item.id, ""))
    edit.setAccessibleName(item.label)
    edit.setFixedHeight(edit.fontMetrics().lineSpacing() * 3 + 14)
    timer = QTimer(panel)
    timer.setSingleShot(True)
    timer.setInterval(SAVE_DELAY_MS)
    timer.timeout.connect(lambda i=item.id: panel._save_prompt(i))
    edit.textChanged.connect(timer.start)
    panel.prompts[item.id] = edit
    panel._prompt_timers[item.id] = timer
    grid.addWidget(label, row, 0, 1, 5)
    grid.addWidget(edit, row + 1, 0, 1, 5)


def results(items: list[Any], visit: Any, tr: Any) -> list[ResultBlock]:
    return [(tr("Prompts"), [(i.label, visit.texts[i.id]) for i in items
                             if visit.texts.get(i.id)])]


VIEW = KindView(name="prompt", title=QT_TRANSLATE_NOOP("ProtocolsPage", "Prompt"),
                live_widget=live_widget, key_range=None, on_key=None, results=results)
