"""What the School page offers to choose its scope from (subjects, grades, teachers for a PLC),
and the names of everyone who observed, for the coordinator's pairing matrix."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

from observe_app.domain.enums import Role


@dataclass(frozen=True)
class TeacherChoice:
    id: str
    name: str
    subject: str


@dataclass(frozen=True)
class ScopeChoices:
    subjects: tuple[str, ...]  # of the teachers on the timetable, A to Z
    grades: tuple[str, ...]  # the visits' grades, in number order where they are numbers
    teachers: tuple[TeacherChoice, ...]  # who can be chosen for a PLC, A to Z
    names: dict[str, str]  # every person's name by id, archived or not (observers included)


def _grade_order(grade: str) -> tuple[int, int, str]:
    digits = "".join(ch for ch in grade if ch.isdigit())
    return (0, int(digits), grade) if digits else (1, 0, grade.casefold())


def scope_choices(session: Session) -> ScopeChoices:
    people = session.execute(text(
        "SELECT id, name, subject, role, archived_at IS NULL FROM people ORDER BY name")).all()
    teaching = [(pid, name, subject) for pid, name, subject, role, current in people
                if current and role != Role.LEADER.value]
    grades = [g for (g,) in session.execute(text(
        "SELECT DISTINCT grade FROM observations WHERE grade != ''"))]
    return ScopeChoices(
        tuple(sorted({subject for _id, _name, subject in teaching if subject}, key=str.casefold)),
        tuple(sorted(grades, key=_grade_order)),
        tuple(TeacherChoice(pid, name, subject) for pid, name, subject in teaching),
        {pid: name for pid, name, *_rest in people})
