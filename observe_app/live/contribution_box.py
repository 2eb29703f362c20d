"""The next contribution on a participation map, apart from its widget (no Qt): the look-for
it will be tagged to, and when its seat (or Enter) went down, so a held one is timed.

    none ──tag key──▶ tagged ──same key──▶ none      another look-for's key: replaces it
    ──seat or Enter down──▶ pressed ──let go──▶ logged with the moment it went down, a
    duration when held HOLD_MS or longer, and the tag (which is then used up)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

Moment = tuple[dt.datetime, int]  # the wall time and the lesson's elapsed ms

# Held at least this long, a seat or Enter times how long the student talked; a quicker press
# is an ordinary tap (a tap lasts a tenth of a second, a sentence several seconds).
HOLD_MS = 1000


@dataclass(frozen=True)
class LetGo:
    """What the release of a seat or Enter makes of the press."""

    moment: Moment  # when the student began to speak
    duration_ms: int | None  # how long they talked; None for a quick press


@dataclass
class NextContribution:
    """`now()` gives the moment, when one is needed."""

    now: Callable[[], Moment]
    lookfor_id: str | None = None  # the look-for the next contribution is tagged to
    pressed: Moment | None = None  # when the seat or Enter went down

    def toggle_tag(self, lookfor_id: str) -> str | None:
        """Tag the next contribution to a look-for, or take the tag off with the same key.
        A contribution has one look-for: another's key replaces it, and the one replaced is
        returned (to be said)."""
        replaced = self.lookfor_id if self.lookfor_id not in (None, lookfor_id) else None
        self.lookfor_id = None if self.lookfor_id == lookfor_id else lookfor_id
        return replaced

    def press(self) -> None:
        self.pressed = self.now()

    def let_go(self) -> LetGo:
        """The press is over: its moment, and how long it was held if long enough. With no
        press seen (its release came alone), now and no duration."""
        now, pressed = self.now(), self.pressed
        self.pressed = None
        if pressed is None:
            return LetGo(now, None)
        held = now[1] - pressed[1]
        return LetGo(pressed, held if held >= HOLD_MS else None)

    def logged(self) -> None:
        """The contribution was logged with the tag: the next one starts untagged."""
        self.lookfor_id = None
