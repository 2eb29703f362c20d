"""Look-fors in the window: a check box and a tag key while live; seen or not in the results."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QGridLayout

from observe_app.gui import shortcuts
from observe_app.gui.kinds.base import KindView, ResultBlock, tag_hint, toggle_tag
from observe_app.gui.shortcuts import QT_TRANSLATE_NOOP


def live_widget(panel: Any, grid: QGridLayout, row: int, item: Any, results: Any,
                key: str) -> None:
    box = QCheckBox(item.label, panel.body)
    box.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    box.setChecked(results.checked.get(item.id, False))
    box.toggled.connect(lambda on, i=item.id: panel._on_lookfor_toggled(i, on))
    panel.checkboxes[item.id] = box
    tag_hint(panel, grid, row, box, item, key)


def results(items: list[Any], visit: Any, tr: Any) -> list[ResultBlock]:
    return [(tr("Checklist"), [(i.label, "✓ " + tr("seen") if visit.seen(i.id)
                                else "– " + tr("not seen")) for i in items])]


VIEW = KindView(name="lookfor", title=QT_TRANSLATE_NOOP("ProtocolsPage", "Look-for"),
                live_widget=live_widget, key_range=shortcuts.TAG, on_key=toggle_tag,
                results=results)
