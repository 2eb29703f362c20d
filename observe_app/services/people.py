"""People: teachers, mentors and coaches, and the staff roster import."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from observe_app.domain import limits
from observe_app.domain.enums import CareerStage, Role
from observe_app.domain.models import Cycle, Person
from observe_app.errors import BadInputError
from observe_app.services.common import bounded, get_or_fail

ROSTER_COLUMNS = ("name", "email", "role", "subject", "start_date")
MAX_ROSTER_BYTES = 5_000_000


@dataclass(frozen=True)
class PersonView:
    id: str
    name: str
    email: str | None
    role: Role
    subject: str
    career_stage: CareerStage
    start_date: dt.date | None
    mentor_id: str | None
    mentor_name: str | None = None
    cycle_count: int = 0


def _view(p: Person, mentor_name: str | None = None, cycle_count: int = 0) -> PersonView:
    return PersonView(p.id, p.name, p.email, p.role, p.subject, p.career_stage, p.start_date,
                      p.mentor_id, mentor_name, cycle_count)


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise BadInputError("a person needs a name; type one")
    if len(name) > limits.PERSON_NAME:
        raise BadInputError(f"a name can be at most {limits.PERSON_NAME} characters")
    return name


def _subject(text: str) -> str:
    return bounded(text.strip(), limits.PERSON_SUBJECT, "a subject")


def _clean_email(session: Session, email: str | None, person_id: str | None) -> str | None:
    email = (email or "").strip() or None
    if email is None:
        return None
    bounded(email, limits.PERSON_EMAIL, "an email address")
    if "@" not in email or " " in email:
        raise BadInputError(f"{email!r} is not an email address; correct it or leave the "
                            "email empty")
    clash = session.scalar(select(Person).where(func.lower(Person.email) == email.lower()))
    if clash is not None and clash.id != person_id:
        raise BadInputError(f"{email} already belongs to {clash.name}; use another email or "
                            "leave it empty")
    return email


def add_person(session: Session, name: str, *, email: str | None = None,
               role: Role = Role.TEACHER, subject: str = "",
               career_stage: CareerStage = CareerStage.EXPERIENCED,
               start_date: dt.date | None = None, mentor_id: str | None = None) -> PersonView:
    if mentor_id:
        get_or_fail(session, Person, mentor_id, "mentor")
    person = Person(name=_clean_name(name), email=_clean_email(session, email, None),
                    role=Role(role), subject=_subject(subject),
                    career_stage=CareerStage(career_stage), start_date=start_date,
                    mentor_id=mentor_id or None)
    session.add(person)
    session.flush()
    return _view(person)


def update_person(session: Session, person_id: str, *, name: str, email: str | None,
                  role: Role, subject: str, career_stage: CareerStage,
                  start_date: dt.date | None, mentor_id: str | None) -> PersonView:
    person = get_or_fail(session, Person, person_id, "person")
    if mentor_id == person_id:
        raise BadInputError("a teacher cannot be their own mentor; choose someone else")
    if mentor_id:
        get_or_fail(session, Person, mentor_id, "mentor")
    person.name = _clean_name(name)
    person.email = _clean_email(session, email, person_id)
    person.role = Role(role)
    person.subject = _subject(subject)
    person.career_stage = CareerStage(career_stage)
    person.start_date = start_date
    person.mentor_id = mentor_id or None
    session.flush()
    return _view(person)


def get_person(session: Session, person_id: str) -> PersonView:
    person = get_or_fail(session, Person, person_id, "person")
    mentor = session.get(Person, person.mentor_id) if person.mentor_id else None
    return _view(person, mentor.name if mentor else None)


def list_people(session: Session, role: Role | None = None) -> list[PersonView]:
    """Everyone, sorted by name, with their mentor's name and how many cycles observed them."""
    mentor = Person.__table__.alias("mentor")
    counts = (select(Cycle.teacher_id, func.count().label("n"))
              .group_by(Cycle.teacher_id).subquery())
    query = (select(Person, mentor.c.name, func.coalesce(counts.c.n, 0))
             .outerjoin(mentor, mentor.c.id == Person.mentor_id)
             .outerjoin(counts, counts.c.teacher_id == Person.id)
             .order_by(func.lower(Person.name)))
    if role is not None:
        query = query.where(Person.role == role)
    return [_view(p, m, n) for p, m, n in session.execute(query)]


