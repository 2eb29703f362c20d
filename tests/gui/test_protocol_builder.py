"""The protocol builder, used as a coordinator would: a protocol of every kind made by keys,
saved, planned, observed with and exported; a used protocol changed into version 2 while the
old cycle keeps version 1; problems shown in sentences next to their field; built-ins kept."""

from __future__ import annotations

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMenu, QMessageBox

from observe_app.gui import tasks
from observe_app.gui.builder.dialog import ITEM_KINDS, ProtocolBuilder
from observe_app.gui.dialogs import CycleDialog
from observe_app.gui.protocols_page import ProtocolsPage
from observe_app.protocols import templates
from observe_app.reports.export import export_cycle
from observe_app.services import protocol_builder
from tests.gui.conftest import activate, type_text
from tests.gui.modal import when_modal

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def page(qtbot, backend):
    widget = ProtocolsPage()
    qtbot.addWidget(widget)
    widget.resize(1200, 720)
    widget.show()
    widget.attach(backend)
    activate(widget)
    qtbot.waitUntil(lambda: widget.model.rowCount() > 0)
    yield widget
    qtbot.waitUntil(lambda: not tasks.busy())


def _in_builder(act):
    """Run `act(builder)` on the builder the next key opens; failures are kept for after."""
    failures: list[BaseException] = []

    def run(dialog):
        try:
            assert isinstance(dialog, ProtocolBuilder), dialog
            activate(dialog)  # keys and mnemonics go to the active window
            act(dialog)
        except BaseException as exc:  # raised inside Qt's event loop it would be lost
            failures.append(exc)
            if dialog is not None:
                dialog.done(0)

    when_modal(run, lambda d: isinstance(d, ProtocolBuilder))
    return failures


def _answer_next_box(button: QMessageBox.StandardButton, seen: list[str]) -> None:
    def run(box):
        seen.append(box.text() if isinstance(box, QMessageBox) else "")
        if isinstance(box, QMessageBox):
            activate(box)
            box.button(button).click()

    when_modal(run, lambda d: isinstance(d, QMessageBox))


def _pick_kind(dialog: ProtocolBuilder, kind: str) -> None:
    """Alt+I opens the Add item menu; arrows and Enter choose the kind."""
    steps = ITEM_KINDS.index(kind)

    def choose():
        menu = QApplication.activePopupWidget()
        if not isinstance(menu, QMenu):
            QTimer.singleShot(5, choose)
            return
        QTest.keyClick(menu, Qt.Key.Key_Down)  # onto the first kind
        for _ in range(steps):
            QTest.keyClick(menu, Qt.Key.Key_Down)
        QTest.keyClick(menu, Qt.Key.Key_Return)

    QTimer.singleShot(0, choose)
    alt_key(QApplication.focusWidget() or dialog, Qt.Key.Key_I)


def alt_key(widget, key: Qt.Key) -> None:
    """A button's Alt+letter: Qt clicks it as an animation, after a tenth of a second."""
    QTest.keyClick(widget, key, ALT)
    QTest.qWait(150)


