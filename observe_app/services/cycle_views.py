"""The cycle read models (a list row, a cycle in full), free of SQLAlchemy: plain reads use them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from observe_app.domain.enums import CycleStage, FeedbackKind


@dataclass(frozen=True)
class FeedbackView:
    id: str
    kind: FeedbackKind
    text: str
    due_date: dt.date | None
    position: int
    # A next step in full (empty for glows and grows unless written).
    owner: str = ""
    support: str = ""
    success_measure: str = ""
    evidence_note_ids: tuple[str, ...] = ()  # the notes it rests on, in lesson order


@dataclass(frozen=True)
class CycleSummary:
    id: str
    teacher_id: str
    teacher_name: str
    observer_id: str | None
    observer_name: str | None
    protocol_name: str
    protocol_version: int
    protocol_version_id: str
    stage: CycleStage
    focus: str
    planned_date: dt.date | None
    created_at: dt.datetime
    observation_count: int
    last_observed_at: dt.datetime | None
    archived: bool = False  # hidden from the cycle lists unless asked for; kept for growth

    @property
    def date(self) -> dt.datetime:
        """The date a person would file this cycle under: its last visit, else when planned."""
        if self.last_observed_at is not None:
            return self.last_observed_at
        if self.planned_date is not None:  # midday where the computer is, so the day holds
            return dt.datetime.combine(self.planned_date, dt.time(12)).astimezone(dt.UTC)
        return self.created_at


@dataclass(frozen=True)
class CycleDetail:
    summary: CycleSummary
    evidence_to_collect: str
    post_conference_notes: str
    reflection: str
    acknowledged_at: dt.datetime | None
    stage_dates: dict[CycleStage, dt.datetime | None]
    feedback: tuple[FeedbackView, ...]
    next_visit_date: dt.date | None = None  # the follow-up visit agreed at the post-conference

    @property
    def id(self) -> str:
        return self.summary.id

    def feedback_of(self, kind: FeedbackKind) -> list[FeedbackView]:
        return [f for f in self.feedback if f.kind == kind]
