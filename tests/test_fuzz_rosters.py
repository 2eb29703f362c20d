"""A thousand and more broken staff rosters: each is refused naming line and column, or stored
with every value usable.

The corpus is made here from fixed seeds: good rosters of realistic names in many scripts,
then broken the ways spreadsheets, mail programs and people break them (field counts, quotes,
BOMs, encodings, duplicate headers, e-mails, dates, invisible names, control characters, huge
rows, line endings, semicolons). Each file goes the way `observe-app people import FILE` takes
it (`read_roster`, `parse_roster`, then `store_roster` in one transaction) and must end:
- refused with a BadInputError that names the file, and for a line the line (and the column
  when one value is at fault) and says nothing was imported; the database and WAL unchanged;
- or stored, and everyone read back through the services has a visible name on one line, one
  valid e-mail (unique), a real date, a known role.
No traceback and no hang. Four shards keep each test short.
"""

from __future__ import annotations

import codecs
import datetime as dt
import random
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest

from observe_app.domain.enums import Role
from observe_app.domain.plain_text import bad_character, has_visible
from observe_app.errors import BadInputError, ObserveError, as_sentence
from observe_app.services import people
from observe_app.storage.engine import Database
from observe_app.storage.opening import open_database
from tests.fuzz_helpers import report, run_shard

SEED = 20261124
COUNT = 1200
SHARDS = 4
HEADER = ["name", "email", "role", "subject", "start_date"]
FIRST = ["Aino", "Νίκος", "Nguyễn Thị", "Дмитрий", "Zoë", "José", "Siobhán", "Łukasz", "Ana",
         "Ben", "محمد", "יעל", "李", "Ōta", "Chidi", "Saoirse", "Ngā", "Ålesund", "D'Arcy",
         "Anne-Marie"]
LAST = ["Mäkelä", "Παπαδόπουλος", "Hương", "Соколов", "O'Brien", "García", "Nowak", "Lima",
        "Okafor", "حسن", "כהן", "小龙", "Ōkubo", "van der Berg", "Müller-Lüdenscheidt"]
SUBJECTS = ["Mathematics", "Science", "English", "PE", "Art & Design", "Français", "Ιστορία",
            "", "Music", "Computing"]
BAD_EMAILS = ["a@b@c.org", "ana lima@school.fi", "ana@school", "@school.fi", "ana@", "ana",
              "ana..lima@school.fi", ".ana@school.fi", "ana.@school.fi", "ana@school..fi",
              "ana@.school.fi", "ana@school.fi.", "ana@-school.fi", "ana@school-.fi",
              "ana@sch_ool.fi", "ana(x)@school.fi", "<ana@school.fi>", "ana@school.fi,",
              "\"ana\"@school.fi", "ana@school.fi\u200b", "ana\u00a0@school.fi", "ana@[1.2.3.4]",
              "ana@school.fi ana@school.fi", "a" * 65 + "@school.fi", "x@" + "d" * 400 + ".fi",
              "ana@\x07school.fi", "ana;ben@school.fi", "ana\\@school.fi", "mailto:ana@school.fi"]
GOOD_EMAILS = ["ana.lima@school.fi", "ANA@School.FI", "o'brien@school.ie", "ana+pe@school.org",
               "huong@trường.vn", "d_arcy@school.co.uk", "x@a-b.c", "ünal@schule.de"]
BAD_DATES = ["20260101", "2026-1-5", "2026-13-01", "2026-02-30", "2025-02-29", "2026/01/01",
             "01/09/2025", "2026-W01-1", "2026-001", "2026-01-01T00:00", "٢٠٢٦-٠١-٠١",
             "２０２６-０１-０１", "0000-01-01", "1066-10-14", "9999-12-31", "2026-00-10",
             "yesterday", "2026-01-01 ", "+2026-01-01", "2026-01-01Z", "2026–01–01"]
GOOD_DATES = ["", "2024-02-29", "2025-08-25", "1999-09-01", " 2020-09-01", "2026-12-31"]
INVISIBLE = ["\u200b", "\u200e\u200f", "\u00a0", "\u3000", "\ufeff", "\u202e", "\u2060", "\u0301",
             "\u200d", "\t", "\u180e", " \u200b "]
