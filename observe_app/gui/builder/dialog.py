"""The protocol builder: a school's own protocol, made or changed without writing a file.

The outline on the left, the fields of what is selected in the middle, and on the right the
protocol as it will look during a visit. Problems are checked as the author types and shown in
sentences under the field they are about; Save is possible once there are none.
"""

from __future__ import annotations

import copy
import json
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from observe_app.errors import ObserveError
from observe_app.gui import shortcuts
from observe_app.gui.builder.editors import (
    AboutEditor,
    ItemEditor,
    PartEditor,
    Problem,
    SectionEditor,
    kind_title,
)
from observe_app.gui.builder.outline import ABOUT, ITEM, SECTION, Outline, child, parent_of
from observe_app.gui.builder.preview import LivePreview
from observe_app.gui.dialogs import ERROR_STYLE, add_confirm_keys
from observe_app.protocols import templates

if TYPE_CHECKING:
    from observe_app.gui.backend import Backend
    from observe_app.services.protocol_builder import VersionUse
    from observe_app.services.protocols import ImportResult

# The kinds the Add item menu offers, in the order a protocol usually has them.
ITEM_KINDS = ("lookfor", "rubric", "tally", "timer", "interval", "prompt", "participation")
CHECK_DELAY_MS = 150  # after a keystroke: the problems and the preview follow the typing


