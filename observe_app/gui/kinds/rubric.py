"""Rubric items in the window: a tag key while live; rated on the Ratings tab, not here."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QGridLayout, QLabel

from observe_app.gui import shortcuts
from observe_app.gui.kinds.base import KindView, ResultBlock, tag_hint, toggle_tag
from observe_app.gui.shortcuts import QT_TRANSLATE_NOOP


def live_widget(panel: Any, grid: QGridLayout, row: int, item: Any, results: Any,
                key: str) -> None:
    tag_hint(panel, grid, row, QLabel(item.label, panel.body), item, key)


def results(items: list[Any], visit: Any, tr: Any) -> list[ResultBlock]:
    """Nothing is recorded on a rubric item in a visit: its rating belongs to the cycle."""
    return []


VIEW = KindView(name="rubric", title=QT_TRANSLATE_NOOP("ProtocolsPage", "Rubric"),
                live_widget=live_widget, key_range=shortcuts.TAG, on_key=toggle_tag,
                results=results)
