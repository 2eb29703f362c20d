"""Co-observation and calibration in the window: co-observers chosen when planning and in the
pre-conference, a co-observer's visit started from the dialog, a visit rated and handed in on
the Calibration tab (and its package written), two laptops that see nothing of each other's
visit until both are in, three observers at once, and one observer's drift."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog

from observe_app import cli
from observe_app.gui import tasks
from observe_app.gui.backend import Backend
from observe_app.gui.dialogs import CycleDialog, StartObservationDialog
from observe_app.gui.review.calibration_models import (
    CodeAgreementTableModel,
    CountPairsTableModel,
    DriftTableModel,
    GroupRatingsTableModel,
    LessonObserversTableModel,
    RatingPairsTableModel,
    SeenPairsTableModel,
)
from observe_app.gui.review.cycle_view import CycleView
from observe_app.services import co_observation, exchange
from tests.exchange.replicas import Laptops
from tests.gui.calibration_helpers import people, plan_co_observed, record, rubric, texts
from tests.gui.conftest import (
    FakeClock,
    activate,
    choose_in_context_menu,
    shown_window,
    type_text,
)
from tests.gui.review_helpers import open_from_cycles_page
from tests.reports.pdf_helpers import pdftotext

ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier


def _idle(qtbot) -> None:
    qtbot.waitUntil(lambda: not tasks.busy(), timeout=10_000)


def _shown_items(widget) -> list[str]:
    return [widget.item(n).text() for n in range(widget.count()) if not widget.item(n).isHidden()]


def _lesson(db, cycle_id):
    with db.transaction() as s:
        return co_observation.lesson(s, cycle_id)


def _open_view(qtbot, backend, cycle_id) -> CycleView:
    view = CycleView(backend, cycle_id)
    qtbot.addWidget(view)
    view.resize(1280, 720)
    view.show()
    activate(view)
    _idle(qtbot)
    return view


# -- choosing co-observers ---------------------------------------------------------------------

def test_co_observers_chosen_by_keys_when_planning_land_in_the_database(qtbot, backend, db):
    ben, anna, carla, dev = people(backend)
    dialog = CycleDialog(backend, ben.id)
    qtbot.addWidget(dialog)
    dialog.show()
    activate(dialog)
    qtbot.waitUntil(lambda: dialog.ready and not tasks.busy(), timeout=5000)
    ui = dialog.ui
    QTest.keyClick(dialog, Qt.Key.Key_B, ALT)  # O&bserver
    QTest.keyClicks(ui.observer_combo, "Anna")
    QTest.keyClick(dialog, Qt.Key.Key_S, ALT)  # Co-ob&servers
    assert QApplication.focusWidget() is ui.co_observer_list
    # The teacher and the observer are not offered; the key never lands on a hidden row.
    assert _shown_items(ui.co_observer_list) == ["Carla Ruiz", "Dev Patel"]
    assert ui.co_observer_list.currentItem().text() == "Carla Ruiz"
    QTest.keyClick(ui.co_observer_list, Qt.Key.Key_Space)
    QTest.keyClick(ui.co_observer_list, Qt.Key.Key_Down)
    QTest.keyClick(ui.co_observer_list, Qt.Key.Key_Space)  # Dev ticked…
    QTest.keyClick(ui.co_observer_list, Qt.Key.Key_Space)  # …and unticked
    assert dialog.co_observers.ticked_ids() == [carla.id]
    QTest.keyClick(ui.co_observer_list, Qt.Key.Key_Return, CTRL)
    assert dialog.result() == QDialog.DialogCode.Accepted
    cycle = dialog.result_view
    with db.transaction() as s:
        assert co_observation.co_observer_ids(s, cycle.id) == [carla.id]
    assert cycle.observer_id == anna.id and dev.id not in _lesson(db, cycle.id).observers


def test_someone_made_the_observer_is_no_longer_a_co_observer(qtbot, backend, db):
    ben, _anna, carla, _dev = people(backend)
    dialog = CycleDialog(backend, ben.id)
    qtbot.addWidget(dialog)
    dialog.show()
    activate(dialog)
    qtbot.waitUntil(lambda: dialog.ready and not tasks.busy(), timeout=5000)
    dialog.co_observers.set_ticked({carla.id})
    QTest.keyClick(dialog, Qt.Key.Key_B, ALT)
    QTest.keyClicks(dialog.ui.observer_combo, "Carla")
    assert "Carla Ruiz" not in _shown_items(dialog.ui.co_observer_list)
    QTest.keyClick(dialog.ui.observer_combo, Qt.Key.Key_Return, CTRL)
    assert dialog.result() == QDialog.DialogCode.Accepted
    with db.transaction() as s:
        assert co_observation.co_observer_ids(s, dialog.result_view.id) == []


def test_co_observers_ticked_in_the_pre_conference_and_kept_once_they_have_a_visit(
        main_window, backend, db):
    ben, anna, carla, dev = people(backend)
    cycle = plan_co_observed(backend, ben, anna, [])
    view = open_from_cycles_page(main_window, cycle.id)
    assert view.tabs.indexOf(view.calibration) < 0  # not co-observed: no Calibration tab
    ui = view.pre
    QTest.keyClick(view, Qt.Key.Key_F, ALT)  # into the form (&Focus), then Co-obse&rvers
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_R, ALT)  # (Alt+S: the School page)
    assert QApplication.focusWidget() is ui.co_observer_list
    assert _shown_items(ui.co_observer_list) == ["Carla Ruiz", "Dev Patel"]
    QTest.keyClicks(ui.co_observer_list, "D")  # the list finds the name typed
    QTest.keyClick(ui.co_observer_list, Qt.Key.Key_Space)
    with db.transaction() as s:
        assert co_observation.co_observer_ids(s, cycle.id) == [dev.id]
    assert view.tabs.indexOf(view.calibration) >= 0
    assert ui.status_label.text() == "Saved."

    # Once Dev has recorded the lesson, unticking him is refused and said; he stays ticked.
    record(backend, cycle.id, dev.id, "Dev's note")
    QTest.keyClick(ui.co_observer_list, Qt.Key.Key_Space)
    assert "already recorded the lesson" in ui.status_label.text()
    assert view.co_observers.ticked_ids() == [dev.id]
    with db.transaction() as s:
        assert co_observation.co_observer_ids(s, cycle.id) == [dev.id]
    # Nor can a co-observer be made the observer: said, and the observer stays.
    QTest.keyClick(ui.co_observer_list, Qt.Key.Key_B, ALT)  # O&bserver
    QTest.keyClicks(ui.observer_combo, "Dev")
    assert ui.observer_combo.currentData() == dev.id
    ui.save_button.click()
    assert "co-observes this lesson" in ui.status_label.text()
    assert backend.cycles.get_summary(cycle.id).observer_id == anna.id
    assert carla.id not in view.co_observers.ticked_ids()
    while ui.observer_combo.currentData() != anna.id:  # back: the form saves, can be left
        QTest.keyClick(ui.observer_combo, Qt.Key.Key_Up)
    ui.save_button.click()
    assert ui.status_label.text() == "Saved."


# -- who is observing ------------------------------------------------------------------------

def test_a_co_observer_starts_their_visit_from_the_dialog(qtbot, backend, db):
    ben, anna, carla, _dev = people(backend)
    cycle = plan_co_observed(backend, ben, anna, [carla])
    dialog = StartObservationDialog(backend, cycle)
    qtbot.addWidget(dialog)
    dialog.show()
    activate(dialog)
    qtbot.waitUntil(lambda: dialog.ready, timeout=5000)
    combo = dialog.ui.observer_combo
    assert combo.isVisible()
    assert [combo.itemText(n) for n in range(combo.count())] == [
        "Choose who is observing", "Anna Lindqvist (observer)", "Carla Ruiz (co-observer)"]
    # Nobody is chosen for you: Start right away asks who is observing.
    QTest.keyClick(dialog, Qt.Key.Key_Return, CTRL)
    assert dialog.isVisible() and "Choose who is observing" in dialog.ui.error_label.text()
    assert _lesson(db, cycle.id).visits == ()
    QTest.keyClick(dialog, Qt.Key.Key_W, ALT)  # &Who is observing
    assert QApplication.focusWidget() is combo
    QTest.keyClick(combo, Qt.Key.Key_Down)
    QTest.keyClick(combo, Qt.Key.Key_Down)
    QTest.keyClick(combo, Qt.Key.Key_Return, CTRL)
    assert dialog.result() == QDialog.DialogCode.Accepted
    [visit] = _lesson(db, cycle.id).visits
    assert visit.observer_id == carla.id and visit.observation_id == dialog.result_view.id


def test_a_lesson_nobody_co_observes_does_not_ask_who_is_observing(qtbot, backend, db):
    ben, anna, _carla, _dev = people(backend)
    cycle = plan_co_observed(backend, ben, anna, [])
    dialog = StartObservationDialog(backend, cycle)
    qtbot.addWidget(dialog)
    dialog.show()
    activate(dialog)
    qtbot.waitUntil(lambda: dialog.ready and not tasks.busy(), timeout=5000)
    assert not dialog.ui.observer_combo.isVisible()
    QTest.keyClick(dialog.ui.subject_edit, Qt.Key.Key_Return, CTRL)
    assert dialog.result() == QDialog.DialogCode.Accepted
    from observe_app.services import observations

    with db.transaction() as s:
        [visit] = observations.list_observations(s, cycle.id)
    assert visit.id == dialog.result_view.id


# -- rating a visit and handing it in --------------------------------------------------------

def test_rate_from_the_visit_hand_in_and_the_package_is_written(
        main_window, backend, db, qtbot, tmp_path, monkeypatch, open_live):
    ben, anna, carla, _dev = people(backend)
    cycle = plan_co_observed(backend, ben, anna, [carla])
    items = rubric(backend, cycle.id)
    # Carla records the lesson live, by keys: a note tagged to the first rubric item, then End.
    visit = backend.observations.start_observation(
        cycle.id, subject="Mathematics", now=backend.clock.now(), observer_id=carla.id).id
    live = open_live("new-teacher-growth", observation_id=visit)
    assert live.keys[items[0].id] == "Ctrl+1" and live.by_co_observer
    type_text(live.note_edit, "Carla's note: six hands up")
    QTest.keyClick(live.note_edit, Qt.Key.Key_1, CTRL)
    QTest.keyClick(live.note_edit, Qt.Key.Key_Return)
    with qtbot.waitSignal(live.observation_ended):
        QTest.keyClick(live.note_edit, Qt.Key.Key_E, CTRL)
    live.close()
    # Her visit is calibration's: the observer's cycle keeps its stage and gets no feedback.
    detail = backend.cycles.get_cycle(cycle.id)
    assert detail.summary.stage == cycle.stage and detail.feedback == ()
    view = open_from_cycles_page(main_window, cycle.id)
    # A co-observer's laptop opens the cycle where their work is; the teacher's ratings,
    # feedback and stages are left to the observer.
    assert view.tabs.currentWidget() is view.calibration
    assert not view.rating.editable and not view.next_button.isVisible()
    assert "The teacher's ratings and feedback are Anna Lindqvist's" in view.message_label.text()
    panel = view.calibration
    qtbot.waitUntil(lambda: bool(panel.level_combos), timeout=10_000)
    assert "Carla's note: six hands up" in texts(panel)  # her own evidence, under the item
    states = {r.name: r.state for r in panel.observers_model._rows}
    assert states == {"Anna Lindqvist": "waiting for Anna Lindqvist's visit",
                      "Carla Ruiz": "recorded here, not handed in"}

    # By keys: a level typed, one chosen with the arrows, one "not observed".
    combos = [panel.level_combos[(visit, item.id)] for item in items]
    combos[0].setFocus()
    QTest.keyClicks(combos[0], "3")
    QTest.keyClick(combos[0], Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is combos[1]
    QTest.keyClick(combos[1], Qt.Key.Key_Down)
    QTest.keyClick(combos[1], Qt.Key.Key_Down)
    QTest.keyClick(combos[1], Qt.Key.Key_Tab)
    QTest.keyClick(combos[2], Qt.Key.Key_End)
    with db.transaction() as s:
        rated = co_observation.visit_ratings(s, visit)
    assert (rated[items[0].id].level, rated[items[1].id].level) == (3, 2)
    assert rated[items[2].id].not_observed and rated[items[2].id].level is None
    assert items[3].id not in rated

    # Then a click: asked first (the visit stops changing), handed in, then the Send dialog.
    asked = []
    panel.confirm = lambda title, text: asked.append(text) or True
    target = tmp_path / "carla-visit.observe"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "")))
    qtbot.mouseClick(panel.hand_in_buttons[visit], Qt.MouseButton.LeftButton)
    assert f"{len(items) - 3} rubric items have no level yet" in asked[0]
    assert "no longer change" in asked[0]
    [handed] = [v for v in _lesson(db, cycle.id).visits if v.observation_id == visit]
    assert handed.handed_in_at is not None
    dialog = main_window.exchange.send_dialog
    assert dialog is not None
    activate(dialog)
    QTest.keyClick(dialog.choose_button, Qt.Key.Key_Space)  # the file chooser (patched)
    dialog.sender_edit.clear()
    type_text(dialog.sender_edit, "Carla")
    QTest.keyClick(dialog.sender_edit, Qt.Key.Key_Return)
    _idle(qtbot)
    assert dialog.result_package is not None, dialog.message_label.text()
    rows = exchange.open_package(target).rows
    [sent_visit] = [r.values for r in rows if r.table == "observations"]
    assert sent_visit["id"] == visit and sent_visit["handed_in_at"]
    assert {r.values["level"] for r in rows if r.table == "visit_ratings"} >= {3, 2}
    dialog.reject()

    # Handed in: nothing left to rate here, and the tab says so.
    qtbot.waitUntil(lambda: not panel.level_combos, timeout=10_000)
    states = {r.name: r.state for r in panel.observers_model._rows}
    assert states["Carla Ruiz"] == "handed in 2 Mar"
    assert "waiting for Anna Lindqvist's visit." in panel.state_label.text()


def test_an_open_visit_is_not_handed_in(qtbot, backend):
    ben, anna, carla, _dev = people(backend)
    cycle = plan_co_observed(backend, ben, anna, [carla])
    visit = record(backend, cycle.id, carla.id, "still going", end=False)
    view = _open_view(qtbot, backend, cycle.id)
    panel = view.calibration
    assert not panel.hand_in_buttons[visit].isEnabled()
    assert "still open" in texts(panel)


# -- two laptops -----------------------------------------------------------------------------

@pytest.fixture
def laptops(tmp_path: Path):
    made = Laptops(tmp_path / "laptops")
    yield made
    made.close()


def _send_from_dialog(qtbot, window, target: Path, sender: str) -> None:
    """The Send dialog that is up: a file, the sender's name, Enter; then closed."""
    dialog = window.exchange.send_dialog
    assert dialog is not None
    activate(dialog)
    dialog.path_edit.setText(str(target))
    dialog.sender_edit.clear()
    type_text(dialog.sender_edit, sender)
    QTest.keyClick(dialog.sender_edit, Qt.Key.Key_Return)
    _idle(qtbot)
    assert dialog.result_package is not None, dialog.message_label.text()
    dialog.reject()
    qtbot.waitUntil(lambda: window.exchange.send_dialog is None)


