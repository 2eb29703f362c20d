"""The seat box: a seat number (and a talk type's letter) typed, then Enter or Shift+Enter
(held, it times the contribution)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QLineEdit, QWidget

_SEAT_THEN_TYPE = re.compile(r"(?P<seat>\d{1,3})(?P<type>[a-z]?)")
_TYPE_THEN_SEAT = re.compile(r"(?P<type>[a-z])(?P<seat>\d{0,3})")


@dataclass(frozen=True)
class Entry:
    """What was typed: "12" (seat 12), "12e" or "e12" (seat 12, talk type e), "e" (talk type
    e from now on)."""

    seat: int | None
    talk_type: str | None


def read_entry(text: str) -> Entry | None:
    """The entry `text` makes, or None when it is neither a seat nor a letter."""
    compact = "".join(text.split()).lower()
    match = _SEAT_THEN_TYPE.fullmatch(compact) or _TYPE_THEN_SEAT.fullmatch(compact)
    if match is None:
        return None
    seat = match.group("seat")
    return Entry(int(seat) if seat else None, match.group("type") or None)


class SeatEntry(QLineEdit):
    """Enter: the student volunteered; Shift+Enter: the teacher called on them. Enter going
    down is when the student began to speak and letting it go makes the entry, so Enter held
    times how long they talked. Ctrl+Z with nothing of its own to undo reaches the visit's
    undo (the last contribution or note)."""

    pressed = Signal()  # Enter went down
    entered = Signal(str, bool)  # Enter let go: the text, called on

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMaxLength(12)
        self._called_on: bool | None = None  # while Enter is down: Shift was held with it

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            # A held key repeats: the repeats are the same entry, not more of them.
            if not event.isAutoRepeat() and self._called_on is None:
                self._called_on = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
                self.pressed.emit()
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if not event.isAutoRepeat():
                self._let_go()
            return
        super().keyReleaseEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        # Enter still down as the focus leaves: its release goes elsewhere, so the entry is
        # made now rather than lost.
        self._let_go()
        super().focusOutEvent(event)

    def _let_go(self) -> None:
        if self._called_on is None:
            return
        called_on, self._called_on = self._called_on, None
        self.entered.emit(self.text(), called_on)

    def event(self, event: QEvent) -> bool:
        # A line edit claims Ctrl+Z even with nothing to undo; leave it to the view's key then.
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent) and (
                (event.matches(QKeySequence.StandardKey.Undo) and not self.isUndoAvailable())
                or (event.matches(QKeySequence.StandardKey.Redo)
                    and not self.isRedoAvailable())):
            event.ignore()
            return False
        return super().event(event)

    def take(self) -> None:
        """Empty the box after an entry was logged; its own undo history goes too, so the next
        Ctrl+Z undoes the contribution, not the typing."""
        self.setText("")

    def problem_with(self, text: str, entry: Entry | None, seats: Sequence[int],
                     talk_types: Mapping[str, str]) -> str:
        """What is wrong with the entry `text` made, in a sentence; "" when nothing is."""
        letters = ", ".join(talk_types)
        if not text.strip():
            return self.tr("Type a seat number, then Enter (volunteered) or Shift+Enter "
                           "(called on).")
        if entry is None:
            return self.tr("“{text}” is not a seat: type its number, such as 12, and a talk "
                           "type's letter if you like ({letters}).").format(
                text=text.strip(), letters=letters)
        if entry.talk_type is not None and entry.talk_type not in talk_types:
            return self.tr("There is no talk type “{key}”: the letters are {letters}. Change "
                           "it and press Enter again.").format(key=entry.talk_type,
                                                               letters=letters)
        if entry.seat is None:
            return ""
        if not seats:
            return self.tr("There are no seats yet: lay them out first (Lay out the seats…), "
                           "then type the number again.")
        if entry.seat not in seats:
            return self.tr("There is no seat {seat} on this lesson's chart: its seats are "
                           "numbered {low} to {high}. Change it and press Enter again.").format(
                seat=entry.seat, low=min(seats), high=max(seats))
        return ""
