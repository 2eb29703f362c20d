"""Look-fors: a checklist ticked during the visit; notes are tagged to them as evidence."""

from __future__ import annotations

from typing import Any

from observe_app.kinds.base import CaptureKind, Problems, later, nothing


def check(item: dict[str, Any], called: str) -> Problems:
    """A look-for has only the fields every item has."""
    return []


def demo(maker: Any, obs_id: str, item: Any, minutes: int, growth: float) -> None:
    from observe_app.services import responses

    responses.set_checked(maker.s, obs_id, item.id, maker.rng.random() < 0.4 + growth / 2)


KIND = CaptureKind(
    name="lookfor", plan_words="look-for", own_fields=(), check=check,
    records=frozenset({"checked"}), taggable=True,
    pdf_section=later("observe_app.reports.sections:checklist"), pdf_place="results",
    growth_points=nothing, growth_chart=nothing,  # seen or not: no series over time yet
    demo=demo,
    school_patterns=later("observe_app.services.school_patterns:lookfor_patterns"))
