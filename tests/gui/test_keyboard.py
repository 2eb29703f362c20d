"""Keyboard-only use: one table of shortcuts without clashes, Tab out of every table and onto
every button, dialogs confirmed by Ctrl+Enter, the `#` picker, tag keys, the shortcut sheet."""

from __future__ import annotations

import itertools
import re

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QApplication

from observe_app.domain.enums import FeedbackKind, ItemKind
from observe_app.gui import shortcuts
from observe_app.gui.shortcuts import Where
from observe_app.services import cycles, goals, notes
from tests.gui.conftest import activate, start_visit, type_text
from tests.gui.modal import when_modal
from tests.gui.review_helpers import people_and_cycle, visit

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def _portable(key: str) -> str:
    return QKeySequence(key).toString(QKeySequence.SequenceFormat.PortableText)


def _command_key(key: str) -> bool:
    """A key that acts wherever it works (a modifier or a function key), not a typing key."""
    text = _portable(key)
    return any(m in text for m in ("Ctrl+", "Alt+", "Meta+")) or (
        text.startswith("F") and text[1:].isdigit())


def _bindings():
    return [(_portable(k), e) for e in shortcuts.TABLE for k in e.keys]


# -- the table -------------------------------------------------------------------------------

def test_no_key_means_two_things_where_it_works():
    for (key_a, a), (key_b, b) in itertools.combinations(_bindings(), 2):
        if key_a == key_b and a.where.overlaps(b.where):
            assert a.action == b.action, (key_a, a.where, a.text, b.where, b.text)
            assert not (a.shortcut and b.shortcut and a.where is b.where and a is not b), key_a


def test_every_command_key_means_one_thing_application_wide():
    meanings: dict[str, set[str]] = {}
    for key, entry in _bindings():
        if _command_key(key):
            meanings.setdefault(key, set()).add(entry.action)
    clashes = {key: actions for key, actions in meanings.items() if len(actions) > 1}
    assert clashes == {}
    assert meanings["Ctrl+1"] == {"tag"} and meanings["Ctrl+E"] == {"end_observation"}
    assert meanings["Ctrl+Shift+E"] == {"export"}


def _made_keys(root) -> set[str]:
    keys = {s.key().toString(QKeySequence.SequenceFormat.PortableText)
            for s in root.findChildren(QShortcut)}
    for action in root.findChildren(type(root.help_menu.shortcuts_action)):
        keys.update(k.toString(QKeySequence.SequenceFormat.PortableText)
                    for k in action.shortcuts())
    return keys - {""}


def test_every_shortcut_the_window_makes_is_in_the_table(main_window, backend):
    _t, _o, _v, cycle = people_and_cycle(backend)
    for number in range(4):
        main_window.page(number)
    main_window.review.open_cycle(cycle.id)
    made = _made_keys(main_window)
    main_window.review.close_all()
    main_window.open_observation(start_visit(backend, "questioning-wait-time"))
    made |= _made_keys(main_window)
    table = {key for key, _entry in _bindings()}
    assert made - table == set()
    assert {"F1", "Ctrl+/", "Alt+O", "Ctrl+Shift+E", "Ctrl+E", "Alt+1", "F5"} <= made


def _mnemonics(root) -> dict[str, str]:
    """Each Alt+letter a label (with a buddy), a button or a tab of `root` takes: its text."""
    from PySide6.QtWidgets import QLabel, QTabBar

    texts = [w.text() for w in root.findChildren(QLabel) if w.buddy() is not None]
    texts += [w.text() for w in root.findChildren(QAbstractButton)]
    texts += [bar.tabText(i) for bar in root.findChildren(QTabBar) for i in range(bar.count())]
    return {m.group(1).upper(): text for text in texts
            for m in re.finditer(r"&([A-Za-z])", text.replace("&&", ""))}


def test_no_label_in_the_window_takes_a_section_s_alt_key(main_window, backend):
    """Alt+O, C, T, P, S switch sections from anywhere in the window: a label's &letter the
    same would make the key do nothing (Qt finds it ambiguous)."""
    sections = {_portable(k.keys[0]).removeprefix("Alt+") for k in shortcuts.PAGES}
    _t, _o, _v, cycle = people_and_cycle(backend)
    for number in range(len(shortcuts.PAGES)):
        main_window.page(number)
    taken = _mnemonics(main_window.home)
    main_window.review.open_cycle(cycle.id)
    taken |= _mnemonics(main_window.home)
    main_window.review.close_all()
    main_window.open_observation(start_visit(backend, "questioning-wait-time"))
    taken |= _mnemonics(main_window.home)
    assert {k: taken[k] for k in sections & set(taken)} == {}


