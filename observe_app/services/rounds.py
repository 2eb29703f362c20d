"""A round of peer observations: who observes whom, and the planned cycles it makes."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from observe_app.domain.models import Cycle, Person, Protocol
from observe_app.domain.types import utc_now
from observe_app.errors import BadInputError
from observe_app.services import cycles
from observe_app.services.common import get_or_fail
from observe_app.services.protocols import find_protocol

MAX_ROUND_DAYS = 366  # a window longer than a school year is a typo in a date


@dataclass(frozen=True)
class Pairing:
    """One observer and the colleague they observe in the round (names for display)."""

    observer_id: str
    observer_name: str
    teacher_id: str
    teacher_name: str


@dataclass(frozen=True)
class Proposal:
    """The pairings proposed, one per observer in the order asked, and a sentence for each
    rule that could not be kept (empty when every rule holds)."""

    pairings: tuple[Pairing, ...]
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class _Colleague:
    id: str
    name: str
    subject: str  # as written, for sentences
    mentor_id: str | None
    last_observed: str | None  # the teacher of their most recent cycle as observer

    @property
    def subject_key(self) -> str:
        return self.subject.casefold()


def _colleagues(session: Session, ids: Sequence[str]) -> dict[str, _Colleague]:
    people = {pid: get_or_fail(session, Person, pid, "teacher") for pid in ids}
    filed = func.coalesce(Cycle.filed_at, Cycle.created_at)
    last: dict[str, str] = {}
    # Newest first: the first row seen for an observer is their most recent cycle.
    for observer_id, teacher_id in session.execute(
            select(Cycle.observer_id, Cycle.teacher_id)
            .where(Cycle.observer_id.in_(list(people)))
            .order_by(filed.desc(), Cycle.created_at.desc())):
        if observer_id is not None:
            last.setdefault(observer_id, teacher_id)
    return {pid: _Colleague(pid, p.name, " ".join(p.subject.split()), p.mentor_id,
                            last.get(pid)) for pid, p in people.items()}


def _unique(ids: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(i for i in ids if i))


def propose_pairings(session: Session, teacher_ids: Sequence[str], *,
                     across_subjects: bool = False) -> Proposal:
    """Everyone observes exactly one colleague and is observed by exactly one.

    No one observes themselves. Then, in this order, as far as the group allows: no one
    observes their own mentor twice in a row, each pair is across subjects (if asked), and
    no one observes the colleague of their last cycle as observer again. A rule that cannot
    be kept is relaxed, and `warnings` says where. The same group gives the same pairings.
    """
    ids = sorted(_unique(teacher_ids))  # the seeded order: sorted ids
    if len(ids) < 2:
        raise BadInputError("a round needs at least two teachers, so that each observes a "
                            "colleague and is observed by one; choose more teachers")
    people = _colleagues(session, ids)
    n = len(ids)
    unit = n + 1  # each rule outweighs every possible breach of the rules below it
    weights = {"repeat": unit, "subject": unit ** 2, "mentor": unit ** 3}
    never = unit ** 4  # observing oneself: never chosen while any derangement exists
    cost = []
    for i, oid in enumerate(ids):
        row = []
        for j, tid in enumerate(ids):
            if i == j:
                row.append(never)
                continue
            breaches = _breaches(people[oid], people[tid], across_subjects)
            # Among equal choices, one ring in the seeded order rather than many swaps.
            row.append(sum(weights[b] for b in breaches) + (0 if j == (i + 1) % n else 1))
        cost.append(row)
    chosen = _assignment(cost)
    by_observer = {ids[i]: ids[j] for i, j in enumerate(chosen)}
    order = _unique(teacher_ids)  # shown in the order asked
    pairings = tuple(Pairing(oid, people[oid].name, by_observer[oid],
                             people[by_observer[oid]].name) for oid in order)
    warnings = [_sentence(b, people[p.observer_id], people[p.teacher_id], forced=True)
                for p in pairings
                for b in _breaches(people[p.observer_id], people[p.teacher_id],
                                   across_subjects)]
    return Proposal(pairings, tuple(warnings))


def check_pairings(session: Session, pairs: Sequence[tuple[str, str]], *,
                   across_subjects: bool = False) -> tuple[str, ...]:
    """What a round's pairs (observer id, teacher id), as the coordinator adjusted them,
    leave out or break: a sentence for each; empty when all is well."""
    ids = _unique([i for pair in pairs for i in pair])
    people = _colleagues(session, ids)
    out: list[str] = []
    observers = Counter(o for o, _t in pairs)
    observed = Counter(t for _o, t in pairs)
    for oid, tid in pairs:
        if oid == tid:
            out.append(f"{people[oid].name} cannot observe themselves; choose a colleague")
            continue
        out.extend(_sentence(b, people[oid], people[tid], forced=False)
                   for b in _breaches(people[oid], people[tid], across_subjects))
    for pid in ids:
        name = people[pid].name
        if observers[pid] > 1:
            out.append(f"{name} observes {observers[pid]} colleagues in this round")
        if observed[pid] == 0:
            out.append(f"nobody observes {name} in this round")
        elif observed[pid] > 1:
            out.append(f"{name} is observed by {observed[pid]} colleagues in this round")
    return tuple(out)


def _breaches(observer: _Colleague, teacher: _Colleague, across_subjects: bool) -> list[str]:
    found = []
    if observer.mentor_id == teacher.id and observer.last_observed == teacher.id:
        found.append("mentor")
    if across_subjects and observer.subject_key and observer.subject_key == teacher.subject_key:
        found.append("subject")
    if observer.last_observed == teacher.id and "mentor" not in found:
        found.append("repeat")
    return found


def _sentence(breach: str, observer: _Colleague, teacher: _Colleague, *, forced: bool) -> str:
    if breach == "mentor":
        return (f"{observer.name} observes their own mentor, {teacher.name}, twice in a row"
                + (": no other pairing of this group avoids it" if forced else ""))
    if breach == "subject":
        return (f"{observer.name} observes {teacher.name} in the same subject "
                f"({teacher.subject})"
                + (": not every pair of this group could be across subjects" if forced else ""))
    return (f"{observer.name} observes {teacher.name} again, as in their last cycle as "
            "observer" + (": no pairing of this group avoids every repeat" if forced else ""))


def _assignment(cost: list[list[int]]) -> list[int]:
    """The column for each row that makes the total cost least (the Hungarian method,
    O(n³); whole numbers, so the answer is exact and always the same)."""
    n = len(cost)
    inf = float("inf")
    u = [0.0] * (n + 1)
    v = [0.0] * (n + 1)
    row_of = [0] * (n + 1)  # the row given each column (1-based; 0: none yet)
    way = [0] * (n + 1)
    for i in range(1, n + 1):
        row_of[0] = i
        j0 = 0
        least = [inf] * (n + 1)
        used = [False] * (n + 1)
        while True:
            used[j0] = True
            i0, delta, j1 = row_of[j0], inf, 0
            for j in range(1, n + 1):
                if not used[j]:
                    reduced = cost[i0 - 1][j - 1] - u[i0] - v[j]
                    if reduced < least[j]:
                        least[j], way[j] = reduced, j0
                    if least[j] < delta:
                        delta, j1 = least[j], j
            for j in range(n + 1):
                if used[j]:
                    u[row_of[j]] += delta
                    v[j] -= delta
                else:
                    least[j] -= delta
            j0 = j1
            if row_of[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            row_of[j0] = row_of[j1]
            j0 = j1
    column = [0] * n
    for j in range(1, n + 1):
        column[row_of[j] - 1] = j - 1
    return column


# -- dates and cycles ----------------------------------------------------------------------------

def school_days(first: dt.date, last: dt.date) -> list[dt.date]:
    """Monday to Friday from `first` to `last`, both included."""
    span = (last - first).days
    return [d for d in (first + dt.timedelta(days=k) for k in range(span + 1))
            if d.weekday() < 5]


def visit_dates(count: int, first: dt.date, last: dt.date) -> list[dt.date]:
    """`count` visit dates spread evenly over the window's school days (several on one day
    when there are more visits than days); refused with what to do when the window is wrong."""
    if last < first:
        raise BadInputError(f"the round's last date ({last.isoformat()}) is before its first "
                            f"({first.isoformat()}); choose a last date on or after the first")
    if (last - first).days > MAX_ROUND_DAYS:
        raise BadInputError("a round's dates span more than a school year; choose a last date "
                            "within a year of the first")
    days = school_days(first, last)
    if not days:
        raise BadInputError(f"from {first.isoformat()} to {last.isoformat()} there is no "
                            "school day (Monday to Friday); widen the window")
    return [days[((2 * k + 1) * len(days)) // (2 * count)] for k in range(count)]


def create_round(session: Session, pairings: Sequence[Pairing | tuple[str, str]],
                 protocol_id: str, first_date: dt.date, last_date: dt.date, focus: str = "",
                 *, now: dt.datetime | None = None) -> list[str]:
    """Plan one cycle per pairing, at its pre-conference, with a visit date in the window;
    the ids in the pairings' order. Everything is checked before anything is made."""
    pairs = [(p.observer_id, p.teacher_id) if isinstance(p, Pairing) else (p[0], p[1])
             for p in pairings]
    if not pairs:
        raise BadInputError("the round has no pairings yet; propose pairings first")
    dates = visit_dates(len(pairs), first_date, last_date)
    observers = Counter(o for o, _t in pairs)
    for oid, tid in pairs:
        name = get_or_fail(session, Person, oid, "observer").name
        get_or_fail(session, Person, tid, "teacher")
        if oid == tid:
            raise BadInputError(f"{name} cannot observe themselves; choose a colleague for "
                                "them to observe")
        if observers[oid] > 1:
            raise BadInputError(f"{name} is in the round twice as an observer; each observer "
                                "observes one colleague")
    protocol = get_or_fail(session, Protocol, protocol_id, "protocol")
    if protocol.retired_at is not None:
        raise BadInputError(f"the protocol {protocol.name} is retired; choose another one")
    version_id = find_protocol(session, protocol_id).latest_version_id
    now = now or utc_now()
    return [cycles.plan_cycle(session, teacher_id=tid, observer_id=oid,
                              protocol_version_id=version_id, focus=focus, planned_date=day,
                              now=now).id
            for (oid, tid), day in zip(pairs, dates, strict=True)]