def _receive_in_window(qtbot, window, monkeypatch, package: Path) -> None:
    """Receive… (Ctrl+Shift+R) on `package`, then Receive in the preview."""
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(package), "")))
    window.show_page(0)
    activate(window)
    QTest.keyClick(window.observe_page.table, Qt.Key.Key_R,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: window.exchange.preview_dialog is not None, timeout=20_000)
    dialog = window.exchange.preview_dialog
    activate(dialog)
    QTest.keyClick(dialog.receive_button, Qt.Key.Key_Return)  # Receive
    _idle(qtbot)
    assert dialog.result_preview is not None, dialog.message_label.text()
    QTest.keyClick(dialog.receive_button, Qt.Key.Key_Return)  # Close
    qtbot.waitUntil(lambda: window.exchange.preview_dialog is None)


def _record_in_window(qtbot, window, cycle_id: str, observer: str, note: str,
                      levels) -> tuple[str, CycleView]:
    """A visit as its observer makes it: Start (choosing who is observing by keys), a note
    typed and tagged to the first rubric item, End; then the cycle opened from the Cycles
    page and the levels chosen by keys on its Calibration tab (None: not observed)."""
    backend = window.backend
    dialog = StartObservationDialog(backend, backend.cycles.get_summary(cycle_id), window)
    dialog.show()
    activate(dialog)
    qtbot.waitUntil(lambda: dialog.ready, timeout=5000)
    QTest.keyClick(dialog, Qt.Key.Key_W, ALT)  # &Who is observing
    combo = dialog.ui.observer_combo
    for _ in range(combo.findText(observer, Qt.MatchFlag.MatchStartsWith)):
        QTest.keyClick(combo, Qt.Key.Key_Down)
    QTest.keyClick(combo, Qt.Key.Key_Return, CTRL)
    assert dialog.result_view is not None, dialog.ui.error_label.text()
    visit = dialog.result_view.id
    window.open_observation(visit)  # what Start's accepted dialog leads to
    live = window.live_view
    live.confirm_end = lambda: True
    activate(window)
    assert QApplication.focusWidget() is live.note_edit
    type_text(live.note_edit, note)
    QTest.keyClick(live.note_edit, Qt.Key.Key_1, CTRL)
    QTest.keyClick(live.note_edit, Qt.Key.Key_Return)
    with qtbot.waitSignal(live.observation_ended):
        QTest.keyClick(live.note_edit, Qt.Key.Key_E, CTRL)
    view = open_from_cycles_page(window, cycle_id)
    view.tabs.setCurrentWidget(view.calibration)
    panel = view.calibration
    qtbot.waitUntil(lambda: any(v == visit for v, _item in panel.level_combos), timeout=10_000)
    for item, level in zip(rubric(backend, cycle_id), levels, strict=False):
        combo = panel.level_combos[(visit, item.id)]
        combo.setFocus()
        if level is None:
            QTest.keyClick(combo, Qt.Key.Key_End)  # not observed
        else:
            QTest.keyClicks(combo, str(level))
    return visit, view