# -- Tab and Shift+Tab -----------------------------------------------------------------------

def _tab_leaves(view) -> None:
    for key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
        view.setFocus()
        if view.model() is not None and view.model().rowCount():
            view.setCurrentIndex(view.model().index(0, 0))
        assert view.hasFocus(), view.accessibleName()
        QTest.keyClick(view, key)
        focus = QApplication.focusWidget()
        assert focus is not view and not view.isAncestorOf(focus), (view.accessibleName(), key)


def _visible_views(root):
    return [v for v in root.findChildren(QAbstractItemView)
            if v.isVisible() and v.focusPolicy() != Qt.FocusPolicy.NoFocus
            and v.objectName() != "qt_scrollarea_viewport"]


def test_tab_and_shift_tab_leave_every_table(main_window, backend, open_live):
    _t, _o, _v, cycle = people_and_cycle(backend)
    visit(backend, cycle.id, [("Why does the ice float?", 60, [])])
    checked = 0
    for number in range(4):
        main_window.show_page(number)
        main_window.page(number).reload()
        for view in _visible_views(main_window):
            _tab_leaves(view)
            checked += 1
    cycle_view = main_window.review.open_cycle(cycle.id)
    for tab in range(cycle_view.tabs.count()):
        cycle_view.tabs.setCurrentIndex(tab)
        for view in _visible_views(cycle_view):
            _tab_leaves(view)
            checked += 1
    search = main_window.review.open_search()
    type_text(search.search_edit, "ice")
    search.run_search()
    activate(search)
    _tab_leaves(search.table)
    live = open_live()
    type_text(live.note_edit, "A note")
    QTest.keyClick(live.note_edit, Qt.Key.Key_Return)
    _tab_leaves(live.table)
    assert checked >= 10


def _reached_by_tab(start, limit=300) -> set:
    start.setFocus()
    seen = {start}
    for _ in range(limit):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        focus = QApplication.focusWidget()
        if focus is start:
            break
        seen.add(focus)
    return seen


def _buttons(root):
    return {b for b in root.findChildren(QAbstractButton)
            if b.isVisible() and b.isEnabled() and not b.objectName().startswith("qt_")}


def test_tab_reaches_every_button_of_the_live_view_and_clicks_keep_the_note_box(open_live):
    view = open_live("questioning-wait-time")
    type_text(view.note_edit, "First")
    QTest.keyClick(view.note_edit, Qt.Key.Key_Return)  # Undo is enabled now
    reached = _reached_by_tab(view.note_edit)
    missing = [b.accessibleName() or b.text() for b in _buttons(view) - reached]
    assert missing == []
    assert view.undo_button in reached and view.header.end_button in reached
    assert view.undo_button.focusPolicy() == Qt.FocusPolicy.TabFocus  # a click keeps the box


def test_tab_reaches_every_button_of_the_pages_and_the_cycle_view(main_window, backend):
    _t, _o, _v, cycle = people_and_cycle(backend)
    for number in range(4):
        main_window.show_page(number)
        page = main_window.page(number)
        page.reload()
        missing = [b.text() for b in _buttons(page) - _reached_by_tab(page.table)]
        assert missing == [], number
    view = main_window.review.open_cycle(cycle.id)
    view.tabs.setCurrentWidget(view.feedback)
    missing = [b.text() for b in _buttons(view) - _reached_by_tab(view.tabs.tabBar())]
    assert missing == []


# -- dialogs ---------------------------------------------------------------------------------

def in_dialog(act, errors):
    """Run `act(dialog)` on the modal dialog the next call opens; a failure closes the dialog
    (so the test does not hang) and is kept in `errors`."""
    def run(dialog):
        try:
            assert dialog is not None
            act(dialog)
        except BaseException as exc:
            errors.append(exc)
            if dialog is not None:
                dialog.reject()
    when_modal(run)


def _goal_dialog_by_keys(main_window, backend, by_keys):
    """Open a cycle's post-conference, press Space on "Set a goal…" and run `by_keys` in
    the dialog; returns the teacher."""
    teacher, _o, _v, cycle = people_and_cycle(backend)
    view = main_window.review.open_cycle(cycle.id)
    view.tabs.setCurrentWidget(view.feedback)
    view.feedback.goal_button.setFocus()
    activate(main_window)
    errors = []
    in_dialog(by_keys, errors)
    QTest.keyClick(view.feedback.goal_button, Qt.Key.Key_Space)
    assert errors == []
    return teacher


