"""A note shown in the evidence log before it is on disk (a fault keeps it back for now)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from observe_app.domain.formats import format_elapsed


def new_note_id() -> str:
    """The id the note will keep once saved, so the retry cannot save it twice."""
    return str(uuid.uuid4())


@dataclass(frozen=True)
class UnsavedNote:
    """The same fields as the saved note (services.notes.NoteView), held in memory."""

    id: str
    observation_id: str
    wall_time: dt.datetime
    elapsed_ms: int
    text: str
    item_ids: tuple[str, ...]
    private: bool = False  # a note is kept private once it is saved

    @property
    def mm_ss(self) -> str:
        return format_elapsed(self.elapsed_ms)
