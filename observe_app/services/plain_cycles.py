"""Cycle lists read with plain sqlite3 into the same read models (no SQLAlchemy imported).

Two reads whose cost is mostly the ORM's import and set-up: the first page of the Observe and
Cycles pages (newest first, as services.cycle_pages gives it for the default sort), which the
window shows right after its first paint, and `observe-app cycles list [--teacher ID]`.
tests/services/test_plain_cycles.py runs both paths on the same data and compares every
field, so the two cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Collection

from observe_app.domain.enums import CycleStage
from observe_app.services.cycle_views import CycleSummary

# services.cycles._summary_query, in SQL (the visits are counted per cycle through the index
# on observations.cycle_id).
_SUMMARY = """
SELECT c.id, c.teacher_id, t.name, c.observer_id, o.name, p.name, v.number,
       c.protocol_version_id, c.stage, c.focus, c.planned_date, c.created_at,
       (SELECT count(*) FROM observations WHERE observations.cycle_id = c.id),
       (SELECT max(observations.started_at) FROM observations WHERE observations.cycle_id = c.id),
       c.archived_at
FROM cycles AS c
JOIN people AS t ON t.id = c.teacher_id
LEFT OUTER JOIN people AS o ON o.id = c.observer_id
JOIN protocol_versions AS v ON v.id = c.protocol_version_id
JOIN protocols AS p ON p.id = v.protocol_id
"""


def _utc(text: str) -> dt.datetime:
    # As UTCDateTime and domain.types.utc_from_db read it (both import SQLAlchemy).
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


def _summary(row: tuple) -> CycleSummary:  # type: ignore[type-arg]
    (id_, teacher_id, teacher, observer_id, observer, protocol, number, version_id, stage, focus,
     planned, created, count, last, archived_at) = row
    return CycleSummary(id_, teacher_id, teacher, observer_id, observer, protocol, number,
                        version_id, CycleStage(stage), focus,
                        dt.date.fromisoformat(planned) if planned is not None else None,
                        _utc(created), count, _utc(last) if last is not None else None,
                        archived_at is not None)


def newest_first(conn: sqlite3.Connection, *, stages: Collection[CycleStage] | None = None,
                 offset: int = 0, limit: int = 200) -> list[CycleSummary]:
    """A page of cycles in `stages`, newest first: services.cycle_pages.page_cycles with
    sort="date", descending=True and no filter text (the pages' first sort; no archived)."""
    where, values = "WHERE archived_at IS NULL", []
    if stages is not None and set(stages) != set(CycleStage):
        values = [CycleStage(s).value for s in stages]
        where += f" AND stage IN ({', '.join('?' * len(values))})"
    # The page's ids off the index on filed_at (migration 0005), the rowid breaking ties.
    ids = [r[0] for r in conn.execute(
        f"SELECT id FROM cycles {where} ORDER BY filed_at DESC, rowid DESC LIMIT ? OFFSET ?",
        [*values, max(limit, 0), max(offset, 0)])]
    if not ids:
        return []
    rows = {r[0]: r for r in conn.execute(
        f"{_SUMMARY} WHERE c.id IN ({', '.join('?' * len(ids))})", ids)}
    return [_summary(rows[i]) for i in ids]


def list_cycles(conn: sqlite3.Connection, *, teacher_id: str | None = None,
                include_archived: bool = True) -> list[CycleSummary]:
    """services.cycles.list_cycles(teacher_id=..., include_archived=...): in date order, ties
    in the order planned."""
    where = [] if include_archived else ["c.archived_at IS NULL"]
    values = []
    if teacher_id:
        where.append("c.teacher_id = ?")
        values.append(teacher_id)
    condition = f"WHERE {' AND '.join(where)} " if where else ""
    rows = conn.execute(f"{_SUMMARY} {condition}ORDER BY c.rowid", values)
    return sorted((_summary(r) for r in rows), key=lambda c: c.date)
