"""Rubric items: rated on levels after the visit, with tagged notes as evidence."""

from __future__ import annotations

from typing import Any

from observe_app.kinds.base import CaptureKind, Problems, later, repeats


def check(item: dict[str, Any], called: str) -> Problems:
    """Level numbers differ within one rubric (a rating names its level by number)."""
    levels = item.get("levels")
    numbers = [(n, level.get("level")) for n, level in
               enumerate(levels if isinstance(levels, list) else ()) if isinstance(level, dict)]
    return [(("levels", n, "level"), f"Level numbers in one rubric must be different: "
             f"{number} is used {times} in {called}.")
            for n, number, times in repeats(numbers, int)]


def demo(maker: Any, obs_id: str, item: Any, minutes: int, growth: float) -> None:
    """Nothing is recorded on a rubric item during the visit: the demo rates it afterwards,
    from the tagged notes (DemoMaker.rate)."""


KIND = CaptureKind(
    name="rubric", plan_words="rated on levels", own_fields=("levels",), check=check,
    records=frozenset({"rating"}), taggable=True,
    pdf_section=later("observe_app.reports.sections:ratings"), pdf_place="results",
    growth_points=later("observe_app.services.growth:domain_levels"),
    growth_chart=later("observe_app.reports.document:domain_chart"),
    demo=demo,
    school_patterns=later("observe_app.services.school_patterns:rubric_patterns"))
