"""The School page's period (a term, a school year, chosen dates) and scope (whole school, a
subject, a grade, a PLC's members), and the visits they take in, as SQL."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from observe_app.domain.types import to_sqlite_text
from observe_app.errors import BadInputError
from observe_app.services.co_observation import teacher_facing_sql

# A school year runs from September; its terms: autumn to December, spring to March, summer to
# the end of August (so a visit in the summer holiday still has a term).
_TERMS = ((9, "Autumn"), (1, "Spring"), (4, "Summer"))
_TERM_START_MONTHS = (1, 4, 9)


@dataclass(frozen=True)
class Period:
    """From `start` to `end`, both days included, with the name a teacher knows it by."""

    start: dt.date
    end: dt.date
    name: str
    kind: str = "custom"  # "term", "year" or "custom": what the one before it is

    def previous(self) -> Period:
        """The term or school year before; for chosen dates, as many days just before."""
        if self.kind == "term":
            return _term_of(self.start - dt.timedelta(days=1))
        if self.kind == "year":
            return _school_year_of(self.start - dt.timedelta(days=1))
        days = (self.end - self.start).days + 1
        end = self.start - dt.timedelta(days=1)
        return _dates(end - dt.timedelta(days=days - 1), end)

    def bounds(self) -> tuple[str, str]:
        """Its start and the start of the day after its end, as stored times (UTC) of this
        computer's local midnights."""
        return _local_midnight(self.start), _local_midnight(self.end + dt.timedelta(days=1))

    def holds(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def _local_midnight(day: dt.date) -> str:
    return to_sqlite_text(dt.datetime.combine(day, dt.time()).astimezone())


def _year_label(first_year: int) -> str:
    return f"{first_year}–{(first_year + 1) % 100:02d}"


def _sensible(day: dt.date) -> dt.date:
    if not 1900 <= day.year <= 2100:
        raise BadInputError(f"{day.isoformat()} is not a date a school has visits on: choose "
                            "one between 1900 and 2100")
    return day


def school_year_of(day: dt.date) -> Period:
    return _school_year_of(_sensible(day))


def _school_year_of(day: dt.date) -> Period:
    first = day.year if day.month >= 9 else day.year - 1
    return Period(dt.date(first, 9, 1), dt.date(first + 1, 8, 31),
                  f"School year {_year_label(first)}", "year")


def term_of(day: dt.date) -> Period:
    return _term_of(_sensible(day))


def _term_of(day: dt.date) -> Period:
    start_month = max(m for m in _TERM_START_MONTHS if m <= day.month)
    start = dt.date(day.year, start_month, 1)
    end_month = {1: 3, 4: 8, 9: 12}[start_month]
    end = dt.date(day.year, end_month + 1, 1) - dt.timedelta(days=1) if end_month < 12 \
        else dt.date(day.year, 12, 31)
    name = dict((m, n) for m, n in _TERMS)[start_month]
    year = _school_year_of(day).start.year
    return Period(start, end, f"{name} term {_year_label(year)}", "term")


def dates(start: dt.date, end: dt.date) -> Period:
    return _dates(_sensible(start), _sensible(end))


def _dates(start: dt.date, end: dt.date) -> Period:
    if end < start:
        raise BadInputError(
            f"the period ends ({end.isoformat()}) before it starts ({start.isoformat()}): "
            "choose an end date on or after the start date")
    return Period(start, end, f"{start.isoformat()} to {end.isoformat()}", "custom")


def terms_up_to(period: Period, count: int) -> list[Period]:
    """The `count` terms up to and including the one the period ends in, oldest first."""
    terms = [_term_of(period.end)]
    while len(terms) < count:
        terms.insert(0, terms[0].previous())
    return terms


@dataclass(frozen=True)
class Scope:
    """Whose visits: the whole school, or those of one subject, one grade or a PLC's members
    (the subject is the observed teacher's; the grade is the visit's)."""

    subject: str = ""
    grade: str = ""
    teacher_ids: frozenset[str] = field(default_factory=frozenset)
    plc_name: str = ""  # what the chosen members are called, for the page's title
    # Everyone's visits but the scope's: what a scope's figures leave of the whole school's.
    rest_of_school: bool = False

    @property
    def name(self) -> str:
        parts = []
        if self.subject:
            parts.append(self.subject)
        if self.grade:
            parts.append(f"grade {self.grade}")
        if self.teacher_ids:
            parts.append(self.plc_name or f"{len(self.teacher_ids)} chosen teachers")
        return ", ".join(parts) if parts else "Whole school"

    @property
    def whole_school(self) -> bool:
        return not (self.subject or self.grade or self.teacher_ids)

    def with_members(self, ids: frozenset[str], name: str) -> Scope:
        return replace(self, teacher_ids=ids, plc_name=name)

    def rest(self) -> Scope:
        return replace(self, rest_of_school=True)


def scope_sql(scope: Scope, o: str = "o", c: str = "c", t: str = "t") -> str:
    """SQL true for a visit of the scope (`:subject`, `:grade`, `:members` bound by
    `scope_params`), and one the teacher's record shows (co-observers' visits are calibration's
    alone)."""
    which = []
    if scope.subject:
        which.append(f"{t}.subject = :subject")
    if scope.grade:
        which.append(f"{o}.grade = :grade")
    if scope.teacher_ids:
        which.append(f"{c}.teacher_id IN (SELECT value FROM json_each(:members))")
    if scope.rest_of_school:
        which = [f"NOT ({' AND '.join(which or ['1'])})"]
    return " AND ".join([teacher_facing_sql(o, c), *which])


def scope_params(scope: Scope) -> dict[str, str]:
    import json

    return {"subject": scope.subject, "grade": scope.grade,
            "members": json.dumps(sorted(scope.teacher_ids))}
