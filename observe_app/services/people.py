"""People: teachers, mentors and coaches, and the staff roster import."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Table, bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from observe_app.domain import limits
from observe_app.domain.enums import CareerStage, Role
from observe_app.domain.limits import too_long
from observe_app.domain.models import Cycle, Person
from observe_app.domain.plain_text import bad_character, describe_character, has_visible, shown
from observe_app.domain.types import new_id
from observe_app.errors import BadInputError, FieldError
from observe_app.services.common import get_or_fail

ROSTER_COLUMNS = ("name", "email", "role", "subject", "start_date")
MAX_ROSTER_BYTES = 5_000_000
MAX_FIELD = 1000  # characters in one value of a roster: a longer one is not a staff list


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
    archived: bool = False  # hidden from lists and pickers unless asked for


def _view(p: Person, mentor_name: str | None = None, cycle_count: int = 0) -> PersonView:
    return PersonView(p.id, p.name, p.email, p.role, p.subject, p.career_stage, p.start_date,
                      p.mentor_id, mentor_name, cycle_count, p.archived_at is not None)


@dataclass(frozen=True)
class PersonFields:
    """A person's typed fields, checked and tidied (spaces collapsed, ends trimmed)."""

    name: str
    email: str | None
    subject: str


# What may stand in an address: letters and digits of any script and the few signs mail
# systems use. Quoted local parts and IP-address domains are legal in RFC 5321 but never
# appear in a school's staff list, and a space, comma or second @ there is always a typo.
_LOCAL_SIGNS = frozenset("!#$%&'*+/=?^_`{|}~.-")


def _plain(text: str, what: str, field: str) -> None:
    bad = bad_character(text)
    if bad is not None:
        raise FieldError(field, f"{what} holds {describe_character(bad)}, which cannot be "
                         "shown; remove that character")


def check_name(name: str) -> str:
    _plain(name, "the name", "name")
    name = " ".join(name.split())
    if not name:
        raise FieldError("name", "a person needs a name; type one")
    if not has_visible(name):
        raise FieldError("name", f"the name {shown(name)} has no visible letters; type the "
                         "person's name")
    message = too_long(name, limits.PERSON_NAME, "a name")
    if message is not None:
        raise FieldError("name", message)
    return name


# The common case in one regular expression (ASCII, the same rules as below): a roster of
# 80,000 lines checks 80,000 addresses. Anything else takes the way that says what is wrong.
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_PLAIN_EMAIL = re.compile(rf"{_ATOM}(?:\.{_ATOM})*@{_LABEL}(?:\.{_LABEL})+")


def _email_problem(email: str) -> str | None:
    """Why `email` is not one address of the form name@school.org, or None."""
    local, _at, domain = email.rpartition("@")
    if len(local) > 64 or len(domain) > 255 or any(len(p) > 63 for p in domain.split(".")):
        return ("a part of it is longer than mail systems allow (at most 64 characters "
                "before the @ and 63 between two dots after it)")
    if _PLAIN_EMAIL.fullmatch(email):
        return None
    if any(c.isspace() for c in email):
        return "it holds a space"
    if email.count("@") != 1:
        return (f"it holds {email.count('@')} @ signs where an address has one"
                if email.count("@") else "it has no @")
    local, domain = email.split("@")
    if not local:
        return "nothing stands before the @"
    if not domain:
        return "nothing stands after the @"
    odd = next((c for c in local if not (c.isalnum() or c in _LOCAL_SIGNS)), None)
    if odd is not None:
        return f"the part before the @ holds {odd!r}"
    if local.startswith(".") or local.endswith(".") or ".." in local:
        return "a dot stands at the end of the part before the @, or two stand together"
    if "." not in domain:
        return "the part after the @ has no dot (a school's address looks like name@school.org)"
    for label in domain.split("."):
        if not label:
            return "the part after the @ has an empty piece between dots"
        if not all(c.isalnum() or c == "-" for c in label):
            odd = next(c for c in label if not (c.isalnum() or c == "-"))
            return f"the part after the @ holds {odd!r}"
        if label.startswith("-") or label.endswith("-"):
            return "a piece of the part after the @ starts or ends with a dash"
    return None


