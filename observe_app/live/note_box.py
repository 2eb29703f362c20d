"""The note being typed during a visit, apart from its widget (no Qt): when its typing began,
the tags chosen for it, and whether its text is on disk as a draft.

    empty ──first character or a tag──▶ begun ──Enter──▶ empty (the note is saved or waits)
      ▲                                   │  the draft saved: drafted
      └──the box emptied with no tag──────┘  (a refusal puts the note back: begun again)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

Moment = tuple[dt.datetime, int]  # the wall time and the lesson's elapsed ms


@dataclass
class NoteInProgress:
    """What the box holds besides its text. `now()` gives the moment, when one is needed."""

    now: Callable[[], Moment]
    began: Moment | None = None  # when typing began: the time the note is saved with
    tags: list[str] = field(default_factory=list)
    drafted: bool = False  # its text is on disk as the visit's draft

    def text_changed(self, text: str) -> None:
        if text and self.began is None:
            self.began = self.now()
        elif not text and not self.tags:
            self.began = None

    def toggle_tag(self, item_id: str) -> None:
        """Tag (or untag) the note being typed; a tag alone begins a note."""
        if item_id in self.tags:
            self.tags.remove(item_id)
            return
        self.tags.append(item_id)
        if self.began is None:
            self.began = self.now()

    def moment(self) -> Moment:
        """When the note began, or now for a note with no recorded start."""
        return self.began or self.now()

    def clear(self) -> None:
        """The box emptied. A draft on disk stays `drafted` until it is discarded."""
        self.began = None
        self.tags = []

    def restore(self, began: Moment, tags: list[str], *, drafted: bool = False) -> None:
        """Back into the box: a refused note, or a draft found after a crash."""
        self.began = began
        self.tags = list(tags)
        self.drafted = drafted