def _hand_in(qtbot, view: CycleView, visit: str) -> None:
    """Hand in and send… clicked and confirmed: the Send dialog opens."""
    panel = view.calibration
    panel.confirm = lambda title, text: True
    with qtbot.waitSignal(panel.send_requested, timeout=5000) as sent:
        qtbot.mouseClick(panel.hand_in_buttons[visit], Qt.MouseButton.LeftButton)
    assert sent.args == [view.cycle_id]


def test_two_laptops_record_the_lesson_in_the_window_and_see_nothing_of_the_other_until_in(
        qtbot, laptops, tmp_path, capsys, monkeypatch):
    anna_db, carla_db = laptops.new("anna"), laptops.new("carla")
    on_anna, on_carla = Backend(anna_db, FakeClock()), Backend(carla_db, FakeClock())
    anna_win, carla_win = shown_window(qtbot, on_anna), shown_window(qtbot, on_carla)
    ben, anna, carla, _dev = people(on_anna)
    cycle = plan_co_observed(on_anna, ben, anna, [carla])
    # Anna sends the planned cycle from its page; Carla receives it.
    planned = open_from_cycles_page(anna_win, cycle.id)
    qtbot.mouseClick(planned.send_button, Qt.MouseButton.LeftButton)
    _send_from_dialog(qtbot, anna_win, tmp_path / "planned.observe", "Anna")
    _receive_in_window(qtbot, carla_win, monkeypatch, tmp_path / "planned.observe")

    # Carla records the lesson, rates it, hands it in and sends it; it reaches Anna's laptop.
    carla_visit, carla_view = _record_in_window(qtbot, carla_win, cycle.id, "Carla Ruiz",
                                                "Carla's note", [3, 2, 2, None])
    _hand_in(qtbot, carla_view, carla_visit)
    _send_from_dialog(qtbot, carla_win, tmp_path / "carla.observe", "Carla")
    _receive_in_window(qtbot, anna_win, monkeypatch, tmp_path / "carla.observe")
    anna_visit, view = _record_in_window(qtbot, anna_win, cycle.id, "Anna Lindqvist",
                                         "Anna's note", [3, 3, 1, 2])
    with anna_db.transaction() as s:
        levels = {r.level for r in co_observation.visit_ratings(s, anna_visit).values()}
    assert levels == {1, 2, 3}

    # Anna's window: whom it waits for, her own levels, nothing of Carla's visit.
    panel = view.calibration
    assert panel.state_label.text() == (
        "The figures open once every observer's visit is here and handed in: waiting for "
        "Anna Lindqvist's visit to be handed in.")
    states = {r.name: r.state for r in panel.observers_model._rows}
    assert states == {"Anna Lindqvist": "recorded here, not handed in",
                      "Carla Ruiz": "handed in 2 Mar"}
    assert {v for v, _item in panel.level_combos} == {anna_visit}
    assert panel.agreement_widget is None
    for tab in range(view.tabs.count()):
        view.tabs.setCurrentIndex(tab)
        _idle(qtbot)
        assert "Carla's note" not in texts(view), view.tabs.tabText(tab)
    view.tabs.setCurrentWidget(view.calibration)

    # Anna hands hers in and sends it: the figures open on her laptop.
    _hand_in(qtbot, view, anna_visit)
    _send_from_dialog(qtbot, anna_win, tmp_path / "anna.observe", "Anna")
    qtbot.waitUntil(lambda: panel.agreement_widget is not None, timeout=10_000)
    shown = texts(panel)
    assert "Within one level: 100 % — above the 80 % CLASS asks of its observers" in shown
    assert "Exact agreement: 33 %" in shown
    model = panel.agreement_widget.ratings_model
    pairs = {model.display(r, model.Column.ITEM): (model.display(r, model.Column.A_LEVEL)[:1],
                                                   model.display(r, model.Column.B_LEVEL)[:1])
             for r in model._rows}
    assert sorted(pairs.values())[:3] in (
        [("1", "2"), ("3", "2"), ("3", "3")], [("2", "1"), ("2", "3"), ("3", "3")])
    assert "Anna's note" in shown and "Carla's note" in shown

    # The calibration PDF from the tab, and the command line's figures, say the same.
    out = tmp_path / "calibration.pdf"
    panel.export.choose_path = lambda suggested: str(out)
    qtbot.mouseClick(panel.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.export_label.text().startswith("Saved"), timeout=20_000)
    pdf = pdftotext(out)
    assert "Anna Lindqvist" in pdf and "Carla Ruiz" in pdf and "Anna's note" in pdf
    assert "Within one level: 100 %" in " ".join(pdf.split())
    assert cli.main(["--data-dir", str(anna_db.path.parent), "calibration", "--cycle",
                     cycle.id, "--json"]) == 0
    [json_pair] = json.loads(capsys.readouterr().out)["pairs"]
    assert json_pair["ratings"]["within_one"]["value"] == 1.0
    assert json_pair["ratings"]["exact"]["value"] == pytest.approx(1 / 3)

    # Carla's tab waits for Anna's visit, then opens as her package arrives.
    carla_panel = carla_view.calibration
    qtbot.waitUntil(lambda: carla_panel.read_model is not None, timeout=10_000)
    assert "waiting for Anna Lindqvist's visit." in carla_panel.state_label.text()
    assert "Anna's note" not in texts(carla_view)
    _receive_in_window(qtbot, carla_win, monkeypatch, tmp_path / "anna.observe")
    carla_view = open_from_cycles_page(carla_win, cycle.id)
    assert carla_view.tabs.currentWidget() is carla_view.calibration
    carla_panel = carla_view.calibration
    qtbot.waitUntil(lambda: carla_panel.agreement_widget is not None, timeout=10_000)
    assert "Within one level: 100 %" in texts(carla_panel)
    assert "Anna's note" in texts(carla_panel)


