"""Planning a round of peer observations by keys: tick teachers, propose, change one pairing,
create; then the database has the cycles of the pairs on screen, on the round's school days,
each observer's package is written, and the calendar too."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

from icalendar import Calendar
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from observe_app.gui import tasks
from observe_app.gui.round_dialog import RoundDialog, export_calendar, plan_round
from observe_app.services import cycles, exchange, rounds
from tests.gui.conftest import activate

ALT = Qt.KeyboardModifier.AltModifier
TEACHERS = [("Ana Lima", "Science"), ("Ben Okafor", "Art"), ("Cleo Park", "Music"),
            ("Dev Rao", "History"), ("Ella Stone", "Drama")]


def _open(qtbot, backend) -> tuple[RoundDialog, dict[str, str]]:
    ids = {name: backend.people.add_person(name, subject=subject).id
           for name, subject in TEACHERS}
    dialog = RoundDialog(backend)
    qtbot.addWidget(dialog)
    dialog.show()
    activate(dialog)
    qtbot.waitUntil(lambda: dialog.ready and not tasks.busy(), timeout=5000)
    return dialog, ids


def _wait(qtbot) -> None:
    qtbot.waitUntil(lambda: not tasks.busy(), timeout=10_000)
    QApplication.processEvents()


def _press(qtbot, dialog: RoundDialog, key: Qt.Key) -> None:
    """A button's Alt key, as a person presses it: Qt clicks the button a moment later
    (an animated click), and then its work runs on a worker."""
    QTest.keyClick(dialog, key, ALT)
    qtbot.wait(150)
    _wait(qtbot)


def test_plan_a_round_by_keys_and_the_cycles_are_the_pairs_shown(qtbot, backend, db,
                                                                 tmp_path: Path):
    dialog, ids = _open(qtbot, backend)
    QTest.keyClick(dialog, Qt.Key.Key_T, ALT)  # &Teachers in the round
    listed = dialog.teacher_list
    assert QApplication.focusWidget() is listed
    for _ in range(4):  # the first four, as listed (by name): Ana, Ben, Cleo, Dev
        QTest.keyClick(listed, Qt.Key.Key_Space)
        QTest.keyClick(listed, Qt.Key.Key_Down)
    assert dialog.chosen_label.text() == "4 of 5 chosen"
    _press(qtbot, dialog, Qt.Key.Key_S)  # Across &subjects
    assert dialog.across_check.isChecked()
    _press(qtbot, dialog, Qt.Key.Key_R)  # P&ropose pairings
    chosen = [ids[n] for n, _s in TEACHERS[:4]]
    proposed = dialog.pairs()
    assert sorted(o for o, _t in proposed) == sorted(chosen)
    assert sorted(t for _o, t in proposed) == sorted(chosen)
    assert dialog.warnings_label.isHidden()

    # The first pairing's combo has the focus: the coordinator changes who Ana observes.
    first = dialog.pairing_combos()[0]
    assert QApplication.focusWidget() is first
    before = first.currentData()
    QTest.keyClick(first, Qt.Key.Key_Down if first.currentIndex() < first.count() - 1
                   else Qt.Key.Key_Up)
    _wait(qtbot)
    pairs = dialog.pairs()
    assert pairs[0][1] != before
    # Now someone is observed twice and someone not at all: said, not refused.
    said = dialog.warnings_label.text()
    assert "is observed by 2 colleagues in this round" in said and "Nobody observes" in said

    _press(qtbot, dialog, Qt.Key.Key_C)  # &Create cycles
    assert len(dialog.cycle_ids) == 4 and dialog.error_label.isHidden()
    with db.transaction() as s:
        made = [cycles.get_summary(s, cid) for cid in dialog.cycle_ids]
    assert [(c.observer_id, c.teacher_id) for c in made] == pairs
    first_day = backend.clock.now().date() + dt.timedelta(days=7)  # the Monday after
    days = [c.planned_date for c in made]
    assert all(d is not None and first_day <= d <= first_day + dt.timedelta(days=11)
               and d.weekday() < 5 for d in days)
    assert {c.protocol_name for c in made} == {"Peer observation"}
    assert not dialog.create_button.isEnabled()  # not a second time

    # Each observer gets their own package, named after them and the round's first day.
    dialog.ask_folder = lambda: str(tmp_path)
    _press(qtbot, dialog, Qt.Key.Key_N)  # Se&nd packages to observers…
    files = sorted(p.name for p in tmp_path.glob("*.observe"))
    assert files == sorted(f"round-{name.lower().replace(' ', '-')}-{first_day.isoformat()}"
                           ".observe" for name, _s in TEACHERS[:4])
    ana = exchange.open_package(tmp_path / f"round-ana-lima-{first_day.isoformat()}.observe")
    assert ana.what == "cycle" and ana.ids == [dialog.cycle_ids[0]]
    assert "4 packages saved" in dialog.done_label.text()

    dialog.calendar.ask_path = lambda parent: str(tmp_path / "round.ics")
    _press(qtbot, dialog, Qt.Key.Key_D)  # Export calen&dar…
    events = Calendar.from_ical((tmp_path / "round.ics").read_bytes()).walk("VEVENT")
    assert sorted(str(e["UID"]) for e in events) == sorted(
        f"{cid}-visit@observe-app" for cid in dialog.cycle_ids)
    assert "4 events written" in dialog.done_label.text()


def test_bad_dates_and_too_few_teachers_are_said_and_nothing_is_made(qtbot, backend, db):
    dialog, _ids = _open(qtbot, backend)
    QTest.keyClick(dialog, Qt.Key.Key_T, ALT)
    QTest.keyClick(dialog.teacher_list, Qt.Key.Key_Space)  # one teacher only
    _press(qtbot, dialog, Qt.Key.Key_R)
    assert "at least two teachers" in dialog.error_label.text()
    assert not dialog.error_label.isHidden()
    _press(qtbot, dialog, Qt.Key.Key_A)  # Select &all
    assert dialog.chosen_label.text() == "5 of 5 chosen"
    _press(qtbot, dialog, Qt.Key.Key_R)
    assert dialog.error_label.isHidden() and len(dialog.pairs()) == 5
    # A last date before the first one: refused with what to do; nothing is created.
    QTest.keyClick(dialog, Qt.Key.Key_L, ALT)
    assert QApplication.focusWidget() is dialog.last_edit
    dialog.last_edit.setDate(dialog.first_edit.date().addDays(-3))
    _press(qtbot, dialog, Qt.Key.Key_C)
    assert "choose a last date on or after the first" in dialog.error_label.text()
    assert dialog.cycle_ids == [] and dialog.create_button.isEnabled()
    with db.transaction() as s:
        assert cycles.list_cycles(s) == []


def test_the_school_menu_opens_the_round_and_exports_the_calendar(qtbot, backend, main_window,
                                                                 tmp_path: Path, monkeypatch):
    menu = main_window.school_menu
    menu.menu.aboutToShow.emit()
    assert menu.round_action.isEnabled() and menu.calendar_action.isEnabled()
    menu.round_action.trigger()
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), RoundDialog),
                    timeout=5000)
    QApplication.activeModalWidget().close()

    with backend.database.transaction() as s:  # a round planned in the services
        a = backend.people.add_person("Ana Lima").id
        b = backend.people.add_person("Ben Okafor").id
        pairs = rounds.propose_pairings(s, [a, b]).pairings
    protocol = backend.protocols.find_protocol("peer-observation").id
    monday = dt.date(2026, 3, 9)
    backend.rounds.create_round(pairs, protocol, monday, monday + dt.timedelta(days=4))
    written_on: list[threading.Thread] = []
    real = backend.calendar.export_calendar

    def spy(path, **kwargs):  # type: ignore[no-untyped-def]
        written_on.append(threading.current_thread())
        return real(path, **kwargs)

    monkeypatch.setattr(backend.calendar, "export_calendar", spy)
    from observe_app.gui.calendar_actions import CalendarExport

    monkeypatch.setattr(CalendarExport, "ask_path",
                        lambda self, parent: str(tmp_path / "school.ics"))
    assert export_calendar(main_window, backend) is not None
    _wait(qtbot)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QMessageBox),
                    timeout=5000)
    box = QApplication.activeModalWidget()
    assert "2 events written" in box.text()
    box.close()
    assert (tmp_path / "school.ics").exists() and written_on
    assert threading.main_thread() not in written_on
    dialog = plan_round(main_window, backend)  # the School page's way in
    qtbot.waitUntil(lambda: dialog.ready, timeout=5000)
    assert dialog.isVisible() and dialog.teacher_list.count() == 2
    dialog.close()


def test_pairings_of_other_teachers_than_those_ticked_are_not_created(qtbot, backend, db):
    dialog, _ids = _open(qtbot, backend)
    _press(qtbot, dialog, Qt.Key.Key_A)  # Select &all
    _press(qtbot, dialog, Qt.Key.Key_R)  # P&ropose pairings
    assert len(dialog.pairs()) == 5 and dialog.create_button.isEnabled()
    QTest.keyClick(dialog, Qt.Key.Key_T, ALT)
    QTest.keyClick(dialog.teacher_list, Qt.Key.Key_Space)  # Ana leaves the round
    assert not dialog.create_button.isEnabled()
    assert "propose pairings again" in dialog.warnings_label.text()
    _press(qtbot, dialog, Qt.Key.Key_C)
    with db.transaction() as s:
        assert cycles.list_cycles(s) == []
    _press(qtbot, dialog, Qt.Key.Key_R)
    assert len(dialog.pairs()) == 4 and dialog.create_button.isEnabled()
    _press(qtbot, dialog, Qt.Key.Key_C)
    with db.transaction() as s:
        assert len(cycles.list_cycles(s)) == 4
