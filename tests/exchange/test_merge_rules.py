"""The merge rules one by one, on two or three laptops that send each other real packages."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from observe_app.domain.enums import FeedbackKind
from observe_app.errors import BadInputError
from observe_app.protocols import loader
from observe_app.services import cycles, exchange, notes, observations, people, protocols, search
from observe_app.services.cycle_views import CycleDetail
from observe_app.storage.engine import Database
from tests.exchange.replicas import Laptops, now, snapshot


def _plan(db: Database, teacher: str = "Ana Silva", email: str | None = "ana@school.example",
          observer: str = "Ivan Petrov") -> tuple[str, str]:
    """A cycle with a visit of three notes; returns (cycle id, visit id)."""
    with db.transaction() as s:
        version = protocols.find_protocol(s, "peer-observation").latest_version_id
        ana = people.add_person(s, teacher, email=email)
        ivan = people.add_person(s, observer)
        cycle = cycles.plan_cycle(s, teacher_id=ana.id, observer_id=ivan.id,
                                  protocol_version_id=version, focus="wait time")
        visit = observations.start_observation(s, cycle.id, subject="History")
        for n in range(3):
            notes.add_note(s, visit.id, f"note {n}", wall_time=now(), elapsed_ms=n * 1000)
    return cycle.id, visit.id


def _cycle(db: Database, cycle_id: str) -> CycleDetail:
    with db.transaction() as s:
        return cycles.get_cycle(s, cycle_id)


def _history(db: Database) -> list[tuple[str, str, object]]:
    conn = sqlite3.connect(db.path)
    try:
        return [(t, f, json.loads(v)) for t, f, v in conn.execute(
            "SELECT tbl, field, value_json FROM sync_history ORDER BY id")]
    finally:
        conn.close()


def test_edits_of_different_fields_apart_both_survive(laptops: Laptops) -> None:
    """The observer writes post-conference notes while the teacher writes the reflection."""
    observer, teacher = laptops.new("observer"), laptops.new("teacher")
    cycle_id, _ = _plan(observer)
    laptops.receive(teacher, laptops.send(observer))
    with observer.transaction() as s:
        cycles.set_post_conference_notes(s, cycle_id, "We agreed on three seconds.")
    with teacher.transaction() as s:
        cycles.set_reflection(s, cycle_id, "I will count silently.")
    to_observer = laptops.receive(observer, laptops.send(teacher))
    laptops.receive(teacher, laptops.send(observer))
    for db in (observer, teacher):
        detail = _cycle(db, cycle_id)
        assert detail.post_conference_notes == "We agreed on three seconds."
        assert detail.reflection == "I will count silently."
    assert to_observer.counts["cycles"].changed == 1
    assert to_observer.counts["cycles"].conflicts == 0
    assert snapshot(observer) == snapshot(teacher)


def test_the_same_field_edited_apart_keeps_the_newer_and_the_older_in_history(
        laptops: Laptops) -> None:
    a, b = laptops.new("A"), laptops.new("B")
    cycle_id, _ = _plan(a)
    laptops.receive(b, laptops.send(a))
    with a.transaction() as s:
        cycles.update_pre_conference(s, cycle_id, focus="questions", evidence_to_collect="",
                                     planned_date=None)
    with b.transaction() as s:  # later: the newer edit
        cycles.update_pre_conference(s, cycle_id, focus="wait time after questions",
                                     evidence_to_collect="", planned_date=None)
    from_a, from_b = laptops.send(a), laptops.send(b)  # crossing in the post
    preview = laptops.receive(a, from_b)
    assert preview.counts["cycles"].conflicts == 1
    [change] = [c for c in preview.changes if c.field == "focus"]
    assert change.conflict and change.before == "questions"
    assert laptops.receive(b, from_a).counts["cycles"].conflicts == 1
    assert _cycle(a, cycle_id).summary.focus == _cycle(b, cycle_id).summary.focus \
        == "wait time after questions"
    assert ("cycles", "focus", "questions") in _history(a)
    assert ("cycles", "focus", "questions") in _history(b)  # lost there on arrival


def test_a_delete_loses_to_a_later_edit_and_wins_over_an_earlier_one(laptops: Laptops) -> None:
    a, b = laptops.new("A"), laptops.new("B")
    cycle_id, visit_id = _plan(a)
    laptops.receive(b, laptops.send(a))
    with a.transaction() as s:
        s.connection().exec_driver_sql("DELETE FROM cycles WHERE id = ?", (cycle_id,))
    with b.transaction() as s:  # after the delete: B's edit brings the cycle back
        cycles.set_reflection(s, cycle_id, "Still here.")
    laptops.receive(a, laptops.send(b))
    laptops.receive(b, laptops.send(a))
    for db in (a, b):
        assert _cycle(db, cycle_id).reflection == "Still here."
        with db.transaction() as s:
            assert len(notes.list_notes(s, visit_id)) == 3  # its visit and notes came back too
    assert snapshot(a) == snapshot(b)

    with b.transaction() as s:  # an edit, then a delete after it: deleted everywhere
        cycles.set_reflection(s, cycle_id, "One more line.")
    with a.transaction() as s:
        s.connection().exec_driver_sql("DELETE FROM cycles WHERE id = ?", (cycle_id,))
    preview = laptops.receive(b, laptops.send(a))
    assert preview.counts["cycles"].deleted == 1
    laptops.receive(a, laptops.send(b))
    for db in (a, b):
        with db.transaction() as s, pytest.raises(Exception, match="cycle"):
            cycles.get_cycle(s, cycle_id)
    assert snapshot(a) == snapshot(b)


def test_notes_from_two_laptops_come_together_and_search_finds_them(laptops: Laptops) -> None:
    a, b = laptops.new("A"), laptops.new("B")
    _, visit_id = _plan(a)
    laptops.receive(b, laptops.send(a))
    with a.transaction() as s:
        notes.add_note(s, visit_id, "Σοφία asked a follow-up", wall_time=now(), elapsed_ms=9000)
    with b.transaction() as s:
        notes.add_note(s, visit_id, "Kwame explained the pattern", wall_time=now(),
                       elapsed_ms=9000)
    laptops.receive(a, laptops.send(b))
    laptops.receive(b, laptops.send(a))
    for db in (a, b):
        with db.transaction() as s:
            texts = {n.text for n in notes.list_notes(s, visit_id)}
            assert {"Σοφία asked a follow-up", "Kwame explained the pattern"} <= texts
            assert len(texts) == 5
            assert search.search(s, "Kwame")
            assert search.search(s, "Σοφία")


def test_the_same_person_by_email_is_one_person_and_by_name_only_when_asked(
        laptops: Laptops) -> None:
    a, b = laptops.new("A"), laptops.new("B")
    _plan(a)  # Ana (with her e-mail) and Ivan, made on A
    with b.transaction() as s:  # made again on B, apart
        # The same address in other capitals: still the same person.
        ana_b = people.add_person(s, "Ana Silva", email="Ana@School.example", subject="History")
        ivan_b = people.add_person(s, "Ivan Petrov")
    package = exchange.open_package(laptops.send(a))
    with b.transaction() as s:
        offered = exchange.preview_package(s, package).people
    assert {(p.incoming_name, p.reason, p.merged) for p in offered} == {
        ("Ana Silva", "the same e-mail", True), ("Ivan Petrov", "the same name", False)}
    ivan_a = next(p.incoming_id for p in offered if p.incoming_name == "Ivan Petrov")
    with b.transaction() as s:
        exchange.receive_package(s, package, merge_people=[ivan_a], take_backup=False)
        listed = people.list_people(s)
        names = sorted(p.name for p in listed)
        assert names == ["Ana Silva", "Ivan Petrov"]  # never a silent "(1)"
        [cycle] = cycles.list_cycles(s)
        assert (cycle.teacher_id, cycle.observer_id) == (ana_b.id, ivan_b.id)
        # Values neither laptop edited since: those of the one with the smaller id, on every
        # laptop (B's "History" or A's blank); the other is kept in the history.
        ana_a = next(p.incoming_id for p in offered if p.incoming_name == "Ana Silva")
        expected = "History" if ana_b.id < ana_a else ""
        assert people.get_person(s, ana_b.id).subject == expected


def test_a_protocol_new_to_the_laptop_comes_with_the_cycle(laptops: Laptops,
                                                          tmp_path: Path) -> None:
    a, b = laptops.new("A"), laptops.new("B")
    builtin = loader.load_file(loader.builtin_files()[0])
    document = loader.validate_document(dict(builtin, id="our-look-fors",
                                             name="Our look-fors"), "test")
    with a.transaction() as s:
        imported = protocols.import_document(s, document)
        ana = people.add_person(s, "Ana Silva")
        cycle = cycles.plan_cycle(s, teacher_id=ana.id,
                                  protocol_version_id=imported.protocol.latest_version_id)
        cycles.add_feedback(s, cycle.id, FeedbackKind.GLOW, "Every pair talked.")
    preview = laptops.receive(b, laptops.send(a))
    assert preview.new_protocols == ["Our look-fors (version 1)"]
    with b.transaction() as s:
        assert protocols.find_protocol(s, "our-look-fors").latest_version_id \
            == imported.protocol.latest_version_id  # the same ids on both laptops
    assert snapshot(a) == snapshot(b)


def test_one_person_made_on_two_laptops_ends_the_same_whatever_arrives_first(
        laptops: Laptops) -> None:
    """Both laptops imported the school's roster, which said different things about Ana."""
    a, b = laptops.new("A"), laptops.new("B")
    for db, subject in ((a, "Maths"), (b, "Science")):
        with db.transaction() as s:
            people.add_person(s, "Ana Silva", email="ana@school.example", subject=subject)
    from_a, from_b = laptops.send(a), laptops.send(b)
    subjects = set()
    for n, order in enumerate(((from_a, from_b), (from_b, from_a))):
        c = laptops.new(f"C{n}")
        for package in order:
            laptops.receive(c, package)
        with c.transaction() as s:
            [ana] = people.list_people(s)
            subjects.add(ana.subject)
    laptops.receive(a, from_b)
    laptops.receive(b, from_a)
    for db in (a, b):
        with db.transaction() as s:
            [ana] = people.list_people(s)
            subjects.add(ana.subject)
    assert len(subjects) == 1


