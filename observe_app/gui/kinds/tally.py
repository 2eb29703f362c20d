"""Tallies in the window: − count + with a key to count one; the count in the results."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton

from observe_app.gui import shortcuts
from observe_app.gui.kinds.base import KindView, ResultBlock, key_label
from observe_app.gui.shortcuts import QT_TRANSLATE_NOOP


def live_widget(panel: Any, grid: QGridLayout, row: int, item: Any, results: Any,
                key: str) -> None:
    label = QLabel(item.label, panel.body)
    label.setWordWrap(True)
    grid.addWidget(label, row, 0)
    count = QLabel(str(panel.counts.get(item.id, 0)), panel.body)
    count.setObjectName("tallyCount")
    count.setAccessibleName(panel.tr("Count of {label}").format(label=item.label))
    panel.tally_labels[item.id] = count
    minus = QPushButton("−", panel.body)
    plus = QPushButton("+", panel.body)
    for button, delta, word in ((minus, -1, panel.tr("Take one from")),
                                (plus, 1, panel.tr("Add one to"))):
        button.setObjectName("tallyButton")
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        button.setAccessibleName(f"{word} {item.label}")
        button.clicked.connect(lambda _=False, i=item.id, d=delta: panel.change_tally(i, d))
    panel.tally_buttons[item.id] = (minus, plus)
    minus.setToolTip(panel.tr("Take one away"))
    plus.setToolTip(panel.tr("Add one ({key})").format(key=key) if key else "")
    grid.addWidget(minus, row, 1)
    grid.addWidget(count, row, 2)
    grid.addWidget(plus, row, 3)
    if key:
        grid.addWidget(key_label(key, panel.body), row, 4)


def count_one(view: Any, item_id: str) -> None:
    view.panel.change_tally(item_id, 1)


def results(items: list[Any], visit: Any, tr: Any) -> list[ResultBlock]:
    return [(tr("Tallies"), [(i.label, str(visit.counts.get(i.id, 0))) for i in items])]


VIEW = KindView(name="tally", title=QT_TRANSLATE_NOOP("ProtocolsPage", "Tally"),
                live_widget=live_widget, key_range=shortcuts.TALLY, on_key=count_one,
                results=results)