def mentees(session: Session, mentor_id: str) -> list[PersonView]:
    rows = session.scalars(select(Person).where(Person.mentor_id == mentor_id)
                           .order_by(Person.name))
    return [_view(p) for p in rows]


def _parse_date(value: str, line: int, source: str = "roster") -> dt.date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise BadInputError(
            f"{source} line {line}: start_date {value[:40]!r} is not a date; "
            "write it as YYYY-MM-DD"
        ) from None


def _career_stage(start: dt.date | None, today: dt.date) -> CareerStage:
    if start is None:
        return CareerStage.EXPERIENCED
    years = (today - start).days / 365.25
    if years < 2:
        return CareerStage.NEW
    return CareerStage.EARLY if years < 5 else CareerStage.EXPERIENCED


def read_roster(path: Path) -> str:
    if not path.is_file():
        raise BadInputError(f"{path}: no such file")
    raw = path.read_bytes()
    if len(raw) > MAX_ROSTER_BYTES:
        raise BadInputError(f"{path.name} is too large ({len(raw):,} bytes); "
                            f"a roster can be at most {MAX_ROSTER_BYTES:,} bytes")
    if b"\x00" in raw:
        raise BadInputError(f"{path.name} holds NUL bytes; save the roster as CSV text (UTF-8)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadInputError(f"{path.name}: byte {exc.start} is not UTF-8; "
                            "save the roster as CSV UTF-8") from None


def import_roster(session: Session, text: str, source: str = "roster",
                  today: dt.date | None = None) -> list[PersonView]:
    """Add the people of a staff roster CSV (name, email, role, subject, start_date).

    Everyone is checked before anyone is added: one bad line refuses the whole file.
    A person whose email is already known is updated rather than added twice.
    """
    today = today or dt.date.today()
    try:
        # strict: a stray or unclosed quote is refused rather than swallowing the lines after it
        rows = list(csv.DictReader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as exc:
        raise BadInputError(f"{source} is not a readable CSV file: {exc}") from None
    reader_fields = csv.DictReader(io.StringIO(text, newline="")).fieldnames or []
    fields = [f.strip().lower() for f in reader_fields]
    missing = [c for c in ROSTER_COLUMNS if c not in fields]
    if missing:
        raise BadInputError(f"{source} is missing the column(s) {', '.join(missing)}; "
                            f"the first line must name: {', '.join(ROSTER_COLUMNS)}")
    if not rows:
        raise BadInputError(f"{source} has a header but no people")
    parsed = []
    seen: set[str] = set()
    for number, raw in enumerate(rows, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()
               if isinstance(v, str)}
        name = " ".join(row.get("name", "").split())
        if not name:
            raise BadInputError(f"{source} line {number}: the name is empty")
        if len(name) > 200:
            raise BadInputError(f"{source} line {number}: the name is longer than 200 characters")
        if any(len(v) > 1000 for v in row.values()):
            raise BadInputError(f"{source} line {number}: a field is longer than 1,000 "
                                "characters; is this a staff roster?")
        if any((ord(c) < 32 and c != "\t") or 127 <= ord(c) < 160
               for c in "".join(row.values())):
            raise BadInputError(f"{source} line {number}: holds control characters; "
                                "save the roster as plain CSV text")
        role_text = row.get("role", "").lower() or "teacher"
        if role_text not in {r.value for r in Role}:
            raise BadInputError(f"{source} line {number}: role {role_text[:40]!r} is not one of "
                                f"{', '.join(r.value for r in Role)}")
        email = row.get("email") or None
        if email:
            if "@" not in email or " " in email or len(email) > 320:
                raise BadInputError(f"{source} line {number}: {email[:60]!r} is not an "
                                    "email address")
            if email.lower() in seen:
                raise BadInputError(f"{source} line {number}: {email} appears twice")
            seen.add(email.lower())
        start = _parse_date(row.get("start_date", ""), number, source)
        parsed.append((name, email, Role(role_text), row.get("subject", ""), start))
    result = []
    for name, email, role, subject, start in parsed:
        existing = (session.scalar(select(Person).where(func.lower(Person.email) == email.lower()))
                    if email else None)
        if existing:
            existing.name, existing.role, existing.subject = name, role, subject
            existing.start_date = start
            existing.career_stage = _career_stage(start, today)
            result.append(_view(existing))
        else:
            person = Person(name=name, email=email, role=role, subject=subject, start_date=start,
                            career_stage=_career_stage(start, today))
            session.add(person)
            session.flush()
            result.append(_view(person))
    session.flush()
    return result
