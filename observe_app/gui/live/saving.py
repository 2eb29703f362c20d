"""What a live visit does when a save cannot happen: the banner that says why, the retries
that save what waits (in order, through the visit's pending writes) once the fault clears,
and the question before closing would lose anything.

A mixin of LiveObservationView: it uses the view's `pending`, `backend`, `panel`, note box,
`fault_banner`, `_draft_timer` and `save_draft`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox, QWidget

from observe_app.errors import ObserveError
from observe_app.gui.tasks import run_in_background

if TYPE_CHECKING:
    from observe_app.gui.backend import Backend
    from observe_app.gui.live.note_edit import NoteEdit
    from observe_app.gui.live.parts import FaultBanner
    from observe_app.gui.live.protocol_panel import ProtocolPanel
    from observe_app.live.pending_writes import PendingWrites


class SavingFaults(QWidget):
    """The banner, the retries and the question on close of a live visit."""

    backend: Backend
    pending: PendingWrites
    panel: ProtocolPanel
    note_edit: NoteEdit
    fault_banner: FaultBanner
    _draft_timer: QTimer
    _retry_timer: QTimer  # made by the view, every live_view.RETRY_MS
    _probing: bool  # a probe of the database is out on a worker
    _refused: bool  # the banner shows a refusal of the text, not a fault

    def save_draft(self) -> None:
        raise NotImplementedError

    def unsaved_text(self) -> str:
        """What a fault keeps from disk: notes and prompt text waiting, the box's text."""
        text = "".join(w.text + "\n" for w in self.pending.waiting if w.text)
        text += self.note_edit.toPlainText()
        return text if text.strip() and self._fault_shown() else ""

    def has_unsaved(self) -> bool:
        """Closing now would lose something: a write waits, or the box holds text no fault
        let be saved even as a draft."""
        return bool(self.pending.waiting or self.unsaved_text())

    def _waiting_words(self) -> str:
        """What waits in the queue, in words: "2 notes and 1 other entry"."""
        counts = self.pending.counts()
        notes = counts.pop("note", 0)
        others = sum(counts.values())
        parts = []
        if notes:
            parts.append(self.tr("%n note", None, notes) if notes == 1
                         else self.tr("%n notes", None, notes))
        if others:  # ticks, tallies, timer runs, scans, prompt text
            parts.append(self.tr("%n other entry", None, others) if others == 1
                         else self.tr("%n other entries", None, others))
        return self.tr(" and ").join(parts)

    def _fault_shown(self) -> bool:
        """A storage fault is on the banner (not a refusal of what was typed)."""
        return self.fault_banner.isVisibleTo(self) and not self._refused

    def _ask_close_unsaved(self) -> bool:
        answer = QMessageBox.warning(
            self, self.tr("Not saved yet"),
            self.tr("Some of what you recorded could not be saved yet ({problem}). If you "
                    "close now it is lost. Copy any text somewhere first, or wait until it is "
                    "saved.\n\nClose anyway?").format(problem=self.fault_banner.label.text()),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def show_problem(self, message: str) -> None:
        text = self.tr("Not saved: {message}.").format(message=message.rstrip("."))
        if self.pending.waiting:
            text += " " + self.tr("Waiting to be saved, in order: {what}. Keep going: Observe "
                                  "tries again every few seconds.").format(
                what=self._waiting_words())
        elif self.note_edit.toPlainText().strip():
            text += " " + self.tr("Observe tries again every few seconds; keep typing.")
        self.fault_banner.label.setText(text)
        self.fault_banner.show()
        self._refused = False
        self._draft_timer.stop()
        if not self._retry_timer.isActive():
            self._retry_timer.start()

    def show_refusal(self, message: str) -> None:
        """A save refused for what was typed (too long, say): said once, nothing retried."""
        self.fault_banner.label.setText(self.tr(
            "Not saved: {message}. Change the note, then press Enter again; it is kept in the "
            "box meanwhile.").format(message=message.rstrip(".")))
        self.fault_banner.show()
        self._refused = True
        self._retry_timer.stop()

    def _hide_problem(self) -> None:
        self._refused = False
        self.fault_banner.hide()
        self._retry_timer.stop()

    def _on_retry_timer_timeout(self) -> None:
        self._request_retry()

    def _request_retry(self) -> None:
        """Probe the database on a worker; if saving works again, save what is waiting."""
        if self._probing:
            return
        self._probing = True
        run_in_background(self.backend.probe_write, self._on_probe_done, self._on_probe_failed,
                          self)

    def _on_probe_done(self, _result: None) -> None:
        self._probing = False
        self._retry_now()

    def _on_probe_failed(self, exc: BaseException) -> None:
        self._probing = False
        if not isinstance(exc, ObserveError):
            raise exc
        self.show_problem(str(exc))

    def _retry_now(self) -> None:
        """Save what waits, in order; then prompt text and the draft, and hide the banner."""
        if not self.pending.retry():
            return  # still a fault: the banner says it, and the retry timer goes on
        if self.panel.unsaved_prompts:
            self.panel.flush_prompts()
        if not self._refused:  # a note handed back keeps its reason on the banner
            self._hide_problem()
        self.save_draft()  # shows the banner again if it still fails

    def _on_pending_changed(self) -> None:
        if self.pending.fault is not None:
            self.show_problem(str(self.pending.fault))
