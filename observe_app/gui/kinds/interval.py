"""Interval scans in the window: the scan widget while live; each code's share in the results."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QApplication, QGridLayout, QLabel

from observe_app.gui.kinds.base import KindView, ResultBlock
from observe_app.gui.live.interval_widget import IntervalScanWidget
from observe_app.gui.shortcuts import QT_TRANSLATE_NOOP


def live_widget(panel: Any, grid: QGridLayout, row: int, item: Any, results: Any,
                key: str) -> None:
    scan = IntervalScanWidget(panel.backend, panel.observation_id, item,
                              results.intervals.get(item.id, []),
                              panel.save, panel.pending.waits_about, panel.body)
    panel.intervals[item.id] = scan
    scan.scan_started.connect(lambda _index: bring_into_view(panel, scan))
    label = QLabel(item.label, panel.body)
    label.setWordWrap(True)
    grid.addWidget(label, row, 0, 1, 4)
    grid.addWidget(scan, row + 1, 0, 1, 4)


def bring_into_view(panel: Any, scan: IntervalScanWidget) -> None:
    """In a protocol of several kinds a scan may sit below the fold: when a scan begins, the
    panel scrolls it into view, unless the observer is typing in the panel (a prompt)."""
    typing_in = QApplication.focusWidget()
    if typing_in is None or not panel.isAncestorOf(typing_in):
        panel.ensureWidgetVisible(scan, 0, 0)


def results(items: list[Any], visit: Any, tr: Any) -> list[ResultBlock]:
    blocks = []
    for i in items:
        records = visit.intervals.get(i.id, [])
        done = [r for r in records if not r.missed]
        shares = visit.code_shares(i.id)
        title = (tr("{label}: share of %n interval (missed {missed})", None, len(done))
                 if len(done) == 1 else
                 tr("{label}: share of %n intervals (missed {missed})", None, len(done))
                 ).format(label=i.label, missed=len(records) - len(done))
        blocks.append((title, [(c.label, f"{shares.get(c.key, 0.0):.0%}") for c in i.codes]))
    return blocks


VIEW = KindView(name="interval", title=QT_TRANSLATE_NOOP("ProtocolsPage", "Interval scan"),
                live_widget=live_widget, key_range=None, on_key=None, results=results)
