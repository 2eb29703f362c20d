"""Fixtures for storage tests: an open observation to save notes into."""

from __future__ import annotations

import pytest

from observe_app.storage.engine import Database


@pytest.fixture
def observation(db: Database) -> tuple[str, list[str]]:
    """An open observation in `db` and the ids of its protocol's items."""
    from observe_app.services import cycles, observations, people, protocols

    with db.transaction() as s:
        summary = protocols.find_protocol(s, "peer-observation")
        version = protocols.get_version(s, summary.latest_version_id)
        teacher = people.add_person(s, "Zoë Παπαδοπούλου")
        observer = people.add_person(s, "Ivan Petrov")
        cycle = cycles.plan_cycle(s, teacher_id=teacher.id, observer_id=observer.id,
                                  protocol_version_id=version.id, focus="faults")
        obs = observations.start_observation(s, cycle.id, subject="History")
    return obs.id, [i.id for i in version.items]
