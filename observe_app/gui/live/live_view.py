"""The live observation: clock, note box with tags, the evidence log and the protocol panel."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QLabel,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from observe_app import kinds
from observe_app.domain.formats import format_elapsed
from observe_app.errors import BadInputError, ObserveError
from observe_app.gui import kinds as gui_kinds
from observe_app.gui import shortcuts
from observe_app.gui.live.clock import ElapsedClock
from observe_app.gui.live.keys import assign_keys
from observe_app.gui.live.notes_column import NotesColumn
from observe_app.gui.live.notes_model import NotesTableModel
from observe_app.gui.live.parts import LiveHeader
from observe_app.gui.live.protocol_panel import ProtocolPanel
from observe_app.gui.live.saving import SavingFaults
from observe_app.gui.live.undo import (
    AddNoteCommand,
    ChangeNoteCommand,
    DeleteNoteCommand,
    PrivateNoteCommand,
)
from observe_app.gui.settings import LIVE_SPLITTER, WindowSettings
from observe_app.gui.style import set_look
from observe_app.live.note_box import NoteInProgress
from observe_app.live.pending_writes import PendingWrites, Write
from observe_app.live.unsaved import UnsavedNote, new_note_id

if TYPE_CHECKING:
    from observe_app.gui.backend import Backend
    from observe_app.services.notes import DraftView, NoteView
    from observe_app.services.responses import ObservationResults

DRAFT_DELAY_MS = 800
TICK_MS = 200
RETRY_MS = 3000  # while a save fault is shown, how often to try again
KEY_HINT_MS = 6000  # how long a tag key's hint ("Type a note first…") stays


class LiveObservationView(SavingFaults):
    """One visit, live. Every change is saved as it happens; nothing has a Save button."""

    note_saved = Signal(object)
    observation_ended = Signal(str)

    def __init__(self, backend: Backend, observation_id: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Every save here waits only a moment for a lock another program holds; what cannot
        # be saved now waits in `pending`, shown as not saved yet, and the window goes on.
        self.backend = backend.impatient()
        backend = self.backend
        self.pending = PendingWrites(self._on_pending_changed)
        self.observation_id = observation_id
        clock = backend.clock
        visit = backend.observations.live_visit(observation_id, clock.now())
        self.observation = visit.observation
        self.cycle = visit.cycle
        self.version = visit.protocol
        self.clock = ElapsedClock(clock, visit.elapsed_ms, paused=self.observation.paused)
        self.keys = assign_keys(list(self.version.items))
        self._tag_items = {i.id: i for i in self.version.items if kinds.get(i.kind).taggable}
        self.box = NoteInProgress(lambda: (self.backend.clock.now(), self.clock.elapsed_ms()))
        self._probing = False
        self._refused = False  # the banner shows a refusal of the text, not a fault
        self.confirm_end = self._ask_end  # tests replace the question
        self.confirm_close_unsaved = self._ask_close_unsaved
        self.undo_stack = QUndoStack(self)
        self.notes_model = NotesTableModel(self)
        self.notes_model.set_item_labels({i.id: i.label for i in self.version.items})
        self.notes_model.text_edit_requested.connect(self._on_notes_model_text_edit_requested)
        self._build(visit.results)
        self.notes_model.set_rows(list(visit.notes))
        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(DRAFT_DELAY_MS)
        self._draft_timer.timeout.connect(self.save_draft)
        self._offer_draft(visit.draft)
        self._retry_timer = QTimer(self)
        self._retry_timer.setInterval(RETRY_MS)
        self._retry_timer.timeout.connect(self._on_retry_timer_timeout)
        self._ticker = QTimer(self)
        self._ticker.setInterval(TICK_MS)
        self._ticker.timeout.connect(self.tick)
        self._ticker.start()
        self.tick()
        self.table.scrollToBottom()

    # -- building ------------------------------------------------------------------------------

    def _build(self, results: ObservationResults) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 12)
        outer.setSpacing(10)
        self.header = LiveHeader(self.cycle, self.observation, self)
        self.elapsed_label = self.header.elapsed_label
        self.wall_label = self.header.wall_label
        self.pause_button = self.header.pause_button
        self.pause_button.clicked.connect(self._on_pause_button_clicked)
        self.header.end_button.clicked.connect(self._on_end_button_clicked)
        outer.addWidget(self.header)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self._build_notes_column())
        self.panel = ProtocolPanel(self.backend, self.observation_id, self.version, results,
                                   self.clock.elapsed_ms, self.keys, self, pending=self.pending,
                                   cycle=self.cycle, observation=self.observation,
                                   undo_stack=self.undo_stack)
        self.panel.problem_occurred.connect(self.show_problem)
        self.notes_model.problem_occurred.connect(self.show_problem)
        side = QWidget(self)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(12, 0, 0, 0)
        title = QLabel(self.tr("{name} · version {n}").format(name=self.version.name,
                                                             n=self.version.number), side)
        title.setObjectName("panelTitle")
        side_layout.addWidget(title)
        side_layout.addWidget(self.panel, 1)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        # A seating chart is tapped more than notes are typed, and a room is wide: it gets
        # the wider side (until the observer moves the splitter, which is remembered).
        splitter.setSizes([600, 580] if self.panel.participation else [700, 480])
        if (settings := WindowSettings.of(self.backend)) is not None:
            settings.remember_splitter(splitter, LIVE_SPLITTER)
        self.splitter = splitter
        outer.addWidget(splitter, 1)
        self._build_shortcuts()
        self._show_pending()

    def _build_notes_column(self) -> QWidget:
        column = NotesColumn(self.notes_model, [i.label for i in self._tag_items.values()], self)
        self.undo_button, self.redo_button = column.undo_button, column.redo_button
        self.delete_button, self.table = column.delete_button, column.table
        self.private_button = column.private_button
        self.fault_banner = column.fault_banner
        self.problem_label = column.fault_banner.label
        self.draft_bar = column.draft_bar
        self.draft_label, self.discard_button = self.draft_bar.label, self.draft_bar.discard_button
        self.note_edit = column.note_edit
        self.start_label, self.tags_label = column.start_label, column.tags_label
        self.key_hint_label = column.key_hint_label
        self.undo_button.clicked.connect(self.undo)
        self.redo_button.clicked.connect(self.redo)
        self.delete_button.clicked.connect(self.delete_selected_note)
        self.private_button.clicked.connect(self.toggle_private)
        self.undo_stack.canUndoChanged.connect(self.undo_button.setEnabled)
        self.undo_stack.canRedoChanged.connect(self.redo_button.setEnabled)
        self.fault_banner.retry_clicked.connect(self._retry_now)
        self.discard_button.clicked.connect(self._on_discard_button_clicked)
        self.note_edit.textChanged.connect(self._on_note_edit_text_changed)
        self.note_edit.submitted.connect(self._on_note_edit_submitted)
        self.note_edit.undo_requested.connect(self.undo)
        self.note_edit.redo_requested.connect(self.redo)
        self.note_edit.tag_chosen.connect(self._on_note_edit_tag_chosen)
        self._key_hint_timer = QTimer(self)
        self._key_hint_timer.setSingleShot(True)
        self._key_hint_timer.setInterval(KEY_HINT_MS)
        self._key_hint_timer.timeout.connect(self.key_hint_label.hide)
        return column

    def _build_shortcuts(self) -> None:
        bind = shortcuts.bind
        bind(shortcuts.UNDO, self, self.undo)
        bind(shortcuts.REDO, self, self.redo)
        bind(shortcuts.PAUSE, self, self._on_pause_button_clicked)
        bind(shortcuts.END, self, self._on_end_button_clicked)
        bind(shortcuts.NOTE_BOX, self, self.note_edit.setFocus)
        bind(shortcuts.DELETE_NOTE, self.table, self.delete_selected_note,
             context=Qt.ShortcutContext.WidgetShortcut)
        bind(shortcuts.PRIVATE_NOTE, self, self.toggle_private)
        for item in self.version.items:
            key = self.keys.get(item.id)
            if not key:
                continue
            view = gui_kinds.get(item.kind)
            if view.key_range is not None and view.on_key is not None:
                bind(view.key_range, self, functools.partial(view.on_key, self, item.id),
                     keys=(key,))

    # -- the clock -----------------------------------------------------------------------------

    def tick(self) -> None:
        elapsed = self.clock.elapsed_ms()
        self.elapsed_label.setText(format_elapsed(elapsed))
        self.wall_label.setText(self.backend.clock.now().astimezone().strftime("%H:%M"))
        running = self.clock.running
        self.pause_button.setText(self.tr("Pause  Ctrl+P") if running
                                  else self.tr("Resume  Ctrl+P"))
        set_look(self.elapsed_label, "paused", not running)
        self.panel.tick(elapsed)

    def _on_pause_button_clicked(self) -> None:
        # Through the queue like every other entry: a pause the database cannot take now is
        # kept and saved in order, so a reopened visit's clock still leaves it out.
        observations, now = self.backend.observations, self.backend.clock.now()
        if self.clock.running:
            self.clock.pause()
            self.panel.save("pause", observations.pause, self.observation_id,
                            self.clock.elapsed_ms(), now=now)
        else:
            self.clock.resume()
            self.panel.save("pause", observations.resume, self.observation_id, now=now)
        self.tick()

    def undo(self) -> None:
        """Ctrl+Z: not while notes wait to be saved (the newest change is not on disk yet,
        and undoing an older one would take the wrong note back)."""
        if self.pending.waiting:
            self._show_key_hint(self.tr("Undo comes back once what waits is saved"))
            return
        self.undo_stack.undo()

    def redo(self) -> None:
        if self.pending.waiting:
            self._show_key_hint(self.tr("Redo comes back once what waits is saved"))
            return
        self.undo_stack.redo()

    # -- the note box --------------------------------------------------------------------------

    def _on_note_edit_text_changed(self) -> None:
        text = self.note_edit.toPlainText()
        if text and self.box.began is None:
            self.key_hint_label.hide()
        self.box.text_changed(text)
        self._show_pending()
        self._schedule_draft()

    def _schedule_draft(self) -> None:
        # While a fault is shown the retry timer saves the draft: no write per keystroke that
        # could wait on a locked database with the keyboard frozen.
        if self._fault_shown():
            return
        # Not restarted by each key: a fast typist's draft is still saved within the delay.
        if not self._draft_timer.isActive():
            self._draft_timer.start()

    def _on_note_edit_submitted(self) -> None:
        self._save_note()

    def _save_note(self) -> bool:
        """Save the note in the box: now, or (a fault) in the log as not saved yet, to be
        saved in order when the fault clears. False when it was refused for what it holds:
        it stays in the box, and the banner says why."""
        text = self.note_edit.toPlainText()
        if not text.strip():
            return True
        start = self.box.moment()
        tags = list(self.box.tags)
        note = UnsavedNote(new_note_id(), self.observation_id, start[0], start[1], text,
                           tuple(tags))
        write = Write(
            "note", lambda: self.backend.notes.add_note(
                note.observation_id, text, wall_time=note.wall_time,
                elapsed_ms=note.elapsed_ms, item_ids=tags, note_id=note.id),
            saved=self._on_note_saved, refused=lambda exc: self._on_note_refused(note, exc),
            text=text)
        self._clear_box()  # the next note can be begun while this one is saved
        try:
            saved_now = self.pending.submit(write)
        except ObserveError as exc:  # refused for what it holds: back in the box, said why
            self._restore_box(text, start, tags)
            self.show_refusal(str(exc))
            return False
        if not saved_now:
            self._select_row(self.notes_model.insert_note(note))
            self._request_retry()
        return True

    def _on_note_saved(self, note: Any) -> None:
        if self._refused and not self.pending.waiting:
            self._hide_problem()  # the note that was refused has been changed and saved
        row = self.notes_model.mark_saved(note)
        self.undo_stack.push(AddNoteCommand(self.backend, self.notes_model, note))
        if not self.pending.waiting:
            self._select_row(row)
        self.note_saved.emit(note)

    def _on_note_refused(self, note: UnsavedNote, refusal: ObserveError) -> None:
        """A note that waited was refused for what it holds: back into the box (before what is
        being typed there now), with the reason."""
        self.notes_model.remove_note(note.id)
        typed = self.note_edit.toPlainText()
        self._restore_box(note.text + ("\n" + typed if typed.strip() else ""),
                          (note.wall_time, note.elapsed_ms), list(note.item_ids))
        self.show_refusal(str(refusal))

    def _clear_box(self) -> None:
        self.box.clear()
        self.box.drafted = False  # saving the note clears the draft in the same transaction
        self.note_edit.clear()
        self._draft_timer.stop()
        self.draft_bar.hide()
        self._show_pending()

    def _restore_box(self, text: str, start: tuple[Any, int], tags: list[str]) -> None:
        self.note_edit.setPlainText(text)
        self.note_edit.moveCursor(self.note_edit.textCursor().MoveOperation.End)
        self.box.restore(start, tags)
        self._show_pending()

    def _on_note_edit_tag_chosen(self, label: str) -> None:
        for item_id, item in self._tag_items.items():
            if item.label == label and item_id not in self.box.tags:
                self.toggle_tag(item_id, pending=True)

    def toggle_tag(self, item_id: str, *, pending: bool | None = None) -> None:
        """Tag the note being typed; with an empty box, the selected note (undoable, and
        said beside the box); with neither, nothing happens but a hint that says so. In a
        participation map's seat box, the key tags the next contribution instead."""
        seat_box = next((m for m in self.panel.participation.values() if m.entry.hasFocus()),
                        None)
        if seat_box is not None and pending is None:
            seat_box.toggle_tag(self._tag_items[item_id])
            return
        if pending is None:
            if self.note_edit.toPlainText().strip() or self.box.tags:
                pending = True
            elif self._selected_note() is None:
                self._show_key_hint(self.tr("Type a note first, then tag it"))
                return
            else:
                pending = False
        if pending:
            self.box.toggle_tag(item_id)
            self._show_pending()
            self._schedule_draft()
            return
        before = self._selected_note()
        assert before is not None  # pending is False only with a note selected
        ids = [i for i in before.item_ids if i != item_id]
        if item_id not in before.item_ids:
            ids.append(item_id)
        after = self._call(self.backend.notes.set_tags, before.id, ids)
        if after is not None:
            self.notes_model.replace_note(after)
            self.undo_stack.push(ChangeNoteCommand(self.backend, self.notes_model, before, after,
                                                   self.tr("tag note")))
            label = self._tag_items[item_id].label
            text = (self.tr("Tagged the note at {mm_ss}: {tag} · Ctrl+Z undoes")
                    if item_id in ids else
                    self.tr("Untagged the note at {mm_ss}: {tag} · Ctrl+Z undoes"))
            self._show_key_hint(text.format(mm_ss=format_elapsed(after.elapsed_ms), tag=label))

    def _show_key_hint(self, text: str) -> None:
        self.key_hint_label.setText(text)
        self.key_hint_label.show()
        self._key_hint_timer.start()

    def _show_pending(self) -> None:
        if self.box.began is not None:
            wall, elapsed = self.box.began
            self.start_label.setText(self.tr("Started {mm_ss} ({wall})").format(
                mm_ss=format_elapsed(elapsed), wall=wall.astimezone().strftime("%H:%M:%S")))
        else:
            self.start_label.setText("")
        labels = [self._tag_items[i].label for i in self.box.tags if i in self._tag_items]
        self.tags_label.setText(self.tr("Tags: {tags}").format(tags="; ".join(labels))
                                if labels else "")
        self.panel.show_pending_tags(set(self.box.tags))

    def save_draft(self) -> None:
        """Keep what is in the note box (with when it was begun) so a crash loses nothing."""
        self._draft_timer.stop()
        text = self.note_edit.toPlainText()
        if not text.strip() or self.box.began is None:
            if self.box.drafted:
                self._call(self.backend.notes.discard_draft, self.observation_id)
                self.box.drafted = False
            return
        wall, elapsed = self.box.began
        if self._call(self.backend.notes.save_draft, self.observation_id, text, wall_time=wall,
                      elapsed_ms=elapsed, item_ids=self.box.tags) is not None:
            self.box.drafted = True

    def _offer_draft(self, draft: DraftView | None) -> None:
        if draft is None:
            return
        self.box.restore((draft.wall_time, draft.elapsed_ms),
                         [i for i in draft.item_ids if i in self._tag_items], drafted=True)
        self.note_edit.setPlainText(draft.text)
        self.note_edit.moveCursor(self.note_edit.textCursor().MoveOperation.End)
        self._draft_timer.stop()
        self.draft_label.setText(self.tr(
            "Recovered the note you were typing at {mm_ss} ({wall}). Press Enter to save it "
            "with its original time, or discard it.").format(
            mm_ss=format_elapsed(draft.elapsed_ms),
            wall=draft.wall_time.astimezone().strftime("%H:%M:%S")))
        self.draft_bar.show()

    def _on_discard_button_clicked(self) -> None:
        self.box.clear()
        self.note_edit.clear()
        self.save_draft()
        self.draft_bar.hide()
        self.note_edit.setFocus()

    # -- the evidence log ----------------------------------------------------------------------

    def _selected_note(self) -> NoteView | None:
        """The note selected in the log (None if none is, or it is not saved yet)."""
        rows = self.table.selectionModel().selectedRows()
        note = self.notes_model.note_at(rows[0].row()) if rows else None
        if isinstance(note, UnsavedNote):
            self._show_key_hint(self.tr("That note is not saved yet; it can be changed once "
                                        "it is"))
            return None
        return note

    def _select_row(self, row: int) -> None:
        index = self.notes_model.index(row, NotesTableModel.Column.TEXT)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)

    def _on_notes_model_text_edit_requested(self, note_id: str, text: str) -> None:
        before = self.notes_model.note_at(self.notes_model.row_of(note_id))
        if isinstance(before, UnsavedNote):
            return  # not editable until saved (the model says so)
        after = self._call(self.backend.notes.edit_note, note_id, text)
        if after is not None:
            self.notes_model.replace_note(after)
            self.undo_stack.push(ChangeNoteCommand(self.backend, self.notes_model, before, after,
                                                   self.tr("edit note")))

    def delete_selected_note(self) -> None:
        note = self._selected_note()
        if note is None:
            return
        row = self.notes_model.row_of(note.id)
        if self._call(self.backend.notes.delete_note, note.id) is None:
            return
        self.notes_model.remove_note(note.id)
        self.undo_stack.push(DeleteNoteCommand(self.backend, self.notes_model, note))
        if self.notes_model.rowCount():
            self._select_row(min(row, self.notes_model.rowCount() - 1))

    def toggle_private(self) -> None:
        """Keep the selected note (after Enter: the one just saved) private, or share it
        again; undoable. Not while a note is being typed in the box: the key could be meant
        for that one, which is not saved yet."""
        if self.note_edit.toPlainText().strip() and not self.table.hasFocus():
            self._show_key_hint(self.tr("Save the note first (Enter), then keep it private"))
            return
        if not self.table.selectionModel().selectedRows():
            self._show_key_hint(self.tr("Select a note to keep private"))
            return
        before = self._selected_note()
        if before is None:
            return
        after = self._call(self.backend.notes.set_private, before.id, not before.private)
        if after is None:
            return
        self.notes_model.replace_note(after)
        self.undo_stack.push(PrivateNoteCommand(self.backend, self.notes_model, after))
        text = (self.tr("The note at {mm_ss} is private: it stays on this laptop · Ctrl+Z "
                        "undoes") if after.private else
                self.tr("The note at {mm_ss} is shared again · Ctrl+Z undoes"))
        self._show_key_hint(text.format(mm_ss=after.mm_ss))

    # -- ending --------------------------------------------------------------------------------

    @property
    def by_co_observer(self) -> bool:
        """A co-observer records this visit: it is for calibration, not the teacher's record."""
        return self.observation.observer_id not in (None, self.cycle.observer_id)

    def _ask_end(self) -> bool:
        text = (self.tr("End this observation? The clock stops. Then rate the lesson from "
                        "your visit and hand it in on the cycle's Calibration tab.")
                if self.by_co_observer else
                self.tr("End this observation? The clock stops and the cycle moves on to the "
                        "post-conference. Your notes stay editable there."))
        answer = QMessageBox.question(self, self.tr("End observation"), text)
        return answer == QMessageBox.StandardButton.Yes

    def _on_end_button_clicked(self) -> None:
        if not self.confirm_end():
            return
        self.flush()
        if not self._save_note() or self.pending.waiting:
            return  # the banner says why; the visit stays open until all is saved
        ended = self._call(self.backend.observations.end_observation, self.observation_id,
                           self.clock.elapsed_ms(), now=self.backend.clock.now())
        if ended is not None:
            self._ticker.stop()
            self.observation_ended.emit(self.observation_id)

    def flush(self) -> None:
        """Save everything still waiting: what a fault kept back (if it has cleared), the
        draft, prompt text, running timers."""
        if self.pending.waiting:
            self._retry_now()
        self.save_draft()
        self.panel.flush()

    def _call(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        try:
            result = function(*args, **kwargs)
        except BadInputError as exc:  # the note itself must change: retrying cannot help
            self.show_refusal(str(exc))
            return None
        except ObserveError as exc:
            self.show_problem(str(exc))
            return None
        if not self.pending.waiting and not self._refused:  # a refusal stays until resolved
            self._hide_problem()
        return True if result is None else result