def test_the_goal_dialog_is_confirmed_with_ctrl_enter(main_window, backend, db):
    shown = {}

    def by_keys(dialog):
        activate(dialog)
        box = dialog.text_edit
        assert QApplication.focusWidget() is box
        type_text(box, "Wait three seconds")
        QTest.keyClick(box, Qt.Key.Key_Tab)  # Tab moves on, it types no tab
        assert QApplication.focusWidget() is not box
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Backtab)
        assert QApplication.focusWidget() is box
        QTest.keyClick(box, Qt.Key.Key_Return, SHIFT)  # a second line is still possible
        type_text(box, "after an open question")
        shown["save"] = dialog.buttons.buttons()[0].text() + dialog.buttons.buttons()[1].text()
        QTest.keyClick(box, Qt.Key.Key_Return, CTRL)

    teacher = _goal_dialog_by_keys(main_window, backend, by_keys)
    with db.transaction() as s:
        [goal] = goals.goals_for_teacher(s, teacher.id)
    assert goal.text == "Wait three seconds\nafter an open question"
    assert "Ctrl+Enter" in shown["save"]


def test_the_feedback_dialog_is_confirmed_with_ctrl_enter_from_its_text(main_window, backend,
                                                                        db):
    _t, _o, _v, cycle = people_and_cycle(backend)
    view = main_window.review.open_cycle(cycle.id)
    view.tabs.setCurrentWidget(view.feedback)

    def by_keys(dialog):
        activate(dialog)
        dialog.ui.text_edit.setFocus()
        type_text(dialog.ui.text_edit, "Wait time after every question")
        QTest.keyClick(dialog.ui.text_edit, Qt.Key.Key_Enter, CTRL | Qt.KeyboardModifier
                       .KeypadModifier)

    errors = []
    in_dialog(by_keys, errors)
    view.feedback.add_feedback(FeedbackKind.GLOW)
    assert errors == []
    with db.transaction() as s:
        [glow] = cycles.get_cycle(s, cycle.id).feedback_of(FeedbackKind.GLOW)
    assert glow.text == "Wait time after every question"


def test_the_pre_conference_is_saved_with_ctrl_enter_from_its_evidence(main_window, backend,
                                                                       db):
    _t, _o, _v, cycle = people_and_cycle(backend)
    view = main_window.review.open_cycle(cycle.id)
    activate(main_window)
    box = view.pre.evidence_edit
    box.setFocus()
    type_text(box, "Open questions")
    QTest.keyClick(box, Qt.Key.Key_Return, CTRL)
    with db.transaction() as s:
        assert cycles.get_cycle(s, cycle.id).evidence_to_collect == "Open questions"
    assert view.pre.status_label.text() == "Saved."


# -- the live view ---------------------------------------------------------------------------

def _notes(db, view):
    with db.transaction() as s:
        return notes.list_notes(s, view.observation_id)


def test_hash_picker_takes_a_single_match_on_enter(open_live, db, qtbot):
    view = open_live("peer-observation")
    type_text(view.note_edit, "Pairs talk #expl")
    completer = view.note_edit.completer()
    qtbot.waitUntil(completer.popup().isVisible)
    assert completer.completionCount() == 1
    QTest.keyClick(completer.popup(), Qt.Key.Key_Return)  # no arrow key first
    assert view.note_edit.toPlainText() == "Pairs talk "
    assert "Students explain their thinking" in view.tags_label.text()
    QTest.keyClick(view.note_edit, Qt.Key.Key_Return)
    [note] = _notes(db, view)
    explain = next(i for i in view.version.items if i.label == "Students explain their thinking")
    assert note.text == "Pairs talk" and note.item_ids == (explain.id,)


