"""What the observer records live per item: ticks, tallies, timer runs, interval scans, prompts."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from typing import TYPE_CHECKING

from sqlalchemy import bindparam, delete, func, select
from sqlalchemy.orm import Session

from observe_app import kinds
from observe_app.domain import limits
from observe_app.domain.models import (
    IntervalRecord,
    ItemResponse,
    Note,
    NoteTag,
    Observation,
    ProtocolItem,
    TimerRun,
    VisitSeating,
)
from observe_app.domain.types import utc_now
from observe_app.errors import BadInputError
from observe_app.services import co_observation
from observe_app.services.common import bounded, get_or_fail

if TYPE_CHECKING:
    from observe_app.services.notes import NoteView
    from observe_app.services.participation import (
        ContributionView,
        ParticipationSummary,
        Seat,
    )


@dataclass(frozen=True)
class TimerRunView:
    id: str
    item_id: str
    started_ms: int
    duration_ms: int


@dataclass(frozen=True)
class IntervalView:
    item_id: str
    index: int
    codes: tuple[str, ...]
    missed: bool


@dataclass(frozen=True)
class ObservationResults:
    """Everything recorded live in one visit, keyed by item id."""

    checked: dict[str, bool]
    counts: dict[str, int]
    texts: dict[str, str]
    timer_runs: dict[str, list[TimerRunView]]
    intervals: dict[str, list[IntervalView]]
    # The evidence tagged to each item: notes, and contributions tagged to a look-for.
    tagged: dict[str, int] = field(default_factory=dict)
    # Participation: each item's seats in this visit, and the contributions heard from them.
    seats: dict[str, tuple[Seat, ...]] = field(default_factory=dict)
    contributions: dict[str, list[ContributionView]] = field(default_factory=dict)
    # The look-fors contributions were tagged to, id -> label in the protocol's order (the
    # participation results name them).
    lookfor_labels: dict[str, str] = field(default_factory=dict)

    def participation(self, item_id: str, *, lesson_ms: int | None = None,
                      groups: Sequence[str] = ()) -> ParticipationSummary:
        from observe_app.services.participation import summarise

        return summarise(self.seats.get(item_id, ()), self.contributions.get(item_id, []),
                         lesson_ms=lesson_ms, groups=groups)

    def seen(self, item_id: str) -> bool | None:
        """Whether a look-for was seen in this visit (see `lookfor_seen`)."""
        return lookfor_seen(self.checked.get(item_id), self.tagged.get(item_id, 0))

    def without_notes(self, left_out: Iterable[NoteView]) -> ObservationResults:
        """These results as they read without these notes' tags: what leaves the laptop
        (a PDF, a calibration) never shows a look-for seen through a private note."""
        hidden = Counter(i for note in left_out for i in note.item_ids)
        if not hidden:
            return self
        return replace(self, tagged={i: n - hidden[i] for i, n in self.tagged.items()})

    def code_shares(self, item_id: str) -> dict[str, float]:
        """Share of recorded (not missed) intervals in which each code was ticked, 0..1."""
        records = [r for r in self.intervals.get(item_id, []) if not r.missed]
        if not records:
            return {}
        counter = Counter(code for r in records for code in r.codes)
        return {code: n / len(records) for code, n in counter.items()}


def lookfor_seen(checked: bool | None, tagged: int) -> bool | None:
    """The one rule for "seen", used by the window and the PDF alike: a look-for was seen
    when it was ticked or when evidence was tagged to it (notes, or students' contributions
    on a participation map). False: it was unticked and has no evidence; None: nothing was
    recorded for it."""
    if checked or tagged > 0:
        return True
    return checked


def item_for(session: Session, observation_id: str, item_id: str, record: str) -> ProtocolItem:
    """The item, when it belongs to the visit's protocol and its kind keeps `record`."""
    obs = get_or_fail(session, Observation, observation_id, "observation")
    if obs.handed_in_at is not None:
        raise BadInputError(co_observation.HANDED_IN)
    item = get_or_fail(session, ProtocolItem, item_id, "protocol item")
    if item.version_id != obs.cycle.protocol_version_id:
        raise BadInputError(f"{item.label!r} is not part of this observation's protocol")
    if record not in kinds.get(item.kind).records:
        keeping = " or ".join(k.name for k in kinds.all_kinds() if record in k.records)
        raise BadInputError(f"{item.label!r} is a {item.kind}, not a {keeping}")
    return item


def _response(session: Session, observation_id: str, item_id: str) -> ItemResponse:
    response = session.scalar(select(ItemResponse).where(
        ItemResponse.observation_id == observation_id, ItemResponse.item_id == item_id))
    if response is None:
        response = ItemResponse(observation_id=observation_id, item_id=item_id)
        session.add(response)
    response.updated_at = utc_now()
    return response


def set_checked(session: Session, observation_id: str, item_id: str, checked: bool) -> None:
    item_for(session, observation_id, item_id, "checked")
    _response(session, observation_id, item_id).checked = checked
    session.flush()


def change_tally(session: Session, observation_id: str, item_id: str, delta: int) -> int:
    """Add `delta` (+1 or −1) to a tally; it never goes below zero. Returns the new count."""
    item_for(session, observation_id, item_id, "count")
    response = _response(session, observation_id, item_id)
    response.count = max(0, (response.count or 0) + delta)
    session.flush()
    return response.count


