"""The note being typed, without Qt: when it began, its tags, its draft."""

from __future__ import annotations

import datetime as dt

from observe_app.live.note_box import NoteInProgress

T0 = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


class Clock:
    def __init__(self) -> None:
        self.ms = 0

    def now(self) -> tuple[dt.datetime, int]:
        return T0 + dt.timedelta(milliseconds=self.ms), self.ms


def test_a_note_begins_at_its_first_character_and_keeps_that_time() -> None:
    clock = Clock()
    box = NoteInProgress(clock.now)
    clock.ms = 5_000
    box.text_changed("K")
    clock.ms = 9_000
    box.text_changed("Kofi explains")
    assert box.began == (T0 + dt.timedelta(seconds=5), 5_000)
    assert box.moment() == box.began
    box.text_changed("")  # all typed away, no tag: nothing begun
    assert box.began is None and box.moment() == (T0 + dt.timedelta(seconds=9), 9_000)


def test_a_tag_alone_begins_a_note_and_keeps_it_begun_when_the_text_goes() -> None:
    clock = Clock()
    box = NoteInProgress(clock.now)
    clock.ms = 3_000
    box.toggle_tag("look-1")
    box.text_changed("x")
    box.text_changed("")
    assert box.began == (T0 + dt.timedelta(seconds=3), 3_000) and box.tags == ["look-1"]
    box.toggle_tag("look-1")
    assert box.tags == []


def test_clearing_keeps_the_draft_flag_until_the_draft_is_discarded() -> None:
    box = NoteInProgress(Clock().now)
    box.restore((T0, 1_000), ["a"], drafted=True)
    box.clear()
    assert box.began is None and box.tags == [] and box.drafted
