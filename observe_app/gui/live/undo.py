"""Undoable changes of a live visit (notes, contributions from seats): each command replays
service calls, each call its own transaction; one stack, so Ctrl+Z undoes the newest change
whatever it was.

The first change is made by the caller (so a refused note never enters the stack); the
command's first redo() only records that it happened. An undo or redo the database refuses
(locked, disk full) changes nothing: the problem is reported and the command leaves the
stack, so the screen, the stack and the database never disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand

from observe_app.errors import ObserveError

if TYPE_CHECKING:
    from observe_app.gui.backend import Backend
    from observe_app.services.notes import NoteView
    from observe_app.services.participation import ContributionView


class _VisitCommand(QUndoCommand):
    def __init__(self, text: str, report: Callable[[str], None]) -> None:
        super().__init__(text)
        self._report = report
        self._done = True  # the first redo() happens in the caller

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self._guarded(self.apply)

    def undo(self) -> None:
        self._guarded(self.revert)

    def _guarded(self, change: Callable[[], None]) -> None:
        try:
            change()
        except ObserveError as exc:
            self.setObsolete(True)  # QUndoStack drops it; nothing was changed
            self._report(str(exc))

    def apply(self) -> None:
        raise NotImplementedError

    def revert(self) -> None:
        raise NotImplementedError


class _NoteCommand(_VisitCommand):
    def __init__(self, backend: Backend, model: Any, text: str) -> None:
        super().__init__(text, model.problem_occurred.emit)
        self._backend = backend
        self._model = model


class AddNoteCommand(_NoteCommand):
    def __init__(self, backend: Backend, model: Any, note: NoteView) -> None:
        super().__init__(backend, model, model.tr("add note"))
        self.note = note

    def apply(self) -> None:
        self._model.insert_note(self._backend.notes.restore_note(self.note))

    def revert(self) -> None:
        self._backend.notes.delete_note(self.note.id)
        self._model.remove_note(self.note.id)


class DeleteNoteCommand(_NoteCommand):
    def __init__(self, backend: Backend, model: Any, note: NoteView) -> None:
        super().__init__(backend, model, model.tr("delete note"))
        self.note = note

    def apply(self) -> None:
        self._backend.notes.delete_note(self.note.id)
        self._model.remove_note(self.note.id)

    def revert(self) -> None:
        self._model.insert_note(self._backend.notes.restore_note(self.note))


class ChangeNoteCommand(_NoteCommand):
    """An edit of a note's text or its tags: both states are kept whole."""

    def __init__(self, backend: Backend, model: Any, before: NoteView, after: NoteView,
                 text: str) -> None:
        super().__init__(backend, model, text)
        self.before = before
        self.after = after

    def _set(self, note: NoteView) -> None:
        view = self._backend.notes.edit_note(note.id, note.text, note.item_ids)
        self._model.replace_note(view)

    def apply(self) -> None:
        self._set(self.after)

    def revert(self) -> None:
        self._set(self.before)


class PrivateNoteCommand(_NoteCommand):
    """A note kept private or shared again; `note` is how it is after the change."""

    def __init__(self, backend: Backend, model: Any, note: NoteView) -> None:
        super().__init__(backend, model, model.tr("keep note private") if note.private
                         else model.tr("share note"))
        self.note = note

    def _set(self, private: bool) -> None:
        self._model.replace_note(self._backend.notes.set_private(self.note.id, private))

    def apply(self) -> None:
        self._set(self.note.private)

    def revert(self) -> None:
        self._set(not self.note.private)


class AddContributionCommand(_VisitCommand):
    """A contribution logged from a seat: undo takes it back, redo logs it again (the same id,
    so it is the same contribution). `capture` is the participation widget that shows it."""

    def __init__(self, capture: Any, contribution: ContributionView) -> None:
        super().__init__(capture.tr("log contribution"), capture.report)
        self._capture = capture
        self.contribution = contribution

    def apply(self) -> None:
        self._capture.put_back(self.contribution)

    def revert(self) -> None:
        self._capture.take_out(self.contribution)


class RemoveContributionCommand(AddContributionCommand):
    """The last contribution taken back with the widget's Undo button: Ctrl+Z puts it back."""

    def __init__(self, capture: Any, contribution: ContributionView) -> None:
        super().__init__(capture, contribution)
        self.setText(capture.tr("take back contribution"))

    def apply(self) -> None:
        super().revert()

    def revert(self) -> None:
        super().apply()
