"""Where a reopened visit's clock resumes, and which visits are still open."""

from __future__ import annotations

import datetime as dt

from observe_app.services import cycles, observations, people, protocols

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _visit(db):
    with db.transaction() as s:
        teacher = people.add_person(s, "Ana Lima")
        version = protocols.find_protocol(s, "peer-observation").latest_version_id
        cycle = cycles.plan_cycle(s, teacher_id=teacher.id, protocol_version_id=version)
        return observations.start_observation(s, cycle.id, subject="Maths", now=T0)


def test_elapsed_leaves_out_pauses(db):
    obs = _visit(db)
    with db.transaction() as s:
        observations.pause(s, obs.id, 60_000, now=T0 + dt.timedelta(minutes=1))
        assert observations.elapsed_ms_at(s, obs.id, T0 + dt.timedelta(minutes=5)) == 60_000
        observations.resume(s, obs.id, now=T0 + dt.timedelta(minutes=3))
        assert observations.elapsed_ms_at(s, obs.id, T0 + dt.timedelta(minutes=5)) == 180_000


def test_open_observations_are_listed_until_ended(db):
    obs = _visit(db)
    with db.transaction() as s:
        assert [o.id for o in observations.list_unfinished_visits(s)] == [obs.id]
        assert observations.has_unfinished_visits(s)
        observations.end_observation(s, obs.id, 1000, now=T0 + dt.timedelta(minutes=1))
        assert observations.list_unfinished_visits(s) == []
        assert not observations.has_unfinished_visits(s)


def _left_open_three_days(db):
    """A visit with two notes (at 5 and 20 lesson minutes), then the laptop closed for days."""
    from observe_app.services import notes

    obs = _visit(db)
    with db.transaction() as s:
        notes.add_note(s, obs.id, "Pairs explain their method",
                       wall_time=T0 + dt.timedelta(minutes=5), elapsed_ms=300_000)
        notes.add_note(s, obs.id, "Exit ticket handed out",
                       wall_time=T0 + dt.timedelta(minutes=20), elapsed_ms=1_200_000)
    return obs, T0 + dt.timedelta(days=3)


def test_unfinished_visits_tell_when_they_began_and_when_they_were_last_touched(db):
    obs, _ = _left_open_three_days(db)
    with db.transaction() as s:
        [visit] = observations.list_unfinished_visits(s)
        assert visit.id == obs.id and visit.teacher_name == "Ana Lima"
        assert visit.started_at == T0
        assert visit.last_note_at == visit.last_activity_at == T0 + dt.timedelta(minutes=20)
        assert visit.notes == 2 and visit.lesson_ms == 1_200_000
        # Still open: its length is what was recorded, not three days.
        assert observations.get_observation(s, obs.id).lesson_ms == 1_200_000


def test_going_on_after_three_days_keeps_the_gap_as_a_pause(db):
    obs, now = _left_open_three_days(db)
    with db.transaction() as s:
        observations.go_on_after_gap(s, obs.id, now=now)
        # The clock resumes at the last note's lesson time, not 3 days later.
        assert observations.elapsed_ms_at(s, obs.id, now) == 1_200_000
        assert observations.elapsed_ms_at(s, obs.id, now + dt.timedelta(minutes=10)) == 1_800_000
        ended = observations.end_observation(s, obs.id, 1_800_000,
                                             now=now + dt.timedelta(minutes=10))
        assert ended.lesson_ms == 1_800_000
        assert observations.elapsed_ms_at(s, obs.id, now + dt.timedelta(days=9)) == 1_800_000
        assert observations.list_unfinished_visits(s) == []


def test_going_on_resumes_a_visit_left_paused_without_a_second_pause(db):
    obs = _visit(db)
    now = T0 + dt.timedelta(days=2)
    with db.transaction() as s:
        observations.pause(s, obs.id, 600_000, now=T0 + dt.timedelta(minutes=10))
        observations.go_on_after_gap(s, obs.id, now=now)
        assert observations.elapsed_ms_at(s, obs.id, now + dt.timedelta(minutes=1)) == 660_000
        assert not observations.get_observation(s, obs.id).paused


def test_ending_at_the_last_note_ends_there(db):
    obs, now = _left_open_three_days(db)
    with db.transaction() as s:
        ended = observations.end_at_last_note(s, obs.id)
        assert ended.ended_at == T0 + dt.timedelta(minutes=20)
        assert ended.duration_ms == ended.lesson_ms == 1_200_000
        assert observations.elapsed_ms_at(s, obs.id, now) == 1_200_000
        assert cycles.get_summary(s, ended.cycle_id).stage.name == "POST_CONFERENCE"


def test_ending_a_paused_visit_without_notes_ends_at_its_start(db):
    obs = _visit(db)
    with db.transaction() as s:
        observations.pause(s, obs.id, 0, now=T0 + dt.timedelta(minutes=2))
        ended = observations.end_at_last_note(s, obs.id)
        assert ended.ended_at == T0 and ended.lesson_ms == 0
        pause = s.get(observations.Observation, obs.id).pauses[0]
        assert pause.resumed_at >= pause.paused_at  # never a negative pause


def test_a_scan_after_the_last_note_is_activity_when_going_on(db) -> None:
    """The pause for the days away starts after the last scan, not at the last note."""
    from observe_app.services import notes, responses

    with db.transaction() as s:
        teacher = people.add_person(s, "Ana Lima")
        version = protocols.get_version(
            s, protocols.find_protocol(s, "engagement-interval-scan").latest_version_id)
        cycle = cycles.plan_cycle(s, teacher_id=teacher.id, protocol_version_id=version.id)
        obs = observations.start_observation(s, cycle.id, subject="Maths", now=T0)
        scan = next(i for i in version.items if i.period_seconds)
        notes.add_note(s, obs.id, "Groups start the task", wall_time=T0 + dt.timedelta(minutes=3),
                       elapsed_ms=3 * 60_000)
        responses.record_interval(s, obs.id, scan.id, 4, [scan.codes[0].key],
                                  now=T0 + dt.timedelta(minutes=10))
        observations.go_on_after_gap(s, obs.id, now=T0 + dt.timedelta(days=2))
        assert observations.elapsed_ms_at(s, obs.id, T0 + dt.timedelta(days=2)) == 10 * 60_000