def _type_in_cell(table, row: int, column: int, text: str) -> None:
    table.setFocus()
    table.setCurrentCell(row, column)
    QTest.keyClick(table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert editor is not table and table.isAncestorOf(editor), editor
    type_text(editor, text)
    QTest.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()  # Qt commits a cell's edit from its event queue
    assert table.item(row, column).text() == text, (row, column, table.item(row, column).text())


def _fill_item(dialog: ProtocolBuilder, kind: str, label: str) -> None:
    _pick_kind(dialog, kind)
    editor = dialog.item_editor
    QTest.qWait(20)
    # Offscreen, nothing gives the window back its activation when a menu closes.
    if not dialog.isActiveWindow():
        activate(dialog)
    assert QApplication.focusWidget() is editor.label
    type_text(editor.label, label)
    if kind == "rubric":
        for row, words in enumerate(("Rarely", "Sometimes", "Often", "Always")):
            _type_in_cell(editor.levels, row, 1, f"{words} checks what students understood")
    elif kind == "interval":
        editor.period.setFocus()
        QTest.keyClick(editor.period, Qt.Key.Key_A, CTRL)
        type_text(editor.period, "60")
        for code, group in (("On task", "Students"), ("Off task", "Students"),
                            ("Circulating", "Teacher")):
            editor.codes.add_button.setFocus()
            QTest.keyClick(editor.codes.add_button, Qt.Key.Key_Space)
            row = editor.codes.rowCount() - 1
            type_text(QApplication.focusWidget(), code)
            QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
            QApplication.processEvents()
            _type_in_cell(editor.codes, row, 1, group)
    elif kind == "prompt":
        editor.prompt_kind.setFocus()
        QTest.keyClick(editor.prompt_kind, Qt.Key.Key_Home)
        QTest.keyClick(editor.prompt_kind, Qt.Key.Key_Down)  # Glow → Grow
    dialog.check_now()
    assert not [s for _p, s in dialog._problems_of(dialog.outline.currentItem())], (
        label, [lv.get("descriptor") for lv in dialog.item_editor.data.get("levels", [])],
        [p for p, _s in dialog.problems])


LABELS = {"lookfor": "Learning intention shared", "rubric": "Checks for understanding",
          "tally": "Open question", "timer": "Wait time", "interval": "Engagement scan",
          "prompt": "Grow: where next"}


def _build_every_kind(dialog: ProtocolBuilder) -> None:
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled()
    dialog.about_editor.name.setFocus()
    type_text(dialog.about_editor.name, "Our lesson look-fors")
    alt_key(dialog.about_editor.name, Qt.Key.Key_S)  # Add section
    assert QApplication.focusWidget() is dialog.section_editor.title
    type_text(dialog.section_editor.title, "During the lesson")
    for kind in ("tally", "lookfor", "rubric", "timer", "interval", "prompt"):
        _fill_item(dialog, kind, LABELS[kind])
    # The look-for goes first: Alt+Up in the outline.
    lookfor = dialog.outline.node_at(0, 1)
    dialog.outline.setCurrentItem(lookfor)
    dialog.outline.setFocus()
    QTest.keyClick(dialog.outline, Qt.Key.Key_Up, ALT)
    assert dialog.outline.node_at(0, 0) is lookfor
    dialog.check_now()
    assert dialog.problems == []
    # The preview shows each item as in a visit, with the key it will have.
    panel = dialog.preview.panel
    assert len(panel.tally_labels) == 1 and len(panel.timers) == 1
    assert len(panel.intervals) == 1 and len(panel.prompts) == 1
    assert len(panel.checkboxes) == 1
    assert sorted(dialog.preview.keys.values()) == ["Alt+1", "Ctrl+1", "Ctrl+2", "F5"]
    QTest.keyClick(dialog.outline, Qt.Key.Key_Return, CTRL)  # Save


def test_a_protocol_of_every_kind_is_built_by_keys_planned_observed_and_exported(
        page, backend, db, qtbot, tmp_path, open_live):
    failures = _in_builder(_build_every_kind)
    QTest.keyClick(page.table, Qt.Key.Key_N, CTRL | SHIFT)
    assert failures == []
    summary = backend.protocols.find_protocol("our-lesson-look-fors")
    version = backend.protocols.get_version(summary.latest_version_id)
    assert [i.kind for i in version.items] == ["lookfor", "tally", "rubric", "timer",
                                               "interval", "prompt"]
    assert [i.label for i in version.items][:2] == [LABELS["lookfor"], LABELS["tally"]]
    rubric, scan, prompt = version.items[2], version.items[4], version.items[5]
    assert [lv.descriptor for lv in rubric.levels][0] == "Rarely checks what students understood"
    assert scan.period_seconds == 60
    assert [(c.key, c.group) for c in scan.codes] == [
        ("on-task", "Students"), ("off-task", "Students"), ("circulating", "Teacher")]
    assert prompt.prompt_kind == "grow"
    assert "Saved Our lesson look-fors, version 1" in page.message_label.text()

    # Planned with it in the plan-a-cycle dialog, by keys, and observed with it.
    teacher = backend.people.add_person("Aroha Ngata", subject="Science")
    planner = CycleDialog(backend, teacher.id)
    qtbot.addWidget(planner)
    planner.show()
    activate(planner)
    qtbot.waitUntil(lambda: planner.ready, timeout=5000)
    QTest.keyClick(planner, Qt.Key.Key_P, ALT)  # &Protocol
    combo = planner.ui.protocol_combo
    while not combo.currentText().startswith("Our lesson look-fors"):
        before = combo.currentIndex()
        QTest.keyClick(combo, Qt.Key.Key_Down)
        assert combo.currentIndex() == before + 1, "the new protocol is not offered"
    QTest.keyClick(combo, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: planner.result_view is not None, timeout=5000)
    cycle = planner.result_view
    assert cycle.protocol_version_id == version.id
    obs = backend.observations.start_observation(cycle.id, subject="Science", grade="9",
                                                 room="S4", students=24,
                                                 now=backend.clock.now())
    view = open_live(observation_id=obs.id)
    type_text(view.note_edit, "Shares the aim on the board")
    QTest.keyClick(view.note_edit, Qt.Key.Key_1, CTRL)  # the look-for
    QTest.keyClick(view.note_edit, Qt.Key.Key_Return)
    QTest.keyClick(view.note_edit, Qt.Key.Key_1, ALT)  # a tally
    QTest.keyClick(view.note_edit, Qt.Key.Key_1, ALT)
    QTest.keyClick(view.note_edit, Qt.Key.Key_F5)  # the timer, started and stopped
    backend.clock.advance(4)
    QTest.keyClick(view.note_edit, Qt.Key.Key_F5)
    box = view.panel.intervals[scan.id].code_boxes["on-task"]
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    view.panel.prompts[prompt.id].setFocus()
    type_text(view.panel.prompts[prompt.id], "More wait time after open questions")
    view.panel.flush()
    qtbot.waitUntil(lambda: not view.panel.pending.waiting)
    results = backend.responses.observation_results(obs.id)
    assert results.counts == {version.items[1].id: 2}
    assert [r.duration_ms for r in results.timer_runs[version.items[3].id]] == [4000]
    assert results.intervals[scan.id][0].codes == ("on-task",)
    assert results.texts[prompt.id] == "More wait time after open questions"
    [note] = backend.notes.list_notes(obs.id)
    assert note.item_ids == (version.items[0].id,)
    backend.clock.advance(30 * 60)
    backend.observations.end_observation(obs.id, 30 * 60_000, now=backend.clock.now())
    view.close()

    pdf = export_cycle(db, cycle.id, tmp_path / "cycle.pdf").path
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(pdf).pages).split())
    for words in ("Our lesson look-fors", LABELS["tally"], LABELS["timer"],
                  "Engagement scan", "On task", "More wait time after open questions",
                  "Shares the aim on the board"):
        assert words in text, words