class ProtocolBuilder(QDialog):
    """Make a new protocol (`protocol_id` None) or a new version of one of the user's."""

    def __init__(self, backend: Backend, document: dict[str, Any], *,
                 protocol_id: str | None = None, use: VersionUse | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._backend = backend
        self._protocol_id = protocol_id
        self._use = use
        self._document = copy.deepcopy(document)
        if protocol_id is None:  # the id is made from the name when it is saved
            self._document.update(id=self._document.get("id") or "new-protocol", version=1)
        self._original = self._canonical(self._document)
        self._new: set[int] = set()  # ids of the dicts added here: their keys follow labels
        self.saved: ImportResult | None = None
        self.problems: list[tuple[tuple[str | int, ...], str]] = []
        self.setWindowTitle(self.tr("Change {name}").format(name=document.get("name", ""))
                            if protocol_id else self.tr("New protocol"))
        self.setSizeGripEnabled(True)

        self.outline = Outline(self._describe, self)
        self.outline.currentItemChanged.connect(lambda *_: self._show_current())
        self.outline.moved.connect(self._on_changed)
        self.add_section_button = QPushButton(self.tr("Add &section"), self)
        self.add_section_button.clicked.connect(self.add_section)
        self.add_item_button = QPushButton(self.tr("Add &item"), self)
        menu = QMenu(self.add_item_button)
        for kind in ITEM_KINDS:
            action = menu.addAction(kind_title(kind))
            action.triggered.connect(lambda _=False, k=kind: self.add_item(k))
        self.add_item_button.setMenu(menu)
        self.add_item_menu = menu
        self.remove_button = QPushButton(self.tr("&Remove"), self)
        self.remove_button.clicked.connect(self.remove_current)
        shortcuts.bind(shortcuts.BUILDER_MOVE_UP, self.outline,
                       lambda: self.outline.move_current(-1))
        shortcuts.bind(shortcuts.BUILDER_MOVE_DOWN, self.outline,
                       lambda: self.outline.move_current(1))
        shortcuts.bind(shortcuts.BUILDER_REMOVE, self.outline, self.remove_current)
        outline_side = QWidget(self)
        left = QVBoxLayout(outline_side)
        left.setContentsMargins(0, 0, 0, 0)
        left.addWidget(self.outline, 1)
        hint = QLabel(self.tr("Move with {up} and {down}, or drag.").format(
            up=shortcuts.BUILDER_MOVE_UP.label(), down=shortcuts.BUILDER_MOVE_DOWN.label()),
            self)
        hint.setObjectName("muted")
        hint.setWordWrap(True)
        left.addWidget(hint)
        row = QHBoxLayout()
        for button in (self.add_section_button, self.add_item_button, self.remove_button):
            row.addWidget(button)
        left.addLayout(row)

        self.about_editor = AboutEditor(self)
        self.section_editor = SectionEditor(self)
        self.item_editor = ItemEditor(lambda data: id(data) in self._new, self._taken_item_keys,
                                      self)
        self.editors = QStackedWidget(self)
        for editor in (self.about_editor, self.section_editor, self.item_editor):
            self.editors.addWidget(editor)
            editor.changed.connect(self._on_changed)
        editor_scroll = QScrollArea(self)
        editor_scroll.setWidgetResizable(True)
        editor_scroll.setWidget(self.editors)
        editor_scroll.setFrameShape(QScrollArea.Shape.NoFrame)

        self.preview = LivePreview(self)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setChildrenCollapsible(False)
        for widget, stretch in ((outline_side, 2), (editor_scroll, 4), (self.preview, 3)):
            self.splitter.addWidget(widget)
            self.splitter.setStretchFactor(self.splitter.count() - 1, stretch)
        self.splitter.setSizes([240, 400, 440])  # kept in proportion on any screen

        self.problem_title = QLabel(self)
        self.problem_title.setObjectName("muted")
        self.problem_list = QListWidget(self)
        self.problem_list.setAccessibleName(self.tr("What to fix before saving"))
        self.problem_list.setMaximumHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        self.problem_list.itemActivated.connect(self._go_to_problem)
        self.problem_list.itemClicked.connect(self._go_to_problem)
        self.version_note = QLabel(self)
        self.version_note.setWordWrap(True)
        self.error_label = QLabel(self)
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        add_confirm_keys(self, self.buttons, self.save)

        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.problem_title)
        layout.addWidget(self.problem_list)
        layout.addWidget(self.error_label)
        layout.addWidget(self.version_note)
        layout.addWidget(self.buttons)

        self._check_timer = QTimer(self)
        self._check_timer.setSingleShot(True)
        self._check_timer.setInterval(CHECK_DELAY_MS)
        self._check_timer.timeout.connect(self.check_now)
        sections = [(s, list(s.get("items") or []))
                    for s in self._document.get("sections") or [] if isinstance(s, dict)]
        self.outline.load(self._document, sections)
        self.outline.setCurrentItem(self.outline.about_node)
        self.check_now()
        self.resize(1200, 720)

    # The document ------------------------------------------------------------------------

    def document(self) -> dict[str, Any]:
        """The protocol as built so far, in the outline's order."""
        about = {k: v for k, v in self._document.items() if k != "sections"}
        return dict(about, sections=[dict(section, items=items)
                                     for section, items in self.outline.snapshot()])

    @staticmethod
    def _canonical(document: dict[str, Any]) -> str:
        return json.dumps(document, sort_keys=True, ensure_ascii=False)

    def changed(self) -> bool:
        return self._canonical(self.document()) != self._original

    def _taken_item_keys(self, data: dict[str, Any]) -> set[str]:
        return {item.get("key", "") for _s, items in self.outline.snapshot() for item in items
                if item is not data}

    def _describe(self, kind: str, data: dict[str, Any]) -> str:
        if kind == ABOUT:
            return data.get("name") or self.tr("About this protocol")
        if kind == SECTION:
            return data.get("title") or self.tr("(a section with no title yet)")
        label = data.get("label") or self.tr("(no label yet)")
        return f"{label} · {kind_title(str(data.get('kind')))}"

    # Adding, removing --------------------------------------------------------------------

    def add_section(self) -> None:
        section = templates.new_section({self.outline.data_of(s).get("key", "")
                                         for s in self.outline.sections()})
        self._new.add(id(section))
        current = self.outline.currentItem()
        kind = self.outline.kind_of(current)
        root = self.outline.invisibleRootItem()
        anchor = parent_of(current) if current is not None and kind == ITEM else current
        index = root.indexOfChild(anchor) + 1 if anchor is not None and kind in (
            SECTION, ITEM) else None
        self.outline.add(None, SECTION, section, index)
        self._on_changed()
        self.section_editor.title.setFocus()

    def add_item(self, kind: str) -> None:
        """An item of `kind` after the selected one, or at the end of the selected section
        (a section is made first when there is none)."""
        current = self.outline.currentItem()
        section: QTreeWidgetItem | None
        if current is not None and self.outline.kind_of(current) == ITEM:
            section = parent_of(current)
            index: int | None = section.indexOfChild(current) + 1
        elif current is not None and self.outline.kind_of(current) == SECTION:
            section, index = current, None
        elif self.outline.sections():
            section, index = self.outline.sections()[-1], None
        else:
            self.add_section()
            section, index = self.outline.currentItem(), None
        item = templates.new_item(kind, self._taken_item_keys({}))
        self._new.add(id(item))
        for level in item.get("levels", []):
            self.item_editor.levels.new_rows.add(id(level))
        self.outline.add(section, ITEM, item, index)
        self._on_changed()
        self.item_editor.label.setFocus()
        # Chosen from the Add item menu, the focus goes back where it was as the menu closes.
        QTimer.singleShot(0, self.item_editor.label.setFocus)

    def remove_current(self) -> None:
        node = self.outline.currentItem()
        kind = self.outline.kind_of(node)
        if node is None or kind not in (SECTION, ITEM):
            return
        if kind == SECTION and node.childCount():
            count = node.childCount()
            asked = QMessageBox.question(
                self, self.tr("Remove the section?"),
                (self.tr("Remove {title} and its item?") if count == 1 else
                 self.tr("Remove {title} and its {count} items?")).format(
                    title=self._describe(SECTION, self.outline.data_of(node)), count=count))
            if asked != QMessageBox.StandardButton.Yes:
                return
        section = node.parent()  # None for a section: it is in the tree's root
        owner = section or self.outline.invisibleRootItem()
        index = owner.indexOfChild(node)
        owner.takeChild(index)
        following = child(owner, min(index, owner.childCount() - 1)) if owner.childCount() \
            else None
        self.outline.setCurrentItem(following if following is not None
                                    else (section or self.outline.about_node))
        self._on_changed()

    # Showing what is selected ------------------------------------------------------------

    def _editor_for(self, node: QTreeWidgetItem | None) -> PartEditor:
        kind = self.outline.kind_of(node)
        return {ABOUT: self.about_editor, SECTION: self.section_editor,
                ITEM: self.item_editor}.get(kind, self.about_editor)

    def _show_current(self) -> None:
        node = self.outline.currentItem()
        if node is None:
            return
        editor = self._editor_for(node)
        editor.load(self.outline.data_of(node))
        self.editors.setCurrentWidget(editor)
        editor.show_problems(self._problems_of(node))
        self.remove_button.setEnabled(self.outline.kind_of(node) in (SECTION, ITEM))
        if self.outline.kind_of(node) == ITEM:
            self.preview.show_item(self._position_of(node))

    def _position_of(self, node: QTreeWidgetItem) -> int:
        position = 0
        for section in self.outline.sections():
            for i in range(section.childCount()):
                if child(section, i) is node:
                    return position
                position += 1
        return -1

    # Checking ----------------------------------------------------------------------------

    def _on_changed(self) -> None:
        node = self.outline.currentItem()
        if node is not None:
            self.outline.refresh(node)
        self.error_label.hide()
        self._check_timer.start()

    def check_now(self) -> None:
        """Check the document, show its problems where they belong, and refresh the preview."""
        self._check_timer.stop()
        document = self.document()
        calls = self._backend.protocol_builder
        self.problems = [(tuple(p.path), p.sentence) for p in calls.problems(document)]
        for node in self.outline.all_nodes():
            self.outline.mark(node, [s for _p, s in self._problems_of(node)])
        current = self.outline.currentItem()
        if current is not None:
            self._editor_for(current).show_problems(self._problems_of(current))
        self.problem_list.clear()
        for path, sentence in self.problems:
            entry = QListWidgetItem(sentence, self.problem_list)
            entry.setData(Qt.ItemDataRole.UserRole, list(path))
        count = len(self.problems)
        self.problem_title.setText(
            self.tr("Ready to save.") if not count else
            self.tr("%n thing to put right before saving (select it to go there):", None, count)
            if count == 1 else
            self.tr("%n things to put right before saving (select one to go there):", None,
                    count))
        self.problem_list.setVisible(bool(count))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(
            not count and (self._protocol_id is None or self.changed()))
        self.version_note.setText(self._version_words())
        self.preview.show_version(*calls.preview(document))

    def _node_and_rest(self, path: tuple[str | int, ...]
                       ) -> tuple[QTreeWidgetItem, tuple[str | int, ...]]:
        if len(path) >= 2 and path[0] == "sections" and isinstance(path[1], int):
            if len(path) >= 4 and path[2] == "items" and isinstance(path[3], int):
                item = self.outline.node_at(path[1], path[3])
                if item is not None:
                    return item, path[4:]
            section = self.outline.node_at(path[1])
            if section is not None:
                return section, path[2:]
        return self.outline.about_node, path

    def _problems_of(self, node: QTreeWidgetItem) -> list[Problem]:
        found = []
        for path, sentence in self.problems:
            owner, rest = self._node_and_rest(path)
            if owner is node:
                found.append((rest, sentence))
        return found

    def _go_to_problem(self, entry: QListWidgetItem) -> None:
        path = tuple(entry.data(Qt.ItemDataRole.UserRole))
        node, _rest = self._node_and_rest(path)
        self.outline.setCurrentItem(node)
        editor = self.editors.currentWidget()
        if editor is not None:
            editor.setFocus()
            editor.focusNextChild()

    def _version_words(self) -> str:
        if self._protocol_id is None:
            return self.tr("Once saved, it is among your protocols as version 1, ready to plan "
                           "cycles with.")
        if not self.changed():
            return self.tr("Nothing has changed yet.")
        assert self._use is not None  # given with the protocol it describes
        next_number = self._use.latest_version + 1
        if self._use.cycles_on_latest:
            return (self.tr("Saving makes version {next}. The %n cycle planned with version "
                            "{n} keeps it.", None, self._use.cycles_on_latest)
                    if self._use.cycles_on_latest == 1 else
                    self.tr("Saving makes version {next}. The %n cycles planned with version "
                            "{n} keep it.", None, self._use.cycles_on_latest)
                    ).format(next=next_number, n=self._use.latest_version)
        return self.tr("Saving makes version {next}; no cycle uses version {n}.").format(
            next=next_number, n=self._use.latest_version)

    # Saving ------------------------------------------------------------------------------

    def save(self) -> None:
        # Ctrl+Enter from a cell being typed in: what is in the cell counts.
        for table in (self.item_editor.levels, self.item_editor.codes,
                      self.item_editor.talk_types):
            table.finish_editing()
        self.check_now()
        if self.problems or (self._protocol_id is not None and not self.changed()):
            return
        if self._protocol_id is not None and self._use is not None \
                and self._use.cycles_on_latest and not self._confirm_new_version():
            return
        try:
            self.saved = self._backend.protocol_builder.save_protocol(self.document(),
                                                                       self._protocol_id)
        except ObserveError as exc:
            self.error_label.setText(exc.sentence())
            self.error_label.show()
            return
        self._original = self._canonical(self.document())
        self.accept()

    def _confirm_new_version(self) -> bool:
        assert self._use is not None
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Save a new version?"),
                          self._version_words(), QMessageBox.StandardButton.Save
                          | QMessageBox.StandardButton.Cancel, self)
        box.setInformativeText(self.tr("Cycles planned from now on use the new version."))
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        return box.exec() == QMessageBox.StandardButton.Save

    def reject(self) -> None:
        if self.changed():
            asked = QMessageBox.question(
                self, self.tr("Leave without saving?"),
                self.tr("What you changed in this protocol is not saved. Leave without "
                        "saving it?"),
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel)
            if asked != QMessageBox.StandardButton.Discard:
                return
        super().reject()
