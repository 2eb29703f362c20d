"""The participation map in the soak lesson: who speaks, logged between (and during) the notes.

The observer keeps to the keyboard: Ctrl+Shift+S to the seat box, a seat number with or
without a talk type's letter ("12", "12e", "e12", "12E"), Enter (volunteered) or Shift+Enter
(called on), Ctrl+N back to the note box; a letter alone changes the talk type. Now and then a
seat is clicked (right or Shift+click: called on), a talk-type button is clicked, and a
contribution is taken back with Ctrl+Z (from the seat box or the note box) or the Undo button.
Everything logged is kept, with the lesson time it was heard, for the test to compare.
"""

from __future__ import annotations

import random
from typing import Any

# The class's seats, saved on this laptop before the lesson: five rows of six.
ROWS, COLUMNS = 5, 6
LABELS = {1: "AB", 7: "ÇD", 14: "ΖΠ", 22: "NV"}  # initials, on this laptop only
HEARD_SEATS = range(1, 27)  # seats 27-30 (the back row's last four) are never heard
TALK_TYPES = "aqeb"
STEP_MS = 3_000  # between two contributions
UNDO_IN_SEAT_BOX = {12, 33, 57, 81}  # notes after which the last contribution is taken back
UNDO_IN_NOTE_BOX = {64}
UNDO_BUTTON = {90}


def save_class_chart(session: Any, teacher_id: str) -> dict[str, Any]:
    """The chart the observer laid out at the last visit to this class (Science, no room
    given): the new visit takes it at once. Its seat numbers and labels, for the record."""
    from observe_app.services import participation

    seats = participation.grid_seats(ROWS, COLUMNS)
    participation.save_chart(session, teacher_id, participation.class_name_of("Science", ""),
                             "", seats, LABELS)
    return {"seats": [s.number for s in seats], "labels": {str(n): t for n, t in LABELS.items()}}


