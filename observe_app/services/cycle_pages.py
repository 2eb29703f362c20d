"""Cycle lists a page at a time, sorted, filtered and paged in SQL: 100,000 cycles list at once."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection
from typing import Any

from sqlalchemy import ColumnElement, case, func, literal_column, or_, select
from sqlalchemy.orm import Session

from observe_app.domain.enums import CycleStage
from observe_app.domain.models import Cycle, Observation, Person, Protocol, ProtocolVersion
from observe_app.services.cycles import CycleSummary, _summary_query, _to_summary

PAGE = 200
SORTS = ("date", "teacher", "observer", "protocol", "stage", "visits", "focus")
_NUMBERS = re.compile(r"[0-9-]+")


def _name(person_id: Any) -> ColumnElement[Any]:
    return (select(Person.name).where(Person.id == person_id).correlate(Cycle)
            .scalar_subquery())


def _sort_key(sort: str) -> ColumnElement[Any]:
    if sort == "date":  # indexed (migration 0005): the first page reads 200 index entries
        return Cycle.filed_at.expression
    if sort == "teacher":
        return _name(Cycle.teacher_id).collate("NOCASE")
    if sort == "observer":
        return func.coalesce(_name(Cycle.observer_id), "").collate("NOCASE")
    if sort == "protocol":
        return (select(Protocol.name).join(ProtocolVersion)
                .where(ProtocolVersion.id == Cycle.protocol_version_id).correlate(Cycle)
                .scalar_subquery().collate("NOCASE"))
    if sort == "stage":
        return case({s.value: n for n, s in enumerate(CycleStage)}, value=Cycle.stage)
    if sort == "visits":
        return (select(func.count()).where(Observation.cycle_id == Cycle.id)
                .correlate(Cycle).scalar_subquery())
    if sort == "focus":
        return Cycle.focus.collate("NOCASE")
    raise ValueError(f"cycles cannot be sorted by {sort!r}; choose one of {', '.join(SORTS)}")


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _matching(session: Session, text: str) -> ColumnElement[bool] | None:
    """Rows whose shown text holds `text`, ignoring case, in any column (as the filter box did
    over the loaded rows). Names, protocols and stages are few: they are matched here with
    Python's case folding (any alphabet) and passed as ids; the focus is matched by SQLite
    (its LIKE ignores the case of ASCII letters only)."""
    needle = text.strip().casefold()
    if not needle:
        return None
    names = [i for i, n in session.execute(select(Person.id, Person.name))
             if needle in n.casefold()]
    protocols = [i for i, n in session.execute(
        select(ProtocolVersion.id, Protocol.name).join(Protocol)) if needle in n.casefold()]
    stages = [s.value for s in CycleStage if needle in s.label.casefold()]
    pattern = _like(text.strip())
    matches: list[ColumnElement[bool]] = [
        Cycle.teacher_id.in_(names), Cycle.observer_id.in_(names),
        Cycle.protocol_version_id.in_(protocols), Cycle.stage.in_(stages),
        Cycle.focus.like(pattern, escape="\\")]
    if _NUMBERS.fullmatch(needle):  # a date as shown (local YYYY-MM-DD); not a visit count:
        # counting every cycle's visits would make each such keystroke cost most of a second
        # Shifted by the computer's offset from UTC today: SQLite's 'localtime' asks the C
        # library once per row (a second over 100,000 cycles); a date a DST change away
        # from today may be matched an hour off, around midnight.
        offset = dt.datetime.now().astimezone().utcoffset() or dt.timedelta()
        shifted = func.datetime(Cycle.filed_at, f"{int(offset.total_seconds()):+d} seconds")
        shown = func.substr(shifted, 1, 10)
        matches.append(shown.like(pattern, escape="\\"))
    return or_(*matches)


def _conditions(session: Session, *, stages: Collection[CycleStage] | None, text: str,
                teacher_id: str | None, include_archived: bool) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if not include_archived:
        conditions.append(Cycle.archived_at.is_(None))
    if teacher_id:
        conditions.append(Cycle.teacher_id == teacher_id)
    if stages is not None and set(stages) != set(CycleStage):
        conditions.append(Cycle.stage.in_([CycleStage(s).value for s in stages]))
    matching = _matching(session, text)
    if matching is not None:
        conditions.append(matching)
    return conditions


_ROWID: ColumnElement[int] = literal_column("cycles.rowid")


def page_cycles(session: Session, *, stages: Collection[CycleStage] | None = None,
                text: str = "", sort: str = "date", descending: bool = False,
                offset: int = 0, limit: int = PAGE, teacher_id: str | None = None,
                include_archived: bool = False) -> list[CycleSummary]:
    """One page of cycles: those in `stages` whose shown text holds `text`, sorted by `sort`
    (one of SORTS), rows offset..offset+limit. Fewer than `limit` rows means the last page.
    Archived cycles are left out unless `include_archived`."""
    key = _sort_key(sort)
    # The rowid breaks ties so that pages never overlap or skip a row; an index on the sort
    # key holds rowids in that order too, so the first page still comes off the index.
    order = [key.desc(), _ROWID.desc()] if descending else [key.asc(), _ROWID.asc()]
    # The page's ids first (sorting carries nothing but the key), then its rows in full.
    ids = list(session.scalars(
        select(Cycle.id).where(*_conditions(session, stages=stages, text=text,
                                            teacher_id=teacher_id,
                                            include_archived=include_archived))
        .order_by(*order).offset(max(offset, 0)).limit(max(limit, 0))))
    if not ids:
        return []
    rows = {r[0]: r for r in session.execute(_summary_query().where(Cycle.id.in_(ids)))}
    return [_to_summary(rows[i]) for i in ids]


def cycle_position(session: Session, cycle_id: str, *,
                   stages: Collection[CycleStage] | None = None, text: str = "",
                   sort: str = "date", descending: bool = False,
                   teacher_id: str | None = None, include_archived: bool = False) -> int | None:
    """Where `cycle_id` stands in that list (0 is the first row), or None when it is not in it."""
    key = _sort_key(sort)
    conditions = _conditions(session, stages=stages, text=text, teacher_id=teacher_id,
                             include_archived=include_archived)
    found = session.execute(select(key, _ROWID).where(Cycle.id == cycle_id, *conditions)).first()
    if found is None:
        return None
    at, rowid = found
    # The rows before it: a range of the sort key's index where there is one.
    if descending:
        before = (key >= at) & ((key > at) | (rowid < _ROWID))
    else:
        before = (key <= at) & ((key < at) | (rowid > _ROWID))
    return session.scalar(select(func.count()).select_from(Cycle).where(*conditions, before))
