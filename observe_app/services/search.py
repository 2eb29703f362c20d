"""Full-text search over notes, feedback and cycle texts (SQLite FTS5), newest first."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from observe_app.domain.types import utc_from_db
from observe_app.services.co_observation import teacher_facing_sql
from observe_app.storage.engine import BUSY_TIMEOUT_MS

MIN_PREFIX = 2  # one-letter prefixes would scan the whole index
MAX_TERMS = 8
DEFAULT_LIMIT = 100
MARK_START, MARK_END = "\u0002", "\u0003"  # snippet markers no note will contain


@dataclass(frozen=True)
class SearchHit:
    """One match: a note (with its visit and time) or a cycle's feedback or reflection."""

    kind: str  # "note", "feedback" or "cycle"
    ref_id: str
    cycle_id: str
    observation_id: str | None
    elapsed_ms: int | None
    when: dt.datetime | None
    teacher_name: str
    snippet: str  # matched words wrapped in MARK_START / MARK_END

    def snippet_parts(self) -> list[tuple[str, bool]]:
        """The snippet as (text, is_match) pieces, for highlighting."""
        parts = re.split(f"([{MARK_START}{MARK_END}])", self.snippet)
        out: list[tuple[str, bool]] = []
        inside = False
        for part in parts:
            if part == MARK_START:
                inside = True
            elif part == MARK_END:
                inside = False
            elif part:
                out.append((part, inside))
        return out


def fts_query(user_text: str) -> str | None:
    """Turn what a person typed into a safe FTS5 query: every word must match.

    Words are quoted (so `"`, `*`, `-`, `OR` are never syntax); the last word also matches as a
    prefix while it is being typed, once it has at least MIN_PREFIX letters.
    """
    words = re.findall(r"\w+", user_text, flags=re.UNICODE)[:MAX_TERMS]
    if not words:
        return None
    terms = [f'"{w}"' for w in words]
    if len(words[-1]) >= MIN_PREFIX and not user_text.rstrip().endswith(('"', " ")):
        terms[-1] += "*"
    return " ".join(terms)


_NOTES = f"""
SELECT 'note', n.id, o.cycle_id, n.observation_id, n.elapsed_ms, n.wall_time, p.name,
       snippet(notes_fts, 0, '{MARK_START}', '{MARK_END}', '…', 16)
FROM notes_fts
JOIN notes n ON n.rowid = notes_fts.rowid
JOIN observations o ON o.id = n.observation_id
JOIN cycles c ON c.id = o.cycle_id
JOIN people p ON p.id = c.teacher_id
WHERE notes_fts MATCH :q AND {teacher_facing_sql("o", "c")}
ORDER BY notes_fts.rowid DESC
LIMIT :limit
"""

_FEEDBACK = f"""
SELECT 'feedback', f.id, f.cycle_id, NULL, NULL, c.created_at, p.name,
       snippet(feedback_fts, 0, '{MARK_START}', '{MARK_END}', '…', 16)
FROM feedback_fts
JOIN feedback_items f ON f.rowid = feedback_fts.rowid
JOIN cycles c ON c.id = f.cycle_id
JOIN people p ON p.id = c.teacher_id
WHERE feedback_fts MATCH :q
ORDER BY feedback_fts.rowid DESC
LIMIT :limit
"""

_CYCLES = f"""
SELECT 'cycle', c.id, c.id, NULL, NULL, c.created_at, p.name,
       snippet(cycles_fts, -1, '{MARK_START}', '{MARK_END}', '…', 16)
FROM cycles_fts
JOIN cycles c ON c.rowid = cycles_fts.rowid
JOIN people p ON p.id = c.teacher_id
WHERE cycles_fts MATCH :q
ORDER BY cycles_fts.rowid DESC
LIMIT :limit
"""


def index_new_notes(session: Session) -> int:
    """Add the notes saved since the last call to the full-text index; returns how many.

    Saving a note does not touch the index (that keeps Enter → durable as fast as a bare
    commit); every search calls this first, and so does the end of each visit.
    On a database opened read-only nothing can be added, and the search goes on without.
    """
    conn = session.connection()
    # Never wait for a lock here: a search must not freeze the window while another program
    # writes; the notes are simply indexed by the next search.
    conn.exec_driver_sql("PRAGMA busy_timeout=0")
    try:
        with session.begin_nested():
            added = conn.exec_driver_sql(
                "INSERT INTO notes_fts(rowid, text) SELECT rowid, text FROM notes "
                "WHERE search_indexed = 0").rowcount
            if added:
                conn.exec_driver_sql("UPDATE notes SET search_indexed = 1 "
                                     "WHERE search_indexed = 0")
    except OperationalError:
        return 0  # read-only or locked: searched as it stands
    finally:
        conn.exec_driver_sql(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    return max(added, 0)


def search(session: Session, user_text: str, limit: int = DEFAULT_LIMIT) -> list[SearchHit]:
    """Notes first (newest first), then feedback and cycle texts; at most `limit` of each."""
    query = fts_query(user_text)
    if query is None:
        return []
    index_new_notes(session)
    hits: list[SearchHit] = []
    for sql in (_NOTES, _FEEDBACK, _CYCLES):
        for row in session.execute(text(sql), {"q": query, "limit": limit}):
            kind, ref, cycle, obs, elapsed, when, teacher, snip = row
            hits.append(SearchHit(kind, ref, cycle, obs, elapsed,
                                  None if when is None else utc_from_db(when), teacher, snip))
    return hits
