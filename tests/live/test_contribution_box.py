"""The next contribution on a participation map, without Qt: its one look-for, and a press
held long enough to time it."""

from __future__ import annotations

import datetime as dt

from observe_app.live.contribution_box import HOLD_MS, NextContribution

T0 = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


class Clock:
    def __init__(self) -> None:
        self.ms = 0

    def now(self) -> tuple[dt.datetime, int]:
        return T0 + dt.timedelta(milliseconds=self.ms), self.ms


def test_one_look_for_a_contribution_the_same_key_again_takes_it_off() -> None:
    box = NextContribution(Clock().now)
    assert box.toggle_tag("wait-time") is None and box.lookfor_id == "wait-time"
    assert box.toggle_tag("peer-talk") == "wait-time"  # replaced, and said which
    assert box.lookfor_id == "peer-talk"
    assert box.toggle_tag("peer-talk") is None and box.lookfor_id is None
    box.toggle_tag("wait-time")
    box.logged()
    assert box.lookfor_id is None


def test_held_a_second_or_more_the_press_is_timed_from_when_it_went_down() -> None:
    clock = Clock()
    box = NextContribution(clock.now)
    clock.ms = 60_000
    box.press()
    clock.ms = 72_000
    held = box.let_go()
    assert held.moment == (T0 + dt.timedelta(seconds=60), 60_000)
    assert held.duration_ms == 12_000
    box.press()
    clock.ms += HOLD_MS - 1  # a tap, however slow, is not timed
    quick = box.let_go()
    assert quick.moment[1] == 72_000 and quick.duration_ms is None
    box.press()
    clock.ms += HOLD_MS
    assert box.let_go().duration_ms == HOLD_MS
    # A release with no press seen is now, untimed.
    assert box.let_go().moment == clock.now() and box.pressed is None
