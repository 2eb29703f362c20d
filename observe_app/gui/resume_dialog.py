"""The question asked when a visit left open is resumed: end it at its last note, or go on."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from observe_app.domain.formats import format_elapsed

if TYPE_CHECKING:
    from observe_app.services.observations import UnfinishedVisit

# A gap longer than the longest lesson (a double period) means the lesson the visit recorded
# is over: ending at the last note is then what the observer almost always wants.
LESSON_SURELY_OVER = dt.timedelta(hours=2)

_tr = QCoreApplication.translate


def _counted(n: int, one: str, many: str) -> str:
    return one if n == 1 else many.replace("%n", str(n))


def how_long_ago(then: dt.datetime, now: dt.datetime) -> str:
    """'just now', '5 minutes ago', '3 hours ago', '2 days ago'."""
    gap = now - then
    if gap < dt.timedelta(minutes=1):
        return _tr("ResumeDialog", "just now")
    return _tr("ResumeDialog", "{gap} ago").format(gap=how_long(gap))


def how_long(gap: dt.timedelta) -> str:
    """'40 minutes', '3 hours', '2 days': the rough size of a gap."""
    seconds = max(0, int(gap.total_seconds()))
    if seconds >= 86_400:
        return _counted(seconds // 86_400, _tr("ResumeDialog", "1 day"),
                        _tr("ResumeDialog", "%n days"))
    if seconds >= 3_600:
        return _counted(seconds // 3_600, _tr("ResumeDialog", "1 hour"),
                        _tr("ResumeDialog", "%n hours"))
    return _counted(seconds // 60, _tr("ResumeDialog", "1 minute"),
                    _tr("ResumeDialog", "%n minutes"))


def local_when(moment: dt.datetime) -> str:
    return moment.astimezone().strftime("%a %d %b %Y, %H:%M")


class ResumeDialog(QDialog):
    """Asks how to resume one unfinished visit; `choice` is END or GO_ON once accepted.

    Enter answers with the default (go on after a short gap, end at the last note after a long
    one), Tab moves between the answers, Escape leaves the visit as it is.
    """

    END = "end"
    GO_ON = "go_on"

    def __init__(self, visit: UnfinishedVisit, now: dt.datetime,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Resume observation"))
        self.choice: str | None = None
        gap = now - visit.last_activity_at
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(12)
        what = " · ".join(p for p in (visit.teacher_name, visit.subject) if p)
        title = QLabel(self.tr("{what}: this observation was not ended").format(what=what), self)
        title.setObjectName("panelTitle")
        title.setWordWrap(True)
        layout.addWidget(title)
        if visit.last_note_at is not None:
            notes = _counted(visit.notes, self.tr("1 note"), self.tr("%n notes"))
            last = self.tr("Its last note was written {when} ({ago}); {notes}, "
                           "{length} of lesson.").format(
                when=local_when(visit.last_note_at), ago=how_long_ago(visit.last_note_at, now),
                notes=notes, length=format_elapsed(visit.lesson_ms))
        else:
            last = self.tr("It has no notes.")
        self.facts_label = QLabel(self.tr("It began {when} ({ago}). {last}").format(
            when=local_when(visit.started_at), ago=how_long_ago(visit.started_at, now),
            last=last), self)
        self.facts_label.setWordWrap(True)
        layout.addWidget(self.facts_label)
        self.question_label = QLabel(self.tr(
            "End it at its last note, so its length is the lesson you saw? Or go on observing: "
            "the {gap} since it was last used is kept as a pause, not counted as lesson "
            "time.").format(gap=how_long(gap)), self)
        self.question_label.setWordWrap(True)
        layout.addWidget(self.question_label)
        row = QHBoxLayout()
        row.addStretch(1)
        self.cancel_button = QPushButton(self.tr("Not now  Esc"), self)
        self.end_button = QPushButton(self.tr("End at last note") if visit.notes
                                      else self.tr("End at its start"), self)
        self.go_on_button = QPushButton(self.tr("Go on observing"), self)
        for button in (self.cancel_button, self.end_button, self.go_on_button):
            button.setAutoDefault(True)  # Enter presses the button that has the focus
            row.addWidget(button)
        layout.addLayout(row)
        self.cancel_button.clicked.connect(self.reject)
        self.end_button.clicked.connect(lambda: self._answer(self.END))
        self.go_on_button.clicked.connect(lambda: self._answer(self.GO_ON))
        self.default_choice = self.END if gap >= LESSON_SURELY_OVER else self.GO_ON
        default = self.end_button if self.default_choice == self.END else self.go_on_button
        default.setDefault(True)
        default.setObjectName("primaryButton")
        default.setFocus(Qt.FocusReason.OtherFocusReason)
        self.setMinimumWidth(520)

    def _answer(self, choice: str) -> None:
        self.choice = choice
        self.accept()
