"""The live view's left column: the evidence log with its undo buttons, the fault banner, the
draft bar, the note box and the lines under it. Built here; the view wires it to its slots."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from observe_app.gui.live.note_edit import NoteEdit
from observe_app.gui.live.notes_model import NotesTableModel
from observe_app.gui.live.parts import DraftBar, EvidenceTableView, FaultBanner


class NotesColumn(QWidget):
    """Every widget of the column, named; `tag_labels` empty: a protocol with no tags."""

    def __init__(self, model: NotesTableModel, tag_labels: list[str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        bar = QHBoxLayout()
        heading = QLabel(self.tr("Evidence"), self)
        heading.setObjectName("panelTitle")
        bar.addWidget(heading)
        bar.addStretch(1)
        self.undo_button = QPushButton(self.tr("Undo  Ctrl+Z"), self)
        self.redo_button = QPushButton(self.tr("Redo  Ctrl+Shift+Z"), self)
        self.delete_button = QPushButton(self.tr("Delete note  Del"), self)
        # Short, so the bar fits a 1024-pixel screen; the key is in the hints under the box.
        self.private_button = QPushButton(self.tr("Private"), self)
        self.private_button.setToolTip(self.tr(
            "Keep the selected note on this laptop: never in a PDF or a package "
            "(Ctrl+Shift+K). Again: shared."))
        for button in (self.undo_button, self.redo_button, self.private_button,
                       self.delete_button):
            button.setObjectName("flatButton")
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            bar.addWidget(button)
        self.undo_button.setEnabled(False)
        self.redo_button.setEnabled(False)
        layout.addLayout(bar)
        self.table = EvidenceTableView(model, self)
        self.table.setColumnHidden(NotesTableModel.Column.TAGS, not tag_labels)
        layout.addWidget(self.table, 1)
        self.fault_banner = FaultBanner(self)
        layout.addWidget(self.fault_banner)
        self.draft_bar = DraftBar(self)
        layout.addWidget(self.draft_bar)
        self.note_edit = NoteEdit(self)
        self.note_edit.setObjectName("noteBox")
        self.note_edit.setAccessibleName(self.tr("New note"))
        self.note_edit.setPlaceholderText(self.tr(
            "Type what you see and hear. The time is taken at your first keystroke."))
        self.note_edit.setFixedHeight(self.note_edit.fontMetrics().lineSpacing() * 4 + 18)
        self.note_edit.set_tag_labels(tag_labels)
        layout.addWidget(self.note_edit)
        status = QHBoxLayout()
        self.start_label = QLabel(self)
        self.start_label.setObjectName("muted")
        self.tags_label = QLabel(self)
        self.tags_label.setObjectName("pendingTags")
        self.tags_label.setWordWrap(True)
        self.key_hint_label = QLabel(self)  # what a tag key did when no note was typed
        self.key_hint_label.setObjectName("notice")
        self.key_hint_label.setAccessibleName(self.tr("What the key did"))
        self.key_hint_label.hide()
        status.addWidget(self.start_label)
        status.addWidget(self.tags_label, 1)
        status.addWidget(self.key_hint_label)
        layout.addLayout(status)
        hint_text = (self.tr("Enter saves · Shift+Enter new line · # or the keys beside an "
                             "item tag the note · Ctrl+N back to the note box · Ctrl+Shift+K "
                             "private · F1 all keys")
                     if tag_labels else
                     self.tr("Enter saves · Shift+Enter new line · Ctrl+N back to the note "
                             "box · Ctrl+Shift+K private · F1 all keys"))
        hints = QLabel(hint_text, self)
        hints.setObjectName("muted")
        hints.setWordWrap(True)
        layout.addWidget(hints)
