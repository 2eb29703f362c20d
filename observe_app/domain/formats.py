"""How times are written for people: mm:ss of a visit, and dates in the computer's time zone.

Plain Python (no Qt, no SQLAlchemy), so the services, the reports and the window share it.
"""

from __future__ import annotations

import datetime as dt


def format_elapsed(ms: int | None) -> str:
    """mm:ss since the start of the visit (minutes go past 59 for long visits)."""
    if ms is None:
        return ""
    seconds = max(ms, 0) // 1000
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


def evidence_line(wall_time: dt.datetime, elapsed_ms: int, text: str, *,
                  several_visits: bool) -> str:
    """A note as a list of evidence shows it: '01:12   T asks why', with the visit's date in
    front when the cycle has several visits."""
    visit = f"{local_date(wall_time)} · " if several_visits else ""
    return f"{visit}{format_elapsed(elapsed_ms)}   {text}"


def local_date(value: dt.date | dt.datetime | None) -> str:
    """YYYY-MM-DD; a stored (UTC) time is first moved to the computer's time zone."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.astimezone().date()
    return value.isoformat()


def local_time(value: dt.datetime | None) -> str:
    return value.astimezone().strftime("%H:%M") if value is not None else ""


def counted(n: int, one: str, many: str | None = None) -> str:
    """A count with its noun in the right number: "1 cycle", "0 cycles", "2 people"."""
    return f"{n} {one if n == 1 else (many if many is not None else one + 's')}"


def short_label(label: str) -> str:
    """'Open questions (several answers)' → 'Open questions': a chart line's name stays short."""
    return label.split(" (")[0].strip() or label