# -- three observers, the models, drift --------------------------------------------------------

def _three_observed(backend):
    """A lesson three observers recorded on this laptop and handed in: (cycle, people)."""
    ben, anna, carla, dev = people(backend)
    cycle = plan_co_observed(backend, ben, anna, [carla, dev])
    for person, levels in ((anna, [3, 3, 1, 2]), (carla, [3, 2, 2, None]),
                           (dev, [2, 2, 4, 2])):
        visit = record(backend, cycle.id, person.id, f"{person.name}'s note", levels)
        backend.co_observation.hand_in(visit, now=backend.clock.now())
    return cycle, (ben, anna, carla, dev)


def test_three_observers_show_the_group_and_any_two_side_by_side(qtbot, backend):
    cycle, _people = _three_observed(backend)
    view = _open_view(qtbot, backend, cycle.id)
    view.tabs.setCurrentWidget(view.calibration)
    panel = view.calibration
    qtbot.waitUntil(lambda: panel.agreement_widget is not None, timeout=10_000)
    widget = panel.agreement_widget
    shown = texts(panel)
    assert "All 3 observers" in shown and "Fleiss' kappa" in shown
    assert "Krippendorff's alpha" in shown
    combo = widget.pair_combo
    assert combo.count() == 3 and combo.isVisible()
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_M, ALT)  # Co&mpare
    assert QApplication.focusWidget() is combo
    QTest.keyClick(combo, Qt.Key.Key_Down)
    assert widget.ratings_model.names == tuple(combo.currentText().split(" and "))


