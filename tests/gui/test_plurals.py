"""Counts read right: "1 run", "2 runs", "0 scans", in the window as in the PDF and the CLI."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from observe_app.domain.enums import ItemKind
from observe_app.domain.formats import counted


def test_counted_nouns_for_zero_one_and_two():
    assert [counted(n, "cycle") for n in (0, 1, 2)] == ["0 cycles", "1 cycle", "2 cycles"]
    assert [counted(n, "person", "people") for n in (0, 1, 2)] == ["0 people", "1 person",
                                                                   "2 people"]


def test_the_live_timer_counts_its_runs(open_live, clock):
    view = open_live("questioning-wait-time")
    wait = view.version.items_of(ItemKind.TIMER)[0]
    summary = view.panel.timers[wait.id].summary
    seen = [summary.text()]
    for _run in range(2):
        QTest.keyClick(view.note_edit, Qt.Key.Key_F5)
        clock.advance(3)
        QTest.keyClick(view.note_edit, Qt.Key.Key_F5)
        seen.append(summary.text().split(" · ")[0])
    assert seen == ["no runs yet", "1 run", "2 runs"]

