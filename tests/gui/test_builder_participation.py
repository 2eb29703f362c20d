"""A participation map in the protocol builder, made by keys: its talk types (each a name and
the one letter pressed for it, proposed from the name and changed by hand) and the school's
own groups of seats; problems shown under their field; the saved protocol has them all."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from observe_app.gui.builder.dialog import ProtocolBuilder
from observe_app.protocols import templates
from tests.gui.conftest import activate, type_text
from tests.gui.test_protocol_builder import _pick_kind, _type_in_cell, alt_key

CTRL = Qt.KeyboardModifier.ControlModifier


def _rows(table) -> list[tuple[str, str]]:
    """The talk types as the table shows them: (name, key)."""
    return [(table.item(r, 0).text(), table.item(r, 1).text()) for r in range(table.rowCount())]


def _shown(dialog: ProtocolBuilder, field: str) -> str:
    dialog.check_now()
    label = dialog.item_editor._problem_labels[field]
    return label.text() if label.isVisibleTo(dialog) else ""


def test_talk_type_keys_follow_the_name_s_first_free_letter() -> None:
    assert templates.talk_type_key("Asked a question", {"a"}) == "s"
    assert templates.talk_type_key("Érklärte", set()) == "e"  # the letter, without its accent
    assert templates.talk_type_key("ครูถาม", {"a"}) == "b"  # no Latin letter: the alphabet's
    assert [t["key"] for t in templates.new_item("participation", set())["talk_types"]] == [
        "a", "s", "e", "b"]


def test_a_participation_map_is_built_by_keys_and_saved_with_its_types_and_groups(
        qtbot, backend, monkeypatch) -> None:
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *_a, **_k: QMessageBox.StandardButton.Discard)
    dialog = ProtocolBuilder(backend, templates.new_document())
    qtbot.addWidget(dialog)
    dialog.show()
    activate(dialog)
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    dialog.about_editor.name.setFocus()
    type_text(dialog.about_editor.name, "Voices in maths")
    alt_key(dialog.about_editor.name, Qt.Key.Key_S)  # Add section
    type_text(dialog.section_editor.title, "Who speaks")
    _pick_kind(dialog, "participation")
    QTest.qWait(20)
    if not dialog.isActiveWindow():  # offscreen, a closed menu leaves the window inactive
        activate(dialog)
    editor = dialog.item_editor
    type_text(QApplication.focusWidget(), "Contributions by seat")
    talk = editor.talk_types
    assert editor.kind.text() == "Participation map"
    assert talk.isVisibleTo(dialog) and editor.groups.isVisibleTo(dialog)
    assert not editor.codes.isVisibleTo(dialog) and not editor.levels.isVisibleTo(dialog)
    assert _rows(talk) == [("Answered a question", "a"), ("Asked a question", "s"),
                           ("Explained their thinking", "e"), ("Built on a peer's idea", "b")]
    dialog.check_now()
    assert dialog.problems == []  # a map as it starts is one that can be saved
    assert list(dialog.preview.panel.participation) == ["preview:0"]  # shown as in a visit

    # A fifth talk type: Add, its name typed; the key follows the name's first free letter.
    talk.add_button.setFocus()
    QTest.keyClick(talk.add_button, Qt.Key.Key_Space)
    type_text(QApplication.focusWidget(), "Answered in pairs")
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    QApplication.processEvents()
    assert _rows(talk)[4] == ("Answered in pairs", "n")

    # A key typed by hand that another talk type has: the problem shows under the field.
    _type_in_cell(talk, 4, 1, "b")
    said = _shown(dialog, "talk_types")
    assert "Talk types need different keys" in said and "used twice" in said
    assert not save.isEnabled()
    _type_in_cell(talk, 4, 1, "two")
    assert "one lowercase letter" in _shown(dialog, "talk_types")
    _type_in_cell(talk, 4, 1, "p")
    assert _shown(dialog, "talk_types") == ""
    # Renamed, it keeps the key typed for it.
    _type_in_cell(talk, 4, 0, "Talked in pairs")
    assert _rows(talk)[4] == ("Talked in pairs", "p")
    # One of the starting four is not wanted here: selected, and removed.
    talk.setFocus()
    talk.setCurrentCell(3, 0)
    talk.remove_button.setFocus()
    QTest.keyClick(talk.remove_button, Qt.Key.Key_Space)
    assert [key for _name, key in _rows(talk)] == ["a", "s", "e", "p"]

    # Groups: none until named; one per line; a name twice is a problem under the field.
    assert "groups" not in editor.data
    editor.groups.setFocus()
    for line in ("Front tables", "Back tables", "Front tables"):
        type_text(editor.groups, line)
        QTest.keyClick(editor.groups, Qt.Key.Key_Return)
    assert "Groups need different names" in _shown(dialog, "groups")
    for _ in range(len("Front tables") + 1):
        QTest.keyClick(editor.groups, Qt.Key.Key_Backspace)
    assert _shown(dialog, "groups") == ""
    assert save.isEnabled()

    QTest.keyClick(editor.groups, Qt.Key.Key_Return, CTRL)  # Save
    assert dialog.saved is not None
    version = backend.protocols.get_version(dialog.saved.protocol.latest_version_id)
    [item] = version.items
    assert (item.kind, item.label) == ("participation", "Contributions by seat")
    assert [(t.key, t.label) for t in item.talk_types] == [
        ("a", "Answered a question"), ("s", "Asked a question"),
        ("e", "Explained their thinking"), ("p", "Talked in pairs")]
    assert item.groups == ("Front tables", "Back tables")


def test_a_map_without_groups_is_saved_without_them(qtbot, backend, monkeypatch) -> None:
    """Groups are off by default: typed and taken away again, none are stored."""
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *_a, **_k: QMessageBox.StandardButton.Discard)
    document = templates.new_document()
    document["name"] = "Talk"
    item = dict(templates.new_item("participation", set()), label="Who speaks")
    document["sections"] = [dict(templates.new_section(set()), title="S", items=[item])]
    dialog = ProtocolBuilder(backend, document)
    qtbot.addWidget(dialog)
    dialog.show()
    activate(dialog)
    dialog.outline.setCurrentItem(dialog.outline.node_at(0, 0))
    groups = dialog.item_editor.groups
    groups.setFocus()
    type_text(groups, "Table 1")
    assert dialog.item_editor.data["groups"] == ["Table 1"]
    groups.selectAll()
    QTest.keyClick(groups, Qt.Key.Key_Delete)
    assert "groups" not in dialog.item_editor.data
    dialog.save()
    assert dialog.saved is not None
    version = backend.protocols.get_version(dialog.saved.protocol.latest_version_id)
    assert version.items[0].groups == ()
    stored = backend.protocol_builder.editable_document(dialog.saved.protocol.id)
    assert "groups" not in stored["sections"][0]["items"][0]
