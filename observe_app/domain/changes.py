"""What a write changed: the kinds of rows, so every screen that shows them can catch up."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Data(enum.Flag):
    """The kinds of data a screen shows and a write changes."""

    NONE = 0
    PEOPLE = enum.auto()
    PROTOCOLS = enum.auto()
    CYCLES = enum.auto()  # a cycle's stage, pre- and post-conference, reflection
    FEEDBACK = enum.auto()  # glows, grows, next steps
    VISITS = enum.auto()  # observations: started, paused, ended
    NOTES = enum.auto()
    DRAFTS = enum.auto()  # the text still in the live note box
    RESPONSES = enum.auto()  # ticks, tallies, timer runs, interval scans, prompts
    RATINGS = enum.auto()
    GOALS = enum.auto()
    SETTINGS = enum.auto()  # this data folder's settings (the fewest visits behind a figure)
    EVERYTHING = (PEOPLE | PROTOCOLS | CYCLES | FEEDBACK | VISITS | NOTES | DRAFTS | RESPONSES
                  | RATINGS | GOALS | SETTINGS)


@dataclass(frozen=True)
class Changes:
    """Sent once per successful write (or a restore: everything)."""

    what: Data

    def touches(self, shown: Data) -> bool:
        return bool(self.what & shown)