def test_a_teachers_second_draft_and_an_observers_own_edit_coming_back_are_no_conflicts(
        laptops: Laptops) -> None:
    observer, teacher = laptops.new("observer"), laptops.new("teacher")
    cycle_id, _ = _plan(observer)
    laptops.receive(teacher, laptops.send(observer))
    for draft in ("First thoughts.", "Second thoughts, written later."):
        with teacher.transaction() as s:
            cycles.set_reflection(s, cycle_id, draft)
        preview = laptops.receive(observer, laptops.send(teacher))
        assert preview.counts["cycles"].changed == 1
        assert preview.counts["cycles"].conflicts == 0, draft
    # The observer edits twice; the teacher's copy of the first edit comes back unchanged.
    with observer.transaction() as s:
        cycles.set_post_conference_notes(s, cycle_id, "Draft one.")
    laptops.receive(teacher, laptops.send(observer))
    with observer.transaction() as s:
        cycles.set_post_conference_notes(s, cycle_id, "Draft two.")
    preview = laptops.receive(observer, laptops.send(teacher))
    assert preview.counts_for("cycles").conflicts == 0
    assert _cycle(observer, cycle_id).post_conference_notes == "Draft two."
    assert not [h for h in _history(observer) if h[1] == "post_conference_notes"]


def test_a_package_from_a_laptop_whose_clock_is_far_ahead_is_refused(
        laptops: Laptops, tmp_path: Path) -> None:
    """One wrong clock must not decide every later merge: changes dated more than a day ahead
    are refused, and this laptop's clock does not move."""
    a, b = laptops.new("A"), laptops.new("B")
    cycle_id, _ = _plan(a)
    ahead = str(int(now().timestamp() * 1000) + 3 * 86_400_000)
    conn = sqlite3.connect(a.path)
    conn.execute("UPDATE sync_replica SET wall = ?", (int(ahead),))
    conn.commit()
    conn.close()
    with a.transaction() as s:
        cycles.set_reflection(s, cycle_id, "From the future.")
    with pytest.raises(BadInputError, match="ahead of this laptop's clock"):
        exchange.open_package(laptops.send(a))
    conn = sqlite3.connect(b.path)
    assert conn.execute("SELECT wall FROM sync_replica").fetchone()[0] < int(ahead)
    conn.close()
