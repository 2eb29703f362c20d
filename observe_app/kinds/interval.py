"""Interval scans: every period, the codes seen (what students and the teacher are doing)."""

from __future__ import annotations

from typing import Any

from observe_app.domain.plain_text import quoted
from observe_app.kinds.base import CaptureKind, Problems, later, repeats


def check(item: dict[str, Any], called: str) -> Problems:
    """Code keys differ within one scan (a scan records the keys of the codes seen)."""
    codes = item.get("codes")
    keys = [(n, code.get("key")) for n, code in
            enumerate(codes if isinstance(codes, list) else ()) if isinstance(code, dict)]
    return [(("codes", n, "key"), f"Codes in one scan must be different: {quoted(key, 40)} is "
             f"used {times} in {called}.")
            for n, key, times in repeats(keys, str)]


def demo(maker: Any, obs_id: str, item: Any, minutes: int, growth: float) -> None:
    from observe_app.services import responses

    period = item.period_seconds or 120
    students = [c.key for c in item.codes if c.group == "Students"]
    teacher = [c.key for c in item.codes if c.group == "Teacher"]
    active_weight = 0.3 + 0.6 * growth
    for index in range(minutes * 60 // period):
        if maker.rng.random() < 0.06:
            responses.record_interval(maker.s, obs_id, item.id, index, [], missed=True)
            continue
        passive = maker.rng.random() > active_weight
        s_code = "listening" if passive else maker.rng.choice(students[1:])
        t_code = "lecturing" if passive else maker.rng.choice(teacher[1:4])
        codes = [s_code, t_code] + (["admin"] if maker.rng.random() < 0.05 else [])
        responses.record_interval(maker.s, obs_id, item.id, index, codes)


KIND = CaptureKind(
    name="interval", plan_words="interval scan", own_fields=("period_seconds", "codes"),
    check=check, records=frozenset({"intervals"}), taggable=False,
    pdf_section=later("observe_app.reports.sections:interval_scan"), pdf_place="results",
    growth_points=later("observe_app.services.growth:scan_trend"),
    growth_chart=later("observe_app.reports.document:scan_chart"),
    demo=demo,
    school_patterns=later("observe_app.services.school_patterns:interval_patterns"))
