"""What the School page's top bar has chosen, as plain values; turned into the services' Period
and Scope on the worker (the services load SQLAlchemy, which the GUI thread never waits for)."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from observe_app.services.school_period import Period, Scope


class PeriodKind(enum.IntEnum):
    """The entries of the Period box, in its order."""

    THIS_TERM = 0
    LAST_TERM = 1
    THIS_YEAR = 2
    LAST_YEAR = 3
    DATES = 4


@dataclass(frozen=True)
class PeriodChoice:
    kind: PeriodKind = PeriodKind.THIS_TERM
    start: dt.date | None = None  # only for DATES
    end: dt.date | None = None


@dataclass(frozen=True)
class ScopeChoice:
    subject: str = ""
    grade: str = ""
    teacher_ids: frozenset[str] = field(default_factory=frozenset)
    plc_name: str = ""


def to_period(choice: PeriodChoice, today: dt.date) -> Period:
    """The period chosen, as of `today`; chosen dates that end before they start are refused
    (BadInputError, with the sentence to show)."""
    from observe_app.services.school_period import dates, school_year_of, term_of

    if choice.kind == PeriodKind.THIS_TERM:
        return term_of(today)
    if choice.kind == PeriodKind.LAST_TERM:
        return term_of(today).previous()
    if choice.kind == PeriodKind.THIS_YEAR:
        return school_year_of(today)
    if choice.kind == PeriodKind.LAST_YEAR:
        return school_year_of(today).previous()
    assert choice.start is not None and choice.end is not None  # the date boxes always hold one
    return dates(choice.start, choice.end)


def to_scope(choice: ScopeChoice) -> Scope:
    from observe_app.services.school_period import Scope

    return Scope(subject=choice.subject, grade=choice.grade, teacher_ids=choice.teacher_ids,
                 plc_name=choice.plc_name)
