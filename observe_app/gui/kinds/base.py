"""What a capture kind declares to the window: its live widget, its keys and its results (as
HTML, and optionally as widgets under it)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from observe_app.gui.shortcuts import Shortcut

# A block of a visit's results: a title and (label, value) rows, shown as HTML.
ResultBlock = tuple[str, list[tuple[str, str]]]


@dataclass(frozen=True)
class KindView:
    """The window's parts of one capture kind (its other parts: observe_app.kinds)."""

    name: str  # the same name as in observe_app.kinds
    title: str  # shown on the Protocols page; source text, translated in "ProtocolsPage"
    # Live: put the item's widget(s) into the protocol panel's grid at `row`:
    # live_widget(panel, grid, row, item, results, key).
    live_widget: Callable[[Any, QGridLayout, int, Any, Any, str], None]
    # Keys: the range its items take keys from (kinds with the same range share it), and what
    # the key does in the live view, on_key(view, item_id). None, None: no keys.
    key_range: Shortcut | None
    on_key: Callable[[Any, str], None] | None
    # Results (the visits panel): results(items of this kind, visit results, tr) → blocks.
    results: Callable[[list[Any], Any, Callable[..., str]], list[ResultBlock]]
    # Optional: what the HTML cannot show (a chart with tooltips), shown under all the kinds'
    # HTML results: result_widgets(items of this kind, visit results, panel) → widgets, made
    # with the visits panel (its backend, its observation_id) as their parent. None: HTML only.
    result_widgets: Callable[[list[Any], Any, Any], list[QWidget]] | None = None


PARTS = ("title", "live_widget", "key_range", "on_key", "results", "result_widgets")
OPTIONAL_PARTS = ("result_widgets",)  # None is allowed: the kind has no such part


def key_label(text: str, parent: QWidget) -> QLabel:
    """The key beside an item, as the observer will press it."""
    label = QLabel(text, parent)
    label.setObjectName("keyHint")
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return label


def tag_hint(panel: Any, grid: QGridLayout, row: int, widget: QWidget, item: Any,
             key: str) -> None:
    """A taggable item's row: its widget and the tag key, lit while a note is tagged to it."""
    widget.setToolTip(item.description or item.label)
    widget.setAccessibleName(item.label)
    grid.addWidget(widget, row, 0)
    if key:
        hint = key_label(key, panel.body)
        # A contribution on a participation map is tagged only to a look-for.
        hint.setToolTip(panel.tr("Tag the note (in a seat box: the next contribution) with "
                                 "this item") if item.kind == "lookfor"
                        else panel.tr("Tag the note with this item"))
        panel.tag_hints[item.id] = hint
        grid.addWidget(hint, row, 1, 1, 3)


def toggle_tag(view: Any, item_id: str) -> None:
    view.toggle_tag(item_id)
