"""Prompts: free text written during the visit (a glow, a grow, a next step)."""

from __future__ import annotations

from typing import Any

from observe_app.kinds.base import CaptureKind, Problems, later, nothing


def check(item: dict[str, Any], called: str) -> Problems:
    """A prompt's own field, `prompt_kind`, is checked by the schema."""
    return []


def demo(maker: Any, obs_id: str, item: Any, minutes: int, growth: float) -> None:
    if item.prompt_kind not in ("glow", "grow"):
        return
    from observe_app.services import responses
    from observe_app.services.demo import GLOWS, GROWS

    source = GLOWS if item.prompt_kind == "glow" else GROWS
    responses.set_text(maker.s, obs_id, item.id, maker.rng.choice(source))


KIND = CaptureKind(
    name="prompt", plan_words="written feedback", own_fields=("prompt_kind",), check=check,
    records=frozenset({"text"}), taggable=False,
    pdf_section=later("observe_app.reports.sections:written_during_visit"),
    pdf_place="feedback",
    growth_points=nothing, growth_chart=nothing,  # words, not a measure: no series
    demo=demo,
    school_patterns=nothing)  # free text may name students: never pooled
