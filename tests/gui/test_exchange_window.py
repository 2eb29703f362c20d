"""Send… and Receive… in the window: a package written from the Cycles page, one received
through its preview, a protected one opened after a wrong passphrase, Cancel and refusals."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog

from observe_app.domain.enums import CycleStage
from observe_app.gui import tasks
from observe_app.services import cycles, exchange, people
from observe_app.storage.opening import open_database
from tests.gui.conftest import activate, choose_in_context_menu, type_text
from tests.gui.review_helpers import people_and_cycle, visit

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def _wait_idle(qtbot) -> None:
    qtbot.waitUntil(lambda: not tasks.busy(), timeout=20_000)


@pytest.fixture
def other_folder(tmp_path: Path):
    """A second laptop's data folder with one cycle (3 notes) of a teacher not here."""
    from observe_app.services import notes, observations, protocols

    folder = tmp_path / "colleague"
    folder.mkdir()
    database = open_database(folder)
    with database.transaction() as s:
        protocols.install_builtins(s)
        version = protocols.find_protocol(s, "peer-observation").latest_version_id
        teacher = people.add_person(s, "Rosa Tavares", subject="Geography")
        observer = people.add_person(s, "Lukas Berg")
        cycle = cycles.plan_cycle(s, teacher_id=teacher.id, observer_id=observer.id,
                                  protocol_version_id=version, focus="Maps as evidence")
        obs = observations.start_observation(s, cycle.id, subject="Geography")
        for n in range(3):
            notes.add_note(s, obs.id, f"Students compare two maps, step {n}",
                           wall_time=obs.started_at, elapsed_ms=n * 1000)
    yield database, cycle.id
    database.close()


def _package_from(other_folder, out: Path, passphrase: str | None = None) -> str:
    database, cycle_id = other_folder
    with database.transaction() as s:
        exchange.send_cycle(s, cycle_id, out, sender="Lukas Berg", passphrase=passphrase)
    return cycle_id


def _cycle_ids(db) -> set[str]:
    with db.transaction() as s:
        return {c.id for c in cycles.list_cycles(s)}


def test_send_a_cycle_from_the_cycles_page(main_window, backend, qtbot, tmp_path, monkeypatch):
    _t, _o, _v, cycle = people_and_cycle(backend)
    visit(backend, cycle.id, notes=[("Waits five seconds after a question", 30, [])])
    target = tmp_path / "out" / "for-aino.observe"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "")))
    main_window.show_page(1)
    page = main_window.cycles_page
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    page.table.setCurrentIndex(page.model.index(0, 0))
    activate(main_window)
    choose_in_context_menu(page.table, "Send this cycle to a colleague…")
    dialog = main_window.exchange.send_dialog
    activate(dialog)  # keys go where a person's would: to the dialog on top
    assert dialog is not None and "Aino Mäkelä" in dialog.findChild(type(dialog.intro_label),
                                                                     "dialogTitle").text()
    assert Path(dialog.path_edit.text()).name.startswith("cycle-aino-makela-")
    type_text(dialog.sender_edit, "Νίκος")
    QTest.keyClick(dialog.choose_button, Qt.Key.Key_Space)  # the file chooser (patched)
    assert dialog.path_edit.text() == str(target)
    QTest.keyClick(dialog.sender_edit, Qt.Key.Key_Return)  # Send
    _wait_idle(qtbot)
    assert dialog.result_package is not None, dialog.message_label.text()
    assert str(target) in dialog.message_label.text()
    assert "1 cycle and 1 note" in dialog.message_label.text()
    assert str(target) in main_window.statusBar().currentMessage()
    opened = exchange.open_package(target)
    assert opened.sender == "Νίκος" and cycle.id in opened.ids
    QTest.keyClick(dialog.send_button, Qt.Key.Key_Return)  # Close
    qtbot.waitUntil(lambda: main_window.exchange.send_dialog is None)
    # The name is remembered for the next package.
    main_window.exchange.send_everything()
    assert main_window.exchange.send_dialog.sender_edit.text() == "Νίκος"
    main_window.exchange.send_dialog.reject()


def test_a_protected_package_needs_the_same_passphrase_twice(main_window, backend, qtbot,
                                                              tmp_path):
    people_and_cycle(backend)
    main_window.show_page(1)
    page = main_window.cycles_page
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    page.table.setCurrentIndex(page.model.index(0, 0))
    main_window.exchange.send_cycle_action.trigger()
    dialog = main_window.exchange.send_dialog
    activate(dialog)
    target = tmp_path / "sealed.observe"
    dialog.path_edit.setText(str(target))
    type_text(dialog.sender_edit, "Ben")
    dialog.protect_check.setFocus()
    QTest.keyClick(dialog.protect_check, Qt.Key.Key_Space)
    type_text(dialog.passphrase_edit, "blue heron")
    type_text(dialog.again_edit, "blue herring")
    QTest.keyClick(dialog.again_edit, Qt.Key.Key_Return)
    assert "not the same" in dialog.message_label.text() and not target.exists()
    type_text(dialog.again_edit, "blue heron")
    QTest.keyClick(dialog.again_edit, Qt.Key.Key_Return)
    _wait_idle(qtbot)
    assert "protected with a passphrase" in dialog.message_label.text()
    with pytest.raises(exchange.PassphraseNeeded):
        exchange.open_package(target)
    assert exchange.open_package(target, "blue heron").sealed
    dialog.reject()


def _receive(main_window, qtbot, monkeypatch, path: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(path), "")))
    activate(main_window)
    QTest.keyClick(main_window.observe_page.table, Qt.Key.Key_R, CTRL_SHIFT)


