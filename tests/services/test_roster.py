"""The staff roster import: strict about every line, linear in the roster's length.

Refusals go through the command line (in this process: `cli.main`), as a user runs it, and the
database must come out byte for byte as it went in.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import event

from observe_app import cli
from observe_app.domain.enums import CareerStage, Role
from observe_app.services import people

HEAD = "name,email,role,subject,start_date\n"
GOOD = HEAD + "Aino Mäkelä,aino@school.fi,teacher,Mathematics,2025-08-25\n"


@pytest.fixture(scope="module")
def school(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder whose database holds one person; shared, as refusals change nothing
    (each test compares the files before and after)."""
    folder = tmp_path_factory.mktemp("roster")
    data = folder / "school"
    roster = folder / "first.csv"
    roster.write_text(GOOD, encoding="utf-8")
    assert cli.main(["--data-dir", str(data), "people", "import", str(roster)]) == 0
    return data


@pytest.fixture
def fresh_school(tmp_path: Path, school: Path) -> Path:
    """A copy of the school for a test that imports for real."""
    import shutil

    return Path(shutil.copytree(school, tmp_path / "copy"))


def _files(data: Path) -> bytes:
    return b"".join(p.read_bytes() if p.exists() else b"-"
                    for p in (data / "observe.db", data / "observe.db-wal"))


def _import(school: Path, tmp_path: Path, content: str | bytes,
            capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    capsys.readouterr()
    roster = tmp_path / "staff.csv"
    roster.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    code = cli.main(["--data-dir", str(school), "people", "import", str(roster)])
    out, err = capsys.readouterr()
    return code, out, err


REFUSED = [
    # Field counts: csv.DictReader filled short lines with None and kept extras under None.
    ("Ana Lima,ana@school.fi,teacher,Maths\n", "line 2: the line has 4 values where the "
     "header has 5 columns"),
    ("Ana Lima,ana@school.fi,teacher,Maths,2024-09-01,extra\n", "line 2: the line has 6 "
     "values"),
    ("Ana Lima,ana@school.fi,teacher,Maths,\nBen\n", "line 3: the line has 1 values"),
    # E-mails: one local@domain, a dot in the domain, no spaces.
    ("Ana Lima,a@b@c.org,teacher,Maths,\n", "line 2, column 2: the email 'a@b@c.org' is not "
     "an email address: it holds 2 @ signs"),
    ("Ana Lima,ana lima@school.fi,teacher,Maths,\n", "column 2: the email 'ana lima@school.fi' "
     "is not an email address: it holds a space"),
    ("Ana Lima,ana@school,teacher,Maths,\n", "the part after the @ has no dot"),
    ("Ana Lima,@school.fi,teacher,Maths,\n", "nothing stands before the @"),
    ("Ana Lima,ana@,teacher,Maths,\n", "nothing stands after the @"),
    ("Ana Lima,ana..lima@school.fi,teacher,Maths,\n", "two stand together"),
    ("Ana Lima,ana@school..fi,teacher,Maths,\n", "an empty piece between dots"),
    ("Ana Lima,\"ana,lima@school.fi\",teacher,Maths,\n", "the part before the @ holds ','"),
    ("Ana Lima,ana@-school.fi,teacher,Maths,\n", "starts or ends with a dash"),
    # Dates: exactly YYYY-MM-DD and a real day (Python 3.11 reads 20260101 as a date).
    ("Ana Lima,,teacher,Maths,20260101\n", "line 2, column 5: start_date '20260101' is not a "
     "date written as YYYY-MM-DD"),
    ("Ana Lima,,teacher,Maths,2026-W01-1\n", "start_date '2026-W01-1' is not a date"),
    ("Ana Lima,,teacher,Maths,2026-1-5\n", "start_date '2026-1-5' is not a date"),
    ("Ana Lima,,teacher,Maths,\u0662\u0660\u0662\u0666-\u0660\u0661-\u0660\u0661\n",
     "is not a date written as YYYY-MM-DD"),
    ("Ana Lima,,teacher,Maths,2026-02-30\n", "start_date '2026-02-30' is not a real date"),
    ("Ana Lima,,teacher,Maths,1066-10-14\n", "a start date in the year 1066 cannot be right"),
    # Names that show nothing: zero-width, direction marks, wide spaces, a lone accent.
    ("\u200b,,teacher,Maths,\n", "line 2, column 1: the name '\\u200b' has no visible letters"),
    ("\u200e\u200f,,teacher,Maths,\n", "has no visible letters"),
    ("\u00a0\u3000 ,,teacher,Maths,\n", "a person needs a name"),
    ("\u0301,,teacher,Maths,\n", "has no visible letters"),
    # Control characters and line breaks.
    ("Ana\x1b[31mLima,,teacher,Maths,\n", "column 1: the name holds the control character "
     "U+001B"),
    ("Ana Lima,,teacher,Maths\x07,\n", "column 4: the subject holds the control character "
     "U+0007"),
    ("\"Ana\nLima\",,teacher,Maths,\n", "line 2, column 1: the name holds a line break"),
    ("Ana Lima,,teacher\x85,Maths,\n", "column 3: the role holds a line break (U+0085)"),
    ("Ana Lima,,janitor,Maths,\n", "column 3: role 'janitor' is not one of teacher"),
    # Duplicates and quoting.
    ("Ana Lima,ana@school.fi,teacher,,\nBen Okafor,ANA@school.fi,teacher,,\n",
     "line 3, column 2: 'ANA@school.fi' appears twice, also on line 2"),
    ("Ben Okafor,,teacher,,\n\"Ana Lima,ana@school.fi,teacher,Maths,\n",
     "line 3: the CSV cannot be read (unexpected end of data)"),
    ("\"Ana\" Lima,,teacher,Maths,\n", "line 2: the CSV cannot be read"),
]


@pytest.mark.parametrize(("lines", "expected"), REFUSED)
def test_a_bad_line_refuses_the_file_naming_line_and_column(
        school: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        lines: str, expected: str) -> None:
    before = _files(school)
    code, out, err = _import(school, tmp_path, HEAD + lines, capsys)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("error: staff.csv line "), err
    assert expected in err, err
    assert err.endswith(". Nothing was imported.\n"), err
    assert _files(school) == before


@pytest.mark.parametrize(("content", "expected"), [
    ("name,email,role,subject,start_date,email\nAna,,teacher,,,\n",
     "line 1, column 6: the column 'email' appears twice (columns 2 and 6)"),
    (" Name ,EMAIL,role,subject,start_date,name\nAna,,teacher,,,\n",
     "the column 'name' appears twice (columns 1 and 6)"),
    ("name;email;role;subject;start_date\nAna;;teacher;;\n", "separated by semicolons"),
    ("name,email,role,subject,start_date,\nAna,,teacher,,,hello\n",
     "line 2, column 6: this column has no name in the first line but holds 'hello'"),
    ("name,email\nAna,\n", "missing the column(s) role, subject, start_date"),
])
def test_a_bad_header_refuses_the_file(school: Path, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str],
                                       content: str, expected: str) -> None:
    before = _files(school)
    code, _out, err = _import(school, tmp_path, content, capsys)
    assert code == 2 and err.count("\n") == 1 and expected in err, err
    assert _files(school) == before