def test_a_tag_key_with_nothing_to_tag_only_says_so(open_live, db, clock):
    view = open_live("peer-observation")
    first = view.version.items_of(ItemKind.LOOKFOR)[0]
    QTest.keyClick(view.note_edit, Qt.Key.Key_1, CTRL)
    assert view.key_hint_label.isVisible()
    assert view.key_hint_label.text() == "Type a note first, then tag it"
    assert view.start_label.text() == "" and view.tags_label.text() == ""
    view.save_draft()
    with db.transaction() as s:
        assert notes.get_draft(s, view.observation_id) is None
    assert _notes(db, view) == []

    clock.advance(30)  # the note begins when typing does, untagged
    type_text(view.note_edit, "T writes the task on the board")
    assert not view.key_hint_label.isVisible()
    QTest.keyClick(view.note_edit, Qt.Key.Key_Return)
    [note] = _notes(db, view)
    assert note.item_ids == () and note.elapsed_ms >= 30_000

    # With the box empty and the saved note selected, the key tags it, visibly, undoably.
    QTest.keyClick(view.note_edit, Qt.Key.Key_1, CTRL)
    assert _notes(db, view)[0].item_ids == (first.id,)
    assert view.key_hint_label.text().startswith("Tagged the note at 00:3")
    assert "Ctrl+Z" in view.key_hint_label.text()
    QTest.keyClick(view.note_edit, Qt.Key.Key_Z, CTRL)
    assert _notes(db, view)[0].item_ids == ()


# -- the window's keys and the shortcut sheet ------------------------------------------------

def test_f1_opens_the_shortcut_sheet_with_the_live_keys_and_escape_closes_it(main_window,
                                                                             backend):
    main_window.open_observation(start_visit(backend, "peer-observation"))
    live = main_window.live_view
    activate(main_window)
    QTest.keyClick(live.note_edit, Qt.Key.Key_F1)
    sheet = main_window.help_menu.sheet
    assert sheet is not None and sheet.isVisible()
    rows = sheet.texts(Where.LIVE)
    assert "Ctrl+E: End the observation" in rows
    assert any(r.startswith("Ctrl+1 … Ctrl+0") and "Tag the note" in r for r in rows)
    assert any(r.startswith("Alt+1") and "tally" in r for r in rows)
    assert sheet.texts(Where.CYCLE_VIEW)[1].startswith("Ctrl+Shift+E: Export the PDF")
    activate(sheet)
    QTest.keyClick(sheet.tree, Qt.Key.Key_Escape)
    assert not sheet.isVisible()
    activate(main_window)
    QTest.keyClick(live.note_edit, Qt.Key.Key_Slash, CTRL)
    assert sheet.isVisible()
    assert main_window.help_menu.shortcuts_action.text() == "Keyboard shortcuts"
    sheet.reject()


def test_section_keys_leave_a_cycle_view_for_the_page(main_window, backend):
    _t, _o, _v, cycle = people_and_cycle(backend)
    view = main_window.review.open_cycle(cycle.id)
    activate(main_window)
    QTest.keyClick(view.tabs, Qt.Key.Key_T, ALT)
    assert main_window.review.current_view is None
    assert main_window.pages_stack.currentWidget() is main_window.teachers_page
    QTest.keyClick(main_window.teachers_page.table, Qt.Key.Key_O, ALT)
    assert main_window.pages_stack.currentWidget() is main_window.observe_page


def test_a_refused_goal_keeps_its_text_in_the_dialog(main_window, backend, db, monkeypatch):
    seen = {}

    def by_keys(dialog):
        activate(dialog)
        box = dialog.text_edit
        QTest.keyClick(box, Qt.Key.Key_Return, CTRL)  # nothing written yet: said, kept open
        seen["empty"] = dialog.isVisible() and dialog.error_label.text()
        type_text(box, "Plan the first five minutes")

        def refuse(*args, **kwargs):
            from observe_app.errors import BadInputError
            raise BadInputError("the goal could not be saved just now; try again")

        monkeypatch.setattr(goals, "set_goal", refuse)  # the service says no, once
        QTest.keyClick(box, Qt.Key.Key_Return, CTRL)
        seen["refused"] = (dialog.isVisible(), dialog.text(), dialog.error_label.text())
        monkeypatch.undo()
        QTest.keyClick(box, Qt.Key.Key_Return, CTRL)
        seen["closed"] = not dialog.isVisible()

    teacher = _goal_dialog_by_keys(main_window, backend, by_keys)
    assert "Write the goal first" in seen["empty"]
    visible, text, message = seen["refused"]
    assert visible and text == "Plan the first five minutes"
    assert message == "The goal could not be saved just now; try again."
    assert seen["closed"]
    with db.transaction() as s:
        [goal] = goals.goals_for_teacher(s, teacher.id)
    assert goal.text == "Plan the first five minutes"