def _own_protocol(backend, name: str = "Science walk") -> str:
    document = templates.new_document()
    document["name"] = name
    section = dict(templates.new_section(set()), title="Seen")
    section["items"] = [dict(templates.new_item("lookfor", set()), label="Safety briefing")]
    document["sections"] = [section]
    return backend.protocol_builder.save_protocol(document).protocol.id


def test_changing_a_used_protocol_makes_version_two_and_the_old_cycle_keeps_one(
        page, backend, qtbot):
    protocol_id = _own_protocol(backend)
    first = backend.protocols.find_protocol(protocol_id)
    teacher = backend.people.add_person("Mei Chen")
    cycle = backend.cycles.plan_cycle(teacher_id=teacher.id, observer_id=None,
                                      protocol_version_id=first.latest_version_id, focus="",
                                      now=backend.clock.now())
    page.reload()
    qtbot.waitUntil(lambda: any(r.id == protocol_id for r in page.model._rows))
    page.select_id(protocol_id)
    asked: list[str] = []

    def change(dialog: ProtocolBuilder) -> None:
        assert "Saving makes version 2" not in dialog.version_note.text()  # nothing changed
        dialog.outline.setCurrentItem(dialog.outline.node_at(0, 0))
        label = dialog.item_editor.label
        label.setFocus()
        QTest.keyClick(label, Qt.Key.Key_End)
        type_text(label, " and exits")
        dialog.check_now()
        assert dialog.version_note.text() == (
            "Saving makes version 2. The 1 cycle planned with version 1 keeps it.")
        _answer_next_box(QMessageBox.StandardButton.Save, asked)
        QTest.keyClick(label, Qt.Key.Key_Return, CTRL)

    failures = _in_builder(change)
    QTest.keyClick(page.table, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: failures or page.message_label.text().startswith("Saved"))
    assert failures == []
    assert asked and "Saving makes version 2" in asked[0]
    after = backend.protocols.find_protocol(protocol_id)
    assert after.latest_version == 2
    assert backend.protocols.get_version(after.latest_version_id).items[0].label == \
        "Safety briefing and exits"
    kept = backend.cycles.get_cycle(cycle.id).summary
    assert (kept.protocol_version, kept.protocol_version_id) == (1, first.latest_version_id)
    assert backend.protocols.get_version(kept.protocol_version_id).items[0].label == \
        "Safety briefing"