def test_what_spreadsheets_write_is_read(fresh_school: Path, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    """A BOM, CRLF, upper-case headers, a quoted comma, an extra named column, an empty
    unnamed column, `,,,,` lines and blank lines are what Excel and friends produce."""
    content = ("\ufeffName,Email,Role,Subject,Start_Date,Room,\r\n"
               "\"Lima, Ana\",ana@school.fi,Mentor,Maths,2019-09-02,12,\r\n"
               ",,,,,,\r\n\r\n"
               "Nguyễn Thị Hương,huong@trường.vn,teacher,  Science  ,,,\r\n"
               "aino mäkelä,AINO@school.fi,teacher,Physics,2025-08-25,,\r\n")
    code, out, err = _import(fresh_school, tmp_path, content.encode("utf-8"), capsys)
    assert code == 0 and out == "Imported 3 people from staff.csv.\n", err
    assert cli.main(["--data-dir", str(fresh_school), "people", "list", "--json"]) == 0
    listed = {p["name"]: p for p in json.loads(capsys.readouterr().out)}
    assert set(listed) == {"Lima, Ana", "Nguyễn Thị Hương", "aino mäkelä"}  # Aino updated
    assert listed["Lima, Ana"]["role"] == "mentor"
    assert listed["Nguyễn Thị Hương"]["subject"] == "Science"
    assert listed["aino mäkelä"]["subject"] == "Physics"


def test_the_import_costs_the_same_few_statements_whatever_the_length(db) -> None:  # type: ignore[no-untyped-def]
    """Before: one query and one flush per line (80,000 lines took 354 s). Now one query
    finds the known emails, one bulk insert and one bulk update store everyone."""
    def statements(rows: int, offset: int) -> int:
        text = HEAD + "".join(f"Teacher {n},t{n}@school.example,teacher,Maths,2020-09-01\n"
                              for n in range(offset, offset + rows))
        with db.transaction() as s:
            seen: list[str] = []
            listener = (lambda *args: seen.append(args[2]))  # noqa: E731
            event.listen(db.engine, "before_cursor_execute", listener)
            try:
                added = people.import_roster(s, text)
            finally:
                event.remove(db.engine, "before_cursor_execute", listener)
        assert len(added) == rows
        return len(seen)

    small = statements(50, 0)
    large = statements(3000, 1000)  # also updates nobody, inserts 3,000
    assert large <= small + 1, (small, large)
    with db.transaction() as s:
        updated = people.import_roster(s, HEAD + "Renamed,t7@school.example,mentor,Art,\n")
        assert len(people.list_people(s)) == 3050
    assert updated[0].name == "Renamed" and updated[0].role == Role.MENTOR


def test_updated_and_added_people_read_back_the_same(db) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        mentor = people.add_person(s, "Νίκος Παπαδόπουλος", email="nikos@school.gr",
                                   role=Role.MENTOR)
        aino = people.add_person(s, "Aino", email="Aino@School.fi", mentor_id=mentor.id)
    with db.transaction() as s:
        views = people.import_roster(
            s, HEAD + "Aino Mäkelä,aino@school.fi,teacher,Maths,2025-08-25\n"
            "Ben Okafor,,coach,,\n", today=dt.date(2026, 11, 1))
    with db.transaction() as s:
        stored = {p.id: p for p in people.list_people(s)}
    assert views[0].id == aino.id and views[0].email == "Aino@School.fi"
    for view in views:
        again = stored[view.id]
        assert (again.name, again.email, again.role, again.subject, again.start_date,
                again.career_stage, again.mentor_id) == (
            view.name, view.email, view.role, view.subject, view.start_date,
            view.career_stage, view.mentor_id)
    assert stored[aino.id].mentor_id == mentor.id  # an update keeps the mentor
    assert stored[aino.id].career_stage == CareerStage.NEW
