"""The calibration PDF of one observer: their agreement with the others who observed the same
lessons, lesson by lesson, as charts read against the targets and as a table (drift)."""

from __future__ import annotations

import datetime as dt
import math

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from observe_app.domain.formats import counted
from observe_app.reports import charts
from observe_app.reports.blocks import (
    Heading,
    cell,
    day,
    grid,
    intro,
    notice,
    paginate,
    para,
    short_day,
    subheading,
    th,
)
from observe_app.reports.calibration_blocks import reading, share
from observe_app.reports.data import local
from observe_app.reports.styles import FRAME_WIDTH
from observe_app.services import agreement, calibration_words
from observe_app.services.calibration import ObserverAgreement

Story = list[Flowable]


def observer_story(found: ObserverAgreement, tz: dt.tzinfo | None = None) -> Story:
    lessons = found.lessons
    span = "none handed in yet"
    if lessons:
        first, last = day(local(lessons[0].date, tz)), day(local(lessons[-1].date, tz))
        span = first if first == last else f"{first} to {last}"
    story: Story = [
        para("CALIBRATION · ONE OBSERVER OVER TIME", "kicker"),
        para(found.observer, "title"),
        para(f"{counted(len(lessons), 'co-observed lesson')} · {span}", "subtitle"),
        notice("How far this observer's ratings agreed with those of the others who observed "
               "the same lessons, lesson by lesson: a trend shows whether their reading of the "
               "rubric is drifting. It is for a calibration conversation, never a verdict on "
               "the observer."),
        Heading("Agreement over time", "drift"),
    ]
    story += _drift_charts(found, tz)
    story += [Heading("Lesson by lesson", "lessons")]
    if lessons:
        rows: list[list[object]] = [[th("Date"), th("Whose lesson"), th("With"),
                                     th("Within one level", right=True),
                                     th("Weighted kappa", right=True)]]
        for p in lessons:
            rows.append([cell(short_day(local(p.date, tz))), cell(p.teacher_name),
                         cell(", ".join(p.with_names)),
                         cell(share(p.within_one), "cell_right"),
                         cell(calibration_words.value(p.weighted_kappa), "cell_right")])
        story.append(grid(rows, [25 * mm, 37 * mm, 46 * mm, 24 * mm, 38 * mm], zebra=True))
        undefined = [f"on {short_day(local(p.date, tz))}: {p.weighted_kappa.why_undefined}."
                     for p in lessons if p.weighted_kappa.value is None]
        if undefined:
            story.append(para("Weighted kappa " + " ".join(undefined), "muted"))
    else:
        story.append(para("No co-observed lesson of this observer has every visit handed in "
                          "yet.", "muted"))
    if found.waiting:
        story.append(para(f"{counted(len(found.waiting), 'more lesson')} will count once every "
                          "observer has handed in their visit.", "muted"))
    story += reading(ratings=True, scans=False)
    return paginate(story)


def _drift_charts(found: ObserverAgreement, tz: dt.tzinfo | None) -> Story:
    """Within one level and weighted kappa, lesson by lesson, each read against its target."""
    lessons = found.lessons
    labels = [short_day(local(p.date, tz)) for p in lessons]
    within = [(x, p.within_one.value * 100) for x, p in enumerate(lessons)
              if p.within_one.value is not None]
    kappa = [(x, p.weighted_kappa.value) for x, p in enumerate(lessons)
             if p.weighted_kappa.value is not None]
    if len(within) < 2 and len(kappa) < 2:
        return [para("No chart yet: it appears once two co-observed lessons have levels from "
                     "both observers.", "muted")]
    story: Story = []
    target = agreement.WITHIN_ONE_TARGET
    if len(within) >= 2:
        story += [subheading("Levels within one level of the other observers'"),
                  intro(f"The dashed line is {target * 100:.0f} %, what "
                        f"{agreement.target_words(target)}."),
                  charts.trend_lines({"Within one level": within}, labels, FRAME_WIDTH,
                                     y_min=0, y_max=100, y_step=25, y_format="%d%%",
                                     height=120, targets=[target * 100])]
    if len(kappa) >= 2:
        k_target = agreement.WEIGHTED_KAPPA_TARGET
        low = min(0.0, min(v for _x, v in kappa))
        story += [subheading("Weighted kappa with the other observers"),
                  intro(f"The dashed line is {k_target:.2f}, "
                        f"{agreement.target_words(k_target)}."),
                  charts.trend_lines({"Weighted kappa": kappa}, labels, FRAME_WIDTH,
                                     y_min=_step_below(low), y_max=1, y_step=0.2,
                                     y_format="%.1f", height=120, targets=[k_target])]
    return story


def _step_below(value: float) -> float:
    """The axis floor: 0, or the next 0.2 below a negative value."""
    return -0.2 * math.ceil(round(-value / 0.2, 9)) if value < 0 else 0.0