CONTROLS = ["\x00", "\x07", "\x1b[31m", "\x08", "\x7f", "\x85", "\x9b", "\x0b", "\x0c",
            "\u2028", "\u2029", "\r", "\x01"]


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def _good_rows(rng: random.Random, n: int, tag: int) -> list[list[str]]:
    rows = []
    for i in range(n):
        email = "" if rng.random() < 0.15 else f"p{tag}-{i}@school{rng.randint(1, 3)}.example"
        rows.append([_name(rng), email, rng.choice(["teacher", "mentor", "coach", "Teacher",
                                                    "MENTOR", ""]),
                     rng.choice(SUBJECTS), rng.choice(GOOD_DATES)])
    return rows


def _csv(cell: str) -> str:
    return '"' + cell.replace('"', '""') + '"' if any(c in cell for c in ',"\r\n') else cell


def _join(rows: list[list[str]], end: str = "\n") -> str:
    return "".join(",".join(_csv(c) for c in row) + end for row in rows)


# Each mutation takes (rng, header, rows) and returns the file's text or bytes.
def m_field_count(rng, header, rows):
    row = rng.choice(rows)
    if rng.random() < 0.5:
        row.pop(rng.randrange(len(row)))
    else:
        row.append(rng.choice(["", "x", "extra, quoted"]))
    return _join([header, *rows])


def m_quotes(rng, header, rows):
    text = _join([header, *rows])
    choice = rng.randrange(6)
    lines = text.split("\n")
    k = rng.randrange(1, len(lines) - 1)
    if choice == 0:
        lines[k] = '"' + lines[k]  # never closed
    elif choice == 1:
        lines[k] = lines[k].replace(",", ',"x" y,', 1)  # text after a closing quote
    elif choice == 2:
        rows[0][0] = 'Ana "the teacher" Lima'  # a quote inside a value, written right
        return _join([header, *rows])
    elif choice == 3:
        rows[0][0] = "Lima, Ana"  # a comma inside a quoted value: fine
        return _join([header, *rows])
    elif choice == 4:
        rows[0][0] = "Ana\nLima"  # a line break inside a quoted value: refused
        return _join([header, *rows])
    else:
        lines[k] = lines[k].replace(",", '"",', 1)
    return "\n".join(lines)


def m_bom(rng, header, rows):
    text = _join([header, *rows])
    choice = rng.randrange(4)
    if choice == 0:
        return "\ufeff" + text  # written as utf-8-sig below: one BOM, allowed
    if choice == 1:
        return ("\ufeff\ufeff" + text).encode("utf-8")  # two BOMs: the header's first name
    if choice == 2:
        lines = text.split("\n")
        lines[rng.randrange(1, len(lines) - 1)] = "\ufeff" + lines[1]
        return "\n".join(lines)
    return text.encode("utf-8-sig")


def m_encoding(rng, header, rows):
    text = _join([header, *rows])
    choice = rng.randrange(7)
    if choice == 0:
        return text.encode("utf-16")
    if choice == 1:
        return text.encode("utf-16-le")
    if choice == 2:
        return text.encode("latin-1", "replace")
    if choice == 3:
        return text.encode("cp1252", "replace")
    if choice == 4:
        return bytes(rng.randrange(256) for _ in range(rng.randint(1, 500)))
    if choice == 5:
        raw = bytearray(text.encode())
        raw[rng.randrange(len(raw))] = 0
        return bytes(raw)
    return codecs.BOM_UTF32 + text.encode("utf-32-le")


def m_header(rng, header, rows):
    choice = rng.randrange(8)
    if choice == 0:
        header = [*header, rng.choice(header)]
        rows = [[*r, ""] for r in rows]
    elif choice == 1:
        header = [h.upper() if rng.random() < 0.5 else f" {h.title()} " for h in header]
    elif choice == 2:
        header = [*header, "room", "notes"]
        rows = [[*r, str(rng.randint(1, 40)), rng.choice(["", "part time"])] for r in rows]
    elif choice == 3:
        header = [*header, ""]
        rows = [[*r, ""] for r in rows]  # Excel's empty last column: fine
    elif choice == 4:
        header = [*header, ""]
        rows = [[*r, rng.choice(["", "x"])] for r in rows]
    elif choice == 5:
        header = [h for h in header if h != rng.choice(header)]
        rows = [r[:len(header)] for r in rows]
    elif choice == 6:
        rng.shuffle(header)  # order does not matter, but the values now sit under others
    else:
        return ";".join(header) + "\n" + "".join(";".join(r) + "\n" for r in rows)
    return _join([header, *rows])


