"""What the School page offers as its scope: subjects and grades in order, teachers for a PLC
(not leaders, not archived), and everyone's name for the pairing matrix."""

from __future__ import annotations

from observe_app.domain.enums import Role
from observe_app.services import cycles, observations, people, removal
from observe_app.services.school_choices import TeacherChoice, scope_choices
from tests.services.helpers import version


def test_subjects_grades_and_teachers_to_choose_from(db) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        leader = people.add_person(s, "Walker Leader", role=Role.LEADER, subject="Leadership")
        zoe = people.add_person(s, "Zoë Zed", subject="science")
        ana = people.add_person(s, "Ana Lima", subject="Art")
        gone = people.add_person(s, "Gone Away", subject="Music")
        removal.archive_person(s, gone.id)
        v = version(s, "learning-walk")
        for teacher, grade in ((zoe, "10"), (ana, "9"), (zoe, "Year 7"), (ana, ""), (zoe, "9")):
            c = cycles.plan_cycle(s, teacher_id=teacher.id, observer_id=leader.id,
                                  protocol_version_id=v.id)
            observations.start_observation(s, c.id, grade=grade)
        found = scope_choices(s)
    assert found.subjects == ("Art", "science")
    assert found.grades == ("Year 7", "9", "10")
    assert found.teachers == (TeacherChoice(ana.id, "Ana Lima", "Art"),
                              TeacherChoice(zoe.id, "Zoë Zed", "science"))
    assert found.names[leader.id] == "Walker Leader" and found.names[gone.id] == "Gone Away"
