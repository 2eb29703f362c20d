"""Timers: durations started and stopped during the visit (wait time, transitions)."""

from __future__ import annotations

from typing import Any

from observe_app.kinds.base import CaptureKind, Problems, later


def check(item: dict[str, Any], called: str) -> Problems:
    """A timer has only the fields every item has."""
    return []


def demo(maker: Any, obs_id: str, item: Any, minutes: int, growth: float) -> None:
    from observe_app.services import responses

    for k in range(maker.rng.randint(6, 12)):
        wait = int((1.0 + 3.5 * growth + maker.rng.uniform(-0.6, 0.8)) * 1000)
        responses.add_timer_run(maker.s, obs_id, item.id, (k + 1) * 180_000, max(300, wait))


KIND = CaptureKind(
    name="timer", plan_words="timed", own_fields=(), check=check,
    records=frozenset({"timer_runs"}), taggable=False,
    pdf_section=later("observe_app.reports.sections:tallies_and_timers"), pdf_place="results",
    growth_points=later("observe_app.services.growth:timer_trend"),
    growth_chart=later("observe_app.reports.document:timer_chart"),
    demo=demo,
    school_patterns=later("observe_app.services.school_patterns:timer_patterns"))
