"""The Cycles page loads a page of rows at a time: scrolling fetches the next page, and the
filter box and a click on a header ask the database again."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from observe_app.gui.pages import CyclesPage, ObservePage
from observe_app.gui.table_models import ROW_ROLE, CyclesTableModel
from tests.gui.conftest import type_text

PAGE = CyclesTableModel.PAGE


@pytest.fixture
def school(db, backend):  # type: ignore[no-untyped-def]
    """450 cycles: Zoë Zed's 420 newest, Aaron Able's 30 oldest (never on the first page)."""
    from observe_app.services import cycles, people, protocols

    with db.transaction() as s:
        aaron, zoe, ben = (people.add_person(s, n) for n in ("Aaron Able", "Zoë Zed", "Ben Ode"))
        version = protocols.find_protocol(s, "peer-observation").latest_version_id
        for n in range(450):
            teacher = aaron if n < 30 else zoe
            cycles.plan_cycle(s, teacher_id=teacher.id, observer_id=ben.id,
                              protocol_version_id=version, focus=f"Focus {n}",
                              planned_date=dt.date(2020, 1, 1) + dt.timedelta(days=n))
    return {"aaron": aaron.id, "zoe": zoe.id}


@pytest.fixture
def page(qtbot, backend, school):  # type: ignore[no-untyped-def]
    page = CyclesPage()
    qtbot.addWidget(page)
    page.resize(900, 600)
    page.attach(backend)
    page.show()
    qtbot.waitExposed(page)
    return page


def _teachers(page: CyclesPage) -> list[str]:
    return [page.model.row_at(n).teacher_name for n in range(page.model.rowCount())]


def test_scrolling_to_the_end_fetches_the_next_page(qtbot, page) -> None:  # type: ignore[no-untyped-def]
    assert page.model.rowCount() == PAGE  # one page, newest first
    assert page.model.row_at(0).planned_date == dt.date(2020, 1, 1) + dt.timedelta(days=449)
    qtbot.wait(100)
    assert page.model.rowCount() == PAGE  # nothing more until the user scrolls
    page.table.setFocus()
    QTest.keyClick(page.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.model.rowCount() > PAGE)
    QTest.keyClick(page.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.model.rowCount() == 450)
    assert not page.model.canFetchMore(page.model.index(0, 0).parent())
    dates = [page.model.row_at(n).planned_date for n in range(450)]
    assert dates == sorted(dates, reverse=True) and len(set(dates)) == 450


def test_the_filter_finds_rows_never_loaded(qtbot, page) -> None:  # type: ignore[no-untyped-def]
    assert "Aaron Able" not in _teachers(page)
    type_text(page.filter_edit, "AARON")
    qtbot.waitUntil(lambda: page.model.rowCount() == 30)  # all of his, from the database
    assert set(_teachers(page)) == {"Aaron Able"}
    page.filter_edit.clear()
    qtbot.waitUntil(lambda: page.model.rowCount() == PAGE)
    type_text(page.filter_edit, "ZOË")  # a non-ASCII name, any case
    qtbot.waitUntil(lambda: page.model.query()["text"] == "ZOË")
    assert page.model.rowCount() == PAGE and set(_teachers(page)) == {"Zoë Zed"}
    page.table.setFocus()
    for _ in range(3):
        QTest.keyClick(page.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
        qtbot.wait(50)
    qtbot.waitUntil(lambda: page.model.rowCount() == 420)
    assert set(_teachers(page)) == {"Zoë Zed"}


def test_a_header_click_sorts_in_the_database(qtbot, page) -> None:  # type: ignore[no-untyped-def]
    header = page.table.horizontalHeader()
    column = CyclesTableModel.Column.TEACHER
    x = header.sectionViewportPosition(column) + 10
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    assert header.sortIndicatorSection() == column
    ascending = header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
    first = "Aaron Able" if ascending else "Zoë Zed"
    assert page.model.rowCount() == PAGE and _teachers(page)[0] == first
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    assert _teachers(page)[0] == ("Zoë Zed" if ascending else "Aaron Able")


def test_select_id_loads_the_page_that_holds_the_row(qtbot, page, backend, school) -> None:  # type: ignore[no-untyped-def]
    oldest = backend.cycles.page_cycles(limit=1)[0]  # the last row, newest first
    page.select_id(oldest.id)
    assert page.model.rowCount() == 450
    assert page.table.currentIndex().data(ROW_ROLE).id == oldest.id
    type_text(page.filter_edit, "focus 1")
    qtbot.waitUntil(lambda: page.model.query()["text"] == "focus 1")
    page.select_id(oldest.id)  # its focus is "Focus 0": not listed now, nothing to select
    assert page.table.currentIndex().data(ROW_ROLE) is None


def test_the_observe_page_lists_only_cycles_waiting(qtbot, backend, school) -> None:  # type: ignore[no-untyped-def]
    from observe_app.domain.enums import CycleStage

    closed = backend.cycles.page_cycles(descending=True, limit=3)
    for c in closed:
        backend.cycles.move_to_stage(c.id, CycleStage.CLOSED)
    page = ObservePage()
    qtbot.addWidget(page)
    page.attach(backend)
    assert page.model.rowCount() == PAGE
    shown = {page.model.row_at(n).id for n in range(PAGE)}
    assert not shown & {c.id for c in closed}
    assert not page.empty_label.isVisibleTo(page)


def test_a_change_elsewhere_keeps_the_row_selected_far_down(  # type: ignore[no-untyped-def]
        qtbot, page, backend, school) -> None:
    oldest = backend.cycles.page_cycles(limit=1)[0]  # the last row, past the first page
    page.select_id(oldest.id)
    backend.people.add_person("Chloe Adams")  # a change the page shows refreshes it
    assert page.table.currentIndex().data(ROW_ROLE).id == oldest.id


def test_nothing_waits_is_not_said_when_the_filter_hides_it(  # type: ignore[no-untyped-def]
        qtbot, backend, school) -> None:
    page = ObservePage()
    qtbot.addWidget(page)
    page.attach(backend)
    page.show()
    type_text(page.filter_edit, "zzz")
    qtbot.waitUntil(lambda: page.model.query()["text"] == "zzz")
    assert page.model.rowCount() == 0 and not page.empty_label.isVisible()
    backend.people.add_person("Chloe Adams")  # refreshed by a change: still not said
    assert not page.empty_label.isVisible()