def set_text(session: Session, observation_id: str, item_id: str, text: str) -> None:
    item_for(session, observation_id, item_id, "text")
    _response(session, observation_id, item_id).text = bounded(text, limits.PROMPT_TEXT,
                                                              "a written answer")
    session.flush()


def add_timer_run(session: Session, observation_id: str, item_id: str, started_ms: int,
                  duration_ms: int, run_id: str | None = None) -> TimerRunView:
    item_for(session, observation_id, item_id, "timer_runs")
    if duration_ms < 0:
        raise BadInputError("a timer run cannot last less than nothing")
    run = TimerRun(observation_id=observation_id, item_id=item_id, started_ms=started_ms,
                   duration_ms=duration_ms)
    if run_id:
        run.id = run_id
    session.add(run)
    session.flush()
    return TimerRunView(run.id, item_id, started_ms, duration_ms)


def record_interval(session: Session, observation_id: str, item_id: str, index: int,
                    codes: list[str], *, missed: bool = False,
                    now: dt.datetime | None = None) -> IntervalView:
    """Store the codes ticked for interval `index` (0-based), replacing what was there."""
    item = item_for(session, observation_id, item_id, "intervals")
    known = {c["key"] for c in item.config.get("codes", [])}
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise BadInputError(f"code {unknown[0]!r} is not one of {item.label!r}'s codes")
    if index < 0:
        raise BadInputError("interval numbers start at 0")
    record = session.scalar(select(IntervalRecord).where(
        IntervalRecord.observation_id == observation_id, IntervalRecord.item_id == item_id,
        IntervalRecord.interval_index == index))
    if record is None:
        record = IntervalRecord(observation_id=observation_id, item_id=item_id,
                                interval_index=index)
        session.add(record)
    record.codes = list(dict.fromkeys(codes))
    record.missed = missed and not codes
    record.recorded_at = now or utc_now()
    session.flush()
    return IntervalView(item_id, index, tuple(record.codes), record.missed)


def clear_interval(session: Session, observation_id: str, item_id: str, index: int) -> None:
    co_observation.refuse_if_handed_in(session, observation_id)
    session.execute(delete(IntervalRecord).where(
        IntervalRecord.observation_id == observation_id, IntervalRecord.item_id == item_id,
        IntervalRecord.interval_index == index))
    session.flush()


def observation_results(session: Session, observation_id: str) -> ObservationResults:
    get_or_fail(session, Observation, observation_id, "observation")
    checked: dict[str, bool] = {}
    counts: dict[str, int] = {}
    texts: dict[str, str] = {}
    # Plain columns, not objects, from statements built once: a PDF reads every visit of a
    # cycle this way.
    [answers, timed, scanned, tag_counts, seated] = _results_queries()
    visit = {"observation_id": observation_id}
    for item_id, is_checked, count, text in session.execute(answers, visit):
        if is_checked is not None:
            checked[item_id] = is_checked
        if count is not None:
            counts[item_id] = count
        if text:
            texts[item_id] = text
    runs: dict[str, list[TimerRunView]] = {}
    for run_id, item_id, started_ms, duration_ms in session.execute(timed, visit):
        runs.setdefault(item_id, []).append(
            TimerRunView(run_id, item_id, started_ms, duration_ms))
    intervals: dict[str, list[IntervalView]] = {}
    for item_id, index, codes, missed in session.execute(scanned, visit):
        intervals.setdefault(item_id, []).append(
            IntervalView(item_id, index, tuple(codes), missed))
    tagged = Counter({item_id: n for item_id, n in session.execute(tag_counts, visit)})
    from observe_app.services import participation  # it builds on this module

    seats = {item_id: participation.seats_from_json(raw)
             for item_id, raw in session.execute(seated, visit)}
    heard: dict[str, list[ContributionView]] = {}
    for c in participation.heard_in(session, observation_id):
        heard.setdefault(c.item_id, []).append(c)
        if c.lookfor_id:
            tagged[c.lookfor_id] += 1
    lookfors = {c.lookfor_id for cs in heard.values() for c in cs if c.lookfor_id}
    labels = {item_id: label for item_id, label in session.execute(
        select(ProtocolItem.id, ProtocolItem.label).where(ProtocolItem.id.in_(lookfors))
        .order_by(ProtocolItem.position))} if lookfors else {}
    return ObservationResults(checked, counts, texts, runs, intervals, dict(tagged), seats,
                              heard, labels)


@cache
def _results_queries():  # type: ignore[no-untyped-def]
    visit = bindparam("observation_id")
    return (
        select(ItemResponse.item_id, ItemResponse.checked, ItemResponse.count,
               ItemResponse.text).where(ItemResponse.observation_id == visit),
        select(TimerRun.id, TimerRun.item_id, TimerRun.started_ms, TimerRun.duration_ms)
        .where(TimerRun.observation_id == visit).order_by(TimerRun.started_ms),
        select(IntervalRecord.item_id, IntervalRecord.interval_index, IntervalRecord.codes,
               IntervalRecord.missed)
        .where(IntervalRecord.observation_id == visit).order_by(IntervalRecord.interval_index),
        select(NoteTag.item_id, func.count()).join(Note, Note.id == NoteTag.note_id)
        .where(Note.observation_id == visit).group_by(NoteTag.item_id),
        select(VisitSeating.item_id, VisitSeating.seats)
        .where(VisitSeating.observation_id == visit),
    )
