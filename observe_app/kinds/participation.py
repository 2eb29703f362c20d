"""Participation: who speaks, how often and from which seat, on a seating chart of the class."""

from __future__ import annotations

import datetime as dt
from typing import Any

from observe_app.domain.plain_text import quoted
from observe_app.kinds.base import CaptureKind, Problems, later, repeats


def check(item: dict[str, Any], called: str) -> Problems:
    """Talk type keys (one key each, pressed during the lesson) and labels differ, and so do
    the names of the groups."""
    types = item.get("talk_types")
    entries = [t for t in (types if isinstance(types, list) else ()) if isinstance(t, dict)]
    problems: Problems = [
        (("talk_types", n, "key"), f"Talk types need different keys: {quoted(key, 10)} is "
         f"used {times} in {called}.")
        for n, key, times in repeats([(n, t.get("key")) for n, t in enumerate(entries)], str)]
    problems += [
        (("talk_types", n, "label"), f"Talk types need different names: {quoted(label, 40)} is "
         f"used {times} in {called}.")
        for n, label, times in repeats([(n, t.get("label")) for n, t in enumerate(entries)],
                                       str)]
    groups = item.get("groups")
    problems += [
        (("groups", n), f"Groups need different names: {quoted(name, 40)} is used {times} in "
         f"{called}.")
        for n, name, times in repeats(list(enumerate(groups if isinstance(groups, list)
                                                     else ())), str)]
    return problems


# The demo school's classes: early in the year a few seats do most of the talking and the
# teacher calls on students; later talk spreads out and more students volunteer.
def demo(maker: Any, obs_id: str, item: Any, minutes: int, growth: float) -> None:
    from observe_app.domain.models import Observation
    from observe_app.services import participation

    rng = maker.rng
    visit = maker.s.get(Observation, obs_id)
    teacher_id = visit.cycle.teacher_id
    class_name = participation.class_name_of(visit.subject, visit.grade)
    chart = participation.find_chart(maker.s, teacher_id, class_name, visit.room)
    if chart is None:
        seats = (participation.table_seats(7, 4) if rng.random() < 0.5
                 else participation.grid_seats(5, 6))
        chart = participation.save_chart(maker.s, teacher_id, class_name, visit.room, seats)
    participation.seat_visit(maker.s, obs_id, item.id, chart.seats, chart.id)
    numbers = [s.number for s in chart.seats]
    rng.shuffle(numbers)  # who talks most is not who sits at the front
    steep = 1.8 - 1.6 * growth
    weights = [1 / (rank + 1) ** steep for rank in range(len(numbers))]
    types = [t.key for t in item.talk_types]
    type_weights = [max(0.2, 3.0 - 1.6 * n + growth * n) for n in range(len(types))]
    count = max(5, round((18 + 30 * growth) * minutes / 50 + rng.uniform(-4, 4)))
    moments = sorted(rng.sample(range(20, max(21, minutes * 60 - 5)), count))
    for second in moments:
        participation.record_contribution(
            maker.s, obs_id, item.id, rng.choices(numbers, weights)[0],
            rng.choices(types, type_weights)[0], elapsed_ms=second * 1000,
            wall_time=visit.started_at + dt.timedelta(seconds=second),
            called_on=rng.random() < 0.65 - 0.4 * growth)


KIND = CaptureKind(
    name="participation", plan_words="participation map",
    own_fields=("talk_types", "groups"), check=check,
    records=frozenset({"contributions"}), taggable=False,
    pdf_section=later("observe_app.reports.participation:participation_section"),
    pdf_place="results",
    growth_points=later("observe_app.services.growth:participation_trend"),
    growth_chart=later("observe_app.reports.participation:participation_chart"),
    demo=demo,
    school_patterns=later("observe_app.services.school_patterns:participation_patterns"))