def m_email(rng, header, rows):
    row = rng.choice(rows)
    row[1] = rng.choice(BAD_EMAILS if rng.random() < 0.75 else GOOD_EMAILS)
    return _join([header, *rows])


def m_duplicate_email(rng, header, rows):
    if len(rows) > 1:
        rows[-1][1] = rows[0][1].upper() if rows[0][1] else "same@school.example"
        rows[0][1] = rows[0][1] or "same@school.example"
    return _join([header, *rows])


def m_date(rng, header, rows):
    row = rng.choice(rows)
    row[4] = rng.choice(BAD_DATES if rng.random() < 0.8 else GOOD_DATES)
    return _join([header, *rows])


def m_invisible_name(rng, header, rows):
    row = rng.choice(rows)
    choice = rng.random()
    if choice < 0.7:
        row[0] = "".join(rng.choice(INVISIBLE) for _ in range(rng.randint(1, 3)))
    else:  # marks inside a visible name (right-to-left names carry them): fine
        row[0] = rng.choice(["\u200fיעל כהן\u200f", "Ana\u200dLima", "Zoe\u0301", "\u202bمحمد"])
    return _join([header, *rows])


def m_control(rng, header, rows):
    row = rng.choice(rows)
    column = rng.randrange(5)
    cut = rng.randrange(len(row[column]) + 1)
    row[column] = row[column][:cut] + rng.choice(CONTROLS) + row[column][cut:]
    return _join([header, *rows])


def m_huge(rng, header, rows):
    choice = rng.randrange(5)
    if choice == 0:
        rows[0][rng.randrange(5)] = "x" * rng.choice([201, 321, 1001, 50_000, 200_000])
    elif choice == 1:
        rows[0] = rows[0] + [""] * rng.choice([100, 10_000])
    elif choice == 2:
        rows[0][0] = "Ana " + "é" * rng.choice([150, 196, 197])  # around the 200 of a name
    elif choice == 3:
        rows = rows + [[f"Teacher {n}", f"t{n}@school.example", "teacher", "", ""]
                       for n in range(rng.choice([500, 3000]))]
    else:
        return _past_the_limit()
    return _join([header, *rows])


@cache
def _past_the_limit() -> str:
    """92,000 people: past the 5,000,000 bytes a roster may have (made once)."""
    return ",".join(HEADER) + "\n" + "".join(
        f"Teacher {n},t{n}@school.example,teacher,Maths,2020-09-01\n" for n in range(92_000))


def m_line_endings(rng, header, rows):
    end = rng.choice(["\r\n", "\r", "\n\n", "\r\n\r\n"])
    text = _join([header, *rows], end)
    if rng.random() < 0.5:
        text += rng.choice([",,,,\n", "\n\n\n", " \n", ",,,,,\n", "\t\n"])
    return text


def m_role(rng, header, rows):
    rng.choice(rows)[2] = rng.choice(["janitor", "Teacher ", " mentor", "COACH", "", "teacher\t",
                                      "lärare", "teacher,mentor", "t", "admin"])
    return _join([header, *rows])


def m_empty(rng, header, rows):
    return rng.choice(["", "\n", _join([header]), "\ufeff", ",,,,\n,,,,\n", _join([header]) * 2])


def m_harmless(rng, header, rows):
    return _join([header, *rows])


MUTATIONS: list[Callable] = [
    m_field_count, m_quotes, m_bom, m_encoding, m_header, m_email, m_duplicate_email, m_date,
    m_invisible_name, m_control, m_huge, m_line_endings, m_role, m_empty, m_harmless]


@cache
def corpus() -> list[tuple[str, bytes]]:
    cases = []
    for n in range(COUNT):
        rng = random.Random(SEED * 100_003 + n)
        rows = _good_rows(rng, rng.randint(1, 25), n)
        mutation = MUTATIONS[n % len(MUTATIONS)]
        if mutation is m_huge and rng.random() < 0.8:
            mutation = rng.choice(MUTATIONS)  # the big ones, a few times only
        out = mutation(rng, list(HEADER), rows)
        names = [mutation.__name__[2:]]
        if n % 9 == 0 and isinstance(out, str):  # mixtures: a second break on top
            second = rng.choice([m_control, m_email, m_date, m_field_count])
            out = second(rng, list(HEADER), rows)
            names.append(second.__name__[2:])
        data = out.encode("utf-8") if isinstance(out, str) else out
        cases.append((f"{n:04d}-{'+'.join(names)}.csv", data))
    return cases