def _preview(main_window, qtbot, monkeypatch, path: Path):
    """Receive… on `path`, and the preview dialog once it is up, active."""
    _receive(main_window, qtbot, monkeypatch, path)
    qtbot.waitUntil(lambda: main_window.exchange.preview_dialog is not None, timeout=20_000)
    dialog = main_window.exchange.preview_dialog
    activate(dialog)
    return dialog


def test_receive_a_cycle_through_the_preview(main_window, db, qtbot, tmp_path, monkeypatch,
                                             other_folder):
    package = tmp_path / "from-lukas.observe"
    cycle_id = _package_from(other_folder, package)
    dialog = _preview(main_window, qtbot, monkeypatch, package)
    assert "Lukas Berg" in dialog.from_label.text()
    counts = {dialog.counts_table.item(r, 0).text(): dialog.counts_table.item(r, 1).text()
              for r in range(dialog.counts_table.rowCount())}
    assert counts["Cycles"] == "1" and counts["Notes"] == "3" and counts["Visits"] == "1"
    assert "Rosa Tavares" in dialog.cycles_label.text()
    assert cycle_id not in _cycle_ids(db)  # a preview changes nothing
    QTest.keyClick(dialog.receive_button, Qt.Key.Key_Return)  # Receive
    _wait_idle(qtbot)
    assert dialog.result_preview is not None, dialog.message_label.text()
    assert "Received" in dialog.message_label.text() and "backup" in dialog.message_label.text()
    assert Path(dialog.result_preview.backup).exists()
    assert cycle_id in _cycle_ids(db)
    assert "Lukas Berg" in main_window.statusBar().currentMessage()
    # The Cycles page shows it by itself (the write said what it changed).
    page = main_window.observe_page
    qtbot.waitUntil(lambda: page.model.find_row(cycle_id) >= 0)
    QTest.keyClick(dialog.receive_button, Qt.Key.Key_Return)  # Close
    qtbot.waitUntil(lambda: main_window.exchange.preview_dialog is None)
    # The same package again: nothing to do.
    again = _preview(main_window, qtbot, monkeypatch, package)
    assert "Already received on" in again.notice_label.text()
    assert not again.receive_button.isVisible()
    again.reject()


def test_cancel_in_the_preview_changes_nothing(main_window, db, qtbot, tmp_path, monkeypatch,
                                               other_folder):
    package = tmp_path / "from-lukas.observe"
    cycle_id = _package_from(other_folder, package)
    before = (db.path.read_bytes(), _cycle_ids(db))
    QTest.keyClick(_preview(main_window, qtbot, monkeypatch, package), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: main_window.exchange.preview_dialog is None)
    _wait_idle(qtbot)
    assert cycle_id not in _cycle_ids(db) and _cycle_ids(db) == before[1]
    assert not (db.path.parent / "backups").exists() or not any(
        p.name.count("before-receiving") for p in (db.path.parent / "backups").iterdir())


def test_a_wrong_passphrase_says_so_and_the_right_one_opens(main_window, db, qtbot, tmp_path,
                                                            monkeypatch, other_folder):
    package = tmp_path / "sealed.observe"
    cycle_id = _package_from(other_folder, package, passphrase="otter 42")
    _receive(main_window, qtbot, monkeypatch, package)
    qtbot.waitUntil(lambda: main_window.exchange.passphrase_dialog is not None, timeout=20_000)
    asked = main_window.exchange.passphrase_dialog
    activate(asked)
    type_text(asked.passphrase_edit, "otter 24")
    QTest.keyClick(asked.passphrase_edit, Qt.Key.Key_Return)
    _wait_idle(qtbot)
    assert asked.isVisible() and "passphrase" in asked.message_label.text()
    asked.passphrase_edit.clear()
    type_text(asked.passphrase_edit, "otter 42")
    QTest.keyClick(asked.passphrase_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: main_window.exchange.preview_dialog is not None, timeout=20_000)
    preview = main_window.exchange.preview_dialog
    activate(preview)
    QTest.keyClick(preview.receive_button, Qt.Key.Key_Return)
    _wait_idle(qtbot)
    assert cycle_id in _cycle_ids(db)
    preview.accept()


def test_a_refused_file_says_why_and_changes_nothing(main_window, db, qtbot, tmp_path,
                                                    monkeypatch):
    bad = tmp_path / "holiday-photos.observe"
    bad.write_bytes(b"PK\x03\x04 this is not really a zip")
    said = []
    main_window.exchange.warn = lambda title, text: said.append(text)
    before = db.path.read_bytes()
    _receive(main_window, qtbot, monkeypatch, bad)
    qtbot.waitUntil(lambda: said != [], timeout=20_000)
    assert "holiday-photos.observe" in said[0] and "nothing was changed" in said[0]
    assert main_window.exchange.preview_dialog is None
    assert db.path.read_bytes() == before


def test_a_same_named_person_can_be_merged_from_the_preview(main_window, backend, db, qtbot,
                                                            tmp_path, monkeypatch, other_folder):
    here = backend.people.add_person("Rosa Tavares", subject="Geography")
    package = tmp_path / "from-lukas.observe"
    cycle_id = _package_from(other_folder, package)
    dialog = _preview(main_window, qtbot, monkeypatch, package)
    [check] = dialog.people_checks.values()
    assert "Rosa Tavares" in check.text() and not check.isChecked()
    check.setFocus()
    QTest.keyClick(check, Qt.Key.Key_Space)
    _wait_idle(qtbot)
    QTest.keyClick(dialog.receive_button, Qt.Key.Key_Return)
    _wait_idle(qtbot)
    assert dialog.result_preview is not None, dialog.message_label.text()
    with db.transaction() as s:
        summary = cycles.get_summary(s, cycle_id)
        assert summary.teacher_id == here.id
        assert summary.stage in set(CycleStage)
    dialog.accept()