def check_email(email: str | None) -> str | None:
    _plain(email or "", "the email", "email")
    email = (email or "").strip()
    if not email:
        return None
    message = too_long(email, limits.PERSON_EMAIL, "an email address")
    if message is not None:
        raise FieldError("email", message)
    why = _email_problem(email)
    if why is not None:
        raise FieldError("email", f"the email {shown(email)} is not an email address: {why}; "
                         "correct it or leave the email empty")
    return email


def check_subject(subject: str) -> str:
    _plain(subject, "the subject", "subject")
    subject = " ".join(subject.split())
    message = too_long(subject, limits.PERSON_SUBJECT, "a subject")
    if message is not None:
        raise FieldError("subject", message)
    return subject


def check_person(name: str, email: str | None, subject: str) -> PersonFields:
    """The one check of a person's typed fields, for the window and the roster import alike;
    a FieldError names the field so the window can show the sentence beside it."""
    return PersonFields(check_name(name), check_email(email), check_subject(subject))


def _unique_email(session: Session, email: str | None, person_id: str | None) -> str | None:
    if email is None:
        return None
    clash = session.scalar(select(Person).where(func.lower(Person.email) == email.lower()))
    if clash is not None and clash.id != person_id:
        raise FieldError("email", f"{email} already belongs to {clash.name}; use another "
                         "email or leave it empty")
    return email


