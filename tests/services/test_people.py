"""People and the staff roster import."""

from __future__ import annotations

import datetime as dt

import pytest

from observe_app.domain.enums import CareerStage, Role
from observe_app.errors import BadInputError
from observe_app.services import people

ROSTER = """name,email,role,subject,start_date
Aino Mäkelä,aino@school.fi,teacher,Mathematics,2025-08-25
Νίκος Παπαδόπουλος,nikos@school.gr,mentor,Science,2009-09-01
Nguyễn Thị Hương,huong@school.vn,teacher,Science,2022-08-29
"""


def test_add_update_and_list(db) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        mentor = people.add_person(s, "  Νίκος   Παπαδόπουλος ", role=Role.MENTOR)
        aino = people.add_person(
            s,
            "Aino Mäkelä",
            email="aino@school.fi",
            career_stage=CareerStage.NEW,
            mentor_id=mentor.id,
        )
    assert mentor.name == "Νίκος Παπαδόπουλος"
    with db.transaction() as s:
        people.update_person(
            s,
            aino.id,
            name="Aino Mäkelä",
            email="aino.m@school.fi",
            role=Role.TEACHER,
            subject="Maths",
            career_stage=CareerStage.EARLY,
            start_date=dt.date(2025, 8, 25),
            mentor_id=mentor.id,
        )
        listed = {p.name: p for p in people.list_people(s)}
        assert listed["Aino Mäkelä"].mentor_name == "Νίκος Παπαδόπουλος"
        assert listed["Aino Mäkelä"].email == "aino.m@school.fi"
        assert [p.name for p in people.mentees(s, mentor.id)] == ["Aino Mäkelä"]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"name": "   "}, "needs a name"),
        ({"name": "X", "email": "not-an-email"}, "not an email"),
    ],
)
def test_bad_person_is_refused(db, kwargs, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(BadInputError, match=message), db.transaction() as s:
        people.add_person(s, **kwargs)


def test_duplicate_email_names_the_owner(db) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        people.add_person(s, "Aino", email="aino@school.fi")
    with pytest.raises(BadInputError, match="already belongs to Aino"), db.transaction() as s:
        people.add_person(s, "Other", email="AINO@school.fi")


def test_roster_import_sets_career_stage_from_start_date(db) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        added = people.import_roster(s, ROSTER, today=dt.date(2026, 11, 1))
    assert [p.career_stage for p in added] == [
        CareerStage.NEW,
        CareerStage.EXPERIENCED,
        CareerStage.EARLY,
    ]
    assert added[1].role == Role.MENTOR


def test_roster_import_twice_updates_instead_of_duplicating(db) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        people.import_roster(s, ROSTER)
    with db.transaction() as s:
        people.import_roster(s, ROSTER.replace("Mathematics", "Physics"))
        everyone = people.list_people(s)
    assert len(everyone) == 3
    assert {p.subject for p in everyone if p.name == "Aino Mäkelä"} == {"Physics"}


@pytest.mark.parametrize(
    "text, message",
    [
        ("name,email\nAino,a@b.c\n", "missing the column"),
        ("name,email,role,subject,start_date\n", "no people"),
        (
            "name,email,role,subject,start_date\nAino,a@b.c,teacher,Maths,25/08/2025\n",
            "line 2, column 5: start_date '25/08/2025' is not a date",
        ),
        ("name,email,role,subject,start_date\nAino,a@b.c,janitor,Maths,\n", "role 'janitor'"),
        (
            "name,email,role,subject,start_date\n,a@b.c,teacher,Maths,\n",
            "line 2, column 1: a person needs a name",
        ),
        (
            "name,email,role,subject,start_date\nA,a@b.c,teacher,,\nB,A@b.c,teacher,,\n",
            "appears twice",
        ),
    ],
)
def test_bad_roster_adds_nobody(db, text, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(BadInputError, match=message), db.transaction() as s:
        people.import_roster(s, text, source="staff.csv")
    with db.transaction() as s:
        assert people.list_people(s) == []


def test_read_roster_refuses_wrong_encoding(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "staff.csv"
    path.write_bytes("name,email\nJosé,j@x.es\n".encode("latin-1"))
    with pytest.raises(BadInputError, match="not UTF-8"):
        people.read_roster(path)