def _problems_shown(dialog: ProtocolBuilder) -> str:
    dialog.check_now()
    editor = dialog.editors.currentWidget()
    return " ".join(label.text() for label in editor.findChildren(type(editor.other_problems))
                    if label.objectName() == "fieldProblem" and not label.isHidden())


def test_problems_are_sentences_next_to_their_field_and_saving_waits_for_them(page, qtbot):
    seen: dict[str, str] = {}

    def build(dialog: ProtocolBuilder) -> None:
        save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
        type_text(dialog.about_editor.name, "Checks")
        dialog.add_section()
        type_text(dialog.section_editor.title, "All")
        dialog.add_item("rubric")
        type_text(dialog.item_editor.label, "Feedback")
        levels = dialog.item_editor.levels
        for _ in range(3):
            levels.setCurrentCell(0, 0)
            levels.remove_button.click()
        seen["rubric"] = _problems_shown(dialog)
        assert not save.isEnabled()
        dialog.add_item("interval")
        type_text(dialog.item_editor.label, "Scan")
        dialog.item_editor.period.setValue(5)
        seen["period"] = _problems_shown(dialog)
        seen["no codes"] = seen["period"]
        codes = dialog.item_editor.codes
        for row in range(2):  # one code twice
            codes.add_row()
            codes.item(row, 0).setText("On task")
        seen["twice"] = _problems_shown(dialog)
        seen["list"] = " ".join(dialog.problem_list.item(i).text()
                                for i in range(dialog.problem_list.count()))
        assert not save.isEnabled()
        dialog.done(0)

    failures = _in_builder(build)
    QTest.keyClick(page.table, Qt.Key.Key_N, CTRL | SHIFT)
    assert failures == []
    assert "at least two levels" in seen["rubric"]
    assert "at least one code" in seen["no codes"]
    assert "at least 10 seconds" in seen["period"]
    assert "used twice" in seen["twice"]
    assert "$." not in " ".join(seen.values())
    assert "descriptor" not in seen["list"] or "Feedback" in seen["list"]


def test_a_built_in_stays_as_it_is_and_its_duplicate_is_yours(page, backend, qtbot):
    builtin = backend.protocols.find_protocol("learning-walk")
    page.select_id(builtin.id)
    assert not page.edit_button.isEnabled()
    QTest.keyClick(page.table, Qt.Key.Key_F2)
    assert "Duplicate it" in page.message_label.text()

    def rename(dialog: ProtocolBuilder) -> None:
        assert dialog.about_editor.name.text() == "Learning walk (copy)"
        dialog.about_editor.name.setFocus()
        dialog.about_editor.name.selectAll()
        type_text(dialog.about_editor.name, "Our learning walk")
        QTest.keyClick(dialog.about_editor.name, Qt.Key.Key_Return, CTRL)

    failures = _in_builder(rename)
    QTest.keyClick(page.table, Qt.Key.Key_D, CTRL)
    qtbot.waitUntil(lambda: failures or page.message_label.text().startswith("Saved"))
    assert failures == []
    copy = backend.protocols.find_protocol("our-learning-walk")
    assert copy.item_count == builtin.item_count and not copy.builtin
    assert backend.protocols.find_protocol("learning-walk").latest_version_id == \
        builtin.latest_version_id


