"""The seating chart editor, driven as a person would (keys first, then the mouse): layouts of
rows and of tables, seats moved, added, removed, renumbered and labelled, a CSV file read or
refused, and what reaches the class's chart and the visit's seats in the database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication

from observe_app.gui.seating_editor import SeatingEditorDialog
from observe_app.services.participation import Seat, grid_seats, table_seats
from tests.gui.conftest import activate, choose_in_context_menu, start_visit, type_text
from tests.gui.test_accessibility import _unnamed

SLUG = "participation-and-talk"
CLASS, ROOM = "Science · Year 8", "12"  # how start_visit's class is named on its chart
CTRL, ALT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.AltModifier
RESOURCES = Path(__file__).resolve().parents[2] / "resources" / "protocols"


def _item(backend, observation_id: str):
    visit = backend.observations.get_observation(observation_id)
    version = backend.cycles.get_summary(visit.cycle_id).protocol_version_id
    return next(i for i in backend.protocols.get_version(version).items
                if i.kind == "participation")


def _teacher(backend, observation_id: str) -> str:
    visit = backend.observations.get_observation(observation_id)
    return backend.cycles.get_summary(visit.cycle_id).teacher_id


def _open(qtbot, backend, observation_id: str | None = None) -> SeatingEditorDialog:
    observation_id = observation_id or start_visit(backend, SLUG)
    dialog = SeatingEditorDialog(backend, observation_id, _item(backend, observation_id))
    qtbot.addWidget(dialog)
    dialog.show()
    activate(dialog)
    qtbot.waitUntil(lambda: dialog.ready, timeout=5000)
    return dialog


def _key(dialog, key: Qt.Key, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    """A key where the focus is, as the keyboard sends it; a button's mnemonic clicks it
    once the button has shown itself pressed (a tenth of a second)."""
    QTest.keyClick(dialog.focusWidget(), key, modifiers)
    while any(b.isDown() for b in dialog.findChildren(QAbstractButton)):
        QTest.qWait(20)


def _set_spin(dialog, mnemonic: Qt.Key, value: int) -> None:
    _key(dialog, mnemonic, ALT)
    _key(dialog, Qt.Key.Key_A, CTRL)
    QTest.keyClicks(dialog.focusWidget(), str(value))


def _save_by_keys(qtbot, dialog) -> None:
    _key(dialog, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)


def _tab_into_chart(dialog) -> None:
    dialog.import_button.setFocus()
    _key(dialog, Qt.Key.Key_Tab)
    assert dialog.chart.hasFocus()


def _seat(dialog, number: int) -> tuple[int, int]:
    seat = dialog.chart.seat(number)
    return seat.x, seat.y


def _centre(dialog, x: int, y: int) -> QPoint:
    return dialog.chart.cell_rect(x, y).center().toPoint()


def test_rows_by_columns_laid_out_by_keys_are_kept_for_the_class_and_the_visit(qtbot, backend):
    dialog = _open(qtbot, backend)
    observation_id = dialog._observation_id
    assert dialog.status_label.text().startswith("No chart for this class yet")
    assert len(dialog.chart.seats()) == 30  # 27 students: rows of six to start from
    _key(dialog, Qt.Key.Key_L, ALT)
    assert dialog.layout_combo.hasFocus() and dialog.layout_combo.currentText() == "Rows of seats"
    _set_spin(dialog, Qt.Key.Key_R, 4)
    _set_spin(dialog, Qt.Key.Key_C, 5)
    _key(dialog, Qt.Key.Key_O, ALT)
    assert dialog.chart.seats() == grid_seats(4, 5)
    assert dialog.status_label.text().startswith("Laid out: 20 seats.")
    _save_by_keys(qtbot, dialog)
    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialog.result_view == grid_seats(4, 5)
    teacher = _teacher(backend, observation_id)
    chart = backend.participation.find_chart(teacher, CLASS, ROOM)
    assert chart is not None and chart.seats == grid_seats(4, 5) and chart.labels == {}
    item = _item(backend, observation_id)
    assert backend.participation.visit_seats(observation_id, item.id) == grid_seats(4, 5)
    again = _open(qtbot, backend, observation_id)  # the lesson's seats, as left
    assert again.chart.seats() == grid_seats(4, 5)
    assert again.status_label.text() == "This lesson's seats, as laid out before."


def test_escape_cancels_and_nothing_is_saved(qtbot, backend):
    dialog = _open(qtbot, backend)
    _key(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and dialog.result_view is None
    teacher = _teacher(backend, dialog._observation_id)
    assert backend.participation.charts_of(teacher) == []


def test_tables_of_four_chosen_by_keys_and_saved_with_the_mouse(qtbot, backend):
    dialog = _open(qtbot, backend)
    _key(dialog, Qt.Key.Key_L, ALT)
    _key(dialog, Qt.Key.Key_Down)
    assert dialog.layout_combo.currentText() == "Tables"
    assert dialog.first_label.text() == "Ta&bles:"
    _set_spin(dialog, Qt.Key.Key_B, 6)
    _set_spin(dialog, Qt.Key.Key_P, 4)
    _key(dialog, Qt.Key.Key_O, ALT)
    assert dialog.chart.seats() == table_seats(6, 4)
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Save),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    chart = backend.participation.find_chart(_teacher(backend, dialog._observation_id),
                                             CLASS, ROOM)
    assert chart.seats == table_seats(6, 4)


def test_seats_move_by_keys_and_by_a_mouse_drag(qtbot, backend):
    dialog = _open(qtbot, backend)  # 5 rows of 6, two cells apart
    _tab_into_chart(dialog)
    assert dialog.chart.selected == 1  # Tab into the chart picks the first seat
    _key(dialog, Qt.Key.Key_Right)
    assert dialog.chart.selected == 2 and dialog.panel.number_spin.value() == 2
    _key(dialog, Qt.Key.Key_Down, CTRL)
    assert _seat(dialog, 2) == (2, 1)
    assert dialog.status_label.text() == "Seat 2: row 2, place 3 from the front left."
    QTest.keyClicks(dialog.chart, "12")  # a seat's number typed picks it
    assert dialog.chart.selected == 12
    for text in ("²", "٣"):  # "digits" of other keyboards pick nothing and break nothing
        QApplication.sendEvent(dialog.chart, QKeyEvent(
            QEvent.Type.KeyPress, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, text))
    assert dialog.chart.selected == 12
    _key(dialog, Qt.Key.Key_Left, CTRL)
    _key(dialog, Qt.Key.Key_Left, CTRL)  # past seat 11's cell to the next free one
    assert _seat(dialog, 12) == (7, 2)
    _key(dialog, Qt.Key.Key_Up, CTRL)
    _key(dialog, Qt.Key.Key_Up, CTRL)
    _key(dialog, Qt.Key.Key_Up, CTRL)  # at the front already: it stays
    assert _seat(dialog, 12) == (7, 0)
    assert "edge of the chart" in dialog.status_label.text()

    start = _centre(dialog, *_seat(dialog, 3))
    qtbot.mousePress(dialog.chart, Qt.MouseButton.LeftButton, pos=start)
    assert dialog.chart.selected == 3
    QTest.mouseMove(dialog.chart, _centre(dialog, 15, 8))
    QTest.mouseMove(dialog.chart, _centre(dialog, 16, 9))
    qtbot.mouseRelease(dialog.chart, Qt.MouseButton.LeftButton, pos=_centre(dialog, 16, 9))
    assert _seat(dialog, 3) == (16, 9)
    # A drag onto a taken cell leaves the seat where it last was free.
    qtbot.mousePress(dialog.chart, Qt.MouseButton.LeftButton, pos=_centre(dialog, 16, 9))
    qtbot.mouseRelease(dialog.chart, Qt.MouseButton.LeftButton, pos=_centre(dialog, 0, 0))
    assert _seat(dialog, 3) == (16, 9) and _seat(dialog, 1) == (0, 0)
    _save_by_keys(qtbot, dialog)
    chart = backend.participation.find_chart(_teacher(backend, dialog._observation_id),
                                             CLASS, ROOM)
    places = {s.number: (s.x, s.y) for s in chart.seats}
    assert (places[2], places[3], places[12]) == ((2, 1), (16, 9), (7, 0))


def test_a_seat_added_and_one_removed(qtbot, backend):
    dialog = _open(qtbot, backend)
    _key(dialog, Qt.Key.Key_A, ALT)  # the next free number, on the first free cell
    assert dialog.chart.selected == 31 and _seat(dialog, 31) == (1, 0)
    assert dialog.chart.hasFocus()  # so Ctrl+arrows move it at once
    _key(dialog, Qt.Key.Key_Down, CTRL)
    assert _seat(dialog, 31) == (1, 1)
    QTest.keyClicks(dialog.chart, "5")
    _key(dialog, Qt.Key.Key_Delete)
    assert dialog.chart.seat(5) is None and dialog.chart.selected == 6
    assert dialog.status_label.text() == "Seat 5 removed."
    qtbot.mouseClick(dialog.panel.remove_button, Qt.MouseButton.LeftButton)  # seat 6, by the mouse
    qtbot.mouseClick(dialog.panel.add_button, Qt.MouseButton.LeftButton)  # takes number 5 again
    assert dialog.chart.selected == 5
    _save_by_keys(qtbot, dialog)
    seats = backend.participation.visit_seats(dialog._observation_id,
                                              _item(backend, dialog._observation_id).id)
    assert [s.number for s in seats] == [n for n in range(1, 32) if n != 6]


def test_a_seat_renumbered_swaps_with_the_seat_that_had_the_number(qtbot, backend):
    dialog = _open(qtbot, backend)
    dialog.chart.select(2)
    _key(dialog, Qt.Key.Key_N, ALT)
    _key(dialog, Qt.Key.Key_A, CTRL)
    QTest.keyClicks(dialog.focusWidget(), "7")
    _key(dialog, Qt.Key.Key_Return)
    assert (_seat(dialog, 7), _seat(dialog, 2)) == ((2, 0), (0, 2))
    assert dialog.status_label.text() == "Seats 2 and 7 swapped numbers."
    assert dialog.isVisible()  # Enter in the number box does not save the dialog
    assert dialog.chart.hasFocus()  # back to the chart, for the next seat
    _key(dialog, Qt.Key.Key_E, ALT)
    QTest.keyClicks(dialog.focusWidget(), "JM")
    _key(dialog, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.chart.hasFocus() and dialog.chart.labels == {7: "JM"}


def test_a_label_is_kept_on_the_chart_and_said_to_stay_on_this_laptop(qtbot, backend):
    dialog = _open(qtbot, backend)
    privacy = [w.text() for w in dialog.findChildren(type(dialog.status_label))
               if "stay on this laptop" in w.text()]
    assert privacy == ["Labels stay on this laptop: they go into no package and no PDF unless "
                       "you turn them on for that export. Seat numbers are enough; no names "
                       "are needed."]
    assert dialog.panel.label_edit.placeholderText() == "Optional, e.g. initials"
    _tab_into_chart(dialog)
    QTest.keyClicks(dialog.chart, "3")
    _key(dialog, Qt.Key.Key_E, ALT)
    type_text(dialog.focusWidget(), "AÉ")
    _save_by_keys(qtbot, dialog)
    observation_id = dialog._observation_id
    chart = backend.participation.find_chart(_teacher(backend, observation_id), CLASS, ROOM)
    assert chart.labels == {3: "AÉ"}
    item = _item(backend, observation_id)
    assert backend.participation.visit_labels(observation_id, item.id) == {3: "AÉ"}
    again = _open(qtbot, backend, observation_id)
    again.chart.select(3)
    assert again.panel.label_edit.text() == "AÉ" and again.chart.labels == {3: "AÉ"}


def _seated_with_a_contribution(backend) -> tuple[str, str]:
    observation_id = start_visit(backend, SLUG)
    item = _item(backend, observation_id)
    backend.participation.seat_visit(observation_id, item.id, grid_seats(2, 3))
    backend.participation.record_contribution(observation_id, item.id, 4, "a", elapsed_ms=60_000)
    return observation_id, item.id


def test_a_seat_with_a_contribution_is_not_removed(qtbot, backend):
    observation_id, item_id = _seated_with_a_contribution(backend)
    dialog = _open(qtbot, backend, observation_id)
    assert dialog.status_label.text() == "This lesson's seats, as laid out before."
    _tab_into_chart(dialog)
    QTest.keyClicks(dialog.chart, "4")
    _key(dialog, Qt.Key.Key_Delete)
    sentence = "Seat 4 has contributions in this visit; keep it on the chart (move it instead)."
    assert dialog.error_label.isVisible() and dialog.error_label.text() == sentence
    assert dialog.chart.seat(4) is not None
    _set_spin(dialog, Qt.Key.Key_R, 1)  # a layout without seat 4 is refused the same way
    _set_spin(dialog, Qt.Key.Key_C, 3)
    _key(dialog, Qt.Key.Key_O, ALT)
    assert dialog.error_label.text() == sentence and dialog.chart.seats() == grid_seats(2, 3)
    dialog.chart.select(4)  # nor is it renumbered: its contributions were logged under 4
    dialog.panel.number_spin.setValue(9)
    assert dialog.chart.selected == 4 and dialog.panel.number_spin.value() == 4
    assert dialog.error_label.text().startswith("Seat 4 has contributions in this visit, so")
    dialog.reject()


def test_a_contribution_logged_while_the_editor_was_open_is_kept_by_the_service(qtbot,
                                                                                backend):
    observation_id, item_id = _seated_with_a_contribution(backend)
    dialog = _open(qtbot, backend, observation_id)
    dialog.chart.select(5)
    qtbot.mouseClick(dialog.panel.remove_button, Qt.MouseButton.LeftButton)
    backend.participation.record_contribution(observation_id, item_id, 6, "q", elapsed_ms=90_000)
    dialog.chart.select(6)
    qtbot.mouseClick(dialog.panel.remove_button, Qt.MouseButton.LeftButton)
    _key(dialog, Qt.Key.Key_Return, CTRL)
    assert dialog.isVisible()  # refused: the sentence, and the chart as it was on screen
    assert dialog.error_label.text() == ("Seat 6 has contributions in this visit; keep it on "
                                         "the chart (move it instead).")
    assert [s.number for s in dialog.chart.seats()] == [1, 2, 3, 4]
    assert backend.participation.visit_seats(observation_id, item_id) == grid_seats(2, 3)
    dialog.reject()


def test_seats_imported_from_a_csv_file(qtbot, backend, tmp_path):
    roster = tmp_path / "8B seats.csv"
    roster.write_text("seat,label,row,column\n1,AK,1,1\n2,,1,3\n3,JM,,\n4,,,\n",
                      encoding="utf-8")
    dialog = _open(qtbot, backend)
    dialog.choose_csv = lambda: str(roster)
    _key(dialog, Qt.Key.Key_I, ALT)
    assert [(s.number, s.x, s.y) for s in dialog.chart.seats()] == [
        (1, 0, 0), (2, 2, 0), (3, 4, 0), (4, 6, 0)]
    assert dialog.chart.labels == {1: "AK", 3: "JM"}
    assert dialog.status_label.text() == "4 seats read from 8B seats.csv."
    _save_by_keys(qtbot, dialog)
    chart = backend.participation.find_chart(_teacher(backend, dialog._observation_id),
                                             CLASS, ROOM)
    assert len(chart.seats) == 4 and chart.labels == {1: "AK", 3: "JM"}


@pytest.mark.parametrize(("content", "said"), [
    (b"seat,label\n1,AK\n\x00\x01\x02", "is not a text file"),
    (b"seat,label\n1,AK\n2;BT\n", "line 3: the seat must be a whole number"),
    (b"name,label\nAnna,AK\n", "has no 'seat' column"),
    (b"seat\n" + b"1\n" * 40_000, "larger than a class's seat list can be"),
    (b"\xff\xfe" + "seat\n1\n".encode("utf-16-le"), "is not UTF-8 text"),
])
def test_a_hostile_csv_file_is_refused_and_nothing_changes(qtbot, backend, tmp_path, content,
                                                         said):
    bad = tmp_path / "seats.csv"
    bad.write_bytes(content)
    dialog = _open(qtbot, backend)
    dialog.chart.select(3)
    dialog.panel.label_edit.setText("LT")
    dialog.panel.label_edit.textEdited.emit("LT")
    before = (dialog.chart.seats(), dict(dialog.chart.labels))
    dialog.choose_csv = lambda: str(bad)
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.error_label.isVisible() and said in dialog.error_label.text()
    assert (dialog.chart.seats(), dialog.chart.labels) == before
    dialog.reject()


def test_groups_are_ticked_per_seat_when_the_protocol_has_them(qtbot, backend, tmp_path):
    document = json.loads((RESOURCES / f"{SLUG}.json").read_text(encoding="utf-8"))
    document["id"], document["name"] = "participation-groups", "Participation with groups"
    item = document["sections"][0]["items"][0]
    item["groups"] = ["Front tables", "Newcomers to English"]
    (tmp_path / "groups.json").write_text(json.dumps(document), encoding="utf-8")
    backend.protocols.import_file(tmp_path / "groups.json")
    dialog = _open(qtbot, backend, start_visit(backend, "participation-groups"))
    groups = dialog.panel.group_list
    assert dialog.panel.group_box.isVisible()
    assert [groups.item(n).text() for n in range(groups.count())] == ["Front tables",
                                                                      "Newcomers to English"]
    dialog.chart.select(2)
    _key(dialog, Qt.Key.Key_G, ALT)
    assert groups.hasFocus()
    _key(dialog, Qt.Key.Key_Space)  # the first group, current when the mnemonic focuses it
    second = groups.visualItemRect(groups.item(1))
    QTest.mouseClick(groups.viewport(), Qt.MouseButton.LeftButton,
                     pos=second.center() + QPoint(second.width() // 4, 0))  # on its name
    assert groups.ticked() == ["Front tables", "Newcomers to English"]
    _save_by_keys(qtbot, dialog)
    item_id = _item(backend, dialog._observation_id).id
    seats = backend.participation.visit_seats(dialog._observation_id, item_id)
    assert seats[1] == Seat(2, 2, 0, ("Front tables", "Newcomers to English"))
    assert all(not s.groups for s in seats if s.number != 2)


def test_no_groups_box_when_the_protocol_has_none(qtbot, backend):
    dialog = _open(qtbot, backend)
    assert not dialog.panel.group_box.isVisible() and dialog.panel.group_list.count() == 0


def test_the_teachers_page_opens_a_teacher_s_charts_and_makes_a_new_one(main_window, backend,
                                                                       qtbot):
    teacher = backend.people.add_person("Ana Lima", subject="Science")
    backend.participation.save_chart(teacher.id, "Science · Year 7", "Lab 2", grid_seats(2, 2))
    main_window.show_page(2)
    page = main_window.teachers_page
    page.reload()
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=5000)
    page.select_id(teacher.id)
    activate(main_window)
    choose_in_context_menu(page.table, "Seating charts…")
    charts = page.seating_dialog
    assert charts is not None
    qtbot.waitUntil(lambda: charts.chart_list.count() == 1, timeout=5000)
    assert charts.chart_list.item(0).text().startswith("Science · Year 7 · room Lab 2 — 4 seats")
    activate(charts)
    QTest.keyClick(charts.chart_list, Qt.Key.Key_Return)  # the chart chosen, by Enter
    editor = charts.editor
    assert editor is not None
    qtbot.waitUntil(lambda: editor.ready, timeout=5000)
    assert editor.chart.seats() == grid_seats(2, 2)
    editor.reject()
    qtbot.waitUntil(lambda: charts.editor is None, timeout=5000)

    activate(charts)
    QTest.keyClick(charts, Qt.Key.Key_C, ALT)
    type_text(charts.focusWidget(), "Science · Year 8")
    QTest.keyClick(charts, Qt.Key.Key_R, ALT)
    QTest.keyClicks(charts.focusWidget(), "12")
    QTest.keyClick(charts.focusWidget(), Qt.Key.Key_Return)
    editor = charts.editor
    assert editor is not None
    qtbot.waitUntil(lambda: editor.ready, timeout=5000)
    assert editor.context_label.text() == "Science · Year 8 · room 12"
    assert not editor.panel.group_box.isVisible()
    activate(editor)
    _save_by_keys(qtbot, editor)
    chart = backend.participation.find_chart(teacher.id, "Science · Year 8", "12")
    assert chart is not None and len(chart.seats) == 30
    qtbot.waitUntil(lambda: charts.chart_list.count() == 2, timeout=5000)
    assert charts.chart_list.item(0).text().startswith("Science · Year 8 · room 12")
    assert _unnamed(charts) == []
    charts.reject()


def test_tab_reaches_every_control_in_order_and_every_control_is_named(qtbot, backend):
    dialog = _open(qtbot, backend)
    panel = dialog.panel
    dialog.layout_combo.setFocus()
    seen = [dialog.focusWidget()]
    for _n in range(11):
        _key(dialog, Qt.Key.Key_Tab)
        seen.append(dialog.focusWidget())
    save, cancel = (dialog.buttons.button(b) for b in (dialog.buttons.StandardButton.Save,
                                                        dialog.buttons.StandardButton.Cancel))
    assert seen == [dialog.layout_combo, dialog.first_spin, dialog.second_spin,
                    dialog.lay_out_button, dialog.import_button, dialog.chart,
                    panel.number_spin, panel.label_edit, panel.add_button, panel.remove_button,
                    save, cancel]
    assert _unnamed(dialog) == []


def test_the_editor_fits_a_small_screen_with_nothing_cut_off(qtbot, backend):
    from tests.gui.test_small_screen import SMALL, cut_off, fits

    dialog = _open(qtbot, backend)
    dialog.fit_to(SMALL)
    QTest.qWait(50)
    assert fits(dialog.minimumSizeHint()) and fits(dialog.size())
    assert cut_off(dialog) == []
    assert dialog.chart.cell_rect(0, 0).width() >= 18  # a seat's number still reads