def check_refusal(exc: ObserveError, source: str) -> str:
    text = str(exc)
    assert isinstance(exc, BadInputError), text
    assert "\n" not in text and "\r" not in text, text
    assert text.startswith(source), text
    assert "..." not in text and len(text) < 400, text
    match = re.match(re.escape(source) + r" line (\d+)(, column (\d+))?: (.*)$", text)
    if match:  # about one line: names it (and the column), says nothing was imported
        assert text.endswith(". Nothing was imported."), text
        return match.group(4)
    assert re.search(r"too large|UTF-8|UTF-16|NUL bytes|is empty|no people", text), text
    assert as_sentence(text).endswith("."), text
    return text


CATEGORIES = [
    ("encoding, NUL bytes or size", r"UTF-8|UTF-16|NUL bytes|too large"),
    ("empty or no people", r"is empty|no people"),
    ("header: missing, twice, semicolons", r"missing the column|appears twice \(columns|"
     r"semicolons|has no name in the first line"),
    ("wrong number of values", r"values where the header has"),
    ("broken quoting", r"CSV cannot be read"),
    ("control character or line break", r"control character|line break"),
    ("invisible or empty name", r"no visible letters|needs a name"),
    ("e-mail", r"not an email address|appears twice, also on line"),
    ("date", r"start_date|start date"),
    ("role", r"role"),
    ("too long", r"at most|characters long"),
]


def category(reason: str) -> str:
    return next((name for name, pattern in CATEGORIES if re.search(pattern, reason)), "other")


def check_stored(session, views) -> None:  # type: ignore[no-untyped-def]
    everyone = {p.id: p for p in people.list_people(session)}
    emails = [p.email.lower() for p in everyone.values() if p.email]
    assert len(set(emails)) == len(emails)
    for view in views:
        p = everyone[view.id]
        assert (p.name, p.email, p.role, p.subject, p.start_date) == (
            view.name, view.email, view.role, view.subject, view.start_date)
        assert has_visible(p.name) and bad_character(p.name) is None, p
        assert p.name == " ".join(p.name.split()) and len(p.name) <= 200, p
        assert bad_character(p.subject) is None and len(p.subject) <= 200, p
        if p.email is not None:
            assert people.check_email(p.email) == p.email, p
        assert p.role in set(Role)
        if p.start_date is not None:
            assert type(p.start_date) is dt.date, p
            assert people.FIRST_START <= p.start_date <= people.LAST_START, p


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("roster-template")
    with open_database(folder) as db, db.transaction() as s:
        people.add_person(s, "Aino Mäkelä", email="p0-0@school1.example")  # updated by some
    return folder


@pytest.mark.slow  # making the corpus takes a few seconds
def test_the_corpus_is_big_and_varied() -> None:
    cases = corpus()
    assert len(cases) >= 1000
    assert len({data for _name, data in cases}) > 0.9 * len(cases)
    assert {m.__name__[2:] for m in MUTATIONS} <= {n[5:-4].split("+")[0] for n, _ in cases}


@pytest.mark.slow
@pytest.mark.parametrize("shard", range(SHARDS))
def test_each_fuzzed_roster_is_refused_naming_line_and_column_or_stored_whole(
        shard: int, template: Path, tmp_path: Path) -> None:
    cases = corpus()[shard::SHARDS]

    def store(db: Database, path: Path, name: str) -> list[people.PersonView]:
        rows = people.parse_roster(people.read_roster(path), source=name,
                                   today=dt.date(2026, 11, 24))
        with db.transaction() as s:
            return people.store_roster(s, rows)

    tally, failures, db = run_shard(
        cases, template, tmp_path, fresh_every=60, store=store, check=check_stored,
        refusal=lambda exc, name: category(check_refusal(exc, name)))
    db.close()
    report("roster", shard, len(cases), tally, failures)
