"""Everything one cycle's feedback summary shows, read through the services into plain data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from observe_app import kinds
from observe_app.domain.enums import ItemKind
from observe_app.services import (
    cycles,
    goals,
    notes,
    observations,
    people,
    protocols,
    responses,
)
from observe_app.services import ratings as ratings_service
from observe_app.services.cycles import CycleDetail, CycleSummary
from observe_app.services.goals import GoalView
from observe_app.services.growth import DomainPoint, ScanPoint, TallyPoint, TimerPoint
from observe_app.services.notes import NoteView
from observe_app.services.observations import ObservationView
from observe_app.services.people import PersonView
from observe_app.services.protocols import ProtocolVersionView
from observe_app.services.ratings import RatingView
from observe_app.services.responses import ObservationResults


@dataclass(frozen=True)
class Visit:
    """One observation (visit) of the cycle with what was recorded in it."""

    number: int
    observation: ObservationView
    notes: tuple[NoteView, ...]
    results: ObservationResults


@dataclass(frozen=True)
class CycleReport:
    """The plain data behind one PDF; built inside a session, rendered outside it."""

    detail: CycleDetail
    teacher: PersonView
    protocol: ProtocolVersionView
    visits: tuple[Visit, ...]
    ratings: dict[str, RatingView]
    goals: tuple[GoalView, ...]
    history: tuple[CycleSummary, ...]  # this teacher's cycles up to and including this one
    # Per capture kind, its growth series for this teacher so far (CaptureKind.growth_points).
    growth: dict[str, tuple[Any, ...]] = field(default_factory=dict)

    @property
    def summary(self) -> CycleSummary:
        return self.detail.summary

    @property
    def domain_points(self) -> tuple[DomainPoint, ...]:
        return self.growth.get(ItemKind.RUBRIC, ())

    @property
    def tally_points(self) -> tuple[TallyPoint, ...]:
        return self.growth.get(ItemKind.TALLY, ())

    @property
    def scan_points(self) -> tuple[ScanPoint, ...]:
        return self.growth.get(ItemKind.INTERVAL, ())

    @property
    def timer_points(self) -> tuple[TimerPoint, ...]:
        return self.growth.get(ItemKind.TIMER, ())

    @property
    def item_labels(self) -> dict[str, str]:
        return {i.id: i.label for i in self.protocol.items}

    def has(self, kind: str) -> bool:
        return any(i.kind == kind for i in self.protocol.items)


def load_report(session: Session, cycle_id: str) -> CycleReport:
    """Read one cycle for its summary; raises NotFoundError for an unknown id."""
    detail = cycles.get_cycle(session, cycle_id)
    summary = detail.summary
    visits = tuple(
        Visit(n, obs, tuple(notes.list_notes(session, obs.id)),
              responses.observation_results(session, obs.id))
        for n, obs in enumerate(observations.list_observations(session, cycle_id), start=1))
    history = _history(cycles.list_cycles(session, teacher_id=summary.teacher_id), summary)
    in_history = {c.id for c in history}
    last_date = history[-1].date if history else summary.date
    visit_ids = {v.observation.id for v in visits}

    def so_far(point: Any) -> bool:
        """A point of a cycle up to this one, or of a visit up to this cycle's last."""
        if hasattr(point, "observation_id"):
            return point.started_at <= last_date or point.observation_id in visit_ids
        return point.cycle_id in in_history

    return CycleReport(
        detail=detail,
        teacher=people.get_person(session, summary.teacher_id),
        protocol=protocols.get_version(session, summary.protocol_version_id),
        visits=visits,
        ratings=ratings_service.ratings_for_cycle(session, cycle_id),
        goals=tuple(goals.goals_for_cycle(session, cycle_id)),
        history=history,
        growth={kind.name: tuple(p for p in kind.growth_points(session, summary.teacher_id)
                                 if so_far(p))
                for kind in kinds.all_kinds()},
    )


def _history(all_cycles: list[CycleSummary], this: CycleSummary) -> tuple[CycleSummary, ...]:
    """The teacher's cycles 'so far': those filed on or before this one, this one last."""
    earlier = [c for c in all_cycles if c.id != this.id and c.date <= this.date]
    return (*earlier, this)


def local(moment: dt.datetime, tz: dt.tzinfo | None) -> dt.datetime:
    """A stored UTC time in the reader's time zone (the computer's, unless one is given)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(tz)
