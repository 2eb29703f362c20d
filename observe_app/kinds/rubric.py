"""Rubric items: rated on levels after the visit, with tagged notes as evidence."""

from __future__ import annotations

from typing import Any

from observe_app.kinds.base import CaptureKind, later
from observe_app.protocols.loader import ProtocolFileError


def check(item: dict[str, Any], source: str, where: str) -> None:
    levels = [lv["level"] for lv in item.get("levels", [])]
    if len(set(levels)) != len(levels):
        raise ProtocolFileError(source, f"{where}.levels", "expected each level number once")


def demo(maker: Any, obs_id: str, item: Any, minutes: int, growth: float) -> None:
    """Nothing is recorded on a rubric item during the visit: the demo rates it afterwards,
    from the tagged notes (DemoMaker.rate)."""


KIND = CaptureKind(
    name="rubric", plan_words="rated on levels", own_fields=("levels",), check=check,
    records=frozenset({"rating"}), taggable=True,
    pdf_section=later("observe_app.reports.sections:ratings"), pdf_place="results",
    growth_points=later("observe_app.services.growth:domain_levels"),
    growth_chart=later("observe_app.reports.document:domain_chart"),
    demo=demo)
