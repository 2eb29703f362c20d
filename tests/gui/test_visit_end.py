"""After a visit ends, the window returns to the Cycles page with that cycle selected."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.gui.conftest import start_visit


def test_the_cycle_just_observed_is_selected_on_the_cycles_page(main_window, backend, clock):
    observed = start_visit(backend, "peer-observation")
    clock.advance(3600)
    start_visit(backend, "questioning-wait-time")  # a newer cycle, listed above it
    main_window.open_observation(observed)
    live = main_window.live_view
    cycle_id = live.cycle.id
    live.confirm_end = lambda: True
    QTest.keyClick(live.note_edit, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert main_window.pages_stack.currentWidget() is main_window.cycles_page
    page = main_window.cycles_page
    assert page.current_row().id == cycle_id
    assert page.table.selectionModel().isRowSelected(page.table.currentIndex().row())
    assert page.table.hasFocus()
    QTest.keyClick(page.table, Qt.Key.Key_Return)  # Enter opens it for the post-conference
    assert main_window.review.current_view.detail.summary.id == cycle_id