def test_retire_and_bring_back_from_the_page(page, backend, qtbot):
    protocol_id = _own_protocol(backend, "Old walk")
    page.reload()
    qtbot.waitUntil(lambda: any(r.id == protocol_id for r in page.model._rows))
    page.select_id(protocol_id)
    page.retire_button.click()
    assert backend.protocols.find_protocol(protocol_id).retired
    assert "retired" in page.message_label.text()
    qtbot.waitUntil(lambda: page.current_row() is not None and page.current_row().retired)
    assert page.retire_button.text() == "Bring back"
    row = next(n for n in range(page.model.rowCount()) if page.model.row_at(n).id == protocol_id)
    assert page.model.index(row, page.model.Column.SOURCE).data() == "Yours, retired"
    page.retire_button.click()
    assert not backend.protocols.find_protocol(protocol_id).retired


def test_leaving_with_changes_asks_first(page, backend):
    asked: list[str] = []

    def leave(dialog: ProtocolBuilder) -> None:
        type_text(dialog.about_editor.name, "Half made")
        _answer_next_box(QMessageBox.StandardButton.Cancel, asked)
        QTest.keyClick(dialog.about_editor.name, Qt.Key.Key_Escape)
        assert dialog.isVisible()  # Cancel in the question: still building
        _answer_next_box(QMessageBox.StandardButton.Discard, asked)
        dialog.reject()
        assert not dialog.isVisible()

    before = len(backend.protocols.list_protocols())
    failures = _in_builder(leave)
    QTest.keyClick(page.table, Qt.Key.Key_N, CTRL | SHIFT)
    assert failures == [] and len(asked) == 2
    assert len(backend.protocols.list_protocols()) == before


def test_items_move_between_sections_by_keys_and_a_bad_drop_is_undone(backend, qtbot,
                                                                      monkeypatch):
    # Closed at the end with changes made: the "leave without saving?" question says yes.
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *_a, **_k: QMessageBox.StandardButton.Discard)
    document = templates.new_document()
    document["name"] = "Two parts"
    document["sections"] = [
        dict(templates.new_section(set()), key="a", title="Start",
             items=[dict(templates.new_item("tally", set()), key="t1", label="One")]),
        dict(templates.new_section({"a"}), key="b", title="End",
             items=[dict(templates.new_item("tally", set()), key="t2", label="Two")])]
    dialog = ProtocolBuilder(backend, document)
    qtbot.addWidget(dialog)
    dialog.show()
    one = dialog.outline.node_at(0, 0)
    dialog.outline.setCurrentItem(one)
    dialog.outline.move_current(1)  # past the end of Start: first in End
    assert [[i["label"] for i in items] for _s, items in dialog.outline.snapshot()] == \
        [[], ["One", "Two"]]
    end = dialog.outline.node_at(1)
    dialog.outline.setCurrentItem(end)
    dialog.outline.move_current(-1)  # a section above another
    dialog.outline.move_current(-1)  # never above the protocol's own entry
    assert [s["title"] for s, _i in dialog.outline.snapshot()] == ["End", "Start"]
    assert dialog.outline.invisibleRootItem().child(0) is dialog.outline.about_node
    # What a drop must keep: an item at the top level is not a protocol's shape (a drop that
    # makes one is undone by reloading the outline as it was).
    snapshot = dialog.outline.snapshot()
    stray = dialog.outline.node_at(0, 0)
    stray.parent().takeChild(0)
    dialog.outline.invisibleRootItem().addChild(stray)
    assert not dialog.outline._well_formed()
    dialog.outline.load(dialog.outline.data_of(dialog.outline.about_node), snapshot)
    assert dialog.outline._well_formed()
    assert [[i["label"] for i in items] for _s, items in dialog.outline.snapshot()] == \
        [["One", "Two"], []]
    dialog.done(0)


