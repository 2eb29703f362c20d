"""Everything one cycle's feedback summary shows, read through the services into plain data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from observe_app.services import (
    cycles,
    growth,
    notes,
    observations,
    participation,
    protocols,
    responses,
)
from observe_app.services import ratings as ratings_service
from observe_app.services.cycles import CycleDetail, CycleSummary
from observe_app.services.goals import GoalView
from observe_app.services.growth import (
    DomainPoint,
    ScanPoint,
    TallyPoint,
    TeacherGrowth,
    TimerPoint,
)
from observe_app.services.notes import NoteView
from observe_app.services.observations import ObservationView
from observe_app.services.people import PersonView
from observe_app.services.protocols import ItemView, Level, ProtocolVersionView
from observe_app.services.ratings import RatingView
from observe_app.services.responses import ObservationResults


@dataclass(frozen=True)
class Visit:
    """One observation (visit) of the cycle with what was recorded in it."""

    number: int
    observation: ObservationView
    notes: tuple[NoteView, ...]
    results: ObservationResults
    # Participation item -> seat -> label: read only for an export that shows seat labels.
    seat_labels: Mapping[str, Mapping[int, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class CycleReport:
    """The plain data behind one PDF; built inside a session, rendered outside it."""

    detail: CycleDetail
    protocol: ProtocolVersionView
    visits: tuple[Visit, ...]
    ratings: dict[str, RatingView]
    goals: tuple[GoalView, ...]  # the goals this cycle touched
    # The teacher's growth so far, as the growth view shows it: this cycle's and earlier ones.
    growth: TeacherGrowth

    @property
    def summary(self) -> CycleSummary:
        return self.detail.summary

    @property
    def teacher(self) -> PersonView:
        return self.growth.teacher

    @property
    def history(self) -> tuple[CycleSummary, ...]:
        """This teacher's cycles up to and including this one, this one last."""
        return self.growth.cycles

    @property
    def domain_points(self) -> tuple[DomainPoint, ...]:
        return self.growth.domain_points

    @property
    def tally_points(self) -> tuple[TallyPoint, ...]:
        return self.growth.tally_points

    @property
    def scan_points(self) -> tuple[ScanPoint, ...]:
        return self.growth.scan_points

    @property
    def timer_points(self) -> tuple[TimerPoint, ...]:
        return self.growth.timer_points

    @property
    def item_labels(self) -> dict[str, str]:
        return {i.id: i.label for i in self.protocol.items}

    def level_given(self, item: ItemView) -> tuple[Level | None, int]:
        """The level this cycle's rating gives a rubric item (None: not rated or not
        observed), and the item's top level."""
        rating = self.ratings.get(item.id)
        top = max((lv.level for lv in item.levels), default=0)
        return next((lv for lv in item.levels if rating and lv.level == rating.level),
                    None), top

    def has(self, kind: str) -> bool:
        return any(i.kind == kind for i in self.protocol.items)


def load_report(session: Session, cycle_id: str, *, seat_labels: bool = False) -> CycleReport:
    """Read one cycle for its summary; raises NotFoundError for an unknown id. The seat labels
    of its participation maps (this laptop's) are read only when `seat_labels` asks for them."""
    detail = cycles.get_cycle(session, cycle_id)
    summary = detail.summary
    so_far = growth.teacher_growth(session, summary.teacher_id, until_cycle_id=cycle_id)
    protocol = protocols.get_version(session, summary.protocol_version_id)
    mapped = [i.id for i in protocol.items if i.kind == "participation"] if seat_labels else []
    visits = tuple(
        Visit(n, obs, *_shared_record(session, obs.id),
              {item_id: participation.visit_labels(session, obs.id, item_id)
               for item_id in mapped})
        for n, obs in enumerate(observations.list_observations(session, cycle_id), start=1))
    return CycleReport(
        detail=detail,
        protocol=protocol,
        visits=visits,
        ratings=ratings_service.ratings_for_cycle(session, cycle_id),
        goals=tuple(g for g in so_far.goals if any(s.cycle_id == cycle_id for s in g.history)),
        growth=so_far,
    )


def _shared_record(session: Session, observation_id: str
                   ) -> tuple[tuple[NoteView, ...], ObservationResults]:
    """A visit's notes and results without its private notes: a PDF leaves the laptop, so
    no part of it (the evidence log, the times of the evidence for a rating or a glow, a
    look-for seen only through a private note's tag) may show them."""
    everything = notes.list_notes(session, observation_id)
    results = responses.observation_results(session, observation_id)
    return (tuple(n for n in everything if not n.private),
            results.without_notes(n for n in everything if n.private))


def local(moment: dt.datetime, tz: dt.tzinfo | None) -> dt.datetime:
    """A stored UTC time in the reader's time zone (the computer's, unless one is given)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(tz)