class SeatTaker:
    """Logs contributions through `lesson`'s keyboard and mouse, and records them."""

    def __init__(self, lesson: Any, item_id: str) -> None:
        self.lesson = lesson
        self.widget = lesson.live.panel.participation[item_id]
        self.talk_type = self.widget.talk_type
        self.by_keys = 0
        self.random = random.Random(17)
        self.record: dict[str, Any] = {"contributions": [], "undone": []}
        # Some seats are heard far more than others, as in most rooms.
        self.weights = [5 if s <= 6 else 2 if s <= 18 else 1 for s in HEARD_SEATS]

    def now_ms(self) -> int:
        return self.lesson.clock.ms - self.lesson.paused_ms

    def next_seat(self) -> int:
        return self.random.choices(list(HEARD_SEATS), self.weights)[0]

    # -- during a note -------------------------------------------------------------------------

    def while_typing(self, n: int, *, tagging: bool = False) -> int:
        """A student speaks while the note is half typed (or its `#` list is open): to the
        seat box and back, the half note still in its box. The lesson time this took."""
        if n % 5 != 3 and not tagging:
            return 0
        self.lesson.clock.advance(2_000)
        self.log_by_keys(self.next_seat())
        self.back_to_notes()
        return 2_000

    def after_note(self, n: int) -> int:
        """The contributions heard before the next note; the lesson time they took."""
        taken = 0
        many = 1 + (n % 3 == 0) + (n % 7 == 2)
        if n % 9 == 4:  # a letter alone: every seat from now on logs that talk type
            self.change_type_by_keys(TALK_TYPES[(n // 9) % len(TALK_TYPES)])
        if n % 11 == 6:
            self.change_type_by_click(TALK_TYPES[(n // 11 + 2) % len(TALK_TYPES)])
        for j in range(many):
            self.lesson.clock.advance(STEP_MS)
            taken += STEP_MS
            if n % 4 == 2 and j == 0:
                self.log_by_click(self.next_seat(), called_on=n % 8 == 6, shift=n % 16 == 14)
            else:
                self.log_by_keys(self.next_seat())
        if n in UNDO_IN_SEAT_BOX:
            self.undo_in_seat_box()
        if self.lesson.focus() is self.widget.entry:
            self.back_to_notes()
        if n in UNDO_IN_NOTE_BOX:
            self.undo_in_note_box()
        if n in UNDO_BUTTON:
            self.undo_by_button()
        return taken

    # -- logging -------------------------------------------------------------------------------

    def to_seat_box(self) -> None:
        from PySide6.QtCore import Qt

        if self.lesson.focus() is not self.widget.entry:
            self.lesson.key(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier
                            | Qt.KeyboardModifier.ShiftModifier)
        assert self.lesson.focus() is self.widget.entry, (
            f"Ctrl+Shift+S left the cursor in {self.lesson.focus()!r}")

    def back_to_notes(self) -> None:
        from PySide6.QtCore import Qt

        self.lesson.key(Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
        assert self.lesson.focus() is self.lesson.live.note_edit, (
            f"Ctrl+N left the cursor in {self.lesson.focus()!r}")

    def log_by_keys(self, seat: int) -> None:
        """The seat box, in one of the ways people type it; every third called on."""
        from PySide6.QtCore import Qt

        i = self.by_keys
        self.by_keys += 1
        letter = self.random.choice(TALK_TYPES)
        typed = [f"{seat}", f"{seat}{letter}", f"{letter}{seat}", f"{seat}{letter.upper()}"][i % 4]
        called_on = i % 3 == 1
        self.to_seat_box()
        self.lesson.type(typed)
        self.lesson.key(Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier if called_on
                        else None)
        self.expect_logged(seat, self.talk_type if i % 4 == 0 else letter, called_on, "keys",
                           f"{typed!r} then {'Shift+' if called_on else ''}Enter")
        assert self.widget.entry.text() == "", f"{typed!r} stayed in the seat box"

    def log_by_click(self, seat: int, *, called_on: bool, shift: bool) -> None:
        """A click on the seat; a right click or a Shift+click: called on."""
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        chart, focus = self.widget.chart, self.lesson.focus()
        button = Qt.MouseButton.RightButton if called_on and not shift else \
            Qt.MouseButton.LeftButton
        modifier = Qt.KeyboardModifier.ShiftModifier if called_on and shift else \
            Qt.KeyboardModifier.NoModifier
        QTest.mouseClick(chart, button, modifier, chart.seat_rect(seat).center().toPoint())
        self.expect_logged(seat, self.talk_type, called_on, "mouse", f"a click on seat {seat}")
        assert self.lesson.focus() is focus, (
            f"a click on a seat took the cursor from {focus!r} to {self.lesson.focus()!r}")

    def expect_logged(self, seat: int, talk_type: str, called_on: bool, by: str,
                      how: str) -> None:
        heard = self.widget.heard
        logged = self.record["contributions"]
        assert len(heard) == len(logged) + 1, (
            f"{how} logged nothing: {self.widget.message.text()!r}")
        newest = heard[-1]
        got = (newest.seat, newest.talk_type, newest.called_on)
        assert got == (seat, talk_type, called_on), f"{how} logged {got}"
        logged.append({"id": newest.id, "seat": seat, "type": talk_type,
                       "called_on": called_on, "at_ms": self.now_ms(), "by": by})

    def change_type_by_keys(self, letter: str) -> None:
        from PySide6.QtCore import Qt

        self.to_seat_box()
        self.lesson.type(letter)
        self.lesson.key(Qt.Key.Key_Return)
        assert self.widget.talk_type == letter and self.widget.entry.text() == "", (
            f"the letter {letter} alone did not change the talk type")
        self.talk_type = letter

    def change_type_by_click(self, letter: str) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        focus = self.lesson.focus()
        QTest.mouseClick(self.widget.type_buttons[letter], Qt.MouseButton.LeftButton)
        assert self.widget.talk_type == letter, f"a click on {letter} did not change the type"
        assert self.lesson.focus() is focus, "a click on a talk type moved the cursor"
        self.talk_type = letter

    # -- taking back ---------------------------------------------------------------------------

    def undo_in_seat_box(self) -> None:
        """Ctrl+Z in the empty seat box: the newest change, the contribution just logged."""
        from PySide6.QtCore import Qt

        self.to_seat_box()
        self.lesson.key(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        self.expect_taken_back("Ctrl+Z in the seat box")

    def undo_in_note_box(self) -> None:
        from PySide6.QtCore import Qt

        assert self.lesson.focus() is self.lesson.live.note_edit
        self.lesson.key(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        self.expect_taken_back("Ctrl+Z in the empty note box")

    def undo_by_button(self) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        QTest.mouseClick(self.widget.undo_button, Qt.MouseButton.LeftButton)
        self.expect_taken_back("the Undo button")

    def expect_taken_back(self, how: str) -> None:
        logged = self.record["contributions"]
        assert len(self.widget.heard) == len(logged) - 1, (
            f"{how} took nothing back: {self.widget.message.text()!r}")
        self.record["undone"].append(logged.pop())

    def finish(self) -> dict[str, Any]:
        """The record, with what the screen said last."""
        self.record["summary"] = self.widget.summary.text()
        return self.record