def test_calibration_models_pass_the_model_tester(qtmodeltester, backend):
    cycle, _people = _three_observed(backend)
    found = backend.calibration.lesson_agreement(cycle.id)
    pair = found.pairs[0]
    words = backend.calibration
    names = (pair.a_name, pair.b_name)
    ratings = RatingPairsTableModel(words)
    ratings.set_pair(names, pair.ratings, {})
    seen = SeenPairsTableModel(words)
    seen.set_pair(names, pair.seen)
    counts = CountPairsTableModel(words)
    counts.set_pair(names, pair.counts)
    codes = CodeAgreementTableModel(words)
    codes.set_rows([c for s in pair.scans for c in s.codes])
    group = GroupRatingsTableModel()
    assert found.group is not None
    group.set_rows(found.group.names, found.group.ratings)
    drift = DriftTableModel(words)
    drift.set_rows(backend.calibration.observer_agreement(cycle.observer_id).lessons)
    observers = LessonObserversTableModel()
    for model in (ratings, seen, counts, codes, group, drift, observers):
        qtmodeltester.check(model, force_py=True)
    assert ratings.rowCount() == len(rubric(backend, cycle.id))
    assert group.columnCount() == 4 and drift.rowCount() == 1


def test_an_observer_s_calibration_over_time_from_the_teachers_page(main_window, backend,
                                                                     qtbot, tmp_path):
    _cycle, (_ben, _anna, carla, _dev) = _three_observed(backend)
    main_window.show_page(2)
    page = main_window.teachers_page
    page.reload()
    qtbot.waitUntil(lambda: page.model.rowCount() == 4, timeout=5000)
    page.select_id(carla.id)
    activate(main_window)
    choose_in_context_menu(page.table, "Calibration as an observer…")  # as the Menu key does
    dialog = page.calibration_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.found is not None, timeout=10_000)
    assert dialog.windowTitle() == "Calibration of Carla Ruiz"
    assert dialog.model.rowCount() == 1
    row = dialog.model.row_at(0)
    assert row.teacher_name == "Ben Okafor"
    assert set(row.with_names) == {"Anna Lindqvist", "Dev Patel"}
    assert [s.name for s in dialog.chart.series] == ["Within one level", "Weighted kappa"]
    assert "1 co-observed lesson." in dialog.status_label.text()
    out = tmp_path / "drift.pdf"
    dialog.export.choose_path = lambda suggested: str(out)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.status_label.text().startswith("Saved"), timeout=20_000)
    assert "Carla Ruiz" in pdftotext(out)
    dialog.reject()


