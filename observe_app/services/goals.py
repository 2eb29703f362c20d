"""Growth goals: set in a post-conference, carried into the next cycle, marked met or not yet."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from observe_app.domain import limits
from observe_app.domain.enums import GoalStatus
from observe_app.domain.models import Cycle, Goal, GoalCycle, Person
from observe_app.domain.types import utc_now
from observe_app.errors import BadInputError
from observe_app.services.common import bounded, get_or_fail

STILL_OPEN = (GoalStatus.OPEN, GoalStatus.PARTLY_MET, GoalStatus.NOT_YET)


@dataclass(frozen=True)
class GoalStep:
    """A cycle that touched a goal, and where the goal stood in it."""

    cycle_id: str
    cycle_created_at: dt.datetime
    status: GoalStatus
    comment: str


@dataclass(frozen=True)
class GoalView:
    id: str
    teacher_id: str
    text: str
    status: GoalStatus
    set_in_cycle_id: str | None
    created_at: dt.datetime
    history: tuple[GoalStep, ...]


def _view(session: Session, goal: Goal) -> GoalView:
    return _views(session, [goal])[0]


def _views(session: Session, goals: Sequence[Goal]) -> list[GoalView]:
    """Goals with the cycles that touched them, in one query for all of them."""
    steps: dict[str, list[GoalStep]] = defaultdict(list)
    rows = session.execute(_steps_query(), {"goal_ids": [g.id for g in goals]})
    for goal_id, cycle_id, created, status, comment in rows:
        steps[goal_id].append(GoalStep(cycle_id, created, GoalStatus(status), comment))
    return [GoalView(g.id, g.teacher_id, g.text, GoalStatus(g.status), g.set_in_cycle_id,
                     g.created_at, tuple(steps[g.id])) for g in goals]


@cache  # built once: building it took longer than running it
def _steps_query():  # type: ignore[no-untyped-def]
    return (select(GoalCycle.goal_id, GoalCycle.cycle_id, Cycle.created_at, GoalCycle.status,
                   GoalCycle.comment)
            .join(Cycle, Cycle.id == GoalCycle.cycle_id)
            .where(GoalCycle.goal_id.in_(bindparam("goal_ids", expanding=True)))
            .order_by(Cycle.created_at))


@cache
def _teacher_goals_query():  # type: ignore[no-untyped-def]
    return (select(Goal).where(Goal.teacher_id == bindparam("teacher_id"))
            .order_by(Goal.created_at))


def set_goal(session: Session, teacher_id: str, text: str, *, cycle_id: str | None = None,
             now: dt.datetime | None = None) -> GoalView:
    get_or_fail(session, Person, teacher_id, "teacher")
    text = text.strip()
    if not text:
        raise BadInputError("a goal needs some text; write what the teacher aims for")
    bounded(text, limits.GOAL, "a goal")
    if cycle_id:
        cycle = get_or_fail(session, Cycle, cycle_id, "cycle")
        if cycle.teacher_id != teacher_id:
            raise BadInputError("a goal belongs to the observed teacher of its cycle")
    now = now or utc_now()
    goal = Goal(teacher_id=teacher_id, text=text, set_in_cycle_id=cycle_id or None,
                created_at=now, updated_at=now)
    session.add(goal)
    session.flush()
    if cycle_id:
        session.add(GoalCycle(goal_id=goal.id, cycle_id=cycle_id, status=GoalStatus.OPEN))
        session.flush()
    return _view(session, goal)


def carry_open_goals(session: Session, cycle_id: str) -> list[GoalView]:
    """Link every goal of the cycle's teacher that is not yet met to this (new) cycle."""
    cycle = get_or_fail(session, Cycle, cycle_id, "cycle")
    goals = session.scalars(select(Goal).where(Goal.teacher_id == cycle.teacher_id,
                                               Goal.status.in_(STILL_OPEN)))
    carried = []
    for goal in goals:
        if session.get(GoalCycle, (goal.id, cycle_id)) is None:
            session.add(GoalCycle(goal_id=goal.id, cycle_id=cycle_id, status=goal.status))
            carried.append(goal)
    session.flush()
    return _views(session, carried)


def update_goal(session: Session, goal_id: str, status: GoalStatus, *,
                cycle_id: str | None = None, comment: str = "",
                text: str | None = None) -> GoalView:
    """Mark a goal met / partly met / not yet, recorded against the cycle where it was judged."""
    goal = get_or_fail(session, Goal, goal_id, "goal")
    goal.status = GoalStatus(status)
    if text is not None:
        if not text.strip():
            raise BadInputError("a goal needs some text; write what the teacher aims for")
        goal.text = bounded(text.strip(), limits.GOAL, "a goal")
    goal.updated_at = utc_now()
    if cycle_id:
        link = session.get(GoalCycle, (goal_id, cycle_id))
        if link is None:
            link = GoalCycle(goal_id=goal_id, cycle_id=cycle_id)
            session.add(link)
        link.status = GoalStatus(status)
        link.comment = bounded(comment, limits.GOAL_COMMENT, "a goal's comment")
    session.flush()
    return _view(session, goal)


def goals_for_teacher(session: Session, teacher_id: str) -> list[GoalView]:
    goals = session.scalars(_teacher_goals_query(), {"teacher_id": teacher_id})
    return _views(session, list(goals))


def goals_for_cycle(session: Session, cycle_id: str) -> list[GoalView]:
    goals = session.scalars(select(Goal).join(GoalCycle).where(GoalCycle.cycle_id == cycle_id)
                            .order_by(Goal.created_at))
    return _views(session, list(goals))
