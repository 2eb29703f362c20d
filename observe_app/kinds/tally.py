"""Tallies: a counter tapped during the visit (questions asked, hands up)."""

from __future__ import annotations

from typing import Any

from observe_app.kinds.base import CaptureKind, Problems, later


def check(item: dict[str, Any], called: str) -> Problems:
    """A tally has only the fields every item has."""
    return []


# Per lesson, before growth: what the demo school's observers count on the built-in tallies.
_BASE = {"open-question": (3, 11), "closed-question": (22, -10), "probing-question": (2, 6),
         "student-question": (1, 4), "cold-call": (2, 8), "hands-up": (14, -6)}


def demo(maker: Any, obs_id: str, item: Any, minutes: int, growth: float) -> None:
    from observe_app.services import responses

    start, rise = _BASE.get(item.key, (4, 0))
    count = max(0, round(start + rise * growth + maker.rng.uniform(-1.5, 1.5)))
    responses.change_tally(maker.s, obs_id, item.id, count)


KIND = CaptureKind(
    name="tally", plan_words="tally", own_fields=(), check=check,
    records=frozenset({"count"}), taggable=False,
    pdf_section=later("observe_app.reports.sections:tallies_and_timers"), pdf_place="results",
    growth_points=later("observe_app.services.growth:tally_trend"),
    growth_chart=later("observe_app.reports.document:tally_chart"),
    demo=demo,
    school_patterns=later("observe_app.services.school_patterns:tally_patterns"))