def test_the_saved_document_is_what_the_service_would_check(backend):
    """The builder's starting points fill in to a document the loader accepts as it is."""
    document = templates.new_document()
    document["name"] = "Any"
    assert [p.sentence for p in backend.protocol_builder.problems(document)]
    document["sections"] = [dict(templates.new_section(set()), title="S", items=[
        dict(templates.new_item("timer", set()), label="Transitions")])]
    assert backend.protocol_builder.problems(document) == []
    saved = backend.protocol_builder.save_protocol(document)
    assert saved.protocol.slug == "any" and saved.created_version
    assert protocol_builder.slug_of("Any", {"any"}) == "any-2"


def _open_builder(qtbot, backend, monkeypatch, document) -> ProtocolBuilder:
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *_a, **_k: QMessageBox.StandardButton.Discard)
    dialog = ProtocolBuilder(backend, document)
    qtbot.addWidget(dialog)
    dialog.show()
    activate(dialog)
    return dialog


def _scan_protocol() -> dict:
    document = templates.new_document()
    document["name"] = "Scan"
    item = dict(templates.new_item("interval", set()), label="Who is talking")
    document["sections"] = [dict(templates.new_section(set()), title="S", items=[item])]
    return document


def test_codes_named_in_any_script_get_keys_of_their_own(qtbot, backend, monkeypatch):
    dialog = _open_builder(qtbot, backend, monkeypatch, _scan_protocol())
    dialog.outline.setCurrentItem(dialog.outline.node_at(0, 0))
    codes = dialog.item_editor.codes
    for row, label in enumerate(("ครูพูด", "นักเรียนพูด")):  # "teacher talks", "students talk"
        codes.add_button.click()
        codes.item(row, 0).setText(label)
    dialog.check_now()
    keys = [c["key"] for c in dialog.item_editor.data["codes"]]
    assert len(set(keys)) == 2 and dialog.problems == []


def test_a_cell_being_typed_in_is_saved_by_ctrl_enter(qtbot, backend, monkeypatch):
    dialog = _open_builder(qtbot, backend, monkeypatch, _scan_protocol())
    dialog.outline.setCurrentItem(dialog.outline.node_at(0, 0))
    codes = dialog.item_editor.codes
    codes.add_button.click()  # the new row's first cell opens for typing
    editor = QApplication.focusWidget()
    assert codes.isAncestorOf(editor)
    type_text(editor, "Teacher talk")
    QTest.keyClick(editor, Qt.Key.Key_Return, CTRL)
    assert dialog.saved is not None
    version = backend.protocols.get_version(dialog.saved.protocol.latest_version_id)
    assert [c.label for c in version.items[0].codes] == ["Teacher talk"]


def test_levels_listed_highest_first_keep_their_numbers(qtbot, backend, monkeypatch):
    document = templates.new_document()
    document["name"] = "Rubric"
    item = dict(templates.new_item("rubric", set()), label="Questioning")
    item["levels"] = [{"level": 4 - n, "name": name, "descriptor": "old"}
                      for n, name in enumerate(("Strong", "Secure", "Partial", "Not yet"))]
    document["sections"] = [dict(templates.new_section(set()), title="S", items=[item])]
    dialog = _open_builder(qtbot, backend, monkeypatch, document)
    dialog.outline.setCurrentItem(dialog.outline.node_at(0, 0))
    dialog.item_editor.levels.item(0, 1).setText("Asks questions that open thinking")
    assert [lv["level"] for lv in dialog.item_editor.data["levels"]] == [4, 3, 2, 1]
    dialog.item_editor.levels.add_button.click()
    assert [lv["level"] for lv in dialog.item_editor.data["levels"]] == [4, 3, 2, 1, 5]