def test_the_calibration_tab_fits_a_small_screen_in_both_states(qtbot, backend):
    from observe_app.gui.main_window import MainWindow
    from tests.gui.test_small_screen import SMALL, cut_off, fits

    ben, anna, carla, _dev = people(backend)
    cycle = plan_co_observed(backend, ben, anna, [carla])
    carla_visit = record(backend, cycle.id, carla.id, "Carla's note, long enough to wrap "
                         "over two lines in a narrow column of the table " * 2, [3, 2, 2])
    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(SMALL)
    window.show()
    window.attach(backend)
    activate(window)

    def check(wanted) -> None:
        view = window.review.open_cycle(cycle.id)
        view.tabs.setCurrentWidget(view.calibration)
        qtbot.waitUntil(lambda: wanted(view.calibration), timeout=10_000)
        QTest.qWait(100)  # the layouts settle
        assert window.size() == SMALL and fits(window.minimumSizeHint())
        assert cut_off(view.calibration) == []
        window.review.close_all()

    check(lambda panel: bool(panel.level_combos))
    backend.co_observation.hand_in(carla_visit, now=backend.clock.now())
    anna_visit = record(backend, cycle.id, anna.id, "Anna's note", [3, 3, 1])
    backend.co_observation.hand_in(anna_visit, now=backend.clock.now())
    check(lambda panel: panel.agreement_widget is not None)


def test_sending_a_cycle_says_which_visit_it_leaves_out_until_handed_in(main_window, backend):
    ben, anna, carla, _dev = people(backend)
    cycle = plan_co_observed(backend, ben, anna, [carla])
    record(backend, cycle.id, carla.id, "Carla's note", [3])
    main_window.exchange.send_cycle(cycle.id)
    dialog = main_window.exchange.send_dialog
    assert dialog is not None and dialog.left_out_label.isVisible()
    assert dialog.left_out_label.text().startswith(
        "Left out until handed in on the Calibration tab: the visit of Carla Ruiz")
    dialog.reject()
