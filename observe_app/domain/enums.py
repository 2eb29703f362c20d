"""Enumerations shared by the model, the services and the views."""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    TEACHER = "teacher"
    MENTOR = "mentor"
    COACH = "coach"
    LEADER = "leader"


class CareerStage(enum.StrEnum):
    NEW = "new"
    EARLY = "early"
    EXPERIENCED = "experienced"


class CycleStage(enum.StrEnum):
    """The stages of an observation cycle, in the order a cycle moves through them."""

    PRE_CONFERENCE = "pre_conference"
    OBSERVATION = "observation"
    POST_CONFERENCE = "post_conference"
    REFLECTION = "reflection"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return _STAGE_LABELS[self]

    @classmethod
    def ordered(cls) -> list[CycleStage]:
        return list(cls)

    def next(self) -> CycleStage | None:
        stages = list(CycleStage)
        i = stages.index(self)
        return stages[i + 1] if i + 1 < len(stages) else None

    def previous(self) -> CycleStage | None:
        stages = list(CycleStage)
        i = stages.index(self)
        return stages[i - 1] if i > 0 else None


_STAGE_LABELS = {
    CycleStage.PRE_CONFERENCE: "Pre-conference",
    CycleStage.OBSERVATION: "Observation",
    CycleStage.POST_CONFERENCE: "Post-conference",
    CycleStage.REFLECTION: "Reflection",
    CycleStage.CLOSED: "Closed",
}


class ItemKind(enum.StrEnum):
    RUBRIC = "rubric"
    LOOKFOR = "lookfor"
    TALLY = "tally"
    TIMER = "timer"
    INTERVAL = "interval"
    PROMPT = "prompt"


class FeedbackKind(enum.StrEnum):
    GLOW = "glow"
    GROW = "grow"
    NEXT_STEP = "next_step"


class GoalStatus(enum.StrEnum):
    OPEN = "open"
    MET = "met"
    PARTLY_MET = "partly_met"
    NOT_YET = "not_yet"

    @property
    def label(self) -> str:
        return {
            GoalStatus.OPEN: "Open",
            GoalStatus.MET: "Met",
            GoalStatus.PARTLY_MET: "Partly met",
            GoalStatus.NOT_YET: "Not yet",
        }[self]
