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
        assert [o.id for o in observations.list_open_observations(s)] == [obs.id]
        observations.end_observation(s, obs.id, 1000, now=T0 + dt.timedelta(minutes=1))
        assert observations.list_open_observations(s) == []