def add_person(session: Session, name: str, *, email: str | None = None,
               role: Role = Role.TEACHER, subject: str = "",
               career_stage: CareerStage = CareerStage.EXPERIENCED,
               start_date: dt.date | None = None, mentor_id: str | None = None) -> PersonView:
    if mentor_id:
        get_or_fail(session, Person, mentor_id, "mentor")
    fields = check_person(name, email, subject)
    person = Person(name=fields.name, email=_unique_email(session, fields.email, None),
                    role=Role(role), subject=fields.subject,
                    career_stage=CareerStage(career_stage),
                    start_date=check_start_date(start_date),
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
    fields = check_person(name, email, subject)
    person.name = fields.name
    person.email = _unique_email(session, fields.email, person_id)
    person.role = Role(role)
    person.subject = fields.subject
    person.career_stage = CareerStage(career_stage)
    person.start_date = check_start_date(start_date)
    person.mentor_id = mentor_id or None
    session.flush()
    return _view(person)


def get_person(session: Session, person_id: str) -> PersonView:
    person = get_or_fail(session, Person, person_id, "person")
    mentor = session.get(Person, person.mentor_id) if person.mentor_id else None
    return _view(person, mentor.name if mentor else None)


def list_people(session: Session, role: Role | None = None, *,
                include_archived: bool = False) -> list[PersonView]:
    """Everyone (but the archived, unless asked for), sorted by name, with their mentor's
    name and how many cycles observed them."""
    mentor = Person.__table__.alias("mentor")
    counts = (select(Cycle.teacher_id, func.count().label("n"))
              .group_by(Cycle.teacher_id).subquery())
    query = (select(Person, mentor.c.name, func.coalesce(counts.c.n, 0))
             .outerjoin(mentor, mentor.c.id == Person.mentor_id)
             .outerjoin(counts, counts.c.teacher_id == Person.id)
             .order_by(func.lower(Person.name)))
    if role is not None:
        query = query.where(Person.role == role)
    if not include_archived:
        query = query.where(Person.archived_at.is_(None))
    return [_view(p, m, n) for p, m, n in session.execute(query)]


def mentees(session: Session, mentor_id: str) -> list[PersonView]:
    rows = session.scalars(select(Person).where(Person.mentor_id == mentor_id)
                           .order_by(Person.name))
    return [_view(p) for p in rows]


FIRST_START, LAST_START = limits.FIRST_START, limits.LAST_START
_ROLES = frozenset(r.value for r in Role)
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def check_start_date(value: dt.date | None) -> dt.date | None:
    if value is not None and not FIRST_START <= value <= LAST_START:
        raise FieldError("start_date", f"a start date in the year {value.year} cannot be "
                         f"right; give one between {FIRST_START.year} and {LAST_START.year}")
    return value


def _parse_date(value: str) -> dt.date | None:
    """Exactly YYYY-MM-DD (Python 3.11 also reads 20260101 and 2026-W01-1 as dates)."""
    if not value:
        return None
    if not _ISO_DATE.fullmatch(value):
        raise FieldError("start_date", f"start_date {shown(value, 40)} is not a date written "
                         "as YYYY-MM-DD; write it like 2025-08-25")
    try:
        date = dt.date.fromisoformat(value)
    except ValueError:
        raise FieldError("start_date", f"start_date {shown(value, 40)} is not a real date; "
                         "check the month and the day") from None
    return check_start_date(date)


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
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise BadInputError(f"{path.name} is saved as UTF-16; save the roster as CSV UTF-8")
    if b"\x00" in raw:
        raise BadInputError(f"{path.name} holds NUL bytes; save the roster as CSV text (UTF-8)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadInputError(f"{path.name}: byte {exc.start} is not UTF-8; "
                            "save the roster as CSV UTF-8") from None


@dataclass(frozen=True)
class RosterRow:
    """One checked line of a roster, ready to store."""

    line: int
    name: str
    email: str | None
    role: Role
    subject: str
    start_date: dt.date | None
    career_stage: CareerStage


class _Refusal(Exception):
    """A line of the roster cannot be used: where, and why."""

    def __init__(self, line: int, column: int | None, message: str) -> None:
        super().__init__(message)
        self.line, self.column, self.message = line, column, message


def _records(text: str) -> Iterator[tuple[int, list[str]]]:
    """The CSV records with the line each starts on (a quoted value may span lines)."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    line = 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:  # named by the line its record starts on
            raise _Refusal(line, None, f"the CSV cannot be read ({exc}); put a "
                           "value holding a comma or a quote in double quotes, and double "
                           "every quote inside it") from None
        yield line, record
        line = reader.line_num + 1


def _header(record: list[str], line: int) -> dict[str, int]:
    """Each column's index by its name; every roster column once."""
    names = [cell.strip().lower() for cell in record]
    if len(names) == 1 and ";" in names[0]:
        raise _Refusal(line, None, "the values are separated by semicolons; save the roster "
                       "as CSV with commas (in a spreadsheet: Save as ▸ CSV UTF-8)")
    index: dict[str, int] = {}
    for i, name in enumerate(names):
        if name and name in index:
            raise _Refusal(line, i + 1, f"the column {shown(name, 40)} appears twice (columns "
                           f"{index[name] + 1} and {i + 1}); keep one of them")
        index.setdefault(name, i)
    missing = [c for c in ROSTER_COLUMNS if c not in index]
    if missing:
        raise _Refusal(line, None, f"the first line is missing the column(s) "
                       f"{', '.join(missing)}; it must name: {', '.join(ROSTER_COLUMNS)}")
    return index


def _row(record: list[str], line: int, columns: dict[str, int], nameless: list[int],
         width: int, today: dt.date) -> RosterRow:
    if len(record) != width:
        raise _Refusal(line, None, f"the line has {len(record)} values where the header has "
                       f"{width} columns; put a value holding a comma in double quotes, and "
                       "give every column a value, even an empty one")
    for i in nameless:
        if record[i].strip():
            raise _Refusal(line, i + 1, "this column has no name in the first line but holds "
                           f"{shown(record[i], 40)}; name the column or empty it")
    values = {}
    for column, i in columns.items():
        value = record[i]
        if len(value) > MAX_FIELD:
            raise _Refusal(line, i + 1, f"the {column} is {len(value):,} characters long; "
                           f"a roster value is at most {MAX_FIELD:,} (is this a staff roster?)")
        values[column] = value
    at = {field: columns[field] + 1 for field in ROSTER_COLUMNS}
    try:
        fields = check_person(values["name"], values["email"], values["subject"])
        _plain(values["role"], "the role", "role")
        role_text = values["role"].strip().lower() or Role.TEACHER.value
        if role_text not in _ROLES:
            raise FieldError("role", f"role {shown(role_text, 40)} is not one of "
                             f"{', '.join(r.value for r in Role)}")
        _plain(values["start_date"], "the start_date", "start_date")
        start = _parse_date(values["start_date"].strip())
    except FieldError as exc:
        raise _Refusal(line, at.get(exc.field), str(exc)) from None
    return RosterRow(line, fields.name, fields.email, Role(role_text), fields.subject, start,
                     _career_stage(start, today))



def parse_roster(text: str, source: str = "roster",
                 today: dt.date | None = None) -> list[RosterRow]:
    """Check a whole staff roster CSV (name, email, role, subject, start_date) without touching
    the database: one bad line refuses the file, naming its line, its column and what to do.

    Lines with nothing in them (also `,,,,` as spreadsheets write them) are skipped; columns
    beyond the five are ignored, as long as each has a name or stays empty.
    """
    today = today or dt.date.today()
    try:
        records = _records(text)
        first = next(((n, r) for n, r in records if any(c.strip() for c in r)), None)
        if first is None:
            raise BadInputError(f"{source} is empty; the first line must name the columns: "
                                f"{', '.join(ROSTER_COLUMNS)}")
        header_line, header = first
        columns = _header(header, header_line)
        nameless = [i for i, cell in enumerate(header) if not cell.strip()]
        rows: list[RosterRow] = []
        seen: dict[str, int] = {}
        for line, record in records:
            if not any(cell.strip() for cell in record):
                continue
            row = _row(record, line, columns, nameless, len(header), today)
            if row.email is not None:
                key = row.email.lower()
                if key in seen:
                    raise _Refusal(line, columns["email"] + 1, f"{shown(row.email)} appears twice, "
                                   f"also on line {seen[key]}; give each person their own "
                                   "email")
                seen[key] = line
            rows.append(row)
    except _Refusal as refusal:
        where = f"line {refusal.line}" + (f", column {refusal.column}" if refusal.column else "")
        raise BadInputError(f"{source} {where}: {refusal.message}. Nothing was imported."
                            ) from None
    if not rows:
        raise BadInputError(f"{source} has a header but no people")
    return rows


def store_roster(session: Session, rows: list[RosterRow]) -> list[PersonView]:
    """Add checked roster rows; a person whose email is already known is updated instead.

    One query finds the known emails, then one bulk insert and one bulk update: the time
    grows with the roster's length, not with its square.
    """
    session.flush()
    known: dict[str, tuple[str, str | None, str | None]] = {
        email.lower(): (pid, email, mentor) for pid, email, mentor in session.execute(
            select(Person.id, Person.email, Person.mentor_id).where(Person.email.is_not(None)))
        if email is not None}
    now = dt.datetime.now(dt.UTC)
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    views = []
    for row in rows:
        match = known.get(row.email.lower()) if row.email else None
        values = {"name": row.name, "role": row.role, "subject": row.subject,
                  "start_date": row.start_date, "career_stage": row.career_stage}
        if match is not None:
            pid, email, mentor = match
            updates.append({"pid": pid, **values})
        else:
            pid, email, mentor = new_id(), row.email, None
            inserts.append({"id": pid, "email": email, "created_at": now, **values})
        views.append(PersonView(pid, row.name, email, row.role, row.subject, row.career_stage,
                                row.start_date, mentor))
    # Core statements on the table: the ORM's bulk path costs three times as much per row.
    table: Table = Person.__table__  # type: ignore[assignment]
    if inserts:
        session.execute(insert(table), inserts)
    if updates:
        session.execute(update(table).where(table.c.id == bindparam("pid")).values(
            {name: bindparam(name) for name in updates[0] if name != "pid"}), updates)
    session.expire_all()
    return views


def import_roster(session: Session, text: str, source: str = "roster",
                  today: dt.date | None = None) -> list[PersonView]:
    """Add the people of a staff roster CSV (name, email, role, subject, start_date).

    Everyone is checked before anyone is added: one bad line refuses the whole file.
    A person whose email is already known is updated rather than added twice.
    """
    return store_roster(session, parse_roster(text, source, today))
