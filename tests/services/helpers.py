"""Small builders for service tests."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from observe_app.services import cycles, observations, people, protocols
from observe_app.services.protocols import ProtocolVersionView

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def version(s: Session, slug: str) -> ProtocolVersionView:
    return protocols.get_version(s, protocols.find_protocol(s, slug).latest_version_id)


def cycle_with_visit(
    s: Session,
    slug: str = "new-teacher-growth",
    teacher: str = "Aino Mäkelä",
    observer: str = "Νίκος Παπαδόπουλος",
):  # type: ignore[no-untyped-def]
    t = people.add_person(s, teacher)
    o = people.add_person(s, observer)
    v = version(s, slug)
    c = cycles.plan_cycle(
        s,
        teacher_id=t.id,
        observer_id=o.id,
        protocol_version_id=v.id,
        focus="Open questions",
        now=T0,
    )
    visit = observations.start_observation(
        s, c.id, subject="Maths", grade="7", room="B12", students=24, now=T0
    )
    return t, c, visit, v
