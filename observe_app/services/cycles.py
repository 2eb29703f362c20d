"""Observation cycles: plan, move through the stages, post-conference feedback, reflection."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Collection

from sqlalchemy import bindparam, delete, func, literal_column, select
from sqlalchemy.orm import Session, aliased

from observe_app.domain import limits
from observe_app.domain.enums import CycleStage, FeedbackKind, ItemKind
from observe_app.domain.models import (
    Cycle,
    FeedbackEvidence,
    FeedbackItem,
    ItemResponse,
    Note,
    Observation,
    Person,
    Protocol,
    ProtocolItem,
    ProtocolVersion,
)
from observe_app.domain.types import utc_from_db, utc_now
from observe_app.errors import BadInputError
from observe_app.services import co_observation
from observe_app.services.common import bounded, get_or_fail

# The read models live where no SQLAlchemy is imported (plain-sqlite3 reads return them too).
from observe_app.services.cycle_views import CycleDetail as CycleDetail
from observe_app.services.cycle_views import CycleSummary as CycleSummary
from observe_app.services.cycle_views import FeedbackView as FeedbackView

_STAGE_COLUMN = {
    CycleStage.PRE_CONFERENCE: "pre_conference_at",
    CycleStage.OBSERVATION: "observation_at",
    CycleStage.POST_CONFERENCE: "post_conference_at",
    CycleStage.REFLECTION: "reflection_at",
    CycleStage.CLOSED: "closed_at",
}


@functools.cache  # statements are immutable; building this one costs more than running it
def _summary_query():  # type: ignore[no-untyped-def]
    teacher = aliased(Person)
    observer = aliased(Person)
    # Correlated per cycle (observations.cycle_id is indexed), so listing one teacher's cycles
    # never aggregates every visit in the school.
    visit_count = (select(func.count()).where(Observation.cycle_id == Cycle.id)
                   .correlate(Cycle).scalar_subquery())
    last_visit = (select(func.max(Observation.started_at)).where(Observation.cycle_id == Cycle.id)
                  .correlate(Cycle).scalar_subquery())
    # Plain columns, not ORM objects: lists of thousands of cycles stay quick.
    return (select(Cycle.id, Cycle.teacher_id, teacher.name, Cycle.observer_id, observer.name,
                   Protocol.name, ProtocolVersion.number, Cycle.protocol_version_id, Cycle.stage,
                   Cycle.focus, Cycle.planned_date, Cycle.created_at, visit_count, last_visit,
                   Cycle.archived_at)
            .join(teacher, teacher.id == Cycle.teacher_id)
            .outerjoin(observer, observer.id == Cycle.observer_id)
            .join(ProtocolVersion, ProtocolVersion.id == Cycle.protocol_version_id)
            .join(Protocol, Protocol.id == ProtocolVersion.protocol_id))


def _to_summary(row) -> CycleSummary:  # type: ignore[no-untyped-def]
    (id_, teacher_id, teacher, observer_id, observer, protocol, number, version_id, stage, focus,
     planned, created, count, last, archived_at) = row
    if last is not None:  # an aggregate bypasses the column type: it comes back as text
        last = utc_from_db(last)
    return CycleSummary(id_, teacher_id, teacher, observer_id, observer, protocol, number,
                        version_id, CycleStage(stage), focus, planned, created, count, last,
                        archived_at is not None)


def list_cycles(session: Session, *, teacher_id: str | None = None,
                stage: CycleStage | None = None,
                stages: Collection[CycleStage] | None = None,
                include_archived: bool = True) -> list[CycleSummary]:
    """Cycles in date order (a cycle's date is its last visit, else its planned date); the
    archived too unless left out (a teacher's history keeps them)."""
    some_stages = stages is not None and set(stages) != set(CycleStage)
    query = _cycle_list_query(include_archived, bool(teacher_id), bool(stage), some_stages)
    rows = session.execute(query, {"teacher_id": teacher_id, "stage": stage,
                                   "stages": list(stages or ())})
    return sorted((_to_summary(r) for r in rows), key=lambda c: c.date)


@functools.cache  # one statement per combination of filters, the values bound at each call
def _cycle_list_query(include_archived: bool, by_teacher: bool, by_stage: bool,
                      by_stages: bool):  # type: ignore[no-untyped-def]
    query = _summary_query()
    if not include_archived:
        query = query.where(Cycle.archived_at.is_(None))
    if by_teacher:
        query = query.where(Cycle.teacher_id == bindparam("teacher_id"))
    if by_stage:
        query = query.where(Cycle.stage == bindparam("stage"))
    if by_stages:
        query = query.where(Cycle.stage.in_(bindparam("stages", expanding=True)))
    # Ties (one date) in the order the cycles were planned, as services.plain_cycles has them.
    return query.order_by(literal_column("cycles.rowid"))


def page_cycles(session: Session, *, stages: Collection[CycleStage] | None = None,
                text: str = "", sort: str = "date", descending: bool = False,
                offset: int = 0, limit: int = 200,
                teacher_id: str | None = None,
                include_archived: bool = False) -> list[CycleSummary]:
    """One page of a long cycle list, sorted and filtered in SQL (see services.cycle_pages)."""
    from observe_app.services import cycle_pages

    return cycle_pages.page_cycles(session, stages=stages, text=text, sort=sort,
                                   descending=descending, offset=offset, limit=limit,
                                   teacher_id=teacher_id, include_archived=include_archived)


def cycle_position(session: Session, cycle_id: str, *,
                   stages: Collection[CycleStage] | None = None, text: str = "",
                   sort: str = "date", descending: bool = False,
                   teacher_id: str | None = None,
                   include_archived: bool = False) -> int | None:
    """Where a cycle stands in the list page_cycles pages through; None if it is not in it."""
    from observe_app.services import cycle_pages

    return cycle_pages.cycle_position(session, cycle_id, stages=stages, text=text, sort=sort,
                                      descending=descending, teacher_id=teacher_id,
                                      include_archived=include_archived)


def get_summary(session: Session, cycle_id: str) -> CycleSummary:
    get_or_fail(session, Cycle, cycle_id, "cycle")
    return _to_summary(session.execute(_one_summary_query(), {"cycle_id": cycle_id}).one())


@functools.cache
def _one_summary_query():  # type: ignore[no-untyped-def]
    return _summary_query().where(Cycle.id == bindparam("cycle_id"))


def get_cycle(session: Session, cycle_id: str) -> CycleDetail:
    cycle = get_or_fail(session, Cycle, cycle_id, "cycle")
    return CycleDetail(
        summary=get_summary(session, cycle_id),
        evidence_to_collect=cycle.evidence_to_collect,
        post_conference_notes=cycle.post_conference_notes,
        reflection=cycle.reflection,
        acknowledged_at=cycle.acknowledged_at,
        stage_dates={s: getattr(cycle, col) for s, col in _STAGE_COLUMN.items()},
        feedback=_feedback_views(session, cycle.id, cycle.feedback),
        next_visit_date=cycle.next_visit_date,
    )


def _feedback_views(session: Session, cycle_id: str,
                    items: Collection[FeedbackItem]) -> tuple[FeedbackView, ...]:
    """The cycle's feedback with each item's evidence notes in lesson order (one query)."""
    evidence: dict[str, list[str]] = {}
    for feedback_id, note_id in session.execute(_feedback_evidence_query(),
                                                {"cycle_id": cycle_id}):
        evidence.setdefault(feedback_id, []).append(note_id)
    return tuple(FeedbackView(f.id, FeedbackKind(f.kind), f.text, f.due_date, f.position,
                              f.owner, f.support, f.success_measure,
                              tuple(evidence.get(f.id, ()))) for f in items)


@functools.cache
def _feedback_evidence_query():  # type: ignore[no-untyped-def]
    return (select(FeedbackEvidence.feedback_id, FeedbackEvidence.note_id)
            .join(FeedbackItem, FeedbackItem.id == FeedbackEvidence.feedback_id)
            .join(Note, Note.id == FeedbackEvidence.note_id)
            .join(Observation, Observation.id == Note.observation_id)
            .where(FeedbackItem.cycle_id == bindparam("cycle_id"))
            .order_by(Observation.started_at, Note.elapsed_ms))


def _feedback_view(session: Session, item: FeedbackItem) -> FeedbackView:
    [view] = _feedback_views(session, item.cycle_id, [item])
    return view


def set_next_visit_date(session: Session, cycle_id: str, day: dt.date | None) -> None:
    """The date agreed for the follow-up visit (None: not agreed yet)."""
    get_or_fail(session, Cycle, cycle_id, "cycle").next_visit_date = day
    session.flush()


def plan_cycle(session: Session, *, teacher_id: str, protocol_version_id: str,
               observer_id: str | None = None, focus: str = "", evidence_to_collect: str = "",
               planned_date: dt.date | None = None,
               now: dt.datetime | None = None,
               co_observer_ids: Collection[str] = ()) -> CycleSummary:
    """Start a cycle at the pre-conference with the focus the two colleagues agreed, and the
    colleagues who co-observe the lesson to calibrate (all in one transaction)."""
    get_or_fail(session, Person, teacher_id, "teacher")
    if observer_id:
        get_or_fail(session, Person, observer_id, "observer")
        if observer_id == teacher_id:
            raise BadInputError("the observer and the observed teacher must be different people; "
                                "choose another observer")
    get_or_fail(session, ProtocolVersion, protocol_version_id, "protocol version")
    now = now or utc_now()
    cycle = Cycle(teacher_id=teacher_id, observer_id=observer_id or None,
                  protocol_version_id=protocol_version_id, focus=_focus(focus),
                  evidence_to_collect=_evidence(evidence_to_collect), planned_date=planned_date,
                  stage=CycleStage.PRE_CONFERENCE, pre_conference_at=now, created_at=now)
    session.add(cycle)
    session.flush()
    for person_id in co_observer_ids:
        co_observation.add_co_observer(session, cycle.id, person_id)
    from observe_app.services import goals  # goals carry forward into the new cycle

    goals.carry_open_goals(session, cycle.id)
    return get_summary(session, cycle.id)


def _focus(text: str) -> str:
    return bounded(text.strip(), limits.FOCUS, "a focus")


def _evidence(text: str) -> str:
    return bounded(text.strip(), limits.EVIDENCE_TO_COLLECT, "the evidence to collect")


def update_pre_conference(session: Session, cycle_id: str, *, focus: str,
                          evidence_to_collect: str, planned_date: dt.date | None,
                          observer_id: str | None = None) -> None:
    cycle = get_or_fail(session, Cycle, cycle_id, "cycle")
    if observer_id is not None:
        if observer_id == cycle.teacher_id:
            raise BadInputError("the observer and the observed teacher must be different people; "
                                "choose another observer")
        if observer_id and observer_id != cycle.observer_id and \
                observer_id in co_observation.co_observer_ids(session, cycle_id):
            raise BadInputError("the person chosen co-observes this lesson; take them off the "
                                "co-observers first, or choose another observer")
        cycle.observer_id = observer_id or None
    cycle.focus = _focus(focus)
    cycle.evidence_to_collect = _evidence(evidence_to_collect)
    cycle.planned_date = planned_date
    session.flush()


def move_to_stage(session: Session, cycle_id: str, stage: CycleStage,
                  now: dt.datetime | None = None) -> CycleSummary:
    """Move a cycle to a stage, forward or back; a stage keeps the date it was first reached."""
    cycle = get_or_fail(session, Cycle, cycle_id, "cycle")
    stage = CycleStage(stage)
    column = _STAGE_COLUMN[stage]
    if getattr(cycle, column) is None:
        setattr(cycle, column, now or utc_now())
    cycle.stage = stage
    session.flush()
    return get_summary(session, cycle_id)


def set_post_conference_notes(session: Session, cycle_id: str, text: str) -> None:
    get_or_fail(session, Cycle, cycle_id, "cycle").post_conference_notes = bounded(
        text, limits.POST_CONFERENCE_NOTES, "the post-conference notes")
    session.flush()


def set_reflection(session: Session, cycle_id: str, text: str) -> None:
    get_or_fail(session, Cycle, cycle_id, "cycle").reflection = bounded(
        text, limits.REFLECTION, "a reflection")
    session.flush()


def acknowledge(session: Session, cycle_id: str, when: dt.datetime | None = None) -> None:
    """The observed teacher confirms they have read the feedback (None withdraws it)."""
    get_or_fail(session, Cycle, cycle_id, "cycle").acknowledged_at = when
    session.flush()


def add_feedback(session: Session, cycle_id: str, kind: FeedbackKind, text: str,
                 due_date: dt.date | None = None, *, owner: str = "", support: str = "",
                 success_measure: str = "",
                 evidence_note_ids: Collection[str] = ()) -> FeedbackView:
    """A glow, grow or next step; a next step may say who, the support and what success is."""
    get_or_fail(session, Cycle, cycle_id, "cycle")
    text = text.strip()
    if not text:
        raise BadInputError(f"a {FeedbackKind(kind).value.replace('_', ' ')} needs some text")
    bounded(text, limits.FEEDBACK, "feedback")
    position = session.scalar(select(func.coalesce(func.max(FeedbackItem.position), -1) + 1)
                              .where(FeedbackItem.cycle_id == cycle_id))
    item = FeedbackItem(cycle_id=cycle_id, kind=FeedbackKind(kind), text=text,
                        due_date=due_date, position=position or 0)
    _set_details(item, owner, support, success_measure)
    _check_evidence(session, cycle_id, evidence_note_ids)  # refused before anything is added
    session.add(item)
    session.flush()
    _set_evidence(session, item, evidence_note_ids)
    return _feedback_view(session, item)


def update_feedback(session: Session, feedback_id: str, text: str,
                    due_date: dt.date | None = None, *, owner: str | None = None,
                    support: str | None = None, success_measure: str | None = None,
                    evidence_note_ids: Collection[str] | None = None) -> None:
    """Change a feedback item; a detail or the evidence given as None is left as it is."""
    item = get_or_fail(session, FeedbackItem, feedback_id, "feedback item")
    if not text.strip():
        raise BadInputError("feedback needs some text; delete it instead")
    bounded(text.strip(), limits.FEEDBACK, "feedback")
    if evidence_note_ids is not None:
        _check_evidence(session, item.cycle_id, evidence_note_ids)
    item.text, item.due_date = text.strip(), due_date
    _set_details(item, item.owner if owner is None else owner,
                 item.support if support is None else support,
                 item.success_measure if success_measure is None else success_measure)
    if evidence_note_ids is not None:
        _set_evidence(session, item, evidence_note_ids)
    session.flush()


def _set_details(item: FeedbackItem, owner: str, support: str, success_measure: str) -> None:
    item.owner = bounded(" ".join(owner.split()), limits.NEXT_STEP_OWNER, "who does it")
    item.support = bounded(support.strip(), limits.NEXT_STEP_DETAIL, "the support offered")
    item.success_measure = bounded(success_measure.strip(), limits.NEXT_STEP_DETAIL,
                                   "how success will be seen")


def _check_evidence(session: Session, cycle_id: str, note_ids: Collection[str]) -> None:
    wanted = set(note_ids)
    if wanted:
        found = set(session.scalars(
            select(Note.id).join(Observation, Observation.id == Note.observation_id)
            .where(Note.id.in_(wanted), Observation.cycle_id == cycle_id)))
        if found != wanted:
            raise BadInputError("evidence must be notes from this cycle's visits; "
                                f"{len(wanted - found)} of the chosen notes are not")


def _set_evidence(session: Session, item: FeedbackItem, note_ids: Collection[str]) -> None:
    """Point the item at these notes, which must be from a visit of its own cycle."""
    _check_evidence(session, item.cycle_id, note_ids)
    wanted = set(note_ids)
    have = set(session.scalars(select(FeedbackEvidence.note_id)
                               .where(FeedbackEvidence.feedback_id == item.id)))
    if have - wanted:
        session.execute(delete(FeedbackEvidence).where(
            FeedbackEvidence.feedback_id == item.id,
            FeedbackEvidence.note_id.in_(have - wanted)))
    session.add_all(FeedbackEvidence(feedback_id=item.id, note_id=n)
                    for n in sorted(wanted - have))
    session.flush()


def remove_feedback(session: Session, feedback_id: str) -> None:
    session.delete(get_or_fail(session, FeedbackItem, feedback_id, "feedback item"))
    session.flush()


_BULLET = re.compile(r"^\s*(?:[-*•‣·]\s+)?")


def feedback_points(text: str) -> list[str]:
    """The points of a prompt's text: one per non-empty line, a leading bullet mark dropped.
    A line longer than a feedback item may be (a prompt takes more) is split at spaces, so
    ending the visit never fails over it and nothing written is dropped."""
    points = []
    for line in text.splitlines():
        point = _BULLET.sub("", line, count=1).strip()
        while len(point) > limits.FEEDBACK:
            cut = point.rfind(" ", 0, limits.FEEDBACK + 1)
            cut = cut if cut > limits.FEEDBACK // 2 else limits.FEEDBACK
            points.append(point[:cut].strip())
            point = point[cut:].strip()
        if point:
            points.append(point)
    return points


def same_point(text: str) -> str:
    return " ".join(text.split()).casefold()


def feedback_from_prompts(session: Session, observation_id: str) -> list[FeedbackView]:
    """Turn what was written live in a visit's glow / grow / next-step prompts into the
    cycle's feedback items, one per non-empty line, so nothing has to be typed twice.

    Prompts are matched by the protocol's `prompt_kind` field, never by their label. A point
    already among the cycle's feedback of that kind (same words, case and spacing aside) is
    not added again, so calling this twice adds nothing the second time.
    """
    obs = get_or_fail(session, Observation, observation_id, "observation")
    rows = session.execute(
        select(ProtocolItem.config, ItemResponse.text)
        .join(ItemResponse, ItemResponse.item_id == ProtocolItem.id)
        .where(ItemResponse.observation_id == observation_id,
               ProtocolItem.kind == ItemKind.PROMPT, ItemResponse.text.is_not(None))
        .order_by(ProtocolItem.position))
    kinds = {k.value: k for k in FeedbackKind}
    have = {(f.kind, same_point(f.text)) for f in session.scalars(
        select(FeedbackItem).where(FeedbackItem.cycle_id == obs.cycle_id))}
    added: list[FeedbackView] = []
    for config, text in rows:
        kind = kinds.get((config or {}).get("prompt_kind") or "")
        if kind is None:
            continue
        for point in feedback_points(text or ""):
            if (kind, same_point(point)) in have:
                continue
            have.add((kind, same_point(point)))
            added.append(add_feedback(session, obs.cycle_id, kind, point))
    return added
